"""The map element that starts follow.js, the page glue (see that file for what it hooks)."""

from __future__ import annotations

from pathlib import Path

from branca.element import MacroElement

from basemap.assets import add_script
from basemap.templating import template

FOLLOW_JS = Path(__file__).with_name("follow.js")


class Follow(MacroElement):
    """Makes the map follow the page's As-of slider and Status pills while they move, the
    page's `map` field (and so its address) follow the map's frame, and, on a narrow screen,
    the sidebar close after Enter in one of its fields.

    `labels`: status value -> its label, as the pills show it.
    """

    _template = template(
        """
{% macro script(this, kwargs) %}
FootprintFollow.start({{ this._parent.get_name() }}, {{ this.by_label | tojson }});
{% endmacro %}
"""
    )

    def __init__(self, labels: dict[str, str], static_dir: Path):
        super().__init__()
        self._name = "Follow"
        self.by_label = {label: value for value, label in labels.items()}
        self.static_dir = static_dir

    def add_to(self, parent, name=None, index=None):
        """Add to the map, and make the map load follow.js."""
        add_script(parent, FOLLOW_JS, self.static_dir)
        return super().add_to(parent, name=name, index=index)
