// The troop-figure layer's drawing in the browser (footprint/layers/figures.py is the rest).
// For a shown site, `items` are its figures ([date, figure in words, radius px, colour, who is
// counted, when, who says so], by date): the latest on or before the date shown is a circle
// of that radius around the site, its words in the popup. It follows a dragged slider.
// The circles are SVG (one renderer for the layer), so each is an element a test or a screen
// reader can find, whatever renders the site markers.
let figureRenderer = null;
window.FootprintSites.addLayer("figures", function (ctx) {
  let now = null;
  for (const f of ctx.items) {
    if (f[0] > ctx.asof) { break; }
    now = f;
  }
  if (!now) { return; }
  const d = ctx.site;
  figureRenderer = figureRenderer || L.svg();
  const mark = L.circleMarker([d.lat, d.lon], {radius: now[2], color: now[3], weight: 1.5,
    fillColor: now[3], fillOpacity: ctx.rules.opacity, opacity: 0.9, className: "fp-figure",
    renderer: figureRenderer});
  mark.bindTooltip(ctx.esc(now[1] + " " + now[4] + " (" + now[5] + ")"),
    {direction: "top", className: "fp-label"});
  mark.bindPopup(function () {
    const box = ctx.el("div", "fp-popup");
    box.appendChild(ctx.el("div", "fp-popup-name", d.name));
    box.appendChild(ctx.el("div", "fp-popup-figure", now[1] + " " + now[4] + ", " + now[5]));
    box.appendChild(ctx.el("div", "fp-popup-hint", now[6]));
    return box;
  }, {maxWidth: 300});
  mark.on("add", function () { mark.getElement().dataset.figureSite = d.id; });
  mark.addTo(ctx.group);
});
