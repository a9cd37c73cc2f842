"""Edits of the planner's own catalogue entries (chips, servers, power sources, ...)."""
from __future__ import annotations

import math
from typing import Any, Mapping

from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError
from aisite.core.project.edits.common import jsonable, next_position
from aisite.core.project.json_io import dumps_stored
from aisite.core.project.records import now_iso
from aisite.core.project.operation import Operation
from aisite.core.project.schema import CATALOGUE_KINDS
from aisite.core.project.store import Project, check_name


def _check_entry(kind: str, data: Any) -> dict:
    if kind not in CATALOGUE_KINDS:
        raise InputError("kind", f"unknown component kind {kind!r}; expected one of {', '.join(CATALOGUE_KINDS)}")
    if not isinstance(data, Mapping):
        raise InputError(kind, "a catalogue entry is an object of fields")
    entry = jsonable(dict(data), kind)
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise InputError(f"{kind}.id", "every catalogue entry needs an id (text)")
    check_name(entry_id, f"{kind}.id")
    for key, value in entry.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"{kind}[{entry_id}].{key}", "must be a finite number")
    load_catalogue({kind: [entry]})  # the engine's own checks
    return entry


class AddCatalogueEntry(Operation):
    """Add the planner's own component; an id that exists in the shipped catalogue overrides it."""

    def __init__(self, kind: str, data: Mapping[str, Any]):
        super().__init__()
        self.entry = _check_entry(kind, data)
        self.kind = kind
        self.row_id: int | None = None
        self.description = f"Add {kind} entry {self.entry['id']!r}"

    def _do(self, project: Project) -> None:
        if project.catalogue_entry(self.kind, self.entry["id"]) is not None:
            raise InputError(f"{self.kind}.id", f"the project already has a {self.kind} entry {self.entry['id']!r}")
        self.row_id = project._insert("catalogue_entries", {
            "kind": self.kind, "entry_id": self.entry["id"], "data": dumps_stored(self.entry),
            "position": next_position(project, "catalogue_entries"), "modified_at": now_iso()})


class EditCatalogueEntry(Operation):
    """Replace an entry's fields (the new data may carry a new id)."""

    def __init__(self, project: Project, kind: str, entry_id: str, data: Mapping[str, Any]):
        super().__init__()
        self.entry = _check_entry(kind, data)
        self.kind, self.entry_id = kind, entry_id
        row = project.catalogue_entry(kind, entry_id)
        if row is None:
            raise InputError(f"{kind}.id", f"the project has no {kind} entry {entry_id!r}")
        self.row_id = row.id
        self.merge_key = ("catalogue", row.id)
        self.description = f"Edit {kind} entry {entry_id!r}"

    def _do(self, project: Project) -> None:
        new_id = self.entry["id"]
        if new_id != self.entry_id and project.catalogue_entry(self.kind, new_id) is not None:
            raise InputError(f"{self.kind}.id", f"the project already has a {self.kind} entry {new_id!r}")
        project._update("catalogue_entries", self.row_id, entry_id=new_id, data=dumps_stored(self.entry),
                        modified_at=now_iso())


class RemoveCatalogueEntry(Operation):
    def __init__(self, project: Project, kind: str, entry_id: str):
        super().__init__()
        row = project.catalogue_entry(kind, entry_id)
        if row is None:
            raise InputError(f"{kind}.id", f"the project has no {kind} entry {entry_id!r}")
        self.row_id = row.id
        self.description = f"Remove {kind} entry {entry_id!r}"

    def _do(self, project: Project) -> None:
        project._delete("catalogue_entries", self.row_id)
