// Live meter of the ballot page: recomputes what is used and what is left
// while the person chooses. The page works without it (server-side checks).
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var meter = document.getElementById("budget-meter");
  if (!form || !meter) { return; }
  var unit = meter.getAttribute("data-unit");
  var limitText = meter.getAttribute("data-limit");
  var limit = limitText === "" ? null : parseInt(limitText, 10);

  function used() {
    var total = 0;
    var fields = form.querySelectorAll("[data-cost]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox") {
        if (field.checked) { total += unit === "euros" ? parseInt(field.getAttribute("data-cost"), 10) : 1; }
      } else if (field.value !== "") {
        var value = parseInt(field.value, 10);
        if (!isNaN(value) && value > 0) { total += unit === "points" ? value : (unit === "euros" ? parseInt(field.getAttribute("data-cost"), 10) : 1); }
      }
    }
    return total;
  }

  function update() {
    var total = used();
    var usedNode = meter.querySelector("[data-meter=used]");
    var remainingNode = meter.querySelector("[data-meter=remaining]");
    var bar = meter.querySelector("[data-meter=bar]");
    if (usedNode) { usedNode.textContent = String(total); }
    if (remainingNode && limit !== null) { remainingNode.textContent = String(limit - total); }
    if (bar) { bar.value = total; }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
})();
