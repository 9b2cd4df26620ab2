// Live meter of the ballot page: recomputes what is used and what is left
// while the person chooses. The page works without it: the server renders the
// same figures and refuses a ballot over the limit with the reason.
// Texts come from the meter's data-text-* attributes (translated by the server).
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var meter = document.getElementById("budget-meter");
  if (!form || !meter) { return; }
  var unit = meter.getAttribute("data-unit");
  var limitText = meter.getAttribute("data-limit");
  var limit = limitText === "" ? null : parseInt(limitText, 10);
  var minimum = parseInt(meter.getAttribute("data-minimum") || "0", 10);
  var language = document.documentElement.lang || undefined;
  var numbers = window.Intl ? new Intl.NumberFormat(language, { maximumFractionDigits: 0 }) : null;
  // Euros as the server writes them (agora.core.formats follows the same CLDR rules as Intl).
  var euros = window.Intl ? new Intl.NumberFormat(language, { style: "currency", currency: "EUR", minimumFractionDigits: 0, maximumFractionDigits: 0 }) : null;
  var refusal = document.getElementById("ballot-refusal");
  var voteButton = form.querySelector("button[name=vote]");

  function formatted(value) { return numbers ? numbers.format(value) : String(value); }

  function text(name, value) {
    var one = value === 1 ? meter.getAttribute("data-text-" + name + "-one") : null;  // the singular, when it differs
    return (one || meter.getAttribute("data-text-" + name) || "").replace("{n}", formatted(value));
  }

  function figures() {
    var used = 0;
    var cost = 0;
    var fields = form.querySelectorAll("[data-cost]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var projectCost = parseInt(field.getAttribute("data-cost"), 10);
      if (field.type === "checkbox") {
        if (field.checked) { cost += projectCost; used += unit === "euros" ? projectCost : 1; }
      } else if (field.value !== "") {
        var value = parseInt(field.value, 10);
        if (!isNaN(value) && value > 0) {
          cost += projectCost;
          used += unit === "points" ? value : (unit === "euros" ? projectCost : 1);
        }
      }
    }
    return { used: used, cost: cost };
  }

  function show(node, visible) { if (node) { node.hidden = !visible; } }

  function setText(name, value) {
    var node = meter.querySelector("[data-meter=" + name + "]");
    if (!node) { return; }
    var format = node.getAttribute("data-format");
    node.textContent = format === "money" && euros ? euros.format(value) : (format ? formatted(value) : String(value));
  }

  function update() {
    var now = figures();
    var over = limit === null ? 0 : Math.max(now.used - limit, 0);
    setText("used", now.used);
    setText("cost", now.cost);
    if (limit !== null) { setText("remaining", Math.max(limit - now.used, 0)); }
    var overNode = meter.querySelector("[data-meter=over]");
    show(meter.querySelector("[data-meter=within]"), over === 0);
    show(overNode, over > 0);
    if (overNode && over > 0) {
      var name = unit === "projects" && over === 1 ? "over-project" : "over-" + unit;
      overNode.innerHTML = "";
      var strong = document.createElement("strong");
      strong.textContent = text(name, over);
      overNode.appendChild(strong);
    }
    meter.classList.toggle("budget-meter-over", over > 0);
    if (refusal) {
      refusal.textContent = over > 0 ? text("refusal-" + unit, over) : "";
      show(refusal, over > 0);
    }
    if (voteButton) {
      if (over > 0) { voteButton.setAttribute("aria-disabled", "true"); } else { voteButton.removeAttribute("aria-disabled"); }
    }
    var bar = meter.querySelector("[data-meter=bar]");
    if (bar) {
      var scale = limit !== null ? limit : minimum;
      var percent = scale ? Math.min(100, 5 * Math.round(20 * now.used / scale)) : 0;
      bar.className = bar.className.replace(/budget-meter-w\d+/, "budget-meter-w" + percent);
    }
  }

  // A ballot over the limit would be refused: say why at once instead of sending it.
  if (voteButton) {
    voteButton.addEventListener("click", function (event) {
      if (voteButton.getAttribute("aria-disabled") === "true") {
        event.preventDefault();
        if (refusal) { refusal.focus(); }
      }
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
})();
