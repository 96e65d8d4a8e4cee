"""The dataset's schema: a Frictionless data package descriptor read into small value types.

`data/datapackage.json` is the single source of truth. Validation, the data dictionary in
`data/README.md` (see dictionary.py) and the tests all read it through this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Category:
    """One allowed value of a coded column: its label and, for values that are drawn, their look.

    Table Schema's `categories` ({"value": ..., "label": ...}); the other keys (colour, marker,
    hollow, dashed) are Footprint's, read by footprint.look.
    """

    value: str
    label: str
    look: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default: object = None) -> object:
        """One of the category's own keys (colour, marker, means, ...), or `default`."""
        return dict(self.look).get(key, default)

    @classmethod
    def from_descriptor(cls, d: dict | str) -> Category:
        """A category from `"value"` (no label) or `{"value": ..., "label": ..., ...}`."""
        if isinstance(d, str):
            return cls(d, "")
        look = tuple(sorted((k, v) for k, v in d.items() if k not in ("value", "label")))
        return cls(str(d.get("value", "")), str(d.get("label", "")), look)


@dataclass(frozen=True)
class Field:
    """One column of a table, with the constraints the validator enforces."""

    name: str
    type: str
    title: str = ""
    description: str = ""
    format: str | None = None
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    delimiter: str | None = None
    example: str = ""
    categories: tuple[Category, ...] = ()

    def label(self, value: str) -> str:
        """How a value of this column is shown: its category's label, else the value itself."""
        for c in self.categories:
            if c.value == value:
                return c.label or value
        return value

    @property
    def heading(self) -> str:
        """The column's name as a person reads it (its title, else the name)."""
        return self.title or self.name.replace("_", " ").capitalize()

    @classmethod
    def from_descriptor(cls, d: dict) -> Field:
        """Build a Field from a Table Schema field descriptor."""
        c = d.get("constraints", {})
        return cls(
            name=d["name"],
            type=d["type"],
            title=d.get("title", ""),
            description=d.get("description", ""),
            format=d.get("format"),
            required=c.get("required", False),
            unique=c.get("unique", False),
            enum=tuple(c.get("enum", ())),
            pattern=c.get("pattern"),
            minimum=c.get("minimum"),
            maximum=c.get("maximum"),
            max_length=c.get("maxLength"),
            delimiter=d.get("delimiter"),
            example=str(d.get("example", "")),
            categories=tuple(Category.from_descriptor(c) for c in d.get("categories", ())),
        )


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values (each item, for list columns) must be ids of another table."""

    field: str
    resource: str
    ref_field: str


@dataclass(frozen=True)
class Table:
    """One CSV file of the package: its path, description, columns and foreign keys."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    optional: bool = False  # a dataset may leave the file out, or give it no rows

    def field(self, name: str) -> Field:
        """Return the field called `name`."""
        return next(f for f in self.fields if f.name == name)

    @property
    def columns(self) -> list[str]:
        """Column names in schema order."""
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Package:
    """The whole descriptor: tables plus the `footprint` configuration block."""

    title: str
    tables: tuple[Table, ...]
    config: dict = field(default_factory=dict)

    def table(self, name: str) -> Table:
        """Return the table called `name`."""
        return next(t for t in self.tables if t.name == name)


def _table(resource: dict) -> Table:
    schema = resource["schema"]
    fks = tuple(
        ForeignKey(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
        for fk in schema.get("foreignKeys", ())
    )
    return Table(
        name=resource["name"],
        path=resource["path"],
        description=resource.get("description", ""),
        fields=tuple(Field.from_descriptor(f) for f in schema["fields"]),
        foreign_keys=fks,
        optional=bool(resource.get("optional", False)),
    )


def load_package(data_dir: Path) -> Package:
    """Read `datapackage.json` from `data_dir`."""
    raw = json.loads((Path(data_dir) / DESCRIPTOR).read_text(encoding="utf-8"))
    return Package(
        title=raw.get("title", ""),
        tables=tuple(_table(r) for r in raw["resources"]),
        config=raw.get("footprint", {}),
    )
