// Maps of the meetings pages (Leaflet). Every page already says where without
// JavaScript: the meeting's address, the list of places below the map.
(function () {
  "use strict";

  function tiles(map, node) {
    // The attribution is the operator's setting (AGORA_MAP_TILES_ATTRIBUTION), nothing typed by a person.
    L.tileLayer(node.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: node.getAttribute("data-attribution") || ""
    }).addTo(map);
  }

  function meetingMap() {
    var node = document.getElementById("meeting-map");
    if (!node) { return; }
    var lat = parseFloat(node.getAttribute("data-lat"));
    var lng = parseFloat(node.getAttribute("data-lng"));
    if (isNaN(lat) || isNaN(lng)) { return; }
    node.hidden = false;
    var map = L.map(node, { scrollWheelZoom: false, keyboard: true }).setView([lat, lng], 16);
    tiles(map, node);
    L.marker([lat, lng], { keyboard: false }).addTo(map);
  }

  function meetingsMap() {
    var node = document.getElementById("meetings-map");
    var data = document.getElementById("meetings-map-points");
    if (!node || !data) { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    node.hidden = false;
    var map = L.map(node, { scrollWheelZoom: false, keyboard: true });
    tiles(map, node);
    var bounds = [];
    points.forEach(function (point) {
      var icon = L.divIcon({ className: "budget-marker", html: String(point.number | 0),
                             iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -14] });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;  // text, never markup
      L.marker([point.lat, point.lng], { icon: icon, title: point.number + ". " + point.title, alt: point.title })
        .addTo(map).bindPopup(link);
      bounds.push([point.lat, point.lng]);
    });
    map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
  }

  function start() {
    if (typeof L === "undefined") { return; }
    meetingMap();
    meetingsMap();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
