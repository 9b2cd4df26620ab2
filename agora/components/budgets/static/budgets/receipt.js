// The "Print the receipt" button of budgets/my_receipt.html: shown only when
// scripts run (without them the page says to use the browser's Print command).
(function () {
  "use strict";
  var button = document.getElementById("receipt-print");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
