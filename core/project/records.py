"""What a project's reads return (plain frozen records) and the small rules shared by
the store and the edits: timestamps, names a planner can type, one row's change."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from aisite.core.errors import InputError

MAX_NAME_LENGTH = 200


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def check_name(name: Any, what: str = "name") -> str:
    """A name a planner can type and read back: non-empty, one line, not too long."""
    if not isinstance(name, str):
        raise InputError(what, f"must be text, got {type(name).__name__}")
    if not name.strip():
        raise InputError(what, "must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(what, f"is {len(name)} characters long; at most {MAX_NAME_LENGTH}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InputError(what, "must be one line, without control characters")
    return name


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    name: str
    parent_id: int | None
    site_id: int | None
    position: int
    notes: str
    created_at: str
    modified_at: str

    @property
    def is_variant(self) -> bool:
        return self.parent_id is not None


@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    notes: str
    position: int


@dataclass(frozen=True)
class CatalogueRow:
    id: int
    kind: str
    entry_id: str
    data: dict
    position: int
    modified_at: str


@dataclass(frozen=True)
class UncertainInputInfo:
    id: int
    scenario_id: int | None
    path: str
    distribution: str
    params: dict
    label: str
    position: int


@dataclass(frozen=True)
class AnalysisInfo:
    id: int
    name: str
    kind: str
    scenario_id: int | None
    definition: dict
    position: int
    created_at: str
    modified_at: str


@dataclass(frozen=True)
class Change:
    """One row before and after an edit (None: the row did not exist)."""

    table: str
    id: int
    before: dict | None
    after: dict | None


class EditConflict(InputError):
    """Undo/redo found the rows not as the edit left them."""

    def __init__(self, message: str):
        super().__init__("undo", message)

