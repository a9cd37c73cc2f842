"""What every edit shares: JSON-safe values, free names, protected paths, row positions."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from aisite.core.errors import InputError
from aisite.core.project.fieldpath import normalise_path
from aisite.core.project.schema import TABLES
from aisite.core.project.store import Project

#: Fields of a scenario document that SetField does not touch (use RenameScenario).
PROTECTED_PATHS = ("format", "name")


def jsonable(value: Any, field: str) -> Any:
    """A plain JSON copy of ``value``; NaN and infinities are refused (a scenario file
    with them could not be read back)."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except ValueError:
        raise InputError(field, "must be a finite number (NaN and infinity are not allowed)") from None
    except (TypeError, RecursionError) as error:
        raise InputError(field, f"must be a JSON value (number, text, true/false, list, object): {error}") from None


def name_taken(project: Project, name: str, *, except_id: int | None = None) -> bool:
    return any(s.name == name and s.id != except_id for s in project.scenarios())


def unique_name(project: Project, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``... whichever is free."""
    names = set(project.scenario_names())
    if wanted not in names:
        return wanted
    i = 2
    while f"{wanted} ({i})" in names:
        i += 1
    return f"{wanted} ({i})"


def next_position(project: Project, table: str) -> int:
    t = TABLES[table]
    with project._reading() as conn:
        return int(conn.execute(select(func.coalesce(func.max(t.c.position), -1) + 1)).scalar_one())


def check_field_path(path: str) -> str:
    norm = normalise_path(path)
    if norm in PROTECTED_PATHS:
        raise InputError(norm, "cannot be set here" + ("; rename the scenario instead" if norm == "name" else ""))
    return norm
