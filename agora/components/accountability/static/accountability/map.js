// Map of the results (progressive enhancement: the page lists the same results).
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("results-map");
    var data = document.getElementById("results-map-points");
    if (!element || !data || typeof L === "undefined") { return; }
    element.classList.add("results-map-ready");  // shown only when the script runs
    var points = JSON.parse(data.textContent);
    var attribution = JSON.parse(document.getElementById("results-map-attribution").textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.getAttribute("data-tiles-url"), { attribution: attribution, maxZoom: 19 }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      popup.appendChild(link);
      var text = document.createElement("p");
      text.textContent = (point.status ? point.status + " — " : "") + point.progress + " %";
      popup.appendChild(text);
      L.marker([point.lat, point.lng], { title: point.title, alt: point.title }).addTo(map).bindPopup(popup);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 16); } else { map.fitBounds(bounds, { padding: [30, 30] }); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
