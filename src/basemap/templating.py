"""Jinja templates for our folium elements, with a `tojson` safe to render twice.

branca renders an element's script and then compiles that output as a Jinja template again
(`Element(script(...))`). Data that reaches the output as `{{ ... }}` or `{% ... %}` would then
be evaluated on the server. Our `tojson` writes such openers as JSON unicode escapes, which
JavaScript reads back as the same characters, on top of Jinja's usual HTML-safe escaping.
"""

from __future__ import annotations

from jinja2 import Environment, Template
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

_OPENERS = (("{{", "{\\u007b"), ("{%", "\\u007b%"), ("{#", "\\u007b#"))


def template_json(value: object) -> Markup:
    """JSON for a <script>: no '<', '>', '&', quote, nor any Jinja opener survives as such.

    >>> print(template_json({"name": "{{7*7}} {% raw %} </script>"}))
    {"name": "{\\u007b7*7}} \\u007b% raw %} \\u003c/script\\u003e"}
    """
    text = str(htmlsafe_json_dumps(value))
    for opener, escaped in _OPENERS:
        text = text.replace(opener, escaped)
    return Markup(text)  # noqa: S704 - built by htmlsafe_json_dumps, then only escaped further


_ENV = Environment(autoescape=False)  # noqa: S701 - templates emit JavaScript, not HTML
_ENV.filters["tojson"] = template_json


def template(source: str) -> Template:
    """A Jinja template whose `tojson` filter is `template_json`."""
    return _ENV.from_string(source)
