/* The Markdown text fields of the back-office (agora.core.forms.MarkdownTextarea).
   Progressive enhancement: without this file the field is a textarea whose
   help text gives the Markdown to type. With it, a toolbar (one tab stop,
   arrow keys move between its buttons, Home/End; Ctrl+B, Ctrl+I, Ctrl+K in
   the text) and a preview rendered by the server exactly as the text will be
   saved (sanitized HTML). No inline handler: strict Content-Security-Policy. */
(function () {
  "use strict";

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    textarea.focus();
    // insertText keeps the browser's undo history; setRangeText otherwise.
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (error) { done = false; }
    if (!done) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) {
      textarea.setSelectionRange(start + selectFrom, start + selectTo);
    }
  }

  function wrap(textarea, mark, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    var before = textarea.value.slice(Math.max(0, textarea.selectionStart - mark.length), textarea.selectionStart);
    var after = textarea.value.slice(textarea.selectionEnd, textarea.selectionEnd + mark.length);
    if (selected && before === mark && after === mark) {
      // Already marked: take the marks away.
      var from = textarea.selectionStart - mark.length;
      textarea.setSelectionRange(from, textarea.selectionEnd + mark.length);
      replaceSelection(textarea, selected, 0, selected.length);
      return;
    }
    var inner = selected || placeholder;
    replaceSelection(textarea, mark + inner + mark, mark.length, mark.length + inner.length);
  }

  function selectWholeLines(textarea) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = value.indexOf("\n", textarea.selectionEnd);
    if (end === -1) end = value.length;
    textarea.setSelectionRange(start, end);
    return value.slice(start, end);
  }

  function prefixLines(textarea, kind) {
    var lines = selectWholeLines(textarea).split("\n");
    var patterns = { heading: /^#{1,6} /, bullets: /^[-*+] /, numbers: /^\d+[.)] /, quote: /^> ?/ };
    var pattern = patterns[kind];
    var filled = lines.filter(function (line) { return line.trim() !== ""; });
    var all = filled.length > 0 && filled.every(function (line) { return pattern.test(line); });
    var result = lines.map(function (line, index) {
      if (all) return line.replace(pattern, "");
      if (line.trim() === "" && lines.length > 1) return line;
      var bare = line.replace(/^(#{1,6} |[-*+] |\d+[.)] |> ?)/, "");
      if (kind === "heading") return "## " + bare;
      if (kind === "bullets") return "- " + bare;
      if (kind === "numbers") return (index + 1) + ". " + bare;
      return "> " + bare;
    }).join("\n");
    // The caret after the last line, ready to type.
    replaceSelection(textarea, result, result.length, result.length);
  }

  function link(textarea, placeholderText) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    var text = selected || placeholderText;
    var url = "https://";
    var inserted = "[" + text + "](" + url + ")";
    // Select the address, to be typed at once.
    replaceSelection(textarea, inserted, text.length + 3, text.length + 3 + url.length);
  }

  function preview(field, textarea, button) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    var body = panel.querySelector(".markdown-preview-body");
    var form = textarea.form;
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var data = new FormData();
    data.append("text", textarea.value);
    if (token) data.append("csrfmiddlewaretoken", token.value);
    panel.setAttribute("aria-busy", "true");
    fetch(button.dataset.url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {},
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      body.innerHTML = html;  // sanitized by the server (agora.core.richtext)
    }).catch(function () {
      body.textContent = button.dataset.failed || "…";
    }).finally(function () {
      panel.removeAttribute("aria-busy");
    });
  }

  function setUp(field) {
    var toolbar = field.querySelector(".markdown-toolbar");
    var textarea = field.querySelector("textarea[data-markdown]");
    if (!toolbar || !textarea) return;
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var previewButton = toolbar.querySelector("[data-md=preview]");
    var placeholder = toolbar.dataset.placeholder || "texte";
    var timer = null;

    toolbar.hidden = false;
    buttons.forEach(function (button, index) { button.tabIndex = index === 0 ? 0 : -1; });

    function run(action) {
      if (action === "bold") wrap(textarea, "**", placeholder);
      else if (action === "italic") wrap(textarea, "*", placeholder);
      else if (action === "link") link(textarea, placeholder);
      else if (action === "preview") {
        var open = previewButton.getAttribute("aria-expanded") !== "true";
        previewButton.setAttribute("aria-expanded", open ? "true" : "false");
        document.getElementById(previewButton.getAttribute("aria-controls")).hidden = !open;
        if (open) preview(field, textarea, previewButton);
        return;
      } else prefixLines(textarea, action);
    }

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (button) run(button.dataset.md);
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index === -1) return;
      var next = null;
      if (event.key === "ArrowRight") next = (index + 1) % buttons.length;
      else if (event.key === "ArrowLeft") next = (index - 1 + buttons.length) % buttons.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      if (next === null) return;
      event.preventDefault();
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      var key = event.key.toLowerCase();
      var action = { b: "bold", i: "italic", k: "link" }[key];
      if (!action) return;
      event.preventDefault();
      run(action);
    });
    textarea.addEventListener("input", function () {
      if (previewButton.getAttribute("aria-expanded") !== "true") return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { preview(field, textarea, previewButton); }, 600);
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll(".markdown-field").forEach(function (field) {
      if (field.dataset.ready) return;
      field.dataset.ready = "1";
      setUp(field);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  else setUpAll();
})();
