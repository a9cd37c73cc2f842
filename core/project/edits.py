"""Edits as reversible operations: apply, undo, redo.

Every operation is a plain object with ``apply(project)``, ``revert(project)`` and a
``description`` a planner can read in an Edit menu ("Rename scenario 'A' to 'B'").
The desktop app wraps each one in a QUndoCommand (redo -> apply, undo -> revert);
:class:`UndoHistory` is the same stack without Qt, for scripts and tests.

How undo is exact: the first ``apply`` runs the operation's logic and the project
records every row it wrote, before and after (store.Project._insert/_update/_delete).
``revert`` puts the "before" images back, a later ``apply`` (redo) the "after"
images, each in one transaction, and both first check that the rows are exactly as
the edit left them (EditConflict otherwise), so an out-of-step undo stack can never
scramble a project.

Scenarios are referred to by id (stable across undo/redo, since deleted rows come
back with their ids) or by name at construction time.
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any, Iterable, Mapping

from core.errors import InputError
from core.project.fieldpath import (
    apply_overrides,
    has_path,
    is_within,
    normalise_path,
    set_path,
    unset_path,
)
from core.project.json_io import check_scenario_document, dumps_stored, profile_paths_in
from core.project.schema import ANALYSIS_KINDS, CATALOGUE_KINDS, DISTRIBUTIONS
from core.project.store import Change, Project, check_name, now_iso

#: Fields of a scenario document that SetField does not touch (use RenameScenario).
PROTECTED_PATHS = ("format", "name")


def _jsonable(value: Any, field: str) -> Any:
    """A plain JSON copy of ``value``; NaN and infinities are refused (a scenario file
    with them could not be read back)."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except ValueError:
        raise InputError(field, "must be a finite number (NaN and infinity are not allowed)") from None
    except (TypeError, RecursionError) as error:
        raise InputError(field, f"must be a JSON value (number, text, true/false, list, object): {error}") from None


def _scenario_id(project: Project, ref: int | str, field: str = "scenario") -> int:
    return project.scenario(ref, field=field).id


def _name_taken(project: Project, name: str, *, except_id: int | None = None) -> bool:
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


def _next_position(project: Project, table: str) -> int:
    from sqlalchemy import func, select  # noqa: PLC0415

    from core.project.schema import TABLES  # noqa: PLC0415

    t = TABLES[table]
    with project._reading() as conn:
        return int(conn.execute(select(func.coalesce(func.max(t.c.position), -1) + 1)).scalar_one())


class Operation:
    """Base class. Subclasses implement ``_do(project)`` with the project's row writes."""

    description = "Edit"
    #: Operations with equal, non-None merge keys merge into one undo step (slider drags).
    merge_key: Any = None

    def __init__(self) -> None:
        self._changes: list[Change] | None = None

    @property
    def applied_once(self) -> bool:
        return self._changes is not None

    def apply(self, project: Project) -> None:
        """Do (first time) or redo the edit, in one transaction."""
        if self._changes is None:
            with project._writing():
                with project._journaling() as journal:
                    self._do(project)
                changes = list(journal)
            self._changes = changes
        else:
            with project._writing():
                project._replay(self._changes, forward=True)
        project._emit("apply", self)

    def revert(self, project: Project) -> None:
        """Undo the edit, in one transaction."""
        if self._changes is None:
            raise RuntimeError(f"{self.description!r} was never applied")
        with project._writing():
            project._replay(self._changes, forward=False)
        project._emit("revert", self)

    def merge(self, later: "Operation") -> bool:
        """Fold an applied ``later`` edit into this one (same merge key); True if merged."""
        if (self.merge_key is None or later.merge_key != self.merge_key
                or self._changes is None or later._changes is None):
            return False
        combined: dict[tuple[str, int], Change] = {}
        for ch in self._changes + later._changes:
            key = (ch.table, ch.id)
            if key in combined:
                first = combined.pop(key)
                ch = Change(ch.table, ch.id, first.before, ch.after)
            combined[key] = ch
        self._changes = [c for c in combined.values() if c.before != c.after]
        self.description = later.description
        return True

    @property
    def changed_nothing(self) -> bool:
        return self._changes is not None and not self._changes

    def _do(self, project: Project) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.description}>"


class Compound(Operation):
    """Several edits as one undo step and one transaction (an import of many files)."""

    def __init__(self, ops: Iterable[Operation], description: str):
        super().__init__()
        self.ops = list(ops)
        self.description = description

    def _do(self, project: Project) -> None:
        for op in self.ops:
            op._do(project)


# --------------------------------------------------------------------------- scenarios
class AddScenario(Operation):
    """Add a base scenario from an ``aisite.scenario/1`` document (stored exactly as given)."""

    def __init__(self, document: Mapping[str, Any], name: str | None = None, *,
                 site_id: "int | AddSite | None" = None, notes: str = ""):
        super().__init__()
        doc = check_scenario_document(copy.deepcopy(dict(document)) if isinstance(document, Mapping)
                                      else document, "scenario")
        self.document = _jsonable(doc, "scenario")
        self.name = check_name(name if name is not None else str(doc.get("name") or "Scenario"), "name")
        self.site_id = site_id
        self.notes = notes
        self.scenario_id: int | None = None
        self.description = f"Add scenario {self.name!r}"

    def _do(self, project: Project) -> None:
        if _name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        site_id = self.site_id.site_id if isinstance(self.site_id, AddSite) else self.site_id
        if site_id is not None:
            project.site(site_id)
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": site_id, "parent_id": None,
            "document": dumps_stored(self.document), "overrides": None, "notes": self.notes,
            "position": _next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
        })


class DuplicateAsVariant(Operation):
    """A new variant of a scenario: it inherits everything and stores only what it changes."""

    def __init__(self, project: Project, scenario: int | str, name: str | None = None,
                 overrides: Mapping[str, Any] | None = None):
        super().__init__()
        parent = project.scenario(scenario)
        self.parent_id = parent.id
        self.name = check_name(name if name is not None else unique_name(project, f"{parent.name} variant"), "name")
        self.overrides = {normalise_path(k): _jsonable(v, k) for k, v in (overrides or {}).items()}
        for path in self.overrides:
            if path in PROTECTED_PATHS:
                raise InputError(path, "a variant cannot override this field")
        self.scenario_id: int | None = None
        self.description = f"Add variant {self.name!r} of {parent.name!r}"

    def _do(self, project: Project) -> None:
        if _name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        parent_doc = project.effective_scenario(self.parent_id)
        apply_overrides(parent_doc, self.overrides, who=f"variant {self.name!r}")
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": None, "parent_id": self.parent_id, "document": None,
            "overrides": dumps_stored(self.overrides), "notes": "",
            "position": _next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
        })


class DuplicateScenario(Operation):
    """An independent copy (a base scenario holding the whole effective document)."""

    def __init__(self, project: Project, scenario: int | str, name: str | None = None):
        super().__init__()
        source = project.scenario(scenario)
        self.source_id = source.id
        self.site_id = source.site_id
        self.name = check_name(name if name is not None else unique_name(project, f"{source.name} copy"), "name")
        self.scenario_id: int | None = None
        self.description = f"Duplicate {source.name!r} as {self.name!r}"

    def _do(self, project: Project) -> None:
        if _name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        doc = project.effective_scenario(self.source_id)
        if "name" in doc:
            doc["name"] = self.name
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": self.site_id, "parent_id": None,
            "document": dumps_stored(doc), "overrides": None, "notes": "",
            "position": _next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
        })


class RenameScenario(Operation):
    """Rename; a base scenario's document ``name`` field follows (a variant's name is its own)."""

    def __init__(self, project: Project, scenario: int | str, new_name: str):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.new_name = check_name(new_name, "name")
        self.description = f"Rename scenario {info.name!r} to {self.new_name!r}"

    def _do(self, project: Project) -> None:
        if _name_taken(project, self.new_name, except_id=self.scenario_id):
            raise InputError("name", f"a scenario named {self.new_name!r} already exists")
        row = project._row("scenarios", self.scenario_id)
        changes: dict[str, Any] = {"name": self.new_name, "modified_at": now_iso()}
        if row["document"] is not None:
            doc = json.loads(row["document"])
            if "name" in doc:
                doc["name"] = self.new_name
                changes["document"] = dumps_stored(doc)
        project._update("scenarios", self.scenario_id, **changes)


class DeleteScenario(Operation):
    """Delete a scenario, its variants, and the uncertain inputs and analyses that use them."""

    def __init__(self, project: Project, scenario: int | str):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        n = len(project.descendants(info.id))
        more = f" and its {n} variant{'s' if n != 1 else ''}" if n else ""
        self.description = f"Delete scenario {info.name!r}{more}"

    def _do(self, project: Project) -> None:
        doomed = [self.scenario_id] + [s.id for s in project.descendants(self.scenario_id)]
        for u in project.uncertain_inputs(all_scenarios=True):
            if u.scenario_id in doomed:
                project._delete("uncertain_inputs", u.id)
        for a in project.analyses():
            if a.scenario_id in doomed:
                project._delete("analyses", a.id)
        for sid in reversed(doomed):  # variants before their parents
            project._delete("scenarios", sid)


def _check_field_path(path: str) -> str:
    norm = normalise_path(path)
    if norm in PROTECTED_PATHS:
        raise InputError(norm, "cannot be set here" + ("; rename the scenario instead" if norm == "name" else ""))
    return norm


class SetField(Operation):
    """Set one field of a scenario by path (``deployments[0].count``, ``power[1].mw``).

    On a base scenario the document changes (its variants see it unless they override
    that field); on a variant the value is stored as an override.
    """

    def __init__(self, project: Project, scenario: int | str, path: str, value: Any):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.path = _check_field_path(path)
        self.value = _jsonable(value, self.path)
        profile_paths_in(self.path, self.value, project.folder)  # no FIFO or device as a profile
        self.merge_key = ("set", self.scenario_id, self.path)
        shown = json.dumps(self.value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        self.description = f"Set {self.path} = {shown} in {info.name!r}"

    def _do(self, project: Project) -> None:
        row = project._row("scenarios", self.scenario_id)
        if row["document"] is not None:
            doc = json.loads(row["document"])
            set_path(doc, self.path, copy.deepcopy(self.value))
            project._update("scenarios", self.scenario_id, document=dumps_stored(doc), modified_at=now_iso())
        else:
            overrides = json.loads(row["overrides"])
            overrides = {k: v for k, v in overrides.items() if not is_within(k, self.path)}
            overrides[self.path] = copy.deepcopy(self.value)
            parent_doc = project.effective_scenario(row["parent_id"])
            apply_overrides(parent_doc, overrides, who=f"variant {row['name']!r}")
            project._update("scenarios", self.scenario_id, overrides=dumps_stored(overrides),
                            modified_at=now_iso())


class UnsetField(Operation):
    """Remove a field (base scenario), or a variant's override so it inherits again."""

    def __init__(self, project: Project, scenario: int | str, path: str):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.path = _check_field_path(path)
        what = "Inherit" if info.is_variant else "Remove"
        self.description = f"{what} {self.path} in {info.name!r}"

    def _do(self, project: Project) -> None:
        row = project._row("scenarios", self.scenario_id)
        if row["document"] is not None:
            doc = json.loads(row["document"])
            unset_path(doc, self.path)
            project._update("scenarios", self.scenario_id, document=dumps_stored(doc), modified_at=now_iso())
        else:
            overrides = json.loads(row["overrides"])
            kept = {k: v for k, v in overrides.items() if not is_within(k, self.path)}
            if kept == overrides:
                raise InputError(self.path, f"variant {row['name']!r} does not change this field")
            project._update("scenarios", self.scenario_id, overrides=dumps_stored(kept), modified_at=now_iso())


class ReplaceDocument(Operation):
    """Replace a base scenario's whole document (``aisite import --replace``)."""

    def __init__(self, project: Project, scenario: int | str, document: Mapping[str, Any]):
        super().__init__()
        info = project.scenario(scenario)
        if info.is_variant:
            raise InputError("scenario", f"{info.name!r} is a variant; only a base scenario's document can be replaced")
        self.scenario_id = info.id
        self.document = _jsonable(check_scenario_document(dict(document), "scenario"), "scenario")
        self.description = f"Replace scenario {info.name!r}"

    def _do(self, project: Project) -> None:
        project._update("scenarios", self.scenario_id, document=dumps_stored(self.document),
                        modified_at=now_iso())


class DetachVariant(Operation):
    """Make a variant a base scenario of its own (it keeps its current values)."""

    def __init__(self, project: Project, scenario: int | str):
        super().__init__()
        info = project.scenario(scenario)
        if not info.is_variant:
            raise InputError("scenario", f"{info.name!r} is not a variant")
        self.scenario_id = info.id
        self.description = f"Detach variant {info.name!r}"

    def _do(self, project: Project) -> None:
        doc = project.effective_scenario(self.scenario_id)
        parent_site = project.scenario(project.scenario(self.scenario_id).parent_id).site_id
        row = project._row("scenarios", self.scenario_id)
        project._update("scenarios", self.scenario_id, parent_id=None, document=dumps_stored(doc),
                        overrides=None, site_id=row["site_id"] if row["site_id"] is not None else parent_site,
                        modified_at=now_iso())


class SetScenarioNotes(Operation):
    def __init__(self, project: Project, scenario: int | str, notes: str):
        super().__init__()
        info = project.scenario(scenario)
        if not isinstance(notes, str):
            raise InputError("notes", "must be text")
        self.scenario_id, self.notes = info.id, notes
        self.merge_key = ("notes", info.id)
        self.description = f"Edit notes of {info.name!r}"

    def _do(self, project: Project) -> None:
        project._update("scenarios", self.scenario_id, notes=self.notes, modified_at=now_iso())


class MoveScenario(Operation):
    """Put a scenario in a site (None: no site), optionally at a position in the tree."""

    def __init__(self, project: Project, scenario: int | str, site: int | str | None,
                 position: int | None = None):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.site_id = project.site(site).id if site is not None else None
        self.position = position
        where = f"site {project.site(site).name!r}" if site is not None else "no site"
        self.description = f"Move {info.name!r} to {where}"

    def _do(self, project: Project) -> None:
        changes: dict[str, Any] = {"site_id": self.site_id}
        if self.position is not None:
            changes["position"] = int(self.position)
        project._update("scenarios", self.scenario_id, **changes)


# --------------------------------------------------------------------------- sites
class AddSite(Operation):
    def __init__(self, name: str, notes: str = ""):
        super().__init__()
        self.name = check_name(name, "site")
        self.notes = notes
        self.site_id: int | None = None
        self.description = f"Add site {self.name!r}"

    def _do(self, project: Project) -> None:
        if any(s.name == self.name for s in project.sites()):
            raise InputError("site", f"a site named {self.name!r} already exists")
        self.site_id = project._insert("sites", {"name": self.name, "notes": self.notes,
                                                 "position": _next_position(project, "sites")})


class RenameSite(Operation):
    def __init__(self, project: Project, site: int | str, new_name: str):
        super().__init__()
        info = project.site(site)
        self.site_id = info.id
        self.new_name = check_name(new_name, "site")
        self.description = f"Rename site {info.name!r} to {self.new_name!r}"

    def _do(self, project: Project) -> None:
        if any(s.name == self.new_name and s.id != self.site_id for s in project.sites()):
            raise InputError("site", f"a site named {self.new_name!r} already exists")
        project._update("sites", self.site_id, name=self.new_name)


class DeleteSite(Operation):
    """Delete a site; its scenarios stay, with no site."""

    def __init__(self, project: Project, site: int | str):
        super().__init__()
        info = project.site(site)
        self.site_id = info.id
        self.description = f"Delete site {info.name!r}"

    def _do(self, project: Project) -> None:
        for s in project.scenarios():
            if s.site_id == self.site_id:
                project._update("scenarios", s.id, site_id=None)
        project._delete("sites", self.site_id)


# --------------------------------------------------------------------------- catalogue
def _check_entry(kind: str, data: Any) -> dict:
    if kind not in CATALOGUE_KINDS:
        raise InputError("kind", f"unknown component kind {kind!r}; expected one of {', '.join(CATALOGUE_KINDS)}")
    if not isinstance(data, Mapping):
        raise InputError(kind, "a catalogue entry is an object of fields")
    entry = _jsonable(dict(data), kind)
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise InputError(f"{kind}.id", "every catalogue entry needs an id (text)")
    check_name(entry_id, f"{kind}.id")
    for key, value in entry.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"{kind}[{entry_id}].{key}", "must be a finite number")
    try:
        from core.catalogue import load_catalogue  # noqa: PLC0415
    except ImportError:
        return entry
    load_catalogue({kind: [entry]})  # the engine's own checks, when it has some
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
            "position": _next_position(project, "catalogue_entries"), "modified_at": now_iso()})


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


# --------------------------------------------------------------------------- uncertain inputs
_DIST_PARAMS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}


def check_distribution(distribution: str, params: Any, field: str) -> dict:
    """Check a distribution given as its name and its parameters (``{"low": .., "mode": ..,
    "high": ..}``; the same fields as a scenario's ``uncertain`` entries without "dist").

    Uses the explorer's own parser (core.explore.distributions) when it is present, so
    the project accepts exactly what Monte Carlo and tornado can use.
    """
    if distribution not in DISTRIBUTIONS:
        raise InputError(field, f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
    if not isinstance(params, Mapping) or "dist" in params:
        raise InputError(field, "distribution parameters are an object like {\"low\": 1, \"high\": 2}")
    params = _jsonable(dict(params), field)
    try:
        from core.explore.distributions import parse_distribution  # noqa: PLC0415
    except ImportError:
        parse_distribution = None
    if parse_distribution is not None:
        parse_distribution({"dist": distribution, **params}, field)
        return params
    if distribution == "discrete":
        values = params.get("values")
        if not isinstance(values, list) or not values:
            raise InputError(f"{field}.values", "a discrete distribution needs a non-empty list of values")
        weights = params.get("weights")
        if weights is not None and (not isinstance(weights, list) or len(weights) != len(values)
                                    or any(not _finite(w) or w < 0 for w in weights) or sum(weights) <= 0):
            raise InputError(f"{field}.weights", "must be one non-negative number per value, not all zero")
        return params
    for key in _DIST_PARAMS[distribution]:
        if not _finite(params.get(key)):
            raise InputError(f"{field}.{key}", f"must be a finite number, got {params.get(key)!r}")
    if "low" in params and "high" in params:
        if params["low"] > params["high"]:
            raise InputError(field, f"low ({params['low']}) is above high ({params['high']})")
        if "mode" in params and not params["low"] <= params["mode"] <= params["high"]:
            raise InputError(field, f"needs low <= mode <= high, got {params['low']}, {params['mode']}, {params['high']}")
    for key in ("sd", "sigma"):
        if key in params and params[key] < 0:
            raise InputError(f"{field}.{key}", "must not be negative")
    return params


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class SetUncertainInput(Operation):
    """Define (or redefine) the distribution of one input, for one scenario or project-wide."""

    def __init__(self, project: Project, scenario: int | str | None, path: str, distribution: str,
                 params: Mapping[str, Any], label: str = ""):
        super().__init__()
        self.scenario_id = project.scenario(scenario).id if scenario is not None else None
        self.path = _check_field_path(path)
        self.distribution = distribution
        self.params = check_distribution(distribution, params, f"uncertain.{self.path}")
        self.label = label if isinstance(label, str) else str(label)
        self.merge_key = ("uncertain", self.scenario_id, self.path)
        where = f" in {project.scenario(self.scenario_id).name!r}" if self.scenario_id else ""
        self.description = f"Set uncertainty of {self.path}{where}"

    def _existing(self, project: Project):
        for u in project.uncertain_inputs(all_scenarios=True):
            if u.scenario_id == self.scenario_id and u.path == self.path:
                return u
        return None

    def _do(self, project: Project) -> None:
        if self.scenario_id is not None:
            # The field must be one the scenario has or can have (overrides.pue, schedule.x).
            doc = project.effective_scenario(self.scenario_id)
            if not has_path(doc, self.path):
                set_path(doc, self.path, None)
        values = {"distribution": self.distribution, "params": dumps_stored(self.params), "label": self.label}
        old = self._existing(project)
        if old is None:
            project._insert("uncertain_inputs", {"scenario_id": self.scenario_id, "path": self.path,
                                                 "position": _next_position(project, "uncertain_inputs"),
                                                 **values})
        else:
            project._update("uncertain_inputs", old.id, **values)


class RemoveUncertainInput(Operation):
    def __init__(self, project: Project, scenario: int | str | None, path: str):
        super().__init__()
        self.scenario_id = project.scenario(scenario).id if scenario is not None else None
        self.path = normalise_path(path)
        self.description = f"Remove uncertainty of {self.path}"

    def _do(self, project: Project) -> None:
        for u in project.uncertain_inputs(all_scenarios=True):
            if u.scenario_id == self.scenario_id and u.path == self.path:
                project._delete("uncertain_inputs", u.id)
                return
        raise InputError(self.path, "has no uncertainty defined here")


# --------------------------------------------------------------------------- analyses
class AddAnalysis(Operation):
    def __init__(self, project: Project, name: str, kind: str, definition: Mapping[str, Any],
                 scenario: int | str | None = None):
        super().__init__()
        self.name = check_name(name, "analysis")
        if kind not in ANALYSIS_KINDS:
            raise InputError("kind", f"unknown analysis kind {kind!r}; expected one of {', '.join(ANALYSIS_KINDS)}")
        if not isinstance(definition, Mapping):
            raise InputError("definition", "an analysis definition is an object")
        self.kind = kind
        self.definition = _jsonable(dict(definition), "definition")
        self.scenario_id = project.scenario(scenario).id if scenario is not None else None
        self.analysis_id: int | None = None
        self.description = f"Add {kind} analysis {self.name!r}"

    def _do(self, project: Project) -> None:
        if any(a.name == self.name for a in project.analyses()):
            raise InputError("analysis", f"an analysis named {self.name!r} already exists")
        stamp = now_iso()
        self.analysis_id = project._insert("analyses", {
            "name": self.name, "kind": self.kind, "scenario_id": self.scenario_id,
            "definition": dumps_stored(self.definition), "position": _next_position(project, "analyses"),
            "created_at": stamp, "modified_at": stamp})


class EditAnalysis(Operation):
    _KEEP = object()

    def __init__(self, project: Project, analysis: int | str, *, name: str | None = None,
                 definition: Mapping[str, Any] | None = None, scenario: Any = _KEEP):
        super().__init__()
        info = project.analysis(analysis)
        self.analysis_id = info.id
        self.changes: dict[str, Any] = {}
        if name is not None:
            self.changes["name"] = check_name(name, "analysis")
        if definition is not None:
            if not isinstance(definition, Mapping):
                raise InputError("definition", "an analysis definition is an object")
            self.changes["definition"] = dumps_stored(_jsonable(dict(definition), "definition"))
        if scenario is not EditAnalysis._KEEP:
            self.changes["scenario_id"] = project.scenario(scenario).id if scenario is not None else None
        self.merge_key = ("analysis", info.id)
        self.description = f"Edit analysis {info.name!r}"

    def _do(self, project: Project) -> None:
        new_name = self.changes.get("name")
        if new_name is not None and any(a.name == new_name and a.id != self.analysis_id for a in project.analyses()):
            raise InputError("analysis", f"an analysis named {new_name!r} already exists")
        project._update("analyses", self.analysis_id, modified_at=now_iso(), **self.changes)


class RemoveAnalysis(Operation):
    def __init__(self, project: Project, analysis: int | str):
        super().__init__()
        info = project.analysis(analysis)
        self.analysis_id = info.id
        self.description = f"Remove analysis {info.name!r}"

    def _do(self, project: Project) -> None:
        project._delete("analyses", self.analysis_id)


# --------------------------------------------------------------------------- project info
class SetProjectInfo(Operation):
    """Title and notes of the project (kept in the project's one metadata row)."""

    def __init__(self, project: Project, *, title: str | None = None, notes: str | None = None):
        super().__init__()
        self.new = {k: v for k, v in (("title", title), ("notes", notes)) if v is not None}
        for key, value in self.new.items():
            if not isinstance(value, str):
                raise InputError(key, "must be text")
        self.old: dict[str, str] | None = None
        self.merge_key = ("project-info", tuple(sorted(self.new)))
        self.description = "Edit project " + " and ".join(sorted(self.new)) if self.new else "Edit project"

    def apply(self, project: Project) -> None:
        with project._writing() as conn:
            if self.old is None:
                self.old = {k: project._meta[k] for k in self.new}
            project._touch_meta(conn, **self.new)
        self._changes = []
        project._emit("apply", self)

    def revert(self, project: Project) -> None:
        if self.old is None:
            raise RuntimeError("never applied")
        with project._writing() as conn:
            project._touch_meta(conn, **self.old)
        project._emit("revert", self)

    def merge(self, later: Operation) -> bool:
        if isinstance(later, SetProjectInfo) and later.merge_key == self.merge_key and self.old is not None:
            self.new = later.new
            return True
        return False


# --------------------------------------------------------------------------- history
class UndoHistory:
    """A linear undo/redo stack of applied operations (what QUndoStack does, without Qt)."""

    def __init__(self, project: Project, limit: int = 500):
        self.project = project
        self.limit = limit
        self._done: list[Operation] = []
        self._undone: list[Operation] = []

    def do(self, op: Operation, *, merge: bool = False) -> Operation:
        """Apply ``op``; with ``merge`` it joins the last step when their merge keys match."""
        op.apply(self.project)
        if merge and self._done and self._done[-1].merge(op):
            top = self._done[-1]
            if top.changed_nothing:
                self._done.pop()
        else:
            self._done.append(op)
            del self._done[:-self.limit]
        self._undone.clear()
        return op

    def undo(self) -> Operation | None:
        if not self._done:
            return None
        op = self._done[-1]
        op.revert(self.project)
        self._undone.append(self._done.pop())
        return op

    def redo(self) -> Operation | None:
        if not self._undone:
            return None
        op = self._undone[-1]
        op.apply(self.project)
        self._done.append(self._undone.pop())
        return op

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()


# --------------------------------------------------------------------------- import
def import_documents(project: Project, documents: Iterable[tuple[Mapping[str, Any], str]], *,
                     on_conflict: str = "error", site: int | str | None = None,
                     validate: bool = True) -> Compound:
    """Add scenario documents (``(document, where-from)`` pairs) as one undo step.

    ``on_conflict`` for a name already in the project: "error", "rename" (``Name (2)``)
    or "replace" (the stored document; its variants stay). ``site``: a site id or
    name (a new name creates the site, in the same step). With ``validate`` each
    document is checked by the engine (core.scenario.load_scenario) first, against the
    shipped catalogue plus the project's own entries.
    """
    if on_conflict not in ("error", "rename", "replace"):
        raise ValueError(on_conflict)
    docs = [(check_scenario_document(doc, where), where) for doc, where in documents]
    for doc, where in docs:  # even with validate off: no FIFO or device as a profile
        profile_paths_in("", doc, Path(where).resolve().parent if Path(where).suffix else project.folder)
    if validate:
        validate_documents(project, docs)
    ops: list[Operation] = []
    site_ref: int | AddSite | None = None
    if site is not None:
        try:
            site_ref = project.site(site).id
        except InputError:
            if not isinstance(site, str):
                raise
            site_ref = AddSite(site)
            ops.append(site_ref)
    taken = set(project.scenario_names())
    for doc, where in docs:
        name = str(doc.get("name") or _stem(where))
        check_name(name, f"{where}: name")
        if name in taken:
            if on_conflict == "error":
                raise InputError(where, f"the project already has a scenario named {name!r} "
                                 "(use --replace to overwrite it, or --rename to keep both)")
            if on_conflict == "replace":
                if any(getattr(o, "name", None) == name for o in ops if isinstance(o, AddScenario)):
                    raise InputError(where, f"two of the files are named {name!r}")
                ops.append(ReplaceDocument(project, name, doc))
                continue
            i = 2
            while f"{name} ({i})" in taken:
                i += 1
            name = f"{name} ({i})"
        taken.add(name)
        ops.append(AddScenario(doc, name, site_id=site_ref))
    scen_ops = [o for o in ops if not isinstance(o, AddSite)]
    what = scen_ops[0].description if len(scen_ops) == 1 else f"Import {len(scen_ops)} scenarios"
    return project.do(Compound(ops, what))


def _stem(where: str) -> str:
    from pathlib import Path  # noqa: PLC0415

    return Path(where).stem or "Scenario"


def validate_documents(project: Project, docs: list[tuple[Mapping[str, Any], str]]) -> None:
    """The engine's checks on each document; InputError naming the file and the field."""
    try:
        from core.catalogue import load_catalogue  # noqa: PLC0415
        from core.scenario import load_scenario  # noqa: PLC0415
    except ImportError:
        return
    from pathlib import Path  # noqa: PLC0415

    from core.project.json_io import resolve_profiles  # noqa: PLC0415

    catalogue = load_catalogue(project.user_catalogue() or None)
    for doc, where in docs:
        folder = Path(where).resolve().parent if Path(where).suffix else project.folder
        try:
            load_scenario(resolve_profiles(copy.deepcopy(dict(doc)), folder), catalogue)
        except InputError as error:
            raise InputError(where, str(error)) from None
