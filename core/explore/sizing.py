"""Inverse sizing: the largest accelerator count that fits a facility power cap, a capex
budget or a rack limit, and which of them binds.

The count of one deployment (by default the first; the scenario's chip) is varied, the
rest of the scenario held. Each limit grows monotonically with the count: the facility's
design peak is IT at full load times the PUE of the hottest hour (so it follows the
hourly PUE curve of the site's cooling and climate), capex adds per accelerator, per
server (rounded up) and per MW of IT, and racks round up. So the answer is found by
doubling then bisection over whole counts, and it lands exactly: N fits every limit and
N + 1 breaks at least one (the binding constraint).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from aisite.core.cost import capex_items
from aisite.core.energy import design_pue
from aisite.core.errors import InputError
from aisite.core.explore import paths as P
from aisite.core.it_load import it_power
from aisite.core.scenario import load_scenario

MAX_COUNT = 100_000_000


@dataclass
class SizingResult:
    deployment: int
    chip: str
    count: int
    binding: list[str]
    limits: dict[str, float]
    at_count: dict[str, float]       # facility MW, capex USD and racks at the answer
    at_next: dict[str, float]        # ... and with one more accelerator
    accelerators_total: int

    def to_json(self) -> dict:
        return {"format": "aisite.sizing/1", "deployment": self.deployment, "chip": self.chip,
                "count": self.count, "accelerators_total": self.accelerators_total,
                "binding": self.binding, "limits": self.limits, "at_count": self.at_count,
                "at_count_plus_one": self.at_next}


def measures(doc: dict, catalogue=None) -> dict[str, float]:
    """The three limited quantities of a scenario: facility design peak MW, capex USD, racks."""
    from aisite.core.energy import site_inputs
    from aisite.core.throughput import site_utilization

    scenario = load_scenario(doc, catalogue)
    per, it_full_mw, _ = it_power(scenario)
    inputs = site_inputs(scenario, site_utilization(scenario))
    return {
        "facility_mw": it_full_mw * design_pue(inputs.params, inputs.max_temp),
        "capex_usd": sum(d for _, d, _ in capex_items(scenario, inputs)),
        "racks": float(sum(p.racks for p in per)),
    }


def _positive(value, option):
    if value is None:
        return None
    if not math.isfinite(value) or value <= 0:
        raise InputError(option, f"must be a positive number, got {value:g}")
    return float(value)


def size(doc: dict, *, max_facility_mw: float | None = None, max_capex_usd: float | None = None,
         max_racks: float | None = None, deployment: int = 0, catalogue=None) -> SizingResult:
    limits = {}
    for key, value, option in (("facility_mw", max_facility_mw, "--max-facility-mw"),
                               ("capex_usd", max_capex_usd, "--max-capex-usd"),
                               ("racks", max_racks, "--max-racks")):
        value = _positive(value, option)
        if value is not None:
            limits[key] = value
    if not limits:
        raise InputError("", "give at least one limit: --max-facility-mw, --max-capex-usd or --max-racks")
    deployments = doc.get("deployments") if isinstance(doc, dict) else None
    scenario = load_scenario(doc, catalogue)  # validates first
    if not isinstance(deployments, list) or not 0 <= deployment < len(deployments):
        raise InputError("--deployment", f"must be between 0 and {len(scenario.deployments) - 1}, got {deployment}")
    path = f"deployments[{deployment}].count"
    cache: dict[int, dict] = {}

    def at(count: int) -> dict:
        if count not in cache:
            cache[count] = measures(P.with_number(doc, path, count), catalogue)
        return cache[count]

    def fits(count: int) -> bool:
        m = at(count)
        return all(m[k] <= limit for k, limit in limits.items())

    if not fits(1):
        m = at(1)
        broken = [k for k, limit in limits.items() if m[k] > limit]
        raise InputError(f"--max-{broken[0].replace('_', '-')}",
                         f"not even one accelerator fits (the rest of the site already needs "
                         f"{m[broken[0]]:,.4g} against a limit of {limits[broken[0]]:,.4g})")
    low, high = 1, 2
    while fits(high):
        low = high
        high *= 2
        if high > MAX_COUNT:
            raise InputError("", f"more than {MAX_COUNT:,} accelerators fit; the limits do not bind")
    while high - low > 1:
        mid = (low + high) // 2
        if fits(mid):
            low = mid
        else:
            high = mid
    count = low
    at_next = at(count + 1)
    binding = [k for k, limit in limits.items() if at_next[k] > limit]
    chip = scenario.deployments[deployment].chip
    others = scenario.accelerators - scenario.deployments[deployment].count
    return SizingResult(deployment, chip.get("id") or chip.get("name"), count, binding, limits,
                        dict(at(count)), dict(at_next), others + count)


__all__ = ["size", "measures", "SizingResult"]
