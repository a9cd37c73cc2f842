"""Edits a planner makes in the site builder that carry a domain rule, not just a value:
add a deployment or a power source (with the defaults of core.scenario_defaults),
remove one, give a power entry a new source (it keeps what the new source takes),
switch the workload's kind (keeping the model). Each reads the scenario as it is when
applied, writes one field through ``write_field`` (so the engine's checks apply) and
is one undo step; on a variant the changed list is stored as its override.
"""
from __future__ import annotations

from typing import Any

from aisite.core.errors import InputError
from aisite.core.project.edits.fields import project_catalogue, write_field
from aisite.core.project.fieldpath import get_path, has_path
from aisite.core.project.operation import Operation
from aisite.core.project.store import Project
from aisite.core.scenario_defaults import (
    WORKLOAD_DEFAULTS,
    new_deployment,
    new_power_source,
    replace_power_source,
    workload_for_kind,
)

#: The lists of a scenario that hold rows, and what one row is called.
ROW_LISTS = {"deployments": "deployment", "power": "power source"}


class _ScenarioEdit(Operation):
    def __init__(self, project: Project, scenario: int | str):
        super().__init__()
        info = project.scenario(scenario)
        self.scenario_id = info.id
        self.scenario_name = info.name

    def _rows(self, project: Project, key: str) -> list:
        doc = project.effective_scenario(self.scenario_id)
        rows = doc.get(key) or []
        if not isinstance(rows, list):
            raise InputError(key, "is not a list")
        return [dict(r) if isinstance(r, dict) else r for r in rows]


class AddDeployment(_ScenarioEdit):
    """Add a deployment: the last one's chip (or the default chip), 1,024 accelerators,
    starting a phase after the latest one (core.scenario_defaults.new_deployment)."""

    def __init__(self, project: Project, scenario: int | str, *, chip: Any = None, count: int | None = None):
        super().__init__(project, scenario)
        self.chip, self.count = chip, count
        self.description = f"Add deployment to {self.scenario_name!r}"

    def _do(self, project: Project) -> None:
        rows = self._rows(project, "deployments")
        rows.append(new_deployment(rows, self.chip, self.count))
        write_field(project, self.scenario_id, "deployments", rows)


class AddPowerSource(_ScenarioEdit):
    """Add a power source: the first of the preferred order not used yet, sized like the
    largest one (core.scenario_defaults.new_power_source)."""

    def __init__(self, project: Project, scenario: int | str, *, source: str | None = None,
                 mw: float | None = None):
        super().__init__(project, scenario)
        self.source, self.mw = source, mw
        self.description = f"Add power source to {self.scenario_name!r}"

    def _do(self, project: Project) -> None:
        rows = self._rows(project, "power")
        rows.append(new_power_source(rows, self.source, self.mw))
        write_field(project, self.scenario_id, "power", rows)


class RemoveRow(_ScenarioEdit):
    """Remove one deployment or power source (``key``: "deployments" or "power")."""

    def __init__(self, project: Project, scenario: int | str, key: str, index: int):
        super().__init__(project, scenario)
        if key not in ROW_LISTS:
            raise InputError("key", f"expected one of {', '.join(ROW_LISTS)}, got {key!r}")
        self.key, self.index = key, int(index)
        self.description = f"Remove {ROW_LISTS[key]} {self.index + 1} from {self.scenario_name!r}"

    def _do(self, project: Project) -> None:
        rows = self._rows(project, self.key)
        if not 0 <= self.index < len(rows):
            raise InputError(f"{self.key}[{self.index}]", f"there is no {ROW_LISTS[self.key]} {self.index + 1}")
        del rows[self.index]
        write_field(project, self.scenario_id, self.key, rows)


class ReplacePowerSource(_ScenarioEdit):
    """Give power entry ``index`` a new source, keeping its MW and what the new source
    takes (MWh for storage, dispatch for a firm source), dropping what it does not."""

    def __init__(self, project: Project, scenario: int | str, index: int, source: Any):
        super().__init__(project, scenario)
        self.index, self.source = int(index), source
        self.path = f"power[{self.index}]"
        # Arrowing through the source list is one undo step.
        self.merge_key = ("set", self.scenario_id, self.path)
        shown = source.get("name", "custom") if isinstance(source, dict) else source
        self.description = f"Set {self.path}.source = {shown} in {self.scenario_name!r}"

    def _do(self, project: Project) -> None:
        doc = project.effective_scenario(self.scenario_id)
        if not has_path(doc, self.path):
            raise InputError(f"{self.path}.source", f"there is no power source {self.index + 1}")
        entry = replace_power_source(get_path(doc, self.path), self.source, project_catalogue(project))
        write_field(project, self.scenario_id, self.path, entry)


class SetWorkloadKind(_ScenarioEdit):
    """Switch the workload to training, inference or plain utilisation: the kind's
    defaults, keeping the model's size and precision where the new kind takes them."""

    def __init__(self, project: Project, scenario: int | str, kind: str):
        super().__init__(project, scenario)
        if kind not in WORKLOAD_DEFAULTS:
            raise InputError("workload.kind", f"must be one of {', '.join(WORKLOAD_DEFAULTS)}, got {kind!r}")
        self.kind = kind
        self.description = f"Set workload kind = {kind} in {self.scenario_name!r}"

    def _do(self, project: Project) -> None:
        current = project.effective_scenario(self.scenario_id).get("workload") or {}
        if current.get("kind") == self.kind:
            return
        write_field(project, self.scenario_id, "workload", workload_for_kind(current, self.kind))
