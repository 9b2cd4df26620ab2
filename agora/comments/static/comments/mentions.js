// @mention autocomplete for comment text areas (progressive enhancement:
// without it, typing @nickname works the same). ARIA combobox pattern:
// the textarea controls a listbox; arrows move, Enter/Tab picks, Escape closes.
(function () {
  "use strict";
  var counter = 0;

  function currentWord(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@\/])@([A-Za-z0-9_\-]{1,30})$/.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length } : null;
  }

  function enhance(textarea) {
    if (textarea.dataset.mentionsReady) return;
    textarea.dataset.mentionsReady = "1";
    var id = "mention-list-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-controls", id);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-expanded", "false");
    var active = -1, items = [], word = null, timer = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) textarea.setAttribute("aria-activedescendant", id + "-" + index);
    }

    function pick(index) {
      var person = items[index];
      if (!person || !word) return;
      var value = textarea.value;
      var end = textarea.selectionStart;
      textarea.value = value.slice(0, word.start) + person.nickname + " " + value.slice(end);
      var caret = word.start + person.nickname.length + 1;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
    }

    function show(results) {
      list.innerHTML = "";
      items = results;
      results.forEach(function (person, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = "@" + person.nickname + (person.name && person.name !== person.nickname ? " (" + person.name + ")" : "");
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      textarea.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length ? results.length + " suggestion(s)" : "";
      highlight(results.length ? 0 : -1);
    }

    textarea.addEventListener("input", function () {
      word = currentWord(textarea);
      clearTimeout(timer);
      if (!word) { close(); return; }
      timer = setTimeout(function () {
        fetch(textarea.dataset.mentionsUrl + "?q=" + encodeURIComponent(word.query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(close);
      }, 200);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" || event.key === "Tab") { if (active >= 0) { event.preventDefault(); pick(active); } }
      else if (event.key === "Escape") { close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("textarea[data-mentions-url]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
  if (document.readyState !== "loading") enhanceAll(document);
})();
