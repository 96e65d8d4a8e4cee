"""The map: a base map that is the same on every rerun, and a small view that is not.

The base map holds the basemap, the legend and `SitesLayer`: every site once, with its status
timeline. A rerun sends only `SitesView` (as-of date and filters), which sites_layer.js applies
in the browser by restyling markers in place. Every string from the data reaches the page as
text, never as HTML: tooltips are escaped in JavaScript, popups are built with `textContent`,
DOM attributes are set with `setAttribute`/`dataset`, and JSON is written by `template_json`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, MacroElement

from basemap import add_basemap, new_map
from basemap.assets import add_script, page_of, static_url, write_once
from basemap.templating import template
from footprint.briefing import (
    checked_line,
    edge_notes,
    evidence_notes,
    period_text,
)
from footprint.data import rows
from footprint.layers import available
from footprint.look import UNCERTAINTY_LABEL, browser_rules, legend_rows, marker_styles
from footprint.schema import Field
from footprint.view import NARROWS


def site_records(ds, sites: pd.DataFrame | None = None) -> dict:
    """Every site (or those given) once, with its status timeline, for the sites layer:
    {"sites": [record, ...], "checks": [text, ...]}.

    A record's `tl` lists [start date, status, status text, check] for each of the site's
    periods (timeline.periods: status events, forecasts, and forecasts fallen due), in date
    order; the browser picks the last entry on or before the as-of date, as timeline.as_of
    does. `check` indexes `checks`: which sources were checked for the status event behind
    the period, when and where (briefing.checked_line), each text sent once however many
    periods share it.
    """
    sites = ds.sites if sites is None else sites
    timelines: dict[str, list] = {}
    checks: dict[str, int] = {}
    for p in rows(ds.timeline(), index=False):
        check = checks.setdefault(checked_line(ds, p.status_event), len(checks))
        timelines.setdefault(p.site_id, []).append(
            [f"{p.start:%Y-%m-%d}", p.status, period_text(ds, p), check]
        )
    cols = ["id", "name", "name_ar", "lat", "lon", "context", "kind", "country", "governorate",
            "uncertainty_km", "location_precision"]  # fmt: skip
    records = [
        _record(ds, row, timelines.get(row["id"], [])) for row in sites[cols].to_dict("records")
    ]
    return {"sites": records, "checks": list(checks)}


def location_text(ds, precision: str, radius: float) -> str:
    """'~ Proxy location (nearby town or airport), ±5 km': how sure the point is."""
    text = ds.label("sites", "location_precision", precision)
    return text + (f", ±{radius:g} km" if pd.notna(radius) and radius else "")


def _record(ds, row: dict, timeline: list) -> dict:
    radius = row["uncertainty_km"]
    return {
        "id": row["id"], "name": row["name"], "name_ar": row["name_ar"],
        "lat": row["lat"], "lon": row["lon"], "context": bool(row["context"]),
        "kind": row["kind"], "country": row["country"], "governorate": row["governorate"],
        "loc": location_text(ds, row["location_precision"], radius),
        "unc_m": float(radius) * 1000 if pd.notna(radius) else 0,
        "tl": timeline,
    }  # fmt: skip


def view_payload(
    view, ids: list[str] | None = None, numbers: dict | None = None, old: dict | None = None,
    layers: dict | None = None, edge: tuple[str, ...] = (),
) -> dict:  # fmt: skip
    """What the browser needs to draw a view: the date, the filters, labels, the chosen site.

    `ids` restricts the map to the sites a search matched (None: no search); `old`: site id ->
    the note on its old evidence, for this date; `layers`: for each map layer that is on, site
    id -> what it draws there (footprint.layers: records); `edge`: where the sources stop
    (briefing.edge_notes), shown on the map for the date they were made for, like `old`.
    `frame`: the view's [zoom, lat, lon], which a newly shown map opens on (ui/follow.js).
    """
    return {
        "asof": f"{view.asof:%Y-%m-%d}", "status": list(view.status),
        "narrow": {name: list(getattr(view, name)) for name in NARROWS},
        "context": view.context, "ids": ids,
        "labels": view.labels, "numbers": numbers or {}, "selected": view.site,
        "old": old or {}, "old_asof": f"{view.asof:%Y-%m-%d}", "edge": list(edge),
        "layers": {k: v for k, v in (layers or {}).items() if k in view.layers},
        "frame": list(view.map) if view.map else None,
    }  # fmt: skip


def sites_view(
    ds, view, shown: pd.DataFrame, ids: list[str] | None = None, numbers: dict | None = None
) -> dict:
    """view_payload of a view of the dataset: with the notes on the shown sites' old evidence
    on the view's date, where the sources stop, and the records of each layer that is on."""
    layers = {a.key: a.records(ds, shown) for a in available(ds) if a.key in view.layers}
    old = evidence_notes(ds, shown, view.asof)
    edge = edge_notes(ds, shown, view.asof)
    return view_payload(view, ids=ids, numbers=numbers, old=old, layers=layers, edge=edge)


SITES_JS = Path(__file__).with_name("sites_layer.js")
INLINE_UP_TO = 16_000  # bytes of site records sent in the map, not fetched (records_source)
DOM_MARKERS_UP_TO = 500  # above this, markers are drawn on canvas (restyling 1,000 DOM icons
# took ~0.9 s per date change in the bench; canvas draws 10,000 in less)


class SitesLayer(MacroElement):
    """Every site, drawn by sites_layer.js: DOM markers for small sets, canvas for large.

    The records are inlined (standalone export, or a small dataset in the app) or, given `url`,
    fetched once by the browser from a file the app serves, so a rerun does not send them
    again. The drawing is sites_layer.js, which base_map adds to the page.
    """

    _template = template(
        """
{% macro script(this, kwargs) %}
FootprintSites.load({{ this._parent.get_name() }}, {{ this.records | tojson }},
  {{ this.url | tojson }}, {{ this.styles | tojson }}, {{ this.dom | tojson }},
  {{ this.rules | tojson }});
{% endmacro %}
"""
    )

    def __init__(self, ds, records: dict | None, count: int, url: str | None = None):
        super().__init__()
        self._name = "SitesLayer"
        self.records, self.url = records, url
        self.styles = marker_styles(ds.package.table("events").field("status"))
        self.rules = {**browser_rules(), "layers": {a.key: a.rules(ds) for a in available(ds)}}
        self.dom = count <= DOM_MARKERS_UP_TO


class SitesView(MacroElement):
    """The view to draw (as-of date, filters); small, so a rerun sends little."""

    _template = template(
        """
{% macro script(this, kwargs) %}
FootprintSites.apply({{ this.view | tojson }});
{% endmacro %}
"""
    )

    def __init__(self, view: dict):
        super().__init__()
        self._name = "SitesView"
        self.view = view


class Legend(MacroElement):
    """An on-map legend of marker shapes (constant markup built in Python). It opens and closes
    by its title (a details element: mouse or keyboard), and starts closed on a map it would
    cover a quarter of (a laptop's or a phone's), where it hid the sites beneath it."""

    _template = template(
        """
{% macro script(this, kwargs) %}
(function () {
  const map = {{ this._parent.get_name() }};
  const legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    const div = L.DomUtil.create("details", "fp-legend");
    div.open = true;
    div.innerHTML = {{ this.html | tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  // Open unless it would cover a quarter of the map, decided again whenever the map's size
  // changes (its frame is sized after the map is made) until the person opens or closes it.
  const box = legend.getContainer();
  let chosen = false;
  box.querySelector("summary").addEventListener("click", () => { chosen = true; });
  // Measured with every row, the rows of layers that are off too (fp-every), so that switching
  // a layer on never makes an open legend cover more than that.
  const fit = function () {
    if (chosen) { return; }
    const size = map.getSize();
    box.open = true;
    box.classList.add("fp-every");
    const w = box.offsetWidth, h = box.offsetHeight;
    box.classList.remove("fp-every");
    box.open = w * h <= size.x * size.y / 4;
  };
  // Measured once Leaflet's styles are in (they load after this script; before, the box is as
  // wide as the map), and again when the map's size changes.
  let frames = 0;
  const whenStyled = function () {
    const styled = getComputedStyle(box).cssFloat === "right";
    if (styled || ++frames > 300) { fit(); } else { requestAnimationFrame(whenStyled); }
  };
  whenStyled();
  map.on("resize", fit);
})();
{% endmacro %}
"""
    )

    def __init__(self, ds):
        super().__init__()
        self._name = "Legend"
        found = legend_rows(ds.package.table("events").field("status"))
        rows = [f"<div>{svg} {html.escape(label)}</div>" for svg, label in found]
        # A layer's rows are there from the start, hidden, and shown while the layer is on
        # (sites_layer.js, legendRows): the base map stays the same whatever the view.
        rows += [
            f'<div class="fp-hidden" data-layer="{html.escape(layer.key)}">{svg} '
            f"{html.escape(label)}</div>"
            for layer in available(ds)
            for svg, label in layer.legend(ds)
        ]
        rows.append(f'<div><span class="fp-ring"></span> {UNCERTAINTY_LABEL}</div>')
        self.html = '<summary class="fp-legend-title">Site status</summary>' + "".join(rows)


CSS = """
<style>
.fp-site, .fp-attack { background: none; border: none; }
.fp-attack svg { filter: drop-shadow(0 0 1px rgba(0,0,0,.7)); }
.fp-popup-attack { margin-top: 3px; }
.fp-popup-figure { font-weight: 600; margin-top: 2px; }
.fp-hidden { display: none; }
.fp-site svg { filter: drop-shadow(0 0 1px rgba(0,0,0,.6)); }
.fp-number-at { background: none; border: none; overflow: visible; }
.fp-number { position: absolute; font: 700 14px/1 system-ui, sans-serif; color: #111;
  white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.fp-leader { position: absolute; height: 0; border-top: 1.2px solid #555;
  transform-origin: 0 0; }
.fp-label { font: 600 12px/1.2 system-ui, sans-serif; padding: 1px 5px; }
.fp-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px;
  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.fp-legend svg { vertical-align: middle; }
.fp-legend.fp-every [data-layer] { display: block; }
.fp-legend-title { font-weight: 700; margin-bottom: 2px; cursor: pointer; }
.fp-legend:not([open]) .fp-legend-title { margin-bottom: 0; }
.fp-ring { display: inline-block; width: 12px; height: 12px; border: 1px dashed #555;
  border-radius: 50%; vertical-align: middle; margin: 0 2px; }
.fp-popup { font: 13px/1.4 system-ui, sans-serif; }
.fp-popup-name { font-weight: 700; font-size: 14px; }
.fp-popup-ar { font-size: 14px; }
.fp-popup-hint { color: #595959; font-size: 11px; margin-top: 4px; }
.fp-popup-check { color: #454545; font-size: 11px; margin-top: 3px; }
.fp-edge { background: #fff4d6; border: 1px solid #8a6d00; color: #3d3000; padding: 4px 8px;
  border-radius: 4px; font: 600 12px/1.4 system-ui, sans-serif; max-width: 340px; }
.fp-edge:empty { display: none; }
</style>
"""


def base_map(
    ds, basemap: str, layers_dir: Path, sites: SitesLayer, static_dir: Path | None = None,
    extent: pd.DataFrame | None = None, **kw,
) -> folium.Map:  # fmt: skip
    """The map that does not change with the view: basemap, legend, scale bar, every site.

    It opens on the theatre's frame (its `frame` countries). With `static_dir` (the app's
    served folder) the offline basemap's shapes are written there and fetched by the browser,
    not carried in the page; without it the page is self-contained. `extent`: sites (lat, lon)
    the view must be able to reach, where the basemap limits it.
    """
    west, south, east, north = ds.theatre.frame_bbox()
    m = new_map(center=((south + north) / 2, (west + east) / 2), **kw)
    add_script(m, SITES_JS, static_dir)
    for layer in available(ds):  # each layer's drawing registers with sites_layer.js
        add_script(m, layer.script, static_dir)
    sites.add_to(m)  # first: its data is asked for first, and the basemap waits for it
    keep = None
    if extent is not None and len(extent):
        lat, lon = extent["lat"].astype(float), extent["lon"].astype(float)
        keep = (lon.min(), lat.min(), lon.max(), lat.max())
    add_basemap(m, basemap, layers_dir, static_dir, keep, focus=ds.theatre.focus)
    page_of(m).header.add_child(Element(CSS), name="footprint_css")
    Legend(ds).add_to(m)
    return m


def status_field(ds) -> Field:
    """The events.status column of the dataset's schema: its values, labels and looks."""
    return ds.package.table("events").field("status")


def records_source(records: dict, static_dir: Path, version: str) -> tuple[dict | None, str | None]:
    """The sites layer's (records, url): small records inline in the map, larger ones served.

    Inline, the browser draws the sites as soon as the map's script runs, with no request
    first: the real data's warm load was 0.05-0.08 s sooner (README, *Speed and scale*).
    But streamlit-folium sends the whole map with every rerun, so records above INLINE_UP_TO
    bytes are written where the app serves them and fetched once. The file name carries the
    dataset version, so a browser may cache it for good.
    """
    text = json.dumps(records, ensure_ascii=False).encode("utf-8")
    if len(text) <= INLINE_UP_TO:
        return records, None
    path = Path(static_dir) / "footprint" / f"sites-{version}.json"
    write_once(path, text)
    return None, static_url(f"footprint/{path.name}")


def view_group(view: dict) -> folium.FeatureGroup:
    """The view as a feature group: streamlit-folium re-runs only this on a change."""
    group = folium.FeatureGroup(name="View")
    SitesView(view).add_to(group)
    return group
