"""The component catalogue: the shipped CSV files in data/, plus a planner's own rows.

Rows stay plain dicts keyed by the CSV's column names, so a new column in a data file
reaches the engine without code changes. Numbers are parsed once, here.
"""
from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from aisite.core.errors import InputError
from aisite.core.paths import data_dir

KINDS = ("chips", "servers", "network", "cooling", "power_sources", "regions")
TEXT_COLUMNS = {"id", "name", "vendor", "source", "estimated", "kind", "profile",
                "profile_kind", "default_server", "export_class", "temp_basis",
                "country", "unit", "key"}

# What a reference to each kind is called in a scenario, for messages.
KIND_LABEL = {
    "chips": "chip", "servers": "server", "network": "network fabric",
    "cooling": "cooling type", "power_sources": "power source", "regions": "region",
}


def _parse_value(column: str, text: str):
    if column in TEXT_COLUMNS:
        return text
    text = text.strip()
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def read_table(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: _parse_value(k, v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def closest_ids(wanted: str, ids: list[str], n: int = 3) -> list[str]:
    """Ids that contain what was typed first (`h100` -> `nvidia-h100-sxm`), then look-alikes."""
    lowered = wanted.lower()
    containing = [i for i in ids if lowered and lowered in i.lower()]
    similar = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.4)
    return list(dict.fromkeys(containing + similar))[:n]


@dataclass(frozen=True)
class Catalogue:
    """All components by kind and id, and the engine's named constants."""

    tables: Mapping[str, Mapping[str, dict]]
    constants: Mapping[str, float]
    user_ids: Mapping[str, frozenset] = field(default_factory=dict)

    def get(self, kind: str, item_id: str, field_name: str) -> dict:
        """The row for item_id, or an InputError that names the closest ids."""
        table = self.tables[kind]
        if item_id in table:
            return table[item_id]
        close = closest_ids(str(item_id), list(table))
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise InputError(field_name, f"unknown {KIND_LABEL[kind]} {item_id!r}{hint}")

    def ids(self, kind: str) -> list[str]:
        return list(self.tables[kind])

    def constant(self, key: str) -> float:
        try:
            return self.constants[key]
        except KeyError:
            raise KeyError(f"data/constants.csv has no key {key!r}") from None

    def with_user_entries(self, user_entries: Mapping[str, list[dict]] | None) -> "Catalogue":
        """A catalogue where the planner's rows add to or override the shipped ones."""
        if not user_entries:
            return self
        tables = {kind: dict(rows) for kind, rows in self.tables.items()}
        user_ids = {kind: set(ids) for kind, ids in self.user_ids.items()}
        for kind, rows in user_entries.items():
            if kind not in tables:
                raise InputError("catalogue", f"unknown component kind {kind!r}; expected one of {', '.join(KINDS)}")
            for row in rows:
                base = tables[kind].get(row["id"], {})
                tables[kind][row["id"]] = {**base, **row}
                user_ids.setdefault(kind, set()).add(row["id"])
        return Catalogue(tables, self.constants, {k: frozenset(v) for k, v in user_ids.items()})


@lru_cache(maxsize=4)
def _shipped(folder: str) -> Catalogue:
    root = Path(folder)
    tables = {kind: {row["id"]: row for row in read_table(root / f"{kind}.csv")} for kind in KINDS}
    constants = {row["key"]: float(row["value"]) for row in read_table(root / "constants.csv")}
    return Catalogue(tables, constants, {})


def load_catalogue(user_entries: Mapping[str, list[dict]] | None = None) -> Catalogue:
    """The shipped catalogue (cached) with the planner's own entries layered on top."""
    return _shipped(str(data_dir())).with_user_entries(user_entries)
