"""The map: a base map that is the same on every rerun, and a small view that is not.

The base map holds the basemap, the legend and `SitesLayer`: every site once, with its status
timeline. A rerun sends only `SitesView` (as-of date and filters), which sites_layer.js applies
in the browser by restyling markers in place. Every string from the data reaches the page as
text, never as HTML: tooltips are escaped in JavaScript, popups are built with `textContent`,
DOM attributes are set with `setAttribute`/`dataset`, and JSON is written by `template_json`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, MacroElement

from basemap import add_basemap, new_map
from basemap.assets import static_url, write_once
from basemap.templating import template
from footprint.timeline import STATUS_LABELS, status_events

# Status is shown by colour AND shape (and fill), so it reads in greyscale and for colour-blind
# readers: retained = solid blue circle, handed over = hollow orange square, planned = dashed
# purple triangle. Context sites use the same shapes in grey. Colours: ColorBrewer Dark2-safe.
COLOURS = {"retained": "#1f4e79", "handed_over": "#d95f02", "planned": "#6a51a3"}
CONTEXT_COLOUR = "#7f7f7f"
SHAPE_SVG = {
    "retained": '<circle cx="10" cy="10" r="7" fill="{c}" stroke="#fff" stroke-width="2.5"/>',
    "handed_over": '<rect x="3.5" y="3.5" width="13" height="13" fill="#fff" stroke="{c}"'
    ' stroke-width="3.5"/>',
    "planned": '<polygon points="10,2 18.5,17 1.5,17" fill="#fff" stroke="{c}" stroke-width="2.5"'
    ' stroke-dasharray="3 2"/>',
}
PRECISION_TEXT = {
    "sourced": "Location sourced",
    "proxy": "~ Proxy location (nearby town or airport)",
    "estimate": "~ Estimated location",
}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def marker_svg(status: str, context: bool = False, size: int = 20) -> str:
    """The SVG of a marker for a status (constant markup: no data inside)."""
    colour = CONTEXT_COLOUR if context else COLOURS[status]
    body = SHAPE_SVG[status].format(c=colour)
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true">{body}</svg>'
    )


CANVAS = {  # the same code of shape, stroke and fill for canvas markers
    "retained": {"shape": "circle", "radius": 5, "weight": 1.5, "fill": "solid"},
    "handed_over": {"shape": "square", "radius": 4.5, "weight": 2.5, "fill": "white"},
    "planned": {"shape": "triangle", "radius": 5, "weight": 2, "fill": "white", "dash": "3 2"},
}


def canvas_style(status: str, context: bool = False) -> dict:
    """Leaflet path options for a canvas marker of a status."""
    c, colour = CANVAS[status], CONTEXT_COLOUR if context else COLOURS[status]
    solid = c["fill"] == "solid"
    return {
        "shape": c["shape"], "radius": c["radius"] * (0.8 if context else 1),
        "weight": c["weight"], "color": "#ffffff" if solid else colour,
        "fillColor": colour if solid else "#ffffff", "fillOpacity": 1, "opacity": 1,
        "dashArray": c.get("dash"),
    }  # fmt: skip


def marker_styles() -> dict[str, dict]:
    """DOM (SVG) and canvas looks per style key: a status, or context_<status>."""
    styles = {s: {"svg": marker_svg(s), "size": 20, "canvas": canvas_style(s)} for s in COLOURS}
    for s in COLOURS:
        styles[f"context_{s}"] = {"svg": marker_svg(s, True, 16), "size": 16,
                                  "canvas": canvas_style(s, True)}  # fmt: skip
    return styles


def format_date(value: pd.Timestamp | dt.date | None, precision: str = "day") -> str:
    """A date as people read it, at its precision.

    >>> format_date(pd.Timestamp("2020-03-01"), "month"), format_date(dt.date(2020, 3, 26))
    ('Mar 2020', '26 Mar 2020')
    >>> format_date(pd.Timestamp("2015-01-01"), "year"), format_date(None)
    ('2015', '')
    """
    if value is None or pd.isna(value):
        return ""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def site_records(sites: pd.DataFrame, events: pd.DataFrame) -> list[dict]:
    """Every site once, with its status timeline, for the browser-side sites layer.

    `tl` lists [start date, status, status text] from each status event, in date order; the
    browser picks the last entry on or before the as-of date (the rule of timeline.as_of).
    """
    ev = status_events(events).sort_values(["site_id", "date"], kind="stable")
    ev = ev[["site_id", "date", "status", "date_precision", "handed_to"]]  # to_dict copies all
    timelines: dict[str, list] = {}
    for row in ev.to_dict("records"):
        timelines.setdefault(row["site_id"], []).append(
            [f"{row['date']:%Y-%m-%d}", row["status"], status_text(row)]
        )
    cols = ["id", "name", "name_ar", "lat", "lon", "context", "kind", "governorate",
            "uncertainty_km", "location_precision"]  # fmt: skip
    return [_record(row, timelines.get(row["id"], [])) for row in sites[cols].to_dict("records")]


def status_text(event: dict) -> str:
    """'Handed over since 26 Mar 2020, to ISF' for a status event."""
    when = format_date(event["date"], event["date_precision"])
    text = f"{STATUS_LABELS[event['status']]} since {when}"
    return text + (f", to {event['handed_to']}" if event["handed_to"] else "")


def _record(row: dict, timeline: list) -> dict:
    radius, precision = row["uncertainty_km"], row["location_precision"]
    location = PRECISION_TEXT[precision]
    if precision != "sourced" and pd.notna(radius):
        location += f", ±{radius:g} km"
    return {
        "id": row["id"], "name": row["name"], "name_ar": row["name_ar"],
        "lat": row["lat"], "lon": row["lon"], "context": bool(row["context"]),
        "kind": row["kind"], "gov": row["governorate"], "loc": location,
        "unc_m": float(radius) * 1000 if precision != "sourced" and pd.notna(radius) else 0,
        "tl": timeline,
    }  # fmt: skip


def view_payload(view, ids: list[str] | None = None, numbers: dict | None = None) -> dict:
    """What the browser needs to draw a view: the date, the filters, labels, the chosen site.

    `ids` restricts the map to the sites a search matched (None: no search).
    """
    return {
        "asof": f"{view.asof:%Y-%m-%d}", "status": list(view.status),
        "governorate": list(view.governorate), "kind": list(view.kind),
        "context": view.context, "ids": ids, "labels": view.labels,
        "numbers": numbers or {}, "selected": view.site,
    }  # fmt: skip


SITES_JS = (Path(__file__).parent / "sites_layer.js").read_text(encoding="utf-8")
INLINE_UP_TO = 16_000  # bytes of site records sent in the map, not fetched (records_source)
DOM_MARKERS_UP_TO = 500  # above this, markers are drawn on canvas (restyling 1,000 DOM icons
# took ~0.9 s per date change in the bench; canvas draws 10,000 in less)


class SitesLayer(MacroElement):
    """Every site, drawn by sites_layer.js: DOM markers for small sets, canvas for large.

    The records are inlined (standalone export, or a small dataset in the app) or, given `url`,
    fetched once by the browser from a file the app serves, so a rerun does not send them
    again. `follow` names the page's as-of slider and status pills, which the map then follows
    without waiting for a rerun, and the button it clicks once its sites are drawn:
    {"asof": selector, "status": selector, "labels": {pill label: status}, "ready": selector,
    "idle": selector matching only while the page runs nothing}.
    """

    _template = template(
        """
{% macro script(this, kwargs) %}
{{ this.js }}
FootprintSites.load({{ this._parent.get_name() }}, {{ this.records | tojson }},
  {{ this.url | tojson }}, {{ this.styles | tojson }}, {{ this.dom | tojson }},
  {{ this.follow | tojson }});
{% endmacro %}
"""
    )

    def __init__(
        self, records: list[dict] | None, count: int, url: str | None = None,
        follow: dict | None = None,
    ):  # fmt: skip
        super().__init__()
        self._name = "SitesLayer"
        self.js = SITES_JS
        self.records, self.url, self.follow = records, url, follow
        self.styles = marker_styles()
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
    """An on-map legend of marker shapes (constant markup built in Python)."""

    _template = template(
        """
{% macro script(this, kwargs) %}
(function () {
  const legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    const div = L.DomUtil.create("div", "fp-legend");
    div.innerHTML = {{ this.html | tojson }};
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "Legend"
        rows = [f"<div>{marker_svg(s, size=16)} {STATUS_LABELS[s]}</div>" for s in COLOURS]
        rows.append(f"<div>{marker_svg('retained', True, 14)} Context (not counted)</div>")
        rows.append('<div><span class="fp-ring"></span> Location uncertainty (~)</div>')
        self.html = '<div class="fp-legend-title">Site status</div>' + "".join(rows)


CSS = """
<style>
.fp-site { background: none; border: none; }
.fp-hidden { display: none; }
.fp-site svg { filter: drop-shadow(0 0 1px rgba(0,0,0,.6)); }
.fp-number { font: 700 14px/1 system-ui, sans-serif; color: #111; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.fp-label { font: 600 12px/1.2 system-ui, sans-serif; padding: 1px 5px; }
.fp-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px;
  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.fp-legend svg { vertical-align: middle; }
.fp-legend-title { font-weight: 700; margin-bottom: 2px; }
.fp-ring { display: inline-block; width: 12px; height: 12px; border: 1px dashed #555;
  border-radius: 50%; vertical-align: middle; margin: 0 2px; }
.fp-popup { font: 13px/1.4 system-ui, sans-serif; }
.fp-popup-name { font-weight: 700; font-size: 14px; }
.fp-popup-ar { font-size: 14px; }
.fp-popup-hint { color: #666; font-size: 11px; margin-top: 4px; }
</style>
"""


def base_map(
    basemap: str, layers_dir: Path, sites: SitesLayer, static_dir: Path | None = None,
    extent: pd.DataFrame | None = None, **kw,
) -> folium.Map:  # fmt: skip
    """The map that does not change with the view: basemap, legend, scale bar, every site.

    With `static_dir` (the app's served folder) the offline basemap's shapes are written there
    and fetched by the browser, not carried in the page; without it the page is self-contained.
    `extent`: sites (lat, lon) the view must be able to reach, where the basemap limits it.
    """
    m = new_map(**kw)
    sites.add_to(m)  # first: its data is asked for first, and the basemap waits for it
    keep = None
    if extent is not None and len(extent):
        lat, lon = extent["lat"].astype(float), extent["lon"].astype(float)
        keep = (lon.min(), lat.min(), lon.max(), lat.max())
    add_basemap(m, basemap, layers_dir, static_dir, keep)
    m.get_root().header.add_child(Element(CSS), name="footprint_css")
    Legend().add_to(m)
    return m


def records_source(
    records: list[dict], static_dir: Path, version: str
) -> tuple[list[dict] | None, str | None]:
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
