/* /zones: draws the chosen zone's map (GeoMap, static/map.js) from /zones/map/<id>.
 * The page already says everything as text; without the map data it stays as it is.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var figure = document.getElementById("zone-map-figure");
  if (!config.zone || !figure) return;

  function pointsOf(data) {
    var points = data.territory.map(function (p) {
      return { kind: "territory", lon: p.lon, lat: p.lat, basis: p.basis };
    });
    data.hospitals.forEach(function (h) {
      points.push({ kind: "hospital", lon: h.lon, lat: h.lat, label: String(h.n), name: h.name });
    });
    if (config.place) points.push({ kind: "patient", lon: config.place.lon, lat: config.place.lat, label: config.place.name });
    return points;
  }

  fetch("/zones/map/" + encodeURIComponent(config.zone), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error("zone map " + r.status); return r.json(); })
    .then(function (data) {
      return GeoMap.draw(document.getElementById("zone-map"), pointsOf(data),
                         { title: config.title, description: config.description });
    })
    .then(function (drawn) { figure.hidden = !drawn; })
    .catch(function () { figure.hidden = true; });
})();
