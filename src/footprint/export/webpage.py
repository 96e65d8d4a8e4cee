"""A standalone HTML export: one file with the interactive map of a view, offline, stamped.

Leaflet and the offline basemap are inlined; the stamp (title, as-of date, counts, sources,
caveat) is a Leaflet control whose text is set with `textContent`, never as HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pandas as pd
from branca.element import Element, MacroElement

from basemap import inline_assets
from basemap.assets import page_of
from basemap.templating import template
from footprint.briefing import (
    Brief,
    frame_of,
)
from footprint.data import Dataset
from footprint.view import View
from footprint.webmap import (
    SitesLayer,
    SitesView,
    base_map,
    site_records,
    sites_view,
)


class Stamp(MacroElement):
    """The briefing text as a top-right control, built from text nodes."""

    _template = template(
        """
{% macro script(this, kwargs) %}
(function () {
  const lines = {{ this.lines | tojson }};
  const stamp = L.control({position: "topright"});
  const key = {{ this.key | tojson }};
  stamp.onAdd = function () {
    const div = L.DomUtil.create("div", "fp-stamp");
    lines.forEach(function (line) {
      const p = document.createElement("div");
      p.className = "fp-stamp-" + line[0];
      p.textContent = line[1];
      div.appendChild(p);
    });
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Sites (" + key.length + ")";
    details.appendChild(summary);
    key.forEach(function (row) {
      const p = document.createElement("div");
      p.className = "fp-stamp-key";
      p.textContent = row;
      details.appendChild(p);
    });
    div.appendChild(details);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  stamp.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, brief: Brief, key: list[str]):
        super().__init__()
        self._name = "Stamp"
        self.key = key
        self.lines = [
            ("title", brief.title),
            ("asof", brief.asof),
            ("text", brief.counts_text),
            *(("text", line) for line in brief.figure_lines()),
            *(("edge", line) for line in brief.edge),
            *(("small", line) for line in (*brief.coverage, *brief.layers)),
            *(("small", line) for line in (brief.outside,) if line),
            ("small", brief.sources),
            ("small", brief.caveat),
            ("small", brief.cutoff),
            ("small", brief.stamp),
        ]


STAMP_CSS = """
<style>
.fp-stamp { background: rgba(255,255,255,.94); padding: 8px 12px; max-width: 420px;
  font: 13px/1.4 system-ui, sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.fp-stamp-title { font-weight: 700; font-size: 17px; }
.fp-stamp-asof { font-weight: 700; font-size: 15px; color: #1f4e79; }
.fp-stamp-small { color: #555; font-size: 11px; margin-top: 3px; }
.fp-stamp-edge { color: #3d3000; background: #fff4d6; font-weight: 600; margin-top: 3px; }
.fp-stamp-key { font-size: 12px; }
.fp-stamp details { margin-top: 4px; max-height: 50vh; overflow-y: auto; }
html, body { height: 100%; margin: 0; }
</style>
"""


def to_html(
    ds: Dataset, brief: Brief, shown: pd.DataFrame, layers_dir: Path, asof: dt.date,
    layers: tuple[str, ...] = (),
) -> str:  # fmt: skip
    """The standalone HTML text of a view's map: exactly the sites shown on `asof`, those the
    brief describes numbered as it numbers them, and its text in a stamp.

    It opens on the box a briefer framed (the brief's box), whatever the size of the window it
    is opened in; or, without one, on the focus countries shown.
    """
    sites = ds.sites_in(shown)
    records = site_records(ds, sites)
    layer = SitesLayer(ds, records, len(records["sites"]))
    m = base_map(ds, "offline", layers_dir, layer, extent=sites)
    # the sites are already the view's: show them all
    everything = View(asof=asof, status=tuple(ds.labels("events", "status")), layers=layers)
    SitesView(sites_view(ds, everything, shown, numbers=brief.number_labels())).add_to(m)
    Stamp(brief, brief.key_lines()).add_to(m)
    west, south, east, north = brief.box or frame_of(ds, shown)
    m.fit_bounds([[south, west], [north, east]])
    root = page_of(m)
    root.header.add_child(Element(STAMP_CSS), name="footprint_stamp_css")
    root.title = html.escape(brief.title)
    return inline_assets(root.render())
