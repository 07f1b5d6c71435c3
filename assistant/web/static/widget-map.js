/* The map under a facility answer in the widget (GeoMap from static/map.js draws it).
 *
 * WidgetMap.append(item, payload, t, language): `payload` is the facility action's facility_map
 * (place, numbered options, domestic, zones); the numbers are those of the reply's list, which
 * stays the primary content. The zone's territory comes from /zones/map/<id> as dots (the data
 * has no outlines); an approximate or unestablished territory is said under the map, as the
 * text says it. A map that cannot be drawn is removed: the text is complete without it.
 */
(function (global) {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var counter = 0;

  function element(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function legendItem(list, keyClass, text) {
    var li = element("li");
    var key = element("span", "key " + keyClass);
    key.setAttribute("aria-hidden", "true");
    li.appendChild(key);
    li.appendChild(document.createTextNode(text));
    list.appendChild(li);
  }

  function description(payload, t) {
    var parts = [t("pmap_place") + ": " + payload.place.name + "."];
    (payload.options || []).forEach(function (o) { parts.push(o.n + ". " + o.name + " – " + o.km + " km."); });
    if (payload.domestic) parts.push(t("pmap_domestic") + ": " + payload.domestic.name + " – " + payload.domestic.km + " km.");
    return parts.join(" ");
  }

  // The zone whose territory is drawn: one the answer's hospitals come from, never a "possible" one.
  function drawnZone(payload) {
    var used = (payload.options || []).map(function (o) { return o.zone; });
    return (payload.zones || []).filter(function (z) { return z.membership !== "possible" && used.indexOf(z.id) >= 0; })[0];
  }

  function territory(zone) {
    if (!zone) return Promise.resolve([]);
    return fetch("/zones/map/" + encodeURIComponent(zone.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { territory: [] }; })
      .then(function (data) { return data.territory || []; })
      .catch(function () { return []; });
  }

  function append(item, payload, t, language) {
    if (!global.GeoMap || !payload || !payload.place) return;
    var figure = element("figure", "map-figure msg-map");
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.id = "answer-map-" + (++counter);
    svg.setAttribute("class", "map");
    svg.setAttribute("viewBox", "0 0 480 360");
    figure.appendChild(svg);
    var caption = element("figcaption");
    var legend = element("ul", "legend");
    legendItem(legend, "key-patient", t("pmap_place"));
    legendItem(legend, "key-facility", t("pmap_hospital"));
    if (payload.domestic) legendItem(legend, "key-domestic", t("pmap_domestic"));
    caption.appendChild(legend);
    var notes = element("div", "map-notes");
    caption.appendChild(notes);
    figure.appendChild(caption);
    item.appendChild(figure);

    var zone = drawnZone(payload);
    (payload.zones || []).forEach(function (z) {
      if (z.membership === "possible") notes.appendChild(element("p", "map-note", t("pmap_territory_unknown").replace("{zone}", z.name)));
    });
    territory(zone).then(function (dots) {
      if (dots.length) {
        legendItem(legend, "key-territory", t("pmap_territory"));
        var approximate = zone.membership === "approximation" || dots.some(function (d) { return d.basis === "approximation"; });
        if (approximate) notes.appendChild(element("p", "map-note", t("pmap_territory_approx")));
      }
      notes.appendChild(element("p", "map-note", t("pmap_list_first") + " (" + t("straight_line") + ")"));
      if (zone) {
        var link = element("a", "zones-link", t("zones_link"));
        link.href = "/zones?zone=" + encodeURIComponent(zone.id) + "&place=" + encodeURIComponent(payload.place.name) +
          "&lang=" + encodeURIComponent(language);
        notes.appendChild(link);
      }
      var points = GeoMap.pointsOf(payload).concat(dots.map(function (d) {
        return { kind: "territory", lon: d.lon, lat: d.lat, basis: d.basis };
      }));
      return GeoMap.draw(svg, points, { title: t("pmap_title"), description: description(payload, t),
                                         frameKinds: ["patient", "facility", "domestic"] });
    }).then(function (drawn) {
      if (!drawn) figure.remove();
    }).catch(function () { figure.remove(); });
  }

  global.WidgetMap = { append: append };
})(window);
