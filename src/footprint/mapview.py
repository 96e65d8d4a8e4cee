"""The map: a base map (basemap + legend, the same on every rerun) and a sites layer.

The sites layer is one GeoJSON collection drawn by `SitesLayer`, a folium element that is data
plus one template. Every string from the data reaches the page as text, never as HTML: the
tooltip is escaped in JavaScript, the popup is built with `textContent`, and DOM attributes are
set with `setAttribute`/`dataset`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, MacroElement

from basemap import add_basemap, new_map
from basemap.templating import template
from footprint.timeline import STATUS_LABELS

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


def marker_styles() -> dict[str, dict]:
    """Marker SVG and size per style key (status, or context_<status>)."""
    styles = {s: {"svg": marker_svg(s), "size": 20} for s in COLOURS}
    styles |= {f"context_{s}": {"svg": marker_svg(s, True, 16), "size": 16} for s in COLOURS}
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


def site_features(
    sites: pd.DataFrame, events: pd.DataFrame, selected: str = "", numbers: dict | None = None
) -> dict:
    """GeoJSON of the sites that have a status, with the properties the map and tests read.

    `sites` is the output of timeline.as_of (one row per site, with status columns);
    `numbers` optionally maps site id -> a short label drawn beside the marker.
    """
    numbers = numbers or {}
    precision = events.set_index("id")["date_precision"].to_dict()
    features = []
    for row in sites[sites["status"] != ""].to_dict("records"):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": _properties(row, precision.get(row["status_event"], "day"))
                | {"selected": row["id"] == selected, "number": numbers.get(row["id"], "")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _properties(row: dict, date_precision: str) -> dict:
    when = format_date(row["status_date"], date_precision)
    status_text = f"{STATUS_LABELS[row['status']]} since {when}"
    if row["handed_to"]:
        status_text += f", to {row['handed_to']}"
    radius = row["uncertainty_km"]
    location = PRECISION_TEXT[row["location_precision"]]
    if row["location_precision"] != "sourced" and pd.notna(radius):
        location += f", ±{radius:g} km"
    return {
        "site_id": row["id"],
        "status": row["status"],
        "name": row["name"],
        "name_ar": row["name_ar"],
        "context": bool(row["context"]),
        "style": ("context_" if row["context"] else "") + row["status"],
        "status_text": status_text,
        "location_text": location,
        "uncertainty_m": float(radius) * 1000 if row["location_precision"] != "sourced" else 0,
    }


class SitesLayer(MacroElement):
    """The sites as DOM markers (shape + colour by status), with uncertainty circles."""

    _template = template(
        """
{% macro script(this, kwargs) %}
(function () {
  const data = {{ this.data | tojson }};
  const styles = {{ this.styles | tojson }};
  const parent = {{ this._parent.get_name() }};
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    e.className = cls;
    if (text) { e.textContent = text; }
    return e;
  };
  const popup = (p) => {
    const box = el("div", "fp-popup");
    box.appendChild(el("div", "fp-popup-name", p.name));
    if (p.name_ar) {
      const ar = el("div", "fp-popup-ar", p.name_ar);
      ar.setAttribute("dir", "rtl"); ar.setAttribute("lang", "ar");
      box.appendChild(ar);
    }
    box.appendChild(el("div", "fp-popup-status", p.status_text));
    box.appendChild(el("div", "fp-popup-loc", p.location_text));
    if (p.context) { box.appendChild(el("div", "fp-popup-loc", "Context only: not counted")); }
    box.appendChild(el("div", "fp-popup-hint", "Events, figures and sources: site panel"));
    return box;
  };
  const circles = L.layerGroup();
  const ring = L.circleMarker([0, 0], {radius: 16, color: "#111", weight: 2, fill: false,
    interactive: false, className: "fp-selected"});
  const sites = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      const p = feature.properties, s = styles[p.style];
      if (p.uncertainty_m > 0) {
        L.circle(latlng, {radius: p.uncertainty_m, color: "#555", weight: 1,
          dashArray: "4 4", fillOpacity: 0.05, interactive: false}).addTo(circles);
      }
      const icon = L.divIcon({html: s.svg, className: "fp-site",
        iconSize: [s.size, s.size], iconAnchor: [s.size / 2, s.size / 2]});
      const marker = L.marker(latlng, {icon: icon, title: p.name, keyboard: true,
        riseOnHover: true, zIndexOffset: p.context ? 0 : 1000});
      marker.on("add", function () {
        const e = marker.getElement();
        e.dataset.siteId = p.site_id;
        e.dataset.status = p.status;
        e.setAttribute("aria-label", p.name + ": " + p.status_text);
      });
      if (p.number) {
        const tag = L.marker(latlng, {interactive: false, keyboard: false,
          icon: L.divIcon({className: "fp-number", html: "", iconSize: null,
            iconAnchor: [-9, 22]})});
        tag.on("add", function () { tag.getElement().textContent = p.number; });
        tag.addTo(circles);
      }
      marker.bindTooltip(esc(p.name), {direction: "top", offset: [0, -s.size / 2],
        permanent: {{ this.labels | tojson }}, className: "fp-label"});
      marker.bindPopup(() => popup(p), {maxWidth: 280});
      // The selection ring is drawn here, not by the server, so a click (which reruns the
      // app to fill the site panel) does not redraw the layer and close the popup.
      marker.on("click", () => ring.setLatLng(latlng).addTo(circles));
      if (p.selected) { ring.setLatLng(latlng).addTo(circles); }
      return marker;
    }
  });
  circles.addTo(parent);
  sites.addTo(parent);
  window.footprintSites = sites;
})();
{% endmacro %}
"""
    )

    def __init__(self, data: dict, labels: bool = False):
        super().__init__()
        self._name = "SitesLayer"
        self.data = data
        self.styles = marker_styles()
        self.labels = labels


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


def base_map(basemap: str, layers_dir: Path, **kw) -> folium.Map:
    """The map without sites: basemap, legend, scale bar and our CSS."""
    m = new_map(**kw)
    add_basemap(m, basemap, layers_dir)
    m.get_root().header.add_child(Element(CSS), name="footprint_css")
    Legend().add_to(m)
    return m


def sites_group(features: dict, labels: bool = False) -> folium.FeatureGroup:
    """The sites as a feature group, so streamlit-folium can swap it without re-mounting."""
    group = folium.FeatureGroup(name="Sites")
    SitesLayer(features, labels=labels).add_to(group)
    return group
