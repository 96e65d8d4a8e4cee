"""Leaflet's JS, CSS and images: served from beside the app or inlined, never from a CDN.

This is the one module that names the asset files and the URL they are served under.
The files come from the installed `django-js-lib-leaflet` package (Leaflet 1.9.4), so the
versions are pinned by requirements.txt, not by a copy kept in the repository.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import folium
from branca.element import Element, Figure

LEAFLET_PACKAGE = "js_lib_leaflet"
LEAFLET_JS = "leaflet.js"
LEAFLET_CSS = "leaflet.css"
LEAFLET_IMAGES = (
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
ASSET_FILES = (LEAFLET_JS, LEAFLET_CSS, *LEAFLET_IMAGES)
STATIC_SUBDIR = "leaflet"

# Streamlit serves static/ beside app.py at <base>/app/static/ when [server] enableStaticServing
# is on. st_folium loads these URLs inside its component iframe, whose page is
# <base>/component/streamlit_folium.st_folium/index.html. Measured (Streamlit 1.67, Chromium):
# "app/static/..." resolves inside the component folder and 404s; "/app/static/..." works but
# 404s once server.baseUrlPath is set; "../../app/static/..." works with and without one.
DEFAULT_BASE_URL = "../../app/static/" + STATIC_SUBDIR


def leaflet_dir() -> Traversable:
    """The folder of Leaflet's dist files inside the installed js_lib_leaflet package."""
    return files(LEAFLET_PACKAGE) / "static" / LEAFLET_PACKAGE


def read_asset(name: str) -> bytes:
    """The bytes of one Leaflet asset file, by its name relative to Leaflet's dist folder."""
    return leaflet_dir().joinpath(*name.split("/")).read_bytes()


def install_static(static_dir: Path) -> Path:
    """Copy Leaflet's files into static_dir/leaflet/, rewriting only files that differ."""
    target = Path(static_dir) / STATIC_SUBDIR
    for name in ASSET_FILES:
        _write_if_changed(target / name, read_asset(name))
    return target


def _write_if_changed(path: Path, content: bytes) -> bool:
    """Write content to path unless it already holds exactly that; say whether it wrote."""
    if path.is_file() and path.read_bytes() == content:
        return False
    _write_atomic(path, content)
    return True


def write_once(path: Path, content: bytes) -> None:
    """Write a file whose name carries its content's version, unless it is already there."""
    if not path.is_file():
        _write_atomic(path, content)


def _write_atomic(path: Path, content: bytes) -> None:
    """Write then rename, so a running server never serves half a file.

    Each writer has its own partial file: replicas of the app share one static/ folder and
    may write the same file at once (with one shared name, one writer's rename took the
    other's file away mid-write: FileNotFoundError, or half a file served).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(partial, 0o644)  # mkstemp makes it 0600; a file server must read it
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


STATIC_URL = DEFAULT_BASE_URL.rsplit("/", 1)[0]  # static/ itself, as the map's iframe sees it


def static_url(relative: str) -> str:
    """The URL, inside the map's iframe, of a file the app wrote under static/."""
    return f"{STATIC_URL}/{relative}"


SCRIPTS_SUBDIR = "js"  # under static/: our own scripts, each named by its content


def page_of(m: folium.Map) -> Figure:
    """The page a map is drawn in (its root: folium makes every map in a branca Figure, whose
    header, html and script parts our code adds to)."""
    root = m.get_root()
    assert isinstance(root, Figure)
    return root


def add_script(m: folium.Map, path: Path, static_dir: Path | None = None) -> None:
    """Make m load one of our .js files (once, however often it is added).

    With `static_dir` (the app's served folder) the file is copied there under a name that
    carries its content's hash, and the map loads it like Leaflet (a browser may cache it for
    good); without, it is inlined at the start of the page's script, after Leaflet has loaded
    and before the map is made, for a standalone file.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if static_dir is None:
        # Element compiles its text as a Jinja template: our own file, taken as it is.
        script = f"{{% raw %}}{_no_closing_tag(text, 'script')}{{% endraw %}}"
        page_of(m).script.add_child(Element(script), name=f"script_{path.stem}")
        return
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"{path.stem}-{digest}.js"
    write_once(Path(static_dir) / SCRIPTS_SUBDIR / name, text.encode("utf-8"))
    entry = (path.stem, static_url(f"{SCRIPTS_SUBDIR}/{name}"))
    if entry not in m.default_js:
        m.default_js = [*m.default_js, entry]


def asset_url(name: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The URL a page loads one asset from."""
    return f"{base_url.rstrip('/')}/{name}"


def use_local_assets(m: folium.Map, base_url: str = DEFAULT_BASE_URL) -> folium.Map:
    """Make m load only Leaflet's JS and CSS from base_url (no jQuery, Bootstrap, fonts, CDN)."""
    # Instance attributes: folium's class-level lists are shared by every map in the process.
    m.default_js = [("leaflet", asset_url(LEAFLET_JS, base_url))]
    m.default_css = [("leaflet_css", asset_url(LEAFLET_CSS, base_url))]
    return m


def inline_assets(html: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """Turn a page that loads local Leaflet from base_url into one standalone HTML file."""
    script = _tag_pattern("script", "src", asset_url(LEAFLET_JS, base_url), "></script>")
    link = _tag_pattern("link", "href", asset_url(LEAFLET_CSS, base_url), "/?>")
    for pattern in (script, link):
        if not pattern.search(html):
            raise ValueError(f"no {pattern.pattern!r} in the page; was use_local_assets applied?")
    html = script.sub(lambda _: f"<script>{_inline_js()}</script>", html)
    return link.sub(lambda _: f"<style>{_inline_css()}</style>", html)


def _tag_pattern(tag: str, attribute: str, url: str, end: str) -> re.Pattern[str]:
    """A pattern for the one tag folium writes to load url."""
    return re.compile(rf'<{tag}\b[^>]*\b{attribute}="{re.escape(url)}"[^>]*{end}')


def _inline_js() -> str:
    """Leaflet's JS, safe to place between <script> tags."""
    return _no_closing_tag(read_asset(LEAFLET_JS).decode("utf-8"), "script")


def _inline_css() -> str:
    """Leaflet's CSS with its images as data: URIs, since nothing sits beside an exported file."""
    css = read_asset(LEAFLET_CSS).decode("utf-8")
    css = re.sub(r"url\((images/[\w.-]+\.png)\)", lambda m: f"url({_data_uri(m[1])})", css)
    return _no_closing_tag(css, "style")


def _data_uri(name: str) -> str:
    """One PNG asset as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(read_asset(name)).decode("ascii")


def _no_closing_tag(text: str, tag: str) -> str:
    """Escape `</tag` so inlined content cannot end its own element early."""
    return re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)
