"""The view a person is looking at, and its round trip through the URL query string.

`parse_query` never raises: a value it cannot use is dropped with a notice naming the
parameter, and the default is used instead. Nothing from the URL reaches the file system.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode, urlsplit

import pandas as pd

from basemap import BASEMAPS
from basemap.vector import basemap_drawing, view_limits
from footprint.layers import available
from footprint.text import read_day

MAX_PARAM = 300  # longer values are ignored, never parsed
MAP_ZOOM = (3.0, 18.0)  # the zooms a `map=` link may ask for, and the live map's limits


@dataclass(frozen=True)
class View:
    """Everything that decides what the page shows."""

    asof: dt.date
    status: tuple[str, ...] = ()
    governorate: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    q: str = ""
    site: str = ""
    basemap: str = "offline"
    labels: bool = False
    context: bool = True
    layers: tuple[str, ...] = ()  # the map layers that are on (footprint.layers), by key
    compare: dt.date | None = None
    title: str = ""
    mode: str = "explore"
    map: tuple[float, float, float] | None = None  # the map's frame: (zoom, lat, lon)
    notices: tuple[str, ...] = field(default=(), compare=False)


def default_view(ds) -> View:
    """The view a plain visit shows: the dataset's configured as-of date, every status."""
    return View(asof=ds.theatre.default_asof, status=tuple(ds.labels("events", "status")))


def choices(ds) -> dict:
    """Allowed values for each query parameter of a dataset's views (memoised per dataset)."""
    return ds.memo(("choices",), lambda: _choices(ds))


def _choices(ds) -> dict:
    return {
        "asof": {ds.theatre.start, ds.theatre.end},
        "status": set(ds.labels("events", "status")),
        "governorate": set(ds.sites["governorate"]) - {""},
        "kind": set(ds.sites["kind"]),
        "country": set(ds.sites["country"]),
        "site": set(ds.sites["id"]),
        "basemap": set(BASEMAPS),
        "mode": {"explore", "brief", "review"},
        "map": map_limits(ds),
        "layers": {layer.key for layer in available(ds)},
    }


def map_limits(ds) -> tuple[float, float, float, float]:
    """(west, south, east, north): where the live map can be centred (its maxBounds), so where
    a `map=` centre may lie: the offline basemap's box, widened to every site, plus a margin."""
    lat, lon = ds.sites["lat"], ds.sites["lon"]
    keep = (lon.min(), lat.min(), lon.max(), lat.max()) if len(ds.sites) else None
    (south, west), (north, east) = view_limits(basemap_drawing(ds.layers_dir).bbox, keep)
    return float(west), float(south), float(east), float(north)


def view_from_query(ds, query: str) -> View:
    """A view from a shareable link's query string ('asof=...&status=...', '?' optional)."""
    params = dict(parse_qsl(query.split("?", 1)[-1], keep_blank_values=True))
    return parse_query(params, default_view(ds), choices(ds))


def parse_query(params: Mapping[str, str], default: View, choices: Mapping[str, set]) -> View:
    """Read a View from query parameters, ignoring (with a notice) any value it cannot use.

    `choices` gives the allowed values of: status, governorate, kind, site, basemap, mode, the
    date range as `asof` = {min_date, max_date}, and the box a `map=` centre must lie in as
    `map` = (west, south, east, north).

    >>> d = View(asof=dt.date(2020, 4, 5), status=("retained", "handed_over"))
    >>> c = {"asof": {dt.date(2014, 1, 1), dt.date(2026, 1, 1)}, "site": {"k1"},
    ...      "status": {"retained", "handed_over"}, "basemap": {"offline"},
    ...      "governorate": set(), "kind": set(), "country": set(), "mode": {"brief"}}
    >>> v = parse_query({"asof": "2020-03-20", "status": "retained,nonsense"}, d, c)
    >>> v.asof, v.status, v.notices
    (datetime.date(2020, 3, 20), ('retained',), ("status: ignored unknown value 'nonsense'",))
    >>> for n in parse_query({"asof": "yesterday", "site": "../etc"}, d, c).notices: print(n)
    asof: 'yesterday' is not a date in YYYY-MM-DD form; ignored
    site: unknown site '../etc'

    `map=ZOOM/LAT/LON` is the map's frame, as OpenStreetMap writes it (zoom, then the centre):

    >>> c["map"] = (38.0, 28.5, 49.5, 38.5)
    >>> parse_query({"map": "8.2/33.3125/44.25"}, d, c).map
    (8.2, 33.3125, 44.25)
    >>> for n in parse_query({"map": "30/33.3/44.2"}, d, c).notices: print(n)
    map: zoom 30 is outside 3 to 18; ignored
    >>> for n in parse_query({"map": "8/51.5/-0.1"}, d, c).notices: print(n)
    map: centre 51.5, -0.1 is outside the map (lat 28.5 to 38.5, lon 38 to 49.5); ignored
    """
    notices: list[str] = []
    view = default
    for name, raw in params.items():
        value = raw[-1] if isinstance(raw, list) else raw
        if name in choices.get("layers", ()):  # a map layer's own parameter: on (1) or off (0)
            view, notice = _layer(view, name, value)
            notices += [f"{name}: {notice}"] if notice else []
            continue
        if name not in BY_NAME:
            continue
        if len(value) > MAX_PARAM:
            notices.append(f"{name}: value longer than {MAX_PARAM} characters ignored")
            continue
        parsed, notice = BY_NAME[name].parse(value, choices)
        if notice:
            notices.append(f"{name}: {notice}")
        if parsed is not None:
            view = replace(view, **{BY_NAME[name].field: parsed})
    return replace(view, notices=tuple(notices))


def _layer(view: View, key: str, value: str) -> tuple[View, str | None]:
    """The view with the layer `key` on or off, as its parameter says (1 or 0)."""
    on, notice = _flag(value, {})
    if on is None:
        return view, notice
    layers = {*view.layers, key} if on else set(view.layers) - {key}
    return replace(view, layers=tuple(sorted(layers))), None


def _asof(value: str, choices: Mapping) -> tuple:
    day, problem = read_day(value)
    if day is None:
        return None, f"{problem}; ignored"
    lo, hi = min(choices["asof"]), max(choices["asof"])
    if not lo <= day <= hi:
        return None, f"{day} is outside the data ({lo} to {hi}); ignored"
    return day, None


def _multi(allowed_key: str):
    def parse(value: str, choices: Mapping) -> tuple:
        allowed = choices[allowed_key]
        items = [v.strip() for v in value.split(",") if v.strip()]
        good = tuple(v for v in items if v in allowed)
        bad = [v for v in items if v not in allowed]
        notice = "ignored unknown value " + ", ".join(map(_shown, bad)) if bad else None
        return (good if good or not items else None), notice

    return parse


def _one(allowed_key: str, what: str):
    def parse(value: str, choices: Mapping) -> tuple:
        if value == "" or value in choices[allowed_key]:
            return value, None
        return None, f"unknown {what} {_shown(value)}"

    return parse


def _flag(value: str, choices: Mapping) -> tuple:  # noqa: ARG001 - a parser's signature
    if value in ("1", "0"):
        return value == "1", None
    return None, f"{_shown(value)} is not 0 or 1"


def _text(value: str, choices: Mapping) -> tuple:  # noqa: ARG001 - a parser's signature
    return value.strip()[:120], None


def _map(value: str, choices: Mapping) -> tuple:
    try:
        zoom, lat, lon = (float(part) for part in value.split("/"))
    except ValueError:
        return None, f"{_shown(value)} is not ZOOM/LAT/LON (e.g. 7/33.3/44.4); ignored"
    if not all(map(math.isfinite, (zoom, lat, lon))):
        return None, f"{_shown(value)} is not ZOOM/LAT/LON (e.g. 7/33.3/44.4); ignored"
    lo, hi = MAP_ZOOM
    if not lo <= zoom <= hi:
        return None, f"zoom {zoom:g} is outside {lo:g} to {hi:g}; ignored"
    west, south, east, north = choices["map"]
    if not (south <= lat <= north and west <= lon <= east):
        where = f"lat {south:g} to {north:g}, lon {west:g} to {east:g}"
        return None, f"centre {lat:g}, {lon:g} is outside the map ({where}); ignored"
    return (zoom, lat, lon), None


def frame_from_text(ds, text: str) -> tuple[float, float, float] | None:
    """The frame a `map=` value names, or None when it is empty or cannot be used (the link's
    notice, from parse_query, says why)."""
    return _map(text, choices(ds))[0] if text else None


def map_text(frame: tuple[float, float, float]) -> str:
    """A frame as `map=` writes it: zoom to 2 decimals, lat and lon to 4 (about 10 m), no
    trailing zeros; follow.js writes the same text in the browser.

    >>> map_text((8.2, 33.31254, 44.25)), map_text((7.0, -0.00001, 44.0))
    ('8.2/33.3125/44.25', '7/0/44')
    """
    zoom, lat, lon = frame
    return "/".join(_decimals(x, n) for x, n in ((zoom, 2), (lat, 4), (lon, 4)))


def _decimals(x: float, places: int) -> str:
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _shown(value: str) -> str:
    """A user value quoted for a notice (shortened; shown as text by the caller)."""
    return repr(value[:40])


@dataclass(frozen=True)
class Setting:
    """One view setting: the View field it fills, its name in a link when that differs, how
    the link's text is read (a parser: `(text, choices) -> (value or None, notice or None)`),
    how a value that is neither text, a list nor a flag is written back, whether a page
    widget keyed by the field's name holds it (the others: `compare`, behind its toggle, and
    `map`, the frame the browser writes), and whether it decides which sites are shown
    (`shows`: the date and the filters, apply_filters). The one list of the view's settings:
    the link's parameters, their order in a link, and the page's widgets come from SETTINGS."""

    field: str
    parse: Callable[[str, Mapping], tuple]
    param: str = ""
    write: Callable | None = None
    widget: bool = True
    shows: bool = False

    @property
    def name(self) -> str:
        """The setting's name in a link."""
        return self.param or self.field


SETTINGS = (
    Setting("asof", _asof, shows=True),
    Setting("compare", _asof, widget=False),
    Setting("status", _multi("status"), shows=True),
    Setting("governorate", _multi("governorate"), shows=True),
    Setting("kind", _multi("kind"), shows=True),
    Setting("country", _multi("country"), shows=True),
    Setting("q", _text, shows=True),
    Setting("site", _one("site", "site")),
    Setting("basemap", _one("basemap", "basemap")),
    Setting("labels", _flag),
    Setting("context", _flag, shows=True),
    Setting("title", _text),
    Setting("mode", _one("mode", "view"), param="view"),
    Setting("map", _map, write=map_text, widget=False),
)  # in the order a link writes them
BY_NAME = {s.name: s for s in SETTINGS}
WIDGETS = tuple(s.field for s in SETTINGS if s.widget)  # the page's widgets, keyed by field
# The settings that keep only the sites whose column of the same name holds a chosen value (none
# chosen: every site); the browser applies them by these names too (webmap.view_payload).
NARROWS = ("governorate", "kind", "country")
SHOWS = tuple(s.field for s in SETTINGS if s.shows)  # what decides the sites shown
ALWAYS = ("asof",)  # written even when it is the default: the default date moves with the data


def to_query(view: View, default: View) -> dict[str, str]:
    """The query parameters for a view: the date, and what else differs from the default, in a
    fixed order."""
    out = {}
    for setting in SETTINGS:
        name, value = setting.name, getattr(view, setting.field)
        if value == getattr(default, setting.field) and name not in ALWAYS:
            continue
        if value is None:
            continue
        if setting.write:
            out[name] = setting.write(value)
        elif isinstance(value, tuple):
            out[name] = ",".join(value)
        elif isinstance(value, bool):
            out[name] = "1" if value else "0"
        else:
            out[name] = str(value)
    for key in sorted(set(view.layers) ^ set(default.layers)):  # each layer by its own key
        out[key] = "1" if key in view.layers else "0"
    return out


def view_link(view: View, default: View, base: str = "", frame: bool = True) -> str:
    """The shareable link of a view: `base` (the page's address, or '' for a link relative to
    it) and the query; without `frame`, the link leaves the map's frame out (the whole theatre).
    Slashes and commas stay readable, as people write them.

    >>> d = View(asof=dt.date(2020, 4, 5))
    >>> v = replace(d, map=(8.2, 33.31, 44.25), title="A & B")
    >>> view_link(v, d, "http://host:8501/")
    'http://host:8501/?asof=2020-04-05&title=A+%26+B&map=8.2/33.31/44.25'
    >>> view_link(v, d, frame=False), view_link(d, d, "http://host:8501/")
    ('?asof=2020-04-05&title=A+%26+B', 'http://host:8501/?asof=2020-04-05')
    """
    query = to_query(view if frame else replace(view, map=None), default)
    return f"{base}?{urlencode(query, safe='/,')}" if query else base


def page_address(link: str) -> str:
    """The page's address in a link or URL (scheme, host and path, '/' at least), or '' for a
    bare query: a link made on it is then relative to the page.

    >>> page_address("http://host:8501/app/?asof=2020-04-05"), page_address("asof=2020-04-05")
    ('http://host:8501/app/', '')
    >>> page_address("http://host:8501")
    'http://host:8501/'
    """
    parts = urlsplit(link)
    if not (parts.scheme and parts.netloc):
        return ""
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"


# --- search -------------------------------------------------------------------------------

_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, dagger alif, tatweel
_ARTICLE = re.compile(r"\b(al|el|ad|ar|as|at|an|az)[\s\-]+|(?<!\S)ال")
_NOT_WORD = re.compile(r"[\W_\u02bb-\u02bf]+")  # also ʻ ʼ ʽ ʾ ʿ (transliteration marks)


def normalise(text: str) -> str:
    """Fold a name for search: case, accents, 'al-'/'Al '/'ال', hyphens, spaces, apostrophes.

    >>> normalise("Al-Taqaddum"), normalise("al Taqaddum"), normalise("Ain al-Asad")
    ('taqaddum', 'taqaddum', 'ainasad')
    >>> normalise("قاعدة عين الأسد"), normalise("Qa'im"), normalise("Qāʾim")
    ('قاعدةعيناسد', 'qaim', 'qaim')
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _ARABIC_MARKS.sub("", text).replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    text = _ARTICLE.sub("", text)
    return _NOT_WORD.sub("", text)


def matches(sites: pd.DataFrame, query: str) -> pd.Series:
    """Which sites match a search over name, Arabic name, aliases and id."""
    needle = normalise(query)
    if not needle:
        return pd.Series(True, index=sites.index)
    hay = sites.apply(lambda r: [r["name"], r["name_ar"], r["id"], *r["aliases"]], axis=1)
    return hay.apply(lambda names: any(needle in normalise(n) for n in names))


def site_named(sites: pd.DataFrame, text: str) -> str:
    """The id of the site a typed name stands for: a site's id, else the first site whose name,
    Arabic name or alias matches as the search does (`matches`); '' when none does.

    >>> sites = pd.DataFrame({"id": ["asad", "q_west"], "name": ["Ain al-Asad", "Qayyarah West"],
    ...     "name_ar": ["قاعدة عين الأسد", ""], "aliases": [["Al Asad"], ["Q-West"]]})
    >>> site_named(sites, "q west"), site_named(sites, "الاسد"), site_named(sites, "al asad")
    ('q_west', 'asad', 'asad')
    >>> site_named(sites, "nowhere"), site_named(sites, " - ")
    ('', '')
    """
    if text in set(sites["id"]):
        return text
    if not normalise(text):
        return ""
    hit = sites.loc[matches(sites, text), "id"]
    return str(hit.iloc[0]) if len(hit) else ""


def changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Sites whose status differs between two as_of frames: id, name, before, after."""
    merged = before[["id", "name", "status"]].merge(
        after[["id", "status"]], on="id", suffixes=("_before", "_after")
    )
    return merged[merged["status_before"] != merged["status_after"]]


def shows(view: View) -> tuple:
    """What decides the sites a view shows (its date and filters): two views with the same
    `shows` show the same sites, so what is made from them alone can be shared."""
    return tuple(getattr(view, name) for name in SHOWS)


def apply_filters(sites: pd.DataFrame, view: View) -> pd.DataFrame:
    """Sites (with status as of the view's date) that pass the view's filters.

    A context site with no status at all is shown as context whatever the status filter says.
    """
    bare = sites["context"] & sites["status"].eq("")
    keep = (sites["status"].isin(view.status) | bare) & matches(sites, view.q)
    for name in NARROWS:
        if getattr(view, name):
            keep &= sites[name].isin(getattr(view, name))
    if not view.context:
        keep &= ~sites["context"]
    return sites[keep]
