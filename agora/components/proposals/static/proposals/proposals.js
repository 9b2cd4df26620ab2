/* Progressive enhancements of the ideas pages; every page works without them.
   - live character counter of the description (announced politely, throttled)
   - map pin in the idea form (fills the latitude/longitude fields)
   - map of one idea, map of the ideas with KML layers */
(function () {
  "use strict";

  function counter() {
    var area = document.querySelector("textarea[data-counter-max]");
    if (!area) return;
    var output = document.getElementById(area.id + "_counter");
    if (!output) return;
    var max = parseInt(area.getAttribute("data-counter-max"), 10);
    var timer = null;
    output.hidden = false;
    function render(announce) {
      var left = max - area.value.trim().length;
      var text = (left >= 0 ? output.getAttribute("data-left") : output.getAttribute("data-over"))
        .replace("{count}", Math.abs(left));
      output.classList.toggle("over", left < 0);
      if (!announce) { output.setAttribute("aria-live", "off"); }
      output.textContent = text;
      if (!announce) { output.setAttribute("aria-live", "polite"); }
    }
    render(false);
    // Screen readers hear the count after a pause in typing, not on every key.
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { render(true); }, 700);
    });
  }

  function tiles(map, element) {
    L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution"), maxZoom: 19
    }).addTo(map);
  }

  function pinMap() {
    var element = document.getElementById("pin-map");
    if (!element || typeof L === "undefined") return;
    var lat = document.getElementById(element.getAttribute("data-lat-input"));
    var lng = document.getElementById(element.getAttribute("data-lng-input"));
    element.hidden = false;
    var help = document.getElementById("pin-map-help");
    if (help) help.hidden = false;
    var start = lat.value && lng.value ? [parseFloat(lat.value), parseFloat(lng.value)] : null;
    var map = L.map(element).setView(start || [47.5, 1.1], start ? 16 : 12);
    tiles(map, element);
    var marker = start ? L.marker(start).addTo(map) : null;
    // The address field, when it has the geocoder's "Find on the map" (agora/geocode.js).
    var address = document.querySelector("input[data-geocode-url][data-lat-input=\"" + lat.id + "\"]");
    map.on("click", function (event) {
      var point = event.latlng;
      if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
      lat.value = point.lat.toFixed(6);
      lng.value = point.lng.toFixed(6);
      // An empty address gets the name of the street or place nearest to the pin.
      if (address && !address.value.trim()) {
        fetch(address.getAttribute("data-geocode-url") + "?lat=" + lat.value + "&lng=" + lng.value,
              { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (data.results && data.results.length && !address.value.trim()) address.value = data.results[0].label;
          })
          .catch(function () {});
      }
    });
    // The coordinates typed, or filled by "Find on the map" (agora/geocode.js), move the pin.
    function follow() {
      var point = [parseFloat(lat.value), parseFloat(lng.value)];
      if (isNaN(point[0]) || isNaN(point[1])) return;
      if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
      map.setView(point, 16);
    }
    lat.addEventListener("change", follow);
    lng.addEventListener("change", follow);
  }

  function ideaMap() {
    var element = document.getElementById("proposal-map");
    if (!element || typeof L === "undefined") return;
    var point = [parseFloat(element.getAttribute("data-lat")), parseFloat(element.getAttribute("data-lng"))];
    var map = L.map(element).setView(point, 16);
    tiles(map, element);
    L.marker(point).addTo(map);
  }

  function ideasMap() {
    var element = document.getElementById("ideas-map");
    if (!element || typeof L === "undefined") return;
    var points = JSON.parse(document.getElementById("map-points").textContent);
    var layers = JSON.parse(document.getElementById("map-layers").textContent);
    var map = L.map(element).setView([47.5, 1.1], 12);
    tiles(map, element);
    var bounds = [];
    layers.forEach(function (layer) {
      var drawn = L.geoJSON(layer.geojson, { style: { weight: 2, fillOpacity: 0.05 } }).addTo(map);
      // A layer's name comes from the KML file an officer uploaded: text, never markup
      // (Leaflet inserts a string given to bindTooltip as HTML).
      var name = document.createElement("span");
      name.textContent = layer.name;
      drawn.bindTooltip(name);
    });
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      L.marker([point.lat, point.lng], { title: point.title }).addTo(map).bindPopup(link);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
  }

  document.addEventListener("DOMContentLoaded", function () {
    counter(); pinMap(); ideaMap(); ideasMap();
  });
})();
