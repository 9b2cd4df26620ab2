// Small screens (no build step; the pages work without it).
// 1. <details data-fold-narrow> (the header's menu, the filters of a list) are rendered
//    open; on a narrow screen they fold behind their <summary> button, which says
//    whether it is open (aria-expanded, from the browser). Wider again, they open.
// 2. A table wider than its column scrolls inside a focusable group named by its
//    caption, so the page keeps its width and no column is cut.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99rem)");

  function fold() {
    var folding = document.querySelectorAll("details[data-fold-narrow]");
    for (var i = 0; i < folding.length; i++) { folding[i].open = !narrow.matches; }
  }

  var counter = 0;

  function label(table, wrapper) {
    var caption = table.querySelector("caption");
    if (caption) {
      if (!caption.id) { counter += 1; caption.id = "table-caption-" + counter; }
      wrapper.setAttribute("aria-labelledby", caption.id);
    } else {
      var heading = table.getAttribute("aria-label") || "";
      if (heading) { wrapper.setAttribute("aria-label", heading); }
    }
  }

  function scrolling(root) {
    var tables = (root || document).querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var wrapper = table.parentElement;
      if (!wrapper.classList.contains("table-scroll")) {
        wrapper = document.createElement("div");
        wrapper.className = "table-scroll";
        table.parentNode.insertBefore(wrapper, table);
        wrapper.appendChild(table);
      }
      // Only a table that does scroll becomes a stop of the Tab key.
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        if (!wrapper.hasAttribute("tabindex")) {
          wrapper.setAttribute("tabindex", "0");
          wrapper.setAttribute("role", "group");
          label(table, wrapper);
        }
      } else if (wrapper.hasAttribute("tabindex")) {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
      }
    }
  }

  // 3. The share panel's "Copy" buttons (hidden without JavaScript: the field stays selectable).
  function copying() {
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) {
        var field = document.getElementById(event.currentTarget.getAttribute("data-copy"));
        var status = document.querySelector(".copy-status");
        if (!field) { return; }
        field.select();
        var done = function () { if (status) { status.textContent = status.getAttribute("data-copied"); } };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(done, function () {});
        } else if (document.execCommand && document.execCommand("copy")) {
          done();
        }
      });
    }
  }

  function start() {
    fold();
    scrolling();
    copying();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  if (narrow.addEventListener) { narrow.addEventListener("change", fold); }
  var waiting = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(function () { scrolling(); }, 150);
  });
  // Tables that htmx swaps in.
  document.addEventListener("htmx:afterSettle", function (event) { scrolling(event.target); });
})();
