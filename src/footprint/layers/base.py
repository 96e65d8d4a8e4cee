"""What a map layer is: the methods every layer in footprint.layers.LAYERS provides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

Box = tuple[float, float, float, float]


class Layer:
    """One layer of marks over the sites, drawn while its view parameter is on."""

    key: str = ""  # the view parameter (`key=1` in a link) and the browser payload's key
    label: str = ""  # the checkbox's words
    script: Path  # its browser drawing, beside its module (registers with FootprintSites.addLayer)

    def available(self, ds) -> bool:
        """Whether the dataset has anything for this layer."""
        raise NotImplementedError

    def rules(self, ds) -> dict:  # noqa: ARG002 - a layer's rules may depend on the data
        """What the browser's drawing needs besides the records (a time window, a look)."""
        return {}

    def records(self, ds, shown: pd.DataFrame) -> dict[str, list]:
        """Site id -> what the browser draws for it, for every date (it filters by date)."""
        raise NotImplementedError

    def legend(self, ds) -> list[tuple[str, str]]:
        """(SVG, label) rows of the live map's legend."""
        raise NotImplementedError

    def legend_vega(self, ds) -> list[tuple[dict, str]]:
        """(Vega point look, label) rows of a picture's legend."""
        raise NotImplementedError

    def notes(self, ds, shown: pd.DataFrame, asof: dt.date) -> tuple[str, ...]:
        """What the layer shows on the date, in words, for the header and the briefing."""
        raise NotImplementedError

    def picture(self, ds, sites: pd.DataFrame, frame, asof: dt.date) -> tuple[list, list[Box]]:
        """The layer in a picture: Vega-Lite layers for the sites in the frame (with `lon`,
        `lat`), projected by `frame`, and the pixel boxes it takes (labels keep clear)."""
        raise NotImplementedError
