"""Map layers: each is one unit, registered in one line (LAYERS).

A layer is drawn over the sites when its view parameter is on (`attacks=1`). Its unit holds
everything about it: the words of its checkbox, what it sends the browser for a view (per site,
so the browser follows a dragged date), its rules the browser applies too, its legend rows (the
live map's and the pictures'), its notes for the header and the briefing, its drawing in the
pictures, and, beside its module, its drawing in the browser (`<key>.js`, which registers
itself with FootprintSites.addLayer).
"""

from __future__ import annotations

from footprint.layers.attacks import AttackLayer
from footprint.layers.base import Layer
from footprint.layers.figures import FigureLayer

LAYERS: tuple[Layer, ...] = (AttackLayer(), FigureLayer())

__all__ = ["LAYERS", "Layer", "available", "layer"]


def available(ds) -> list[Layer]:
    """The layers this dataset can draw (it has their data), in LAYERS' order; decided once per
    dataset (a page run asks several times, and asking read the estimates each time)."""
    return ds.memo(("layers",), lambda: [layer for layer in LAYERS if layer.available(ds)])


def layer(key: str) -> Layer:
    """The layer with this key."""
    return next(layer for layer in LAYERS if layer.key == key)
