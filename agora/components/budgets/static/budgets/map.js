// The map of a project's place (Leaflet); the page already gives the address
// and a link to the map without JavaScript.
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("project-map");
    if (!node || typeof L === "undefined") { return; }
    var lat = parseFloat(node.getAttribute("data-lat"));
    var lng = parseFloat(node.getAttribute("data-lng"));
    if (isNaN(lat) || isNaN(lng)) { return; }
    var map = L.map(node, { scrollWheelZoom: false, keyboard: true }).setView([lat, lng], 16);
    // The attribution is the operator's setting (AGORA_MAP_TILES_ATTRIBUTION), the one
    // piece of HTML Leaflet is given; nothing a participant or an officer typed.
    L.tileLayer(node.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: node.getAttribute("data-attribution") || ""
    }).addTo(map);
    L.marker([lat, lng], { keyboard: false }).addTo(map);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
