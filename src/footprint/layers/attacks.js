// The attack layer's drawing in the browser (footprint/layers/attacks.py is the rest of it).
// For a shown site, `items` are its attacks ([date, date as read, what happened, who says so],
// by date); those in the rules' `days` up to the date shown get one mark beside the site, each
// in its popup. The dates are filtered here, so the layer follows a dragged slider.
window.FootprintSites.addLayer("attacks", function (ctx) {
  const until = Date.parse(ctx.asof), from = until - ctx.rules.days * 86400000;
  const recent = ctx.items.filter((a) => {
    const t = Date.parse(a[0]);
    return t <= until && t > from;
  });
  if (!recent.length) { return; }
  const s = ctx.rules, d = ctx.site;
  const mark = L.marker([d.lat, d.lon], {keyboard: false, title: "",
    icon: L.divIcon({html: s.svg, className: "fp-attack", iconSize: [s.size, s.size],
      iconAnchor: [-4, s.size + 2]})});
  mark.bindTooltip(ctx.esc(recent.length + (recent.length === 1 ? " attack" : " attacks")
    + ", latest " + recent[recent.length - 1][1]), {direction: "top", className: "fp-label"});
  mark.bindPopup(function () {
    const box = ctx.el("div", "fp-popup");
    box.appendChild(ctx.el("div", "fp-popup-name", d.name));
    recent.forEach(function (a) {
      const row = ctx.el("div", "fp-popup-attack");
      row.appendChild(ctx.el("strong", "", a[1]));
      row.appendChild(document.createTextNode(" " + a[2] + " (" + a[3] + ")"));
      box.appendChild(row);
    });
    return box;
  }, {maxWidth: 320});
  mark.on("add", function () { mark.getElement().dataset.attackSite = d.id; });
  mark.addTo(ctx.group);
});
