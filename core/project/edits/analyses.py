"""Edits of what the explorer reads: uncertain inputs and stored analyses."""
from __future__ import annotations

from typing import Any, Mapping

from aisite.core.distributions import parse_distribution
from aisite.core.errors import InputError
from aisite.core.project.edits.common import check_field_path, jsonable, next_position
from aisite.core.project.fieldpath import has_path, normalise_path, set_path
from aisite.core.project.json_io import dumps_stored
from aisite.core.project.records import now_iso
from aisite.core.project.operation import Operation
from aisite.core.project.schema import ANALYSIS_KINDS, DISTRIBUTIONS
from aisite.core.project.store import Project, check_name


def check_distribution(distribution: str, params: Any, field: str) -> dict:
    """Check a distribution given as its name and its parameters (``{"low": .., "mode": ..,
    "high": ..}``; the same fields as a scenario's ``uncertain`` entries without "dist").

    Uses the explorer's own parser (core.distributions), so the project accepts
    exactly what Monte Carlo and tornado can use.
    """
    if distribution not in DISTRIBUTIONS:
        raise InputError(field, f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
    if not isinstance(params, Mapping) or "dist" in params:
        raise InputError(field, "distribution parameters are an object like {\"low\": 1, \"high\": 2}")
    params = jsonable(dict(params), field)
    parse_distribution({"dist": distribution, **params}, field)
    return params


class SetUncertainInput(Operation):
    """Define (or redefine) the distribution of one input, for one scenario or project-wide."""

    def __init__(self, project: Project, scenario: int | str | None, path: str, distribution: str,
                 params: Mapping[str, Any], label: str = ""):
        super().__init__()
        self.scenario_id = project.scenario(scenario).id if scenario is not None else None
        self.path = check_field_path(path)
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
                                                 "position": next_position(project, "uncertain_inputs"),
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
        self.definition = jsonable(dict(definition), "definition")
        self.scenario_id = project.scenario(scenario).id if scenario is not None else None
        self.analysis_id: int | None = None
        self.description = f"Add {kind} analysis {self.name!r}"

    def _do(self, project: Project) -> None:
        if any(a.name == self.name for a in project.analyses()):
            raise InputError("analysis", f"an analysis named {self.name!r} already exists")
        stamp = now_iso()
        self.analysis_id = project._insert("analyses", {
            "name": self.name, "kind": self.kind, "scenario_id": self.scenario_id,
            "definition": dumps_stored(self.definition), "position": next_position(project, "analyses"),
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
            self.changes["definition"] = dumps_stored(jsonable(dict(definition), "definition"))
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
