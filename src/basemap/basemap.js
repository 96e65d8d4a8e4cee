// The offline basemap in the browser: its page-level look, its vector layers and its city
// labels. Served beside the app, or inlined in a standalone export; basemap/vector.py's
// elements call these functions with the data. Everything here is drawn in panes below the
// overlays and is not interactive. Names are data: labels are set with textContent.
window.FootprintBasemap = window.FootprintBasemap || (function () {
  const SIDES = [["right", 4, 0], ["left", -4, 0], ["top", 0, -1], ["bottom", 0, 1]];

  // The basemap is the background of the layers the map is for, so those come first. A layer
  // that loads its data may set `map.basemapAfter` before this runs: a promise that settles
  // once that layer is on screen. The basemap's parts (shapes, labels) wait for it, or for
  // waitMs at most, and are then drawn each in a task of its own, so the page can paint and
  // take input in between. Once every part is drawn the map's container gets
  // `data-basemap="drawn"`. A part that fails (a file that cannot be read) leaves it off.
  function look(map, background, attribution, waitMs) {
    map.getContainer().style.background = background;
    if (map.attributionControl) { map.attributionControl.addAttribution(attribution); }
    const after = Promise.race([map.basemapAfter || null,
      new Promise((resolve) => setTimeout(resolve, waitMs))]);
    let parts = 0;
    map.basemapLater = function (draw) {
      parts += 1;
      after.then(function () {
        setTimeout(function () {
          Promise.resolve(draw()).then(function () {
            parts -= 1;
            if (!parts) { map.getContainer().dataset.basemap = "drawn"; }
          });
        }, 0);
      });
    };
  }

  // One collection of shapes, styled by each feature's `kind`.
  function vectorLayer(map, data, styles, pane) {
    return L.geoJSON(data, {pane: pane, interactive: false,
      style: (feature) => styles[feature.properties.kind]}).addTo(map);
  }

  // The shapes as a served JSON list of collections: fetched at once, drawn in order when
  // the basemap's turn comes.
  function fetchedLayers(map, url, styles, pane) {
    const shapes = fetch(url).then((r) => r.json());
    map.basemapLater(function () {
      return shapes.then(function (collections) {
        collections.forEach((data) => vectorLayer(map, data, styles, pane));
      });
    });
  }

  // Leaflet reads a tooltip's size each time it places it, which forces the browser to lay
  // out the page again after the previous label moved: up to three layouts per label. These
  // labels are sized together, in one read (update()), then placed with that size.
  const Label = L.Tooltip.extend({
    _setPosition: function (pos) {
      const size = this.fpSize, d = this.options.direction;
      if (!size) { return; }
      const w = size[0], h = size[1];  // Leaflet 1.9's arithmetic
      const back = d === "top" ? [w / 2, h] : d === "bottom" ? [w / 2, 0]
        : d === "left" ? [w, h / 2] : [0, h / 2];
      const el = this._container;
      SIDES.forEach((s) => L.DomUtil.removeClass(el, "leaflet-tooltip-" + s[0]));
      L.DomUtil.addClass(el, "leaflet-tooltip-" + d);
      L.DomUtil.setPosition(el, pos.subtract(L.point(back[0], back[1], true))
        .add(L.point(this.options.offset)));
    }
  });

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
  function dotBox(q) { return [q.x - 3, q.y - 3, q.x + 3, q.y + 3]; }
  function labelBox(p, side, w, h) {
    const x = p.x + side[1], y = p.y + side[2];
    if (side[0] === "right") { return [x, y - h / 2, x + w, y + h / 2]; }
    if (side[0] === "left") { return [x - w, y - h / 2, x, y + h / 2]; }
    if (side[0] === "top") { return [x - w / 2, y - h, x + w / 2, y]; }
    return [x - w / 2, y, x + w / 2, y + h];
  }

  // City dots with permanent labels: tiers by zoom, labels placed to avoid each other. First
  // drawn when the basemap's turn comes, then again on each zoom. Placement is greedy, most
  // important city first (the order of `cities`): each label takes the first side of its dot
  // (right, left, above, below) where it covers no placed label and no other dot; a label with
  // no free side is hidden, unless its tier is `always`, then it goes right if it covers only
  // dots there (never another label: a smaller main city gives way to a larger). The labels of the
  // layers the map is for come first: a city label never covers a box that
  // `map.labelObstacles()` returns (container pixels), if a layer sets it; such a layer fires
  // "labelobstacles" when its boxes move, and the cities are placed again.
  // cities: [lat, lon, name, tier, CSS classes]; tiers: {tier: {min_zoom, radius, always}}.
  function cityLabels(map, cities, tiers, dot, pane) {
    const markers = cities.map(function (city) {
      const label = document.createElement("span");
      label.textContent = city[2];
      const options = Object.assign({pane: pane, interactive: false,
        radius: tiers[city[3]].radius}, dot);
      const tip = new Label({permanent: true, direction: "right", offset: [4, 0], pane: pane,
        interactive: false, className: city[4]});
      return L.circleMarker([city[0], city[1]], options).bindTooltip(tip.setContent(label));
    });
    const shown = (i) => map.getZoom() >= tiers[cities[i][3]].min_zoom;

    function place(i, points, placed, held) {
      const tooltip = markers[i].getTooltip(), el = tooltip.getElement();
      const w = tooltip.fpSize[0], h = tooltip.fpSize[1], p = points[i];
      const covers = (box) => held.some((b) => overlaps(box, b))
        || placed.some((b) => overlaps(box, b));
      const blocked = (box) => covers(box)
        || points.some((q, j) => q && j !== i && overlaps(box, dotBox(q)));
      let chosen = SIDES.find((side) => !blocked(labelBox(p, side, w, h))) || null;
      const visible = chosen !== null
        || (tiers[cities[i][3]].always && !covers(labelBox(p, SIDES[0], w, h)));
      chosen = chosen || SIDES[0];
      tooltip.options.direction = chosen[0];
      tooltip.options.offset = [chosen[1], chosen[2]];
      tooltip.update();
      L.DomUtil[visible ? "removeClass" : "addClass"](el, "basemap-label-hidden");
      if (visible) { placed.push(labelBox(p, chosen, w, h)); }
    }

    function update() {
      markers.forEach((marker, i) => {
        if (shown(i)) { map.addLayer(marker); } else { map.removeLayer(marker); }
      });
      const points = markers.map((marker, i) =>
        shown(i) ? map.latLngToContainerPoint(marker.getLatLng()) : null);
      const sizes = markers.map(function (marker, i) {  // one layout for all
        const el = points[i] && marker.getTooltip().getElement();
        // Whole pixels, rounded up: Leaflet places a label on whole pixels, and a size rounded
        // down let two labels overlap by a fraction of one.
        const r = el && el.getBoundingClientRect();
        return el ? [Math.ceil(r.width), Math.ceil(r.height)] : null;
      });
      markers.forEach((marker, i) => { if (sizes[i]) { marker.getTooltip().fpSize = sizes[i]; } });
      const placed = [], held = map.labelObstacles ? map.labelObstacles() : [];
      points.forEach((p, i) => { if (p) { place(i, points, placed, held); } });
    }

    let ready = false;  // not before the basemap's turn: the sites are drawn first
    map.on("zoomend labelobstacles", () => { if (ready) { update(); } });
    map.basemapLater(function () { ready = true; update(); });
    return markers;
  }

  return {look: look, vectorLayer: vectorLayer, fetchedLayers: fetchedLayers,
    cityLabels: cityLabels};
})();
