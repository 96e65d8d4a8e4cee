"""The one table for how sites look, and everything drawn from it.

A status's colour, marker shape and fill come from the data (the `categories` of
events.status); this module turns them into each representation: the SVG of a DOM marker and
of both legends, Leaflet's canvas marker options, and the Vega point of the briefing PNG.
Context sites take the same shapes in grey; the uncertainty ring is defined
here once too. The basemap's own look is basemap.look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from footprint.schema import Field

CONTEXT_COLOUR = "#7f7f7f"
CONTEXT = "context"  # the style key of a context site with no status
WHITE = "#ffffff"


class Ring(TypedDict):
    """The uncertainty ring's style: line colour, dash pattern (px on, px off), line width (px),
    line opacity, fill opacity."""

    colour: str
    dash: tuple[int, int]
    weight: float
    opacity: float
    fill_opacity: float


RING: Ring = {"colour": "#555555", "dash": (4, 4), "weight": 1, "opacity": 0.8,
              "fill_opacity": 0.05}  # fmt: skip

# How a site's number is placed around its marker, the same in the pictures (export.labels) and
# on the live map (sites_layer.js, which gets them from browser_rules()): the directions tried,
# in order (up-right, right, down-right, up-left, left, down-left, above, below); the distances
# tried beyond the marker (past the first, with a leader line); the marker's reach from its
# point, stroke included; the gap between the reach and the text; where a leader starts; and
# how close two sites are when they count as crowded (most crowded are labelled first).
LABEL_WAYS = ((1, -1), (1, 0), (1, 1), (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1))
LABEL_RINGS = (0, 14, 28, 44, 62, 84, 110, 140, 175, 215)
MARKER_REACH = 11
LABEL_GAP = 2
LEADER_START = 1
CROWD_PX = 40


def browser_rules() -> dict:
    """The rules sites_layer.js applies as the Python side does, as data: label placement and
    the uncertainty ring's style."""
    return {
        "label": {"ways": LABEL_WAYS, "rings": LABEL_RINGS, "reach": MARKER_REACH,
                  "gap": LABEL_GAP, "lead": LEADER_START, "crowd": CROWD_PX},
        "ring": {"color": RING["colour"], "weight": RING["weight"],
                 "dashArray": " ".join(map(str, RING["dash"])), "opacity": RING["opacity"],
                 "fillOpacity": RING["fill_opacity"]},
    }  # fmt: skip


UNCERTAINTY_LABEL = "Location uncertainty (~)"
CONTEXT_LABEL = "Context (not counted)"

# Each marker shape in a 20 x 20 SVG box (fill and stroke filled in per status).
SVG_SHAPES = {
    "circle": '<circle cx="10" cy="10" r="7"{paint}/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"{paint}/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"{paint}/>',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"{paint}/>',
}
VEGA_SHAPES = {"circle": "circle", "square": "square", "triangle": "triangle-up",
               "diamond": "diamond"}  # fmt: skip
CANVAS_RADIUS = {"circle": 5, "square": 4.5, "triangle": 5, "diamond": 5.5}
# Each marker shape's corners on canvas, in radii from its point (sites_layer.js draws the
# polygon); a circle has none. The same shapes as SVG_SHAPES.
CANVAS_POINTS = {
    "circle": None,
    "square": [[-1, -1], [1, -1], [1, 1], [-1, 1]],
    "triangle": [[0, -1.25], [1.15, 0.85], [-1.15, 0.85]],
    "diamond": [[0, -1], [1, 0], [0, 1], [-1, 0]],
}


@dataclass(frozen=True)
class Mark:
    """How one status is drawn: marker shape, colour, and whether hollow and dashed."""

    key: str
    label: str
    colour: str
    marker: str = "circle"
    hollow: bool = False
    dashed: bool = False

    @property
    def fill(self) -> str:
        """Solid marks are filled with their colour; hollow ones with white."""
        return WHITE if self.hollow else self.colour

    @property
    def stroke(self) -> str:
        """A solid mark has a white edge (it reads on any ground); a hollow one its colour."""
        return self.colour if self.hollow else WHITE

    @property
    def stroke_width(self) -> float:
        """Hollow marks carry their colour in the stroke, so it is thicker."""
        return 3.0 if self.hollow else 2.5

    def in_context(self) -> Mark:
        """The same mark in the context grey."""
        return Mark(f"{CONTEXT}_{self.key}", CONTEXT_LABEL, CONTEXT_COLOUR, self.marker,
                    self.hollow, self.dashed)  # fmt: skip

    def svg(self, size: int = 20) -> str:
        """Constant SVG markup of the marker (no data inside)."""
        dash = ' stroke-dasharray="3 2"' if self.dashed else ""
        paint = (
            f' fill="{self.fill}" stroke="{self.stroke}" stroke-width="{self.stroke_width:g}"{dash}'
        )
        body = SVG_SHAPES[self.marker].format(paint=paint)
        box = f'width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true"'
        return f"<svg {box}>{body}</svg>"

    def canvas(self, scale: float = 1) -> dict:
        """Leaflet path options of a canvas marker (sites_layer.js draws the shape)."""
        return {
            "shape": self.marker, "points": CANVAS_POINTS[self.marker],
            "radius": CANVAS_RADIUS[self.marker] * scale,
            "weight": self.stroke_width - 0.5, "color": self.stroke, "fillColor": self.fill,
            "fillOpacity": 1, "opacity": 1, "dashArray": "3 2" if self.dashed else None,
        }  # fmt: skip

    def vega(self) -> dict:
        """Encoded values of a Vega-Lite point (the briefing PNG, the legend there)."""
        return {"shape": VEGA_SHAPES[self.marker], "fill": self.fill, "stroke": self.stroke,
                "dash": [3, 2] if self.dashed else []}  # fmt: skip


def status_marks(status: Field) -> dict[str, Mark]:
    """The mark of every status, in the schema's order, from events.status's categories."""
    marks = {}
    for c in status.categories:
        look = dict(c.look)
        marks[c.value] = Mark(c.value, c.label or c.value, str(look.get("colour", "#444444")),
                              str(look.get("marker", "circle")), bool(look.get("hollow")),
                              bool(look.get("dashed")))  # fmt: skip
    return marks


def context_mark() -> Mark:
    """A context site that has no status: a small grey circle."""
    return Mark(CONTEXT, CONTEXT_LABEL, CONTEXT_COLOUR, "circle")


def style_key(status: str, context: bool) -> str:
    """The look of a site: its status, 'context_<status>', or 'context' ('' when not drawn).

    >>> style_key("retained", False), style_key("retained", True), style_key("", True)
    ('retained', 'context_retained', 'context')
    >>> style_key("", False)
    ''
    """
    if not context:
        return status
    return f"{CONTEXT}_{status}" if status else CONTEXT


def all_marks(status: Field) -> dict[str, Mark]:
    """Every style key with its mark: statuses, their context versions, and bare context."""
    marks = status_marks(status)
    out = dict(marks)
    out.update({m.in_context().key: m.in_context() for m in marks.values()})
    out[CONTEXT] = context_mark()
    return out


def marker_styles(status: Field) -> dict[str, dict]:
    """What sites_layer.js needs per style key: SVG for DOM markers, options for canvas."""
    styles = {}
    for key, mark in all_marks(status).items():
        small = key.startswith(CONTEXT)
        size = 16 if small else 20
        styles[key] = {
            "svg": mark.svg(size),
            "size": size,
            "canvas": mark.canvas(0.8 if small else 1),
        }
    return styles


def legend_rows(status: Field, size: int = 16) -> list[tuple[str, str]]:
    """(SVG, label) for each status, then context: the map's legend and the page's key (each
    map layer adds its own rows, footprint.layers)."""
    marks = status_marks(status)
    rows = [(m.svg(size), m.label) for m in marks.values()]
    first = next(iter(marks.values()), context_mark())
    rows.append((first.in_context().svg(size - 2), CONTEXT_LABEL))
    return rows
