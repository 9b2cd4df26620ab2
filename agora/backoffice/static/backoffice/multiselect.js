/* Searchable multi-select (agora.core.forms.SearchableSelectMultiple).
   Progressive enhancement of a <select multiple>: the select stays the form's
   field (hidden); a combobox (ARIA 1.2: role=combobox, aria-expanded,
   aria-controls, aria-activedescendant) filters a listbox of options
   (aria-multiselectable), and the chosen items are buttons that remove them.
   Keyboard: type to filter, Down/Up to move, Enter to choose or unchoose,
   Escape to close, Backspace in an empty box removes the last chosen item.
   No inline handler or style (strict Content-Security-Policy). */
(function () {
  "use strict";

  var counter = 0;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(wrapper) {
    var select = wrapper.querySelector("select[multiple]");
    if (!select) return;
    var texts = wrapper.dataset;
    var id = select.id || ("multiselect-" + (++counter));
    var label = document.querySelector("label[for='" + id + "']");

    var chosen = document.createElement("ul");
    chosen.className = "multiselect-chosen";
    chosen.setAttribute("aria-label", format(texts.chosen, { label: label ? label.textContent.trim() : "" }));

    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-search";
    input.className = "multiselect-search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-listbox");
    input.placeholder = texts.search;
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));

    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.className = "multiselect-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-multiselectable", "true");
    if (label) {
      if (!label.id) label.id = id + "-label";
      listbox.setAttribute("aria-labelledby", label.id);
      label.htmlFor = input.id;  // the label now names the search box
    }
    listbox.hidden = true;

    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    var options = Array.prototype.slice.call(select.options);
    var items = options.map(function (option, index) {
      var item = document.createElement("li");
      item.id = id + "-option-" + index;
      item.setAttribute("role", "option");
      item.textContent = option.textContent;
      item.dataset.index = String(index);
      item.dataset.search = normalise(option.textContent);
      listbox.appendChild(item);
      return item;
    });
    var active = -1;

    select.hidden = true;
    select.tabIndex = -1;
    var hint = wrapper.querySelector(".multiselect-nojs-hint");
    if (hint) hint.hidden = true;
    wrapper.insertBefore(chosen, select);
    wrapper.insertBefore(input, select);
    wrapper.insertBefore(listbox, select);
    wrapper.insertBefore(status, select);

    function say(text) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function drawChosen() {
      chosen.textContent = "";
      var any = false;
      options.forEach(function (option, index) {
        items[index].setAttribute("aria-selected", option.selected ? "true" : "false");
        if (!option.selected) return;
        any = true;
        var entry = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "multiselect-chip";
        button.dataset.index = String(index);
        button.setAttribute("aria-label", format(texts.remove, { label: option.textContent }));
        var text = document.createElement("span");
        text.textContent = option.textContent;
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = " ×";
        button.appendChild(text);
        button.appendChild(cross);
        entry.appendChild(button);
        chosen.appendChild(entry);
      });
      if (!any) {
        var none = document.createElement("li");
        none.className = "small";
        none.textContent = texts.noneChosen;
        chosen.appendChild(none);
      }
    }

    function visible() {
      return items.filter(function (item) { return !item.hidden; });
    }

    function setActive(position) {
      var shown = visible();
      items.forEach(function (item) { item.classList.remove("multiselect-active"); });
      if (!shown.length) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
        return;
      }
      active = (position + shown.length) % shown.length;
      var item = shown[active];
      item.classList.add("multiselect-active");
      input.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    }

    function open() {
      var query = normalise(input.value.trim());
      var count = 0;
      items.forEach(function (item) {
        item.hidden = query !== "" && item.dataset.search.indexOf(query) === -1;
        if (!item.hidden) count += 1;
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      setActive(0);
      say(count === 0 ? texts.noMatch : count === 1 ? texts.resultsOne : format(texts.resultsMany, { count: count }));
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function toggle(index) {
      var option = options[index];
      option.selected = !option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      drawChosen();
      say(format(option.selected ? texts.added : texts.removed, { label: option.textContent }));
    }

    input.addEventListener("input", open);
    input.addEventListener("focus", function () { if (input.value) open(); });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) open(); else setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) open(); else setActive(active - 1);
      } else if (event.key === "Enter") {
        if (listbox.hidden || active < 0) return;  // Enter sends the form when the list is closed
        event.preventDefault();
        toggle(Number(visible()[active].dataset.index));
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { event.preventDefault(); close(); }
      } else if (event.key === "Backspace" && input.value === "") {
        var last = options.map(function (option, index) { return option.selected ? index : -1; })
          .filter(function (index) { return index >= 0; }).pop();
        if (last !== undefined) toggle(last);
      }
    });
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
    listbox.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (!item) return;
      toggle(Number(item.dataset.index));
      input.focus();
    });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("button.multiselect-chip");
      if (!button) return;
      var index = Number(button.dataset.index);
      var position = Array.prototype.indexOf.call(chosen.querySelectorAll("button"), button);
      toggle(index);
      // Keep the focus in the list of chosen items, else on the search box.
      var buttons = chosen.querySelectorAll("button");
      if (buttons.length) buttons[Math.min(position, buttons.length - 1)].focus(); else input.focus();
    });

    drawChosen();
  }

  function setUpAll() {
    document.querySelectorAll(".multiselect").forEach(function (wrapper) {
      if (wrapper.dataset.ready) return;
      wrapper.dataset.ready = "1";
      setUp(wrapper);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
