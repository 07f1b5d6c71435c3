/* Offline map of a place, hospitals and a zone's territory: the console, the widget and /zones.
 *
 * GeoMap.draw(svg, points, {title, description, frameKinds}) draws typed points (patient,
 * facility, domestic, hospital, territory); GeoMap.pointsOf(lookup) turns a facility lookup (the
 * console's) or the widget's facility_map payload into points. The map never carries information
 * alone: every page lists the same hospitals as text, and the SVG gets a <title> and <desc>.
 *
 * Base map: Natural Earth country shapes from the world-atlas npm package (served by this
 * app from build/web/node_modules), projected with d3-geo. Points: the gazetteer's and the
 * hospital list's coordinates, as the lookup returned them. No tile server, no network.
 */
(function (global) {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var WIDTH = 480, HEIGHT = 360, MARGIN = 28;
  // Only shapes near the five countries are kept: the world file is large.
  var REGION = { west: -8, east: 20, south: 40, north: 58 };
  var HOME = { "056": "BE", "250": "FR", "442": "LU", "276": "DE", "528": "NL" };
  var countries = null;
  var loading = null;

  function loadCountries() {
    if (countries) return Promise.resolve(countries);
    if (loading) return loading;
    loading = fetch("/vendor/countries-10m.json", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("base map " + r.status); return r.json(); })
      .then(function (world) {
        var all = topojson.feature(world, world.objects.countries).features;
        countries = all.filter(function (feature) {
          // A ring wound the wrong way would cover the whole sphere (the 10m Maldives do): skip it.
          if (d3.geoArea(feature) > 2 * Math.PI) return false;
          var b = d3.geoBounds(feature);
          return b[1][0] >= REGION.west && b[0][0] <= REGION.east && b[1][1] >= REGION.south && b[0][1] <= REGION.north;
        });
        return countries;
      });
    return loading;
  }

  function node(name, attributes, parent) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(element);
    return element;
  }

  function pointsOf(lookup) {
    var points = [];
    if (!lookup || !lookup.place) return points;
    points.push({ kind: "patient", lon: lookup.place.lon, lat: lookup.place.lat, label: lookup.place.name });
    (lookup.options || []).forEach(function (option, i) {
      // The widget's payload carries the number the reply text uses; the console lists in order.
      points.push({ kind: "facility", lon: option.lon, lat: option.lat, label: String(option.n || i + 1),
                    name: option.name, km: option.km != null ? option.km : option.distance_km, country: option.country });
    });
    if (lookup.domestic && lookup.domestic.lat != null) {
      points.push({ kind: "domestic", lon: lookup.domestic.lon, lat: lookup.domestic.lat, label: "",
                    name: lookup.domestic.name, country: lookup.domestic.country,
                    km: lookup.domestic.km != null ? lookup.domestic.km : lookup.domestic.distance_km });
    }
    return points;
  }

  function frame(points) {
    // At least ~40 km around the points, so that a single place still shows its surroundings.
    var lons = points.map(function (p) { return p.lon; }), lats = points.map(function (p) { return p.lat; });
    var west = Math.min.apply(null, lons), east = Math.max.apply(null, lons);
    var south = Math.min.apply(null, lats), north = Math.max.apply(null, lats);
    var padLon = Math.max(0.35, (east - west) * 0.15), padLat = Math.max(0.25, (north - south) * 0.15);
    return { type: "MultiPoint", coordinates: [[west - padLon, south - padLat], [east + padLon, north + padLat]] };
  }

  function describe(svg, options) {
    // role=img with a title and a description: a screen reader announces the map as one image.
    if (!options.title) return;
    var id = svg.id || "map";
    node("title", { id: id + "-title" }, svg).textContent = options.title;
    node("desc", { id: id + "-desc" }, svg).textContent = options.description || "";
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", id + "-title");
    svg.setAttribute("aria-describedby", id + "-desc");
  }

  function mark(p, projection, parent) {
    var xy = projection([p.lon, p.lat]);
    if (!xy) return;
    var at = "translate(" + xy[0].toFixed(1) + "," + xy[1].toFixed(1) + ")";
    if (p.kind === "territory") {
      // Hundreds of dots: unlabelled, the page lists the territory as text.
      node("circle", { r: 2.2, transform: at, "class": "mark-territory basis-" + (p.basis || "source") }, parent);
      return;
    }
    var group = node("g", { "class": "mark mark-" + p.kind, transform: at }, parent);
    node("title", {}, group).textContent = p.kind === "patient" ? p.label :
      (p.label ? p.label + ". " : "") + p.name + (p.km != null ? " – " + p.km + " km" : "");
    if (p.kind === "patient") {
      node("path", { d: "M0,-11 L9,0 L0,11 L-9,0 Z" }, group);
      node("text", { x: 12, y: 4, "class": "mark-label" }, group).textContent = p.label;
    } else if (p.kind === "facility" || p.kind === "hospital") {
      node("circle", { r: 9 }, group);
      node("text", { y: 4, "text-anchor": "middle", "class": "mark-number" }, group).textContent = p.label;
    } else {
      node("rect", { x: -6, y: -6, width: 12, height: 12 }, group);
    }
  }

  function draw(svg, points, options) {
    options = options || {};
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!points.length) return Promise.resolve(false);
    var framed = options.frameKinds ? points.filter(function (p) { return options.frameKinds.indexOf(p.kind) >= 0; }) : points;
    return loadCountries().then(function (shapes) {
      describe(svg, options);
      var projection = d3.geoMercator().fitExtent([[MARGIN, MARGIN], [WIDTH - MARGIN, HEIGHT - MARGIN]],
                                                   frame(framed.length ? framed : points));
      var path = d3.geoPath(projection);
      node("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, "class": "map-sea" }, svg);
      var land = node("g", { "class": "map-land", "aria-hidden": "true" }, svg);
      shapes.forEach(function (feature) {
        var d = path(feature);
        if (d) node("path", { d: d, "class": HOME[feature.id] ? "map-country map-home" : "map-country" }, land);
      });
      var marks = node("g", { "class": "map-marks" }, svg);
      // Territory first, the patient last: what matters most is drawn on top.
      var order = { territory: 0, domestic: 1, hospital: 2, facility: 2, patient: 3 };
      points.slice().sort(function (a, b) { return order[a.kind] - order[b.kind]; })
        .forEach(function (p) { mark(p, projection, marks); });
      return true;
    });
  }

  global.GeoMap = { draw: draw, pointsOf: pointsOf };
  // The console's call: a facility lookup, framed on its own points.
  global.ConsoleMap = { draw: function (svg, lookup) { return draw(svg, pointsOf(lookup)); }, pointsOf: pointsOf };
})(window);
