"""When the site can be online: the task graph, critical path and months to compute.

Tasks (ids are part of the scenario contract): permitting; grid_connection (queued
from month 0, alongside permitting); onsite_power, building, cooling_equipment,
electrical_equipment and accelerator_delivery (after permitting); install (after the
building, cooling and electrical equipment and accelerators). Compute starts once
install is done and enough power is in place: the grid connection, on-site firm
power, or both together; an on-site source that is ready first bridges the grid.

Durations come from the catalogue (mode of each range) unless the scenario's
`schedule` section overrides them. `first_compute` works on numpy arrays as well as
floats, so Monte Carlo can sample every duration at once.
"""
from __future__ import annotations

import numpy as np

from aisite.core.scenario import SCHEDULE_TASKS, Scenario

TASK_NAMES = {
    "permitting": "Permitting",
    "grid_connection": "Grid interconnection",
    "onsite_power": "On-site power build",
    "building": "Building (shell and fit-out)",
    "cooling_equipment": "Cooling equipment",
    "electrical_equipment": "Electrical equipment",
    "accelerator_delivery": "Accelerator delivery",
    "install": "Install and burn-in",
}
AFTER_PERMITTING = ("onsite_power", "building", "cooling_equipment", "electrical_equipment",
                    "accelerator_delivery")
INSTALL_NEEDS = ("building", "cooling_equipment", "electrical_equipment", "accelerator_delivery")


def duration_ranges(scenario: Scenario) -> dict[str, tuple[float, float, float]]:
    """(low, mode, high) months of each task that applies to this site."""
    cat = scenario.catalogue

    def const(prefix):
        return tuple(cat.constant(f"{prefix}_months_{s}") for s in ("low", "mode", "high"))

    def row_range(row, prefix="lead_time_months"):
        return tuple(float(row.get(f"{prefix}_{s}") or 0.0) for s in ("low", "mode", "high"))

    ranges = {"permitting": const("permitting")}
    if any(p.source["kind"] == "grid" and p.mw > 0 for p in scenario.power):
        ranges["grid_connection"] = row_range(scenario.region, "grid_queue_months")
    onsite = [row_range(p.source) for p in scenario.power if p.source["kind"] != "grid" and p.mw > 0]
    if onsite:
        ranges["onsite_power"] = tuple(max(r[i] for r in onsite) for i in range(3))
    ranges["building"] = const("building")
    ranges["cooling_equipment"] = row_range(scenario.cooling)
    ranges["electrical_equipment"] = const("electrical_equipment")
    chips = [row_range(d.chip) for d in scenario.deployments]
    ranges["accelerator_delivery"] = tuple(max(r[i] for r in chips) for i in range(3))
    ranges["install"] = const("install")
    return ranges


def durations(scenario: Scenario) -> dict[str, float]:
    """Mode durations, with the scenario's overrides applied (only for tasks that apply)."""
    result = {task: r[1] for task, r in duration_ranges(scenario).items()}
    for task, months in scenario.schedule.items():
        if task in result:
            result[task] = months
    return result


def power_ready(need_mw, grid_mw, grid_end, onsite_mw, onsite_end):
    """Earliest month with at least need_mw of firm power; inf when never."""
    grid_alone = np.where(grid_mw >= need_mw, grid_end, np.inf)
    onsite_alone = np.where(onsite_mw >= need_mw, onsite_end, np.inf)
    together = np.where(grid_mw + onsite_mw >= need_mw, np.maximum(grid_end, onsite_end), np.inf)
    return np.minimum(np.minimum(grid_alone, onsite_alone), together)


def timeline(d: dict, grid_mw, onsite_mw, need_first_mw, need_full_mw, phase_span):
    """Task ends and the two milestones. Values may be floats or numpy arrays."""
    permit_end = d["permitting"]
    ends = {"permitting": permit_end}
    for task in AFTER_PERMITTING:
        if task in d:
            ends[task] = permit_end + d[task]
    if "grid_connection" in d:
        ends["grid_connection"] = d["grid_connection"]
    install_start = np.maximum.reduce([ends[t] for t in INSTALL_NEEDS]) if np.ndim(permit_end) else \
        max(ends[t] for t in INSTALL_NEEDS)
    ends["install"] = install_start + d["install"]
    grid_end = ends.get("grid_connection", np.inf)
    onsite_end = ends.get("onsite_power", np.inf)
    first = np.maximum(ends["install"], power_ready(need_first_mw, grid_mw, grid_end, onsite_mw, onsite_end))
    full = np.maximum(first + phase_span, power_ready(need_full_mw, grid_mw, grid_end, onsite_mw, onsite_end))
    return ends, first, full


def critical_path(d: dict, ends: dict, first: float) -> list[str]:
    """The chain of tasks that sets the first-compute month, in time order."""
    path = []
    if "install" in ends and abs(ends["install"] - first) < 1e-9:
        binding = max(INSTALL_NEEDS, key=lambda t: ends[t])
        path = ["permitting", binding, "install"]
    else:
        candidates = [t for t in ("grid_connection", "onsite_power") if t in ends and abs(ends[t] - first) < 1e-9]
        if candidates:
            task = candidates[0]
            path = [task] if task == "grid_connection" else ["permitting", task]
    return path


def phase_needs(scenario: Scenario, facility_mw_by_deployment: list) -> tuple:
    """(facility MW of the first phase, of the whole site, months from the first phase to
    the last): the firm power compute waits for. MW as scalars or arrays over variants."""
    starts = [dep.start_month for dep in scenario.deployments]
    first_phase = min(starts)
    need_first = sum(mw for mw, s in zip(facility_mw_by_deployment, starts) if s == first_phase)
    return need_first, sum(facility_mw_by_deployment), max(starts) - first_phase


def schedule_summary(scenario: Scenario, grid_mw: float, onsite_firm_mw: float,
                     facility_mw_by_deployment: list[float]) -> dict:
    d = durations(scenario)
    ends, first, full = timeline(d, grid_mw, onsite_firm_mw, *phase_needs(scenario, facility_mw_by_deployment))
    first, full = float(first), float(full)
    path = critical_path(d, ends, first) if np.isfinite(first) else []
    tasks = []
    for task in SCHEDULE_TASKS:
        if task not in ends:
            continue
        end = float(ends[task])
        tasks.append({"id": task, "name": TASK_NAMES[task], "start_month": end - d[task],
                      "end_month": end, "critical": task in path})
    return {
        "first_compute_month": first if np.isfinite(first) else None,
        "full_capacity_month": full if np.isfinite(full) else None,
        "critical_path": path,
        "critical_task": path[-1] if path else None,
        "tasks": tasks,
    }
