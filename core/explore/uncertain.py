"""Uncertain inputs of a scenario: its ``uncertain`` section, and the shipped defaults.

A scenario file may carry

    "uncertain": {"schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 36, "high": 72},
                  "workload.mfu": {"dist": "normal", "mean": 0.4, "sd": 0.04, "low": 0.3, "high": 0.5}}

Each key is a scenario path (core.explore.paths) of a numeric input; each value a
distribution (core.distributions). `uncertain_inputs(doc)` validates them: a
bad path, an unknown distribution, inverted bounds or a value the scenario would reject
(an MFU above 1) is an InputError naming the field.

`default_inputs(doc)` builds ranges from data/uncertainty.csv: the lead-time ranges of
the catalogue (grid queue by region, on-site power, electrical equipment, accelerators,
...) and relative ranges for chip and electricity prices, MFU, utilisation and PUE.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache

from aisite.core.errors import InputError
from aisite.core.explore import paths as P
from aisite.core.distributions import _Z99, Distribution, parse_distribution
from aisite.core.paths import data_dir


@dataclass(frozen=True)
class UncertainInput:
    path: str
    dist: Distribution
    base: float | None       # the scenario's own value (None: derived, e.g. an unset override)
    origin: str              # "scenario" or the key of data/uncertainty.csv

    @property
    def low(self) -> float:
        return self.dist.low

    @property
    def high(self) -> float:
        return self.dist.high


def validate_range(doc: dict, path: str, low: float, high: float, field: str, catalogue=None) -> float | None:
    """Check that `path` is a numeric input and that the scenario accepts both ends of
    [low, high]; returns the base value."""
    from aisite.core.scenario import load_scenario

    try:
        base = P.get_number(doc, path, catalogue)
    except InputError as error:
        raise InputError(field, f"{error.field}: {error.message}" if error.field != path else error.message) from None
    for end, value in (("low", low), ("high", high)):
        try:
            load_scenario(P.with_number(doc, path, value), catalogue)
        except InputError as error:
            raise InputError(f"{field}.{end}", f"the scenario does not accept {value:g} here "
                                               f"({error.field}: {error.message})") from None
    return base


def uncertain_inputs(doc: dict, catalogue=None) -> list[UncertainInput]:
    """The scenario's own uncertain inputs, validated."""
    section = doc.get("uncertain")
    if section is None:
        return []
    if not isinstance(section, dict):
        raise InputError("uncertain", f"must be an object of path: distribution, got {type(section).__name__}")
    out = []
    seen = set()
    for path, spec in section.items():
        field = f"uncertain.{path}"
        normal = P.normalise(path) if isinstance(path, str) and path.strip() else path
        if normal in seen:
            raise InputError(field, "is given twice")
        seen.add(normal)
        out.append(check_entry(doc, normal, spec, catalogue))
    return out


def check_entry(doc: dict, path: str, spec, catalogue=None) -> UncertainInput:
    """One ``uncertain`` entry checked as a Monte Carlo run checks it: the distribution,
    then both ends accepted by the scenario. InputError names ``uncertain.PATH[.FIELD]``."""
    field = f"uncertain.{path}"
    dist = parse_distribution(spec, field)
    base = validate_range(doc, path, dist.low, dist.high, field, catalogue)
    return UncertainInput(path, dist, base, "scenario")


#: a new uncertain input with no shipped range: this share either side of the scenario's
#: value (a starting point the planner edits, not a sourced figure)
FALLBACK_SPREAD = 0.2


def suggested_distribution(doc: dict, path: str, dist: str = "triangular", catalogue=None) -> dict:
    """The entry a new uncertain input starts from, ``{"dist": .., params}``: the shipped
    range for this path (data/uncertainty.csv) when one applies to the scenario, else
    FALLBACK_SPREAD either side of its value; expressed as ``dist`` truncated to the same
    bounds, centred on the most likely value (normal and lognormal: a spread whose 1st to
    99th percentiles are as wide as low to high). Only
    ``{"dist": dist}`` when the path has no value to start from."""
    path = P.normalise(path)
    shipped = {u.path: u for u in default_inputs(doc, catalogue)}
    if path in shipped:
        d = shipped[path].dist
        low, centre, high = d.low, d.base, d.high
    else:
        try:
            base = P.get_number(doc, path, catalogue)
        except InputError:
            base = None
        if base is None or not math.isfinite(base) or base == 0:
            return {"dist": dist}
        low, centre, high = sorted((base * (1 - FALLBACK_SPREAD), base, base * (1 + FALLBACK_SPREAD)))
    r = lambda x: float(f"{x:.6g}")  # noqa: E731  (as a planner would type it)
    if dist == "uniform":
        return {"dist": dist, "low": r(low), "high": r(high)}
    if dist == "normal":
        return {"dist": dist, "mean": r(centre), "sd": r((high - low) / (2 * _Z99)), "low": r(low), "high": r(high)}
    if dist == "lognormal" and low > 0 and centre > 0:
        return {"dist": dist, "median": r(centre), "sigma": r(math.log(high / low) / (2 * _Z99)),
                "low": r(low), "high": r(high)}
    if dist == "lognormal":
        return {"dist": dist}
    return {"dist": "triangular", "low": r(low), "mode": r(centre), "high": r(high)}


@lru_cache(maxsize=1)
def default_rows() -> tuple[dict, ...]:
    with open(data_dir() / "uncertainty.csv", newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def default_inputs(doc: dict, catalogue=None) -> list[UncertainInput]:
    """Shipped default ranges that apply to this scenario (data/uncertainty.csv)."""
    from aisite.core.scenario import load_scenario
    from aisite.core.schedule import duration_ranges

    scenario = load_scenario(doc, catalogue)
    ranges = duration_ranges(scenario)
    out: list[UncertainInput] = []
    for row in default_rows():
        basis = row["basis"]
        pattern = row["path"]
        if basis == "catalogue":
            task = pattern.split(".", 1)[1]
            if task not in ranges or task in scenario.schedule:
                continue  # does not apply, or the planner fixed it
            low, mode, high = ranges[task]
            if high <= low:
                continue
            out.append(UncertainInput(pattern, Distribution("triangular", low, high, mode=mode), mode, row["key"]))
            continue
        lo, mode, hi = float(row["low"]), float(row["mode"]), float(row["high"])
        if "[*]" in pattern:
            concrete = [pattern.replace("[*]", f"[{i}]") for i in range(len(scenario.deployments))]
        else:
            concrete = [pattern]
        for path in concrete:
            try:
                base = P.get_number(doc, path, catalogue, scenario)
            except InputError:
                continue
            if path == "overrides.electricity_usd_per_mwh" and base is None:
                base = scenario.overrides.get("electricity_usd_per_mwh",
                                              float(scenario.region["electricity_usd_per_mwh"]))
            elif path == "overrides.utilization" and base is None:
                base = P.get_number(doc, "workload.utilization", catalogue, scenario)
            elif path == "workload.mfu" and scenario.workload.kind != "training":  # MFU is a training figure
                continue
            elif path == "cooling.pue_min" and "pue" in scenario.overrides:
                continue
            if base is None or not math.isfinite(base) or base <= 0:
                continue
            low, centre, high = base * lo, base * mode, base * hi
            if path in ("overrides.utilization", "workload.mfu"):
                high = min(high, 1.0)
                centre = min(centre, 1.0)
                low = min(low, centre)
            if path == "cooling.pue_min":
                low = max(low, 1.0)
            if high <= low:
                continue
            out.append(UncertainInput(path, Distribution("triangular", low, high, mode=centre), base, row["key"]))
    return out


def resolve_inputs(doc: dict, catalogue=None, *, defaults: str = "auto") -> list[UncertainInput]:
    """The inputs to vary: the scenario's own (`defaults="none"`), the shipped defaults
    for what the scenario does not list (`"add"`), or the scenario's own when it has an
    ``uncertain`` section and else the defaults (`"auto"`)."""
    own = uncertain_inputs(doc, catalogue)
    if defaults == "none" or (defaults == "auto" and own):
        if not own:
            raise InputError("uncertain", "the scenario lists no uncertain inputs; add an \"uncertain\" "
                                          "section or use the shipped default ranges")
        return own
    listed = {u.path for u in own}
    extra = [u for u in default_inputs(doc, catalogue) if u.path not in listed]
    inputs = own + extra
    if not inputs:
        raise InputError("uncertain", "no uncertain inputs apply to this scenario")
    return inputs
