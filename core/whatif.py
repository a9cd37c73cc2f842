"""What-if levers: the inputs planners pull most, how to read and set them on a scenario
document, and how a changed result compares with the saved one (better or worse).

The app's What-if panel, its tests and any future CLI read these definitions, so a
lever's range, step, unit and meaning exist once. Levers on power sources address the
first entry of that kind in the scenario's `power` list; moving such a lever above zero
on a site without that source adds an entry (a variant stores it as `power[N]`).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, Callable

from aisite.core.catalogue import Catalogue
from aisite.core.errors import InputError
from aisite.core.explore.paths import get_number
from aisite.core.project.fieldpath import set_path
from aisite.core.scenario import load_scenario
from aisite.core.units import KEY_FIGURES


@dataclass(frozen=True)
class Lever:
    key: str
    label: str
    unit: str  # as shown next to the spin box
    minimum: float
    maximum: float  # the slider's top; a larger base value widens it (see `span`)
    step: float
    decimals: int = 0
    scale: float = 1.0  # shown = stored * scale (fractions shown as %)
    path: str | None = None  # a plain numeric field
    choices: str | None = None  # a catalogue kind, for choice levers
    source_ids: tuple[str, ...] = ()  # power levers: the sources it moves (first is added when absent)
    attr: str = "mw"  # power levers: "mw" or "mwh"
    tooltip: str = ""

    @property
    def is_choice(self) -> bool:
        return self.choices is not None

    def span(self, base: float | None) -> tuple[float, float]:
        """(low, high) of the slider: the lever's range, widened to hold twice the base."""
        hi = self.maximum
        if base is not None and base * 2 > hi:
            hi = math.ceil(base * 2 / self.step) * self.step
        return self.minimum, hi


LEVERS: list[Lever] = [
    Lever("count", "Accelerators (first deployment)", "", 8, 100_000, 8, path="deployments[0].count",
          tooltip="How many accelerators the first deployment installs"),
    Lever("chip", "Chip (first deployment)", "", 0, 0, 1, path="deployments[0].chip", choices="chips"),
    Lever("region", "Region", "", 0, 0, 1, path="region", choices="regions",
          tooltip="Weather, grid carbon, electricity price, grid queue and export rules follow the region"),
    Lever("cooling", "Cooling", "", 0, 0, 1, path="cooling", choices="cooling"),
    Lever("utilization", "Utilisation", "%", 0.05, 1.0, 0.01, 0, 100.0, path="overrides.utilization",
          tooltip="Share of the year the accelerators do useful work"),
    Lever("mfu", "MFU (training)", "%", 0.05, 0.8, 0.01, 0, 100.0, path="workload.mfu",
          tooltip="Model FLOPs utilisation of the training run"),
    Lever("price", "Electricity price", "$/MWh", 0, 300, 1, path="overrides.electricity_usd_per_mwh",
          tooltip="Price of grid electricity (the region's price until you move it)"),
    Lever("grid_mw", "Grid connection", "MW", 0, 500, 5, source_ids=("grid",)),
    Lever("grid_months", "Grid connection lead time", "months", 0, 120, 1, path="schedule.grid_connection",
          tooltip="Months from the request until the grid connection is energised"),
    Lever("solar_mw", "Solar PV", "MW", 0, 500, 5, source_ids=("solar-pv",)),
    Lever("wind_mw", "Onshore wind", "MW", 0, 500, 5, source_ids=("wind-onshore",)),
    Lever("gas_mw", "Gas on site", "MW", 0, 500, 5, source_ids=("gas-turbine", "gas-engine")),
    Lever("battery_mw", "Battery power", "MW", 0, 400, 5, source_ids=("battery",)),
    Lever("battery_mwh", "Battery energy", "MWh", 0, 1600, 10, source_ids=("battery",), attr="mwh"),
    Lever("discount", "Discount rate", "%", 0.0, 0.2, 0.005, 1, 100.0, path="finance.discount_rate"),
]
LEVERS_BY_KEY = {lever.key: lever for lever in LEVERS}

def _power_index(doc: dict, lever: Lever) -> int | None:
    for i, entry in enumerate(doc.get("power") or []):
        source = entry.get("source") if isinstance(entry, dict) else None
        if isinstance(source, str) and source in lever.source_ids:
            return i
    return None


def applies(lever: Lever, doc: dict) -> bool:
    """Whether the lever means something for this scenario (MFU only for training)."""
    if lever.key == "mfu":
        return (doc.get("workload") or {}).get("kind") == "training"
    if lever.key == "chip":
        return isinstance((doc.get("deployments") or [{}])[0].get("chip"), str)
    if lever.key == "grid_months":
        return _power_index(doc, LEVERS_BY_KEY["grid_mw"]) is not None
    return True


def lever_value(lever: Lever, doc: dict, catalogue: Catalogue, scenario=None) -> Any:
    """The value the engine uses for this lever (a catalogue id for choice levers)."""
    if lever.is_choice:
        if lever.key == "chip":
            return doc["deployments"][0]["chip"]
        return doc[lever.key]
    if lever.source_ids:
        i = _power_index(doc, lever)
        if i is None:
            return 0.0
        if lever.attr == "mwh":
            return get_number(doc, f"power[{i}].mwh", catalogue, scenario)
        return float(doc["power"][i].get("mw", 0.0))
    value = get_number(doc, lever.path, catalogue, scenario)
    if value is None and lever.key == "price":
        scenario = scenario or load_scenario(doc, catalogue)
        value = float(scenario.region["electricity_usd_per_mwh"])
    if value is None and lever.key == "utilization":
        from aisite.core.throughput import compute_throughput  # noqa: PLC0415

        value = float(compute_throughput(scenario or load_scenario(doc, catalogue)).utilization)
    return value


def lever_values(doc: dict, catalogue: Catalogue) -> dict[str, Any]:
    """{key: value} of every lever that applies to this scenario."""
    scenario = load_scenario(doc, catalogue)
    return {lever.key: lever_value(lever, doc, catalogue, scenario) for lever in LEVERS if applies(lever, doc)}


def choices(lever: Lever, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(id, name) of what a choice lever offers."""
    return [(i, str(row.get("name") or i)) for i, row in catalogue.tables[lever.choices].items()]


def changes(doc: dict, values: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """{field path: value} that turn `doc` into the levers' setting, in the order to apply
    them (a variant's overrides). Levers at their current value give nothing."""
    base = lever_values(doc, catalogue)
    out: dict[str, Any] = {}
    appended: dict[tuple[str, ...], int] = {}
    n_power = len(doc.get("power") or [])
    for lever in LEVERS:
        if lever.key not in values or lever.key not in base:
            continue
        value = values[lever.key]
        if value == base[lever.key] or (not lever.is_choice and _close(value, base[lever.key])):
            continue
        if lever.is_choice or lever.path:
            out[lever.path] = value
            continue
        i = _power_index(doc, lever)
        if i is not None:
            out[f"power[{i}].{lever.attr}"] = _plain(value)
            continue
        if lever.source_ids in appended:  # battery MWh after battery MW added the entry
            out[f"power[{appended[lever.source_ids]}]"][lever.attr] = _plain(value)
            continue
        if value <= 0:
            continue
        entry = {"source": lever.source_ids[0], lever.attr: _plain(value)}
        if lever.attr == "mwh":
            entry["mw"] = _plain(value / 4.0)
        appended[lever.source_ids] = n_power
        out[f"power[{n_power}]"] = entry
        n_power += 1
    return out


def apply(doc: dict, values: dict[str, Any], catalogue: Catalogue) -> dict:
    """A copy of `doc` with the levers set (InputError naming the lever's field if a value
    does not fit)."""
    out = copy.deepcopy(doc)
    for path, value in changes(doc, values, catalogue).items():
        set_path(out, path, copy.deepcopy(value))
    return out


def _close(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _plain(value: float):
    value = float(value)
    return int(value) if value.is_integer() else value


# --------------------------------------------------------------------------- deltas
@dataclass(frozen=True)
class FigureDelta:
    section: str
    key: str
    label: str
    base: float | None
    value: float | None
    change: float | None  # value - base
    fraction: float | None  # change / |base|
    verdict: str  # "better", "worse", "same" or "neutral"
    text: str  # "+$12.3M (+1.2%)" in planners' units

    @property
    def changed(self) -> bool:
        return self.verdict != "same"


def figure_deltas(base: dict, new: dict) -> dict[str, FigureDelta]:
    """Each key figure of `new` against `base` (summaries as `aisite evaluate --json`),
    judged and worded as `aisite compare` does (core.compare.delta)."""
    from aisite.core.compare import delta  # noqa: PLC0415 - the one formula for a figure's change

    out = {}
    for section, key, label, fmt in KEY_FIGURES:
        b = (base.get(section) or {}).get(key)
        v = (new.get(section) or {}).get(key)
        if not isinstance(b, (int, float)) or not isinstance(v, (int, float)):
            out[key] = FigureDelta(section, key, label, b, v, None, None, "same" if b == v else "neutral",
                                   "" if b == v else "new" if b is None else "no longer applies")
            continue
        if fmt(v) == fmt(b):  # no visible change in the figure's own rounding
            out[key] = FigureDelta(section, key, label, b, v, float(v) - float(b), 0.0, "same", "no change")
            continue
        d = delta(key, b, v, fmt)
        out[key] = FigureDelta(section, key, label, b, v, d["abs"], d["pct"], d["verdict"], d["text"])
    return out


def check_value(lever: Lever, value: Any, catalogue: Catalogue) -> None:
    """InputError naming the lever when a value is outside what the engine accepts."""
    if lever.is_choice:
        if value not in catalogue.tables[lever.choices]:
            raise InputError(lever.path, f"unknown {lever.choices} entry {value!r}")
        return
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InputError(lever.path or lever.key, f"{lever.label} must be a number of at least 0, got {value!r}")
