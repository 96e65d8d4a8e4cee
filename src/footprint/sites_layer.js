// Footprint's sites layer, run in the browser: served beside the app, or inlined in the
// standalone export (webmap.SitesLayer calls FootprintSites.load and .apply).
//
// The server sends every site once, with its status timeline (tl: [start date, status,
// status text] sorted by date), inside the base map. A rerun then sends only a small view
// (as-of date and filters) that FootprintSites.apply() turns into marker looks, in place:
// no marker is created or removed, so the map is never rebuilt and an open popup stays open.
// Text from the data is only ever set with textContent, setAttribute or dataset.
window.FootprintSites = window.FootprintSites || (function () {
  let state = null;
  let pending = null;  // a view asked for before the sites arrived
  let served = null;  // the last view the server sent
  let drawn = "";  // the view on the map now, as JSON
  let onScreen = null;  // settles the map's basemapAfter (see load())
  let checks = [];  // the sources checked for each status event, as text (webmap.site_records)
  let R = null;  // the rules the server applies too (footprint.look.browser_rules), as data

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    e.className = cls;
    if (text) { e.textContent = text; }
    return e;
  };

  // Canvas markers for large site counts: a polygon through `points` (each marker shape's
  // corners in radii, from footprint.look.CANVAS_POINTS), or a circle where there are none.
  L.Canvas.include({
    _updateFpShape: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      const p = layer._point, r = layer._radius, ctx = this._ctx, pts = layer.options.points;
      ctx.beginPath();
      if (pts) {
        pts.forEach(([x, y], i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, p.x + x * r, p.y + y * r));
        ctx.closePath();
      } else {
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2, false);
      }
      this._fillStroke(ctx, layer);
    }
  });
  const Shape = L.CircleMarker.extend({
    _updatePath: function () { this._renderer._updateFpShape(this); },
    _containsPoint: function (p) {
      return !this.options.hidden && L.CircleMarker.prototype._containsPoint.call(this, p);
    }
  });

  function statusAt(tl, asof) {
    let now = null;
    for (const t of tl) {
      if (t[0] > asof) { break; }
      now = t;
    }
    return now;
  }

  function popup(site) {
    const d = site.d, box = el("div", "fp-popup");
    box.appendChild(el("div", "fp-popup-name", d.name));
    if (d.name_ar) {
      const ar = el("div", "fp-popup-ar", d.name_ar);
      ar.setAttribute("dir", "rtl");
      ar.setAttribute("lang", "ar");
      box.appendChild(ar);
    }
    box.appendChild(el("div", "fp-popup-status", site.now ? site.now.text : ""));
    if (site.now && site.now.old) { box.appendChild(el("div", "fp-popup-old", site.now.old)); }
    if (site.now && site.now.check) { box.appendChild(el("div", "fp-popup-check", site.now.check)); }
    box.appendChild(el("div", "fp-popup-loc", d.loc));
    if (d.context) { box.appendChild(el("div", "fp-popup-loc", "Context only: not counted")); }
    box.appendChild(el("div", "fp-popup-hint", "Events, figures and sources: site panel"));
    return box;
  }

  // DOM markers' icons, one per look ("": hidden). Leaflet makes each marker its own element.
  function domIcons(styles) {
    const icons = {"": L.divIcon({html: "", className: "fp-site fp-hidden", iconSize: [1, 1]})};
    for (const [key, s] of Object.entries(styles)) {
      icons[key] = L.divIcon({html: s.svg, className: "fp-site", iconSize: [s.size, s.size],
        iconAnchor: [s.size / 2, s.size / 2]});
    }
    return icons;
  }

  // A marker is made in the look `key` of the view already asked for ("": none yet, or
  // hidden), so the first draw has nothing to restyle: at 10,000 canvas sites that halves it,
  // and DOM markers are not given a second icon, element and tooltip.
  function makeMarker(d, icons, styles, key) {
    const latlng = [d.lat, d.lon];
    if (icons) {
      return L.marker(latlng, {icon: icons[key], title: d.name, keyboard: true, riseOnHover: true});
    }
    return new Shape(latlng, key ? Object.assign({hidden: false}, styles[key].canvas)
      : {radius: 5, shape: "circle", hidden: true, opacity: 0, fillOpacity: 0});
  }

  // A marker's tooltip and popup. DOM markers get theirs at once (keyboard focus opens the
  // tooltip); canvas markers, which can be 10,000, only when first hovered or clicked.
  function bind(site) {
    if (site.marker.getTooltip()) { return false; }
    site.marker.bindTooltip(esc(site.d.name), {direction: "top", className: "fp-label"});
    site.marker.bindPopup(() => popup(site), {maxWidth: 280});
    return true;
  }

  function create(parent, records, styles, dom, relay) {
    const data = records.sites;
    checks = records.checks || [];
    const under = L.layerGroup().addTo(parent);
    const marks = L.featureGroup().addTo(parent);
    const numbers = L.layerGroup().addTo(parent);
    const ring = L.circleMarker([0, 0], {radius: 16, color: "#111", weight: 2, fill: false,
      interactive: false, className: "fp-selected"});
    const icons = dom ? domIcons(styles) : null;
    const filter = pending ? viewFilter(pending) : null;
    const sites = data.map(function (d) {
      const site = {d: d, now: null, look: filter ? look(d, filter).key : "", circle: null};
      site.marker = makeMarker(d, icons, styles, site.look);
      site.marker.feature = {properties: {site_id: d.id, status: "", name: d.name}};
      site.marker.fpSite = site;
      if (dom) { bind(site); }
      site.marker.addTo(marks);
      return site;
    });
    marks.on("mouseover", function (e) {
      if (bind(e.layer.fpSite)) { e.layer.openTooltip(e.latlng); }
    });
    marks.on("click", function (e) {
      const site = e.layer.fpSite;
      if (bind(site)) { site.marker.openPopup(e.latlng); }
      ring.setLatLng([site.d.lat, site.d.lon]).addTo(under);
      if (relay) {
        relay.fire("click", {latlng: e.latlng, sourceTarget: site.marker, layer: site.marker});
      }
    });
    // Enter or Space on a focused marker is a click: Leaflet passes the keys on only as key
    // events, which open the popup but never reach the page, so the site panel stayed empty.
    marks.on("keydown", function (e) {
      if (e.originalEvent.key !== "Enter" && e.originalEvent.key !== " ") { return; }
      L.DomEvent.preventDefault(e.originalEvent);  // Space would scroll the frame
      const m = e.layer.fpSite.marker;
      m.fire("click", {latlng: m.getLatLng(), layer: m, originalEvent: e.originalEvent}, true);
    });
    state = {sites: sites, styles: styles, dom: dom, numbers: numbers, layers: {}, ring: ring,
      under: under, icons: icons, labels: false, map: parent, held: []};  // bind() gave DOM
    // markers hover tooltips. Numbers are placed again at each zoom; the city names give way to
    // them (basemap.js reads map.labelObstacles).
    parent.on("zoomend", placeNumbers);
    parent.labelObstacles = () => state.held.map((b) => containerBox(parent, b));
    window.footprintSites = marks;
    if (pending) { draw(pending); }
  }

  // The dashed circle of a site whose location is approximate, made when first shown.
  function circle(site, show) {
    if (!site.d.unc_m || (!show && !site.circle)) { return; }
    if (!site.circle) {
      site.circle = L.circle([site.d.lat, site.d.lon], {radius: site.d.unc_m, color: R.ring.color,
        weight: R.ring.weight, dashArray: R.ring.dashArray, interactive: false}).addTo(state.under);
    }
    site.circle.setStyle(show ? {opacity: R.ring.opacity, fillOpacity: R.ring.fillOpacity}
      : {opacity: 0, fillOpacity: 0});
  }

  function setLook(site, key, text, status) {
    const m = site.marker, d = site.d;
    if (state.dom) {
      if (site.look !== key) { m.setIcon(state.icons[key]); }
      const e = m.getElement();
      if (!e) { return; }
      e.style.display = key ? "" : "none";
      e.dataset.siteId = d.id;
      e.dataset.status = status;
      e.setAttribute("aria-label", key ? d.name + ": " + text : "");
      e.setAttribute("tabindex", key ? "0" : "-1");
    } else if (site.look !== key) {
      const s = key ? state.styles[key] : null;
      m.setStyle(s ? Object.assign({hidden: false}, s.canvas)
        : {hidden: true, opacity: 0, fillOpacity: 0});
      if (s) { m.setRadius(s.canvas.radius); }
    }
    site.look = key;
  }

  // The view's filters as sets (`narrow`: footprint.view.NARROWS, a site field's name and the
  // values it may hold). `old` holds the server's notes on sites whose latest report is
  // old (footprint.briefing.evidence_notes), true for the date it was written for: while the
  // slider is dragged the map shows another date, and the notes wait for the rerun.
  function viewFilter(view) {
    return {asof: view.asof, status: new Set(view.status), context: view.context,
      narrow: Object.entries(view.narrow || {}).map(([name, values]) => [name, new Set(values)]),
      ids: view.ids ? new Set(view.ids) : null,
      old: view.old && view.old_asof === view.asof ? view.old : {}};
  }

  // A site's look under the view (the rule of footprint.view.apply_filters): its style key
  // ("" when hidden), status and status text. A context site with no status is drawn as
  // context whatever the status filter says.
  function look(d, f) {
    const t = statusAt(d.tl, f.asof), status = t ? t[1] : "";
    const bare = d.context && status === "";
    const show = (bare || (status !== "" && f.status.has(status)))
      && f.narrow.every(([name, values]) => !values.size || values.has(d[name]))
      && (f.context || !d.context) && (!f.ids || f.ids.has(d.id));
    if (!show) { return {key: "", status: "", text: ""}; }
    const key = d.context ? (status ? "context_" + status : "context") : status;
    return {key: key, status: status, text: t ? t[2] : "Context site",
      old: t ? f.old[d.id] || "" : "", check: t ? checks[t[3]] || "" : ""};
  }

  // A view from the server: what the page's widgets held when the rerun began.
  // Then whoever asked (onServe) is told: the page glue opens the map on the view's frame.
  function apply(view) {
    served = view;
    draw(view);
    listeners.forEach((listener) => listener(view));
  }
  const listeners = [];

  function draw(view) {
    view = Object.assign({}, view, {status: [...view.status].sort(), frame: undefined});
    if (!state) { pending = view; return; }
    const json = JSON.stringify(view);
    if (json === drawn) { return; }
    drawn = json;
    const filter = viewFilter(view);
    const labels = view.labels && state.sites.length <= 400;
    state.numbers.clearLayers();
    Object.values(state.layers).forEach((group) => group.clearLayers());
    state.ring.remove();
    for (const site of state.sites) {
      const d = site.d, now = look(d, filter), show = now.key !== "";
      site.now = show ? {status: now.status, text: now.text, old: now.old, check: now.check} : null;
      site.marker.feature.properties.status = now.status;
      setLook(site, now.key, now.old ? now.text + ". " + now.old : now.text, now.status);
      circle(site, show);
      if (state.dom && (labels !== state.labels || labels)) {
        site.marker.unbindTooltip().bindTooltip(esc(d.name), {direction: "top",
          className: "fp-label", permanent: labels && show});
      }
      if (show && view.numbers && view.numbers[d.id]) { number(site, view.numbers[d.id]); }
      if (show) { drawLayers(site, view); }
      if (show && view.selected === d.id) { state.ring.setLatLng([d.lat, d.lon]).addTo(state.under); }
    }
    state.labels = labels;
    legendRows(view);
    edge(view);
    placeNumbers();
    settle();
  }

  // The legend lists a layer's rows only while the layer is on (webmap.Legend).
  function legendRows(view) {
    const on = view.layers || {};
    document.querySelectorAll(".fp-legend [data-layer]").forEach((row) => {
      row.classList.toggle("fp-hidden", !(row.dataset.layer in on));
    });
  }

  // Where the sources stop (footprint.briefing.edge_notes): on the map itself, for the date
  // the server wrote them for (like the notes on old evidence).
  function edge(view) {
    if (!state.edge) {
      const box = L.control({position: "topright"});
      box.onAdd = () => L.DomUtil.create("div", "fp-edge");
      box.addTo(state.map);
      state.edge = box.getContainer();
      state.edge.setAttribute("role", "status");
    }
    state.edge.textContent = "";
    const notes = view.edge && view.old_asof === view.asof ? view.edge : [];
    notes.forEach((note) => state.edge.appendChild(el("div", "fp-edge-note", note)));
  }

  // The sites are drawn, or cannot be: once this frame is painted, the basemap can be drawn
  // under them.
  function settle() {
    requestAnimationFrame(function () {
      if (onScreen) { setTimeout(onScreen); onScreen = null; }
    });
  }

  // The map layers (footprint.layers): each registers its drawing with addLayer(key, draw);
  // a view that has a layer on sends, under view.layers[key], what it draws at each site, and
  // draw(ctx) adds its marks for one shown site to ctx.group, with the layer's rules (from the
  // server: R.layers[key]) and the helpers that keep data text as text.
  const drawers = {};
  function addLayer(key, drawLayer) { drawers[key] = drawLayer; }

  function drawLayers(site, view) {
    for (const [key, items] of Object.entries(view.layers || {})) {
      if (!drawers[key] || !items[site.d.id]) { continue; }
      if (!state.layers[key]) { state.layers[key] = L.layerGroup().addTo(state.map); }
      drawers[key]({site: site.d, items: items[site.d.id], asof: view.asof,
        group: state.layers[key], rules: R.layers[key], el: el, esc: esc});
    }
  }

  // A site's number: an element at the site's point holding the text and a leader line, both
  // placed by placeNumbers.
  function number(site, text) {
    const tag = L.marker([site.d.lat, site.d.lon], {interactive: false, keyboard: false,
      icon: L.divIcon({className: "fp-number-at", html: "", iconSize: [0, 0], iconAnchor: [0, 0]})});
    tag.on("add", function () {
      const at = tag.getElement();
      at.textContent = "";
      at.appendChild(el("span", "fp-number", text));
      at.appendChild(el("span", "fp-leader", ""));
    });
    tag.addTo(state.numbers);
  }

  // Where each number goes so that none covers another, a marker or a leader line: the rules
  // of footprint.export.labels (the pictures' placement), sent as data (R.label), with the
  // browser's own text sizes. Most crowded sites first; each takes the first free place around
  // its marker, further out with a leader line when the near places are taken. Layer pixels,
  // so a pan keeps them; a zoom places them again.
  const overlaps = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

  function around(p, w, h, d, way) {
    if (way[0] && way[1]) { d *= Math.SQRT1_2; }
    const x0 = way[0] > 0 ? p.x + d : way[0] < 0 ? p.x - d - w : p.x - w / 2;
    const y0 = way[1] > 0 ? p.y + d : way[1] < 0 ? p.y - d - h : p.y - h / 2;
    return [x0, y0, x0 + w, y0 + h];
  }

  function leaderTo(p, box) {  // from the marker's edge to the box's nearest point
    const tx = Math.min(Math.max(p.x, box[0]), box[2]), ty = Math.min(Math.max(p.y, box[1]), box[3]);
    const len = Math.hypot(tx - p.x, ty - p.y) || 1, k = (R.label.reach + R.label.lead) / len;
    return [p.x + (tx - p.x) * k, p.y + (ty - p.y) * k, tx, ty];
  }

  function crosses(s, b) {  // does the segment pass through the box (Liang-Barsky)
    let lo = 0, hi = 1;
    const tests = [[s[0] - s[2], s[0] - b[0]], [s[2] - s[0], b[2] - s[0]],
      [s[1] - s[3], s[1] - b[1]], [s[3] - s[1], b[3] - s[1]]];
    for (const [p, q] of tests) {
      if (p === 0) { if (q <= 0) { return false; } continue; }
      const t = q / p;
      if (p < 0) { lo = Math.max(lo, t); } else { hi = Math.min(hi, t); }
      if (lo >= hi) { return false; }
    }
    return true;
  }

  function firstFree(p, w, h, markers, done) {
    const lines = done.filter((q) => q && q.line).map((q) => q.line);
    const boxes = done.filter(Boolean).map((q) => q.box);
    for (const ring of R.label.rings) {
      for (const way of R.label.ways) {
        const box = around(p, w, h, R.label.reach + R.label.gap + ring, way);
        if (markers.some((m) => overlaps(box, m)) || boxes.some((b) => overlaps(box, b))
          || lines.some((l) => crosses(l, box))) { continue; }
        const line = ring ? leaderTo(p, box) : null;
        if (line && boxes.some((b) => crosses(line, b))) { continue; }
        return {box: box, line: line};
      }
    }
    return null;
  }

  // A place ({box, line} or null) for each point's label (sizes [w, h]), clear of `markers`
  // (boxes), of each other and of their leader lines: footprint.export.labels.place_numbers.
  function place(points, sizes, markers) {
    const near = points.map((p) => points.filter((q) => p.distanceTo(q) < R.label.crowd).length);
    const order = points.map((_, i) => i).sort((i, j) => near[j] - near[i] || points[i].x - points[j].x
      || points[i].y - points[j].y);
    const done = points.map(() => null);
    order.forEach((i) => { done[i] = firstFree(points[i], sizes[i][0], sizes[i][1], markers, done); });
    return done;
  }

  function placeNumbers() {
    const map = state.map, tags = state.numbers.getLayers().filter((t) => t.getElement());
    if (!tags.length) {  // the explorer: no numbers, nothing to place (its hot path)
      if (state.held.length) { state.held = []; map.fire("labelobstacles"); }
      return;
    }
    const reach = R.label.reach;
    const shown = state.sites.filter((s) => s.now).map((s) => map.latLngToLayerPoint([s.d.lat, s.d.lon]));
    const markers = shown.map((q) => [q.x - reach, q.y - reach, q.x + reach, q.y + reach]);
    const points = tags.map((t) => map.latLngToLayerPoint(t.getLatLng()));
    const sizes = tags.map(function (t) {  // read all, then write: one layout
      const r = t.getElement().firstChild.getBoundingClientRect();
      return [r.width + 4, r.height];
    });
    const done = place(points, sizes, markers);
    tags.forEach((t, i) => show(t.getElement(), points[i], done[i]));
    state.held = [...markers, ...done.filter(Boolean).map((q) => q.box)];
    map.fire("labelobstacles");
  }

  // Put a number's text in its box and draw its leader (offsets from the site's point).
  function show(at, p, place) {
    const text = at.firstChild, line = at.lastChild;
    text.style.display = place ? "" : "none";
    line.style.display = place && place.line ? "" : "none";
    if (!place) { return; }
    text.style.left = (place.box[0] + 2 - p.x) + "px";
    text.style.top = (place.box[1] - p.y) + "px";
    if (place.line) {
      const [x0, y0, x1, y1] = place.line;
      line.style.left = (x0 - p.x) + "px";
      line.style.top = (y0 - p.y) + "px";
      line.style.width = Math.hypot(x1 - x0, y1 - y0) + "px";
      line.style.transform = "rotate(" + Math.atan2(y1 - y0, x1 - x0) + "rad)";
    }
  }

  function containerBox(map, b) {
    const a = map.layerPointToContainerPoint([b[0], b[1]]);
    const z = map.layerPointToContainerPoint([b[2], b[3]]);
    return [a.x, a.y, z.x, z.y];
  }

  // Inline records are drawn at once. Fetched ones arrive after streamlit-folium has given
  // every layer then on the map its click handler, so a marker click is passed on through
  // `relay`, a layer created now (and so handled): its handler reads our marker's tooltip.
  // The sites are what the map is for, so the offline basemap is drawn under them once they
  // are on screen: `parent.basemapAfter` (see basemap.vector.BasemapLook, whose script runs
  // after this one).
  function load(parent, records, url, styles, dom, rules) {
    R = rules;
    parent.basemapAfter = new Promise((resolve) => { onScreen = resolve; });
    if (records) { create(parent, records, styles, dom, null); return; }
    const relay = L.layerGroup().addTo(parent);
    fetch(url).then((r) => r.json()).then((data) => create(parent, data, styles, dom, relay))
      .catch(settle);
  }

  // For page glue (footprint/ui/follow.js): the last view the server sent, drawing a view the
  // page holds before the server has seen it, and being told of each view the server sends.
  // `pure`: the rules the server applies too, as functions of their inputs, for the tests that
  // run both sides on the same fixtures (tests/browser/test_conformance.py).
  return {load: load, apply: apply, draw: draw, served: () => served, addLayer: addLayer,
    onServe: (listener) => listeners.push(listener),
    pure: {statusAt: statusAt, viewFilter: viewFilter, look: look, place: place,
      rules: () => R}};
})();
