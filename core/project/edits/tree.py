"""Edits of the project tree: scenarios (add, copy, variant, rename, move, delete, detach,
notes) and sites."""
from __future__ import annotations

import copy
import json
from typing import Any, Mapping

from aisite.core.errors import InputError
from aisite.core.project.edits.common import PROTECTED_PATHS, jsonable, name_taken, next_position, unique_name
from aisite.core.project.fieldpath import apply_overrides, normalise_path
from aisite.core.project.json_io import check_scenario_document, dumps_stored
from aisite.core.project.records import now_iso
from aisite.core.project.operation import Operation
from aisite.core.project.store import Project, check_name


class AddScenario(Operation):
    """Add a base scenario from an ``aisite.scenario/1`` document (stored exactly as given)."""

    def __init__(self, document: Mapping[str, Any], name: str | None = None, *,
                 site_id: "int | AddSite | None" = None, notes: str = ""):
        super().__init__()
        doc = check_scenario_document(copy.deepcopy(dict(document)) if isinstance(document, Mapping)
                                      else document, "scenario")
        self.document = jsonable(doc, "scenario")
        self.name = check_name(name if name is not None else str(doc.get("name") or "Scenario"), "name")
        self.site_id = site_id
        self.notes = notes
        self.scenario_id: int | None = None
        self.description = f"Add scenario {self.name!r}"

    def _do(self, project: Project) -> None:
        if name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        site_id = self.site_id.site_id if isinstance(self.site_id, AddSite) else self.site_id
        if site_id is not None:
            project.site(site_id)
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": site_id, "parent_id": None,
            "document": dumps_stored(self.document), "overrides": None, "notes": self.notes,
            "position": next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
        })


class DuplicateAsVariant(Operation):
    """A new variant of a scenario: it inherits everything and stores only what it changes."""

    def __init__(self, project: Project, scenario: int | str, name: str | None = None,
                 overrides: Mapping[str, Any] | None = None):
        super().__init__()
        parent = project.scenario(scenario)
        self.parent_id = parent.id
        self.name = check_name(name if name is not None else unique_name(project, f"{parent.name} variant"), "name")
        self.overrides = {normalise_path(k): jsonable(v, k) for k, v in (overrides or {}).items()}
        for path in self.overrides:
            if path in PROTECTED_PATHS:
                raise InputError(path, "a variant cannot override this field")
        self.scenario_id: int | None = None
        self.description = f"Add variant {self.name!r} of {parent.name!r}"

    def _do(self, project: Project) -> None:
        if name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        parent_doc = project.effective_scenario(self.parent_id)
        apply_overrides(parent_doc, self.overrides, who=f"variant {self.name!r}")
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": None, "parent_id": self.parent_id, "document": None,
            "overrides": dumps_stored(self.overrides), "notes": "",
            "position": next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
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
        if name_taken(project, self.name):
            raise InputError("name", f"a scenario named {self.name!r} already exists")
        doc = project.effective_scenario(self.source_id)
        if "name" in doc:
            doc["name"] = self.name
        stamp = now_iso()
        self.scenario_id = project._insert("scenarios", {
            "name": self.name, "site_id": self.site_id, "parent_id": None,
            "document": dumps_stored(doc), "overrides": None, "notes": "",
            "position": next_position(project, "scenarios"), "created_at": stamp, "modified_at": stamp,
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
        if name_taken(project, self.new_name, except_id=self.scenario_id):
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
                                                 "position": next_position(project, "sites")})


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
