// Shows and hides the questions of a questionnaire page whose display depends on an
// answer of the same page, as the answers change (the server decides again on every
// page: without this script such questions stay visible, with their condition in words).
(function () {
  "use strict";
  function known() {
    var node = document.getElementById("questionnaire-known");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  function answerOf(form, source, others) {
    var prefix = "q" + source, options = [], number = null, answered = false;
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.disabled) { return; }
      var own = input.name === prefix || input.name.indexOf(prefix + "_r") === 0 || input.name.indexOf(prefix + "_o") === 0;
      if (!own) { return; }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { answered = true; options.push(parseInt(input.value, 10)); }
      } else if (input.tagName === "SELECT" && input.name.indexOf(prefix + "_o") === 0) {
        if (input.value) { answered = true; if (input.value === "1") { options.push(parseInt(input.name.slice(prefix.length + 2), 10)); } }
      } else if (input.value && input.value.trim()) {
        answered = true;
        var parsed = parseFloat(input.value.replace(/\s/g, "").replace(",", "."));
        if (!isNaN(parsed)) { number = parsed; }
      }
    });
    if (!answered && others[source]) { return {answered: true, options: others[source].options, number: others[source].number}; }
    return {answered: answered, options: options, number: number};
  }
  function holds(condition, answer) {
    switch (condition.operator) {
      case "answered": return answer.answered;
      case "not_answered": return !answer.answered;
      case "equals": return answer.answered && answer.options.indexOf(condition.option) !== -1;
      case "differs": return answer.answered && answer.options.indexOf(condition.option) === -1;
      case "above": return answer.number !== null && answer.number > condition.value;
      case "below": return answer.number !== null && answer.number < condition.value;
    }
    return true;
  }
  function update(form, others) {
    form.querySelectorAll("[data-conditions]").forEach(function (item) {
      var rules;
      try { rules = JSON.parse(item.getAttribute("data-conditions")); } catch (e) { return; }
      var results = rules.conditions.map(function (c) { return holds(c, answerOf(form, c.source, others)); });
      var shown = rules.mode === "any" ? results.some(Boolean) : results.every(Boolean);
      item.hidden = !shown;
      item.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-questionnaire]");
    if (!form || !form.querySelector("[data-conditions]")) { return; }
    var others = known();
    update(form, others);
    form.addEventListener("change", function () { update(form, others); });
    form.addEventListener("input", function () { update(form, others); });
  });
}());
