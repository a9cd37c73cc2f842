"""What a new part of a scenario defaults to, and what planners call each input.

One place for the domain rules the site builder, the CLI and scripts share: the
deployment a planner adds next, the power source added next (in a preferred order),
the workload a kind switches to, what a power entry keeps when its source changes,
and the labels of workload kinds, precisions, overrides and dispatch modes. The
schedule's task names are core.schedule.TASK_NAMES (one list for the builder and the
results).
"""
from __future__ import annotations

import copy
from typing import Any, Mapping

from aisite.core.catalogue import Catalogue

WORKLOAD_KINDS = {"training": "Training run", "inference": "Inference serving",
                  "utilization": "Plain utilisation"}
PRECISIONS = {"bf16": "BF16", "fp8": "FP8"}

#: The workload a planner starts from when switching to a kind (a 70-billion-parameter model).
WORKLOAD_DEFAULTS: dict[str, dict[str, Any]] = {
    "training": {"kind": "training", "params": 7e10, "tokens": 1.5e13, "precision": "bf16"},
    "inference": {"kind": "inference", "params": 7e10, "precision": "fp8", "batch": 32,
                  "context_tokens": 4096, "utilization": 0.6},
    "utilization": {"kind": "utilization", "utilization": 0.7},
}

#: The inputs of each workload kind: (field, label, whole number, hint when blank).
WORKLOAD_FIELDS: dict[str, list[tuple[str, str, bool, str]]] = {
    "training": [("params", "Parameters", False, "e.g. 405B"),
                 ("active_params", "Active params (MoE)", False, "blank = all"),
                 ("tokens", "Training tokens", False, "e.g. 15.6T"),
                 ("mfu", "MFU", False, "chip's typical"),
                 ("goodput", "Goodput", False, "estimated"),
                 ("utilization", "Utilisation", False, "default")],
    "inference": [("params", "Parameters", False, "e.g. 70B"),
                  ("active_params", "Active params (MoE)", False, "blank = all"),
                  ("batch", "Batch size (sequences)", True, "default 32"),
                  ("context_tokens", "Context (tokens)", True, "default 4096"),
                  ("utilization", "Utilisation", False, "default 0.6")],
    "utilization": [("utilization", "Average utilisation", False, "0–1")],
}
REQUIRED_WORKLOAD = frozenset({("training", "params"), ("training", "tokens"), ("inference", "params"),
                               ("utilization", "utilization")})
#: Fields a workload keeps when its kind changes (the model being trained or served).
KEPT_ACROSS_KINDS = ("params", "active_params", "precision")

OVERRIDE_LABELS = {
    "pue": ("PUE (every hour)", ""), "it_w_per_chip": ("IT W per accelerator", ""),
    "grid_gco2_per_kwh": ("Grid carbon", "gCO2/kWh"),
    "electricity_usd_per_mwh": ("Electricity price", "$/MWh"), "utilization": ("Utilisation", "0–1"),
    "goodput": ("Goodput", "0–1"),
}
FINANCE_FIELDS = (("horizon_years", "Horizon (years)", "default 6"),
                  ("discount_rate", "Discount rate", "e.g. 0.08 or 8%"),
                  ("market_rec_fraction", "Clean-energy contracts", "share 0–1"))
DISPATCH_LABELS = {"merit": "runs before grid", "backup": "backup after grid"}

#: A first deployment: the most deployed training accelerator of the shipped catalogue.
DEFAULT_CHIP = "nvidia-h100-sxm"
NEW_DEPLOYMENT_COUNT = 1024
#: A further deployment is a later phase: this many months after the last one starts.
PHASE_GAP_MONTHS = 6
#: New power sources, first unused one first: grid, then the usual on-site additions.
POWER_SOURCE_ORDER = ("grid", "solar-pv", "battery", "gas-turbine", "wind-onshore")
DEFAULT_POWER_MW = 100.0


def new_deployment(deployments: list[Mapping[str, Any]], chip: Any = None, count: int | None = None) -> dict:
    """The deployment added after ``deployments``: the last one's chip (or the default),
    ``NEW_DEPLOYMENT_COUNT`` accelerators, starting a phase after the latest start."""
    if chip is None:
        last = deployments[-1].get("chip") if deployments else None
        chip = last if isinstance(last, str) else DEFAULT_CHIP
    start = max((float(d.get("start_month", 0) or 0) for d in deployments), default=0.0)
    return {"chip": chip, "count": NEW_DEPLOYMENT_COUNT if count is None else count,
            "start_month": start + PHASE_GAP_MONTHS if deployments else 0}


def new_power_source(power: list[Mapping[str, Any]], source: str | None = None,
                     mw: float | None = None) -> dict:
    """The power entry added after ``power``: the first source of POWER_SOURCE_ORDER not
    used yet, sized like the largest entry (the site's scale), else DEFAULT_POWER_MW."""
    if source is None:
        used = {p.get("source") for p in power}
        source = next((s for s in POWER_SOURCE_ORDER if s not in used), POWER_SOURCE_ORDER[1])
    if mw is None:
        mw = max((float(p.get("mw", 0) or 0) for p in power), default=DEFAULT_POWER_MW) or DEFAULT_POWER_MW
    return {"source": source, "mw": mw}


def workload_for_kind(current: Mapping[str, Any], kind: str) -> dict:
    """The workload after switching to ``kind``: its defaults, keeping the model (size,
    active parameters, precision) where the new kind takes it."""
    new = copy.deepcopy(WORKLOAD_DEFAULTS[kind])
    if kind == "utilization":
        return new
    takes = {f[0] for f in WORKLOAD_FIELDS[kind]} | {"precision"}
    for key in KEPT_ACROSS_KINDS:
        if key in current and key in takes:
            new[key] = copy.deepcopy(current[key])
    return new


def replace_power_source(entry: Mapping[str, Any], source: Any, catalogue: Catalogue) -> dict:
    """``entry`` with a new source: it keeps its size and what the new source takes
    (storage keeps its MWh, a firm source its dispatch) and drops the rest, which
    the engine would refuse."""
    new = dict(copy.deepcopy(entry))
    new["source"] = copy.deepcopy(source)
    if isinstance(source, Mapping):
        row = {**catalogue.tables["power_sources"].get(source.get("id"), {}), **source}
    else:
        row = catalogue.tables["power_sources"].get(source) or {}
    kind = row.get("kind")
    if kind != "storage":
        new.pop("mwh", None)
    if kind != "firm":
        new.pop("dispatch", None)
    return new
