"""Edits of a scenario's values by field path: set, unset, replace the whole document.

A value is written only if the engine accepts the scenario it leaves
(core.scenario.load_scenario), with the engine's own message naming the field: the
site builder shows the same check as the planner types (``check_edit``), so a script,
the CLI and the window refuse the same values with the same words.
"""
from __future__ import annotations

import copy
import json
from typing import Any, Mapping

from aisite.core.catalogue import Catalogue, load_catalogue
from aisite.core.errors import InputError
from aisite.core.project.edits.common import check_field_path, jsonable
from aisite.core.project.fieldpath import apply_overrides, has_path, is_within, set_path, unset_path
from aisite.core.project.json_io import check_scenario_document, dumps_stored, profile_paths_in, resolve_profiles
from aisite.core.project.records import now_iso
from aisite.core.project.operation import Operation
from aisite.core.project.store import Project
from aisite.core.scenario import load_scenario


def edited_document(doc: Mapping[str, Any], path: str, value: Any = None, *, unset: bool = False) -> dict:
    """A copy of ``doc`` as setting (or unsetting) ``path`` would leave it."""
    out = copy.deepcopy(dict(doc))
    if unset:
        if has_path(out, path):
            unset_path(out, path)
    else:
        set_path(out, path, copy.deepcopy(value))
    return out


def check_document(doc: Mapping[str, Any], catalogue: Catalogue, folder) -> None:
    """The engine's checks on a whole scenario; InputError naming the field if it refuses."""
    load_scenario(resolve_profiles(copy.deepcopy(dict(doc)), folder), catalogue)


def check_edit(before: Mapping[str, Any], after: Mapping[str, Any], path: str, catalogue: Catalogue,
               folder) -> None:
    """Refuse an edit of ``path`` that leaves the scenario invalid (the engine's error).

    A scenario that was already invalid for another field (say, a component since
    removed from the catalogue) can still be edited elsewhere: the edit is refused
    only if the problem is in what it changes, or it breaks a scenario that was valid.
    """
    try:
        check_document(after, catalogue, folder)
    except InputError as error:
        if _concerns(error.field, path):
            raise
        try:
            check_document(before, catalogue, folder)
        except InputError:
            return
        raise


def _concerns(field: str, path: str) -> bool:
    try:
        return is_within(field, path) or is_within(path, field)
    except InputError:  # a field name that is not a path ("scenario")
        return False


def project_catalogue(project: Project) -> Catalogue:
    """The catalogue a project's scenarios are evaluated against: shipped plus its own."""
    return load_catalogue(project.user_catalogue() or None)


def write_field(project: Project, scenario_id: int, path: str, value: Any = None, *,
                unset: bool = False) -> None:
    """Set or unset one field of a stored scenario, inside an operation's transaction:
    a base scenario's document, or a variant's overrides (unset: it inherits again).
    Refused (InputError) if the engine would refuse the scenario it leaves."""
    row = project._row("scenarios", scenario_id)
    before = project.effective_scenario(scenario_id)
    if row["document"] is not None:
        doc = json.loads(row["document"])
        if unset:
            unset_path(doc, path)
        else:
            set_path(doc, path, copy.deepcopy(value))
        after, changes = doc, {"document": dumps_stored(doc)}
    else:
        overrides = json.loads(row["overrides"])
        kept = {k: v for k, v in overrides.items() if not is_within(k, path)}
        if unset and kept == overrides:
            raise InputError(path, f"variant {row['name']!r} does not change this field")
        if not unset:
            kept[path] = copy.deepcopy(value)
        after = apply_overrides(project.effective_scenario(row["parent_id"]), kept,
                                who=f"variant {row['name']!r}")
        after["name"] = before.get("name", after.get("name"))
        changes = {"overrides": dumps_stored(kept)}
    check_edit(before, after, path, project_catalogue(project), project.folder)
    project._update("scenarios", scenario_id, modified_at=now_iso(), **changes)


class SetField(Operation):
    """Set one field of a scenario by path (``deployments[0].count``, ``power[1].mw``).

    On a base scenario the document changes (its variants see it unless they override
    that field); on a variant the value is stored as an override.
    """

    def __init__(self, project: Project, scenario: int | str, path: str, value: Any):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.path = check_field_path(path)
        self.value = jsonable(value, self.path)
        profile_paths_in(self.path, self.value, project.folder)  # no FIFO or device as a profile
        self.merge_key = ("set", self.scenario_id, self.path)
        shown = json.dumps(self.value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        self.description = f"Set {self.path} = {shown} in {info.name!r}"

    def _do(self, project: Project) -> None:
        write_field(project, self.scenario_id, self.path, self.value)


class UnsetField(Operation):
    """Remove a field (base scenario), or a variant's override so it inherits again."""

    def __init__(self, project: Project, scenario: int | str, path: str):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.path = check_field_path(path)
        what = "Inherit" if info.is_variant else "Remove"
        self.description = f"{what} {self.path} in {info.name!r}"

    def _do(self, project: Project) -> None:
        write_field(project, self.scenario_id, self.path, unset=True)


class ReplaceDocument(Operation):
    """Replace a base scenario's whole document (``aisite import --replace``)."""

    def __init__(self, project: Project, scenario: int | str, document: Mapping[str, Any]):
        super().__init__()
        info = project.scenario(scenario)
        if info.is_variant:
            raise InputError("scenario", f"{info.name!r} is a variant; only a base scenario's document can be replaced")
        self.scenario_id = info.id
        self.document = jsonable(check_scenario_document(dict(document), "scenario"), "scenario")
        self.description = f"Replace scenario {info.name!r}"

    def _do(self, project: Project) -> None:
        project._update("scenarios", self.scenario_id, document=dumps_stored(self.document),
                        modified_at=now_iso())
