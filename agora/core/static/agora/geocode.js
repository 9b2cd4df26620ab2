/* "Find on the map" next to an address field (inputs with data-geocode-url):
   looks the address up through Agora's geocoder (agora.core.views.geocode) and
   fills the latitude and longitude fields, or lets the person choose among
   several places. Without JavaScript the form geocodes the address when it is
   saved (agora.core.geocoding.locate), so nothing is lost. */
(function () {
  "use strict";

  function fill(input, candidate, status) {
    var lat = document.getElementById(input.getAttribute("data-lat-input"));
    var lng = document.getElementById(input.getAttribute("data-lng-input"));
    if (lat) { lat.value = candidate.latitude; lat.dispatchEvent(new Event("change", { bubbles: true })); }
    if (lng) { lng.value = candidate.longitude; lng.dispatchEvent(new Event("change", { bubbles: true })); }
    status.textContent = input.getAttribute("data-geocode-found").replace("{label}", candidate.label);
  }

  function show(input, data, status, list) {
    list.textContent = "";
    list.hidden = true;
    var results = data.results || [];
    if (!results.length) {
      status.textContent = data.message || input.getAttribute("data-geocode-missing");
      return;
    }
    if (results.length === 1) { fill(input, results[0], status); return; }
    status.textContent = input.getAttribute("data-geocode-choose");
    results.forEach(function (candidate) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary button-small";
      button.textContent = candidate.label;  // text, never markup
      button.addEventListener("click", function () {
        fill(input, candidate, status);
        list.textContent = "";
        list.hidden = true;
        input.focus();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function enhance(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary geocode-button";
    button.textContent = input.getAttribute("data-geocode-button");
    var status = document.createElement("p");
    status.className = "small geocode-status";
    status.setAttribute("role", "status");
    var list = document.createElement("ul");
    list.className = "geocode-choices";
    list.hidden = true;
    input.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
    status.insertAdjacentElement("afterend", list);
    button.addEventListener("click", function () {
      var query = input.value.trim();
      if (!query) { status.textContent = input.getAttribute("data-geocode-empty"); input.focus(); return; }
      status.textContent = input.getAttribute("data-geocode-searching");
      var url = input.getAttribute("data-geocode-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { show(input, data, status, list); })
        .catch(function () { status.textContent = input.getAttribute("data-geocode-missing"); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-geocode-url]"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
