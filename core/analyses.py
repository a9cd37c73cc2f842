"""Analyses stored in a project: run one (core.explore) on its scenario and keep the
answer in the project's results cache, keyed by the analysis' input hash, so it is shown
again on reopen and recomputed only when the scenario, the uncertain inputs or the
analysis' own definition change.

A definition is a plain JSON object per kind (what the CLI options of the same command
say), and the stored summary is what that command prints with --json, so the app, the
CLI and the tests read the same numbers:

- montecarlo: {"samples", "seed", "defaults", "result"}   -> `aisite montecarlo --json`
- sweep / sweep2d: {"params": [path, ...], "values": [[...], ...], "keys": [...] | null}
                                                             -> `aisite sweep --json`
- tornado: {"result", "defaults"}                          -> `aisite tornado --json`
- size: {"max_facility_mw", "max_capex_usd", "max_racks", "deployment"} -> `aisite size --json`
- optimize: {"max_unserved_mwh", "min_carbon_free", "max_tco2e", "first_compute_by", "sources"}
                                                             -> `aisite optimize-power --json`
"""
from __future__ import annotations

import json
import math
import time
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError

Progress = Callable[[int, int], bool]

DEFAULTS: dict[str, dict] = {
    "montecarlo": {"samples": 1000, "seed": 0, "defaults": "auto", "result": "cost.npv_cost_usd"},
    "sweep": {"params": ["power[1].mw"], "values": [[0, 100, 200, 300, 400, 500]],
              "keys": ["energy.tco2e_per_year_location", "cost.npv_cost_usd"]},
    "sweep2d": {"params": ["overrides.electricity_usd_per_mwh", "workload.mfu"],
                "values": [[40, 60, 80, 100, 120], [0.3, 0.35, 0.4, 0.45, 0.5]],
                "keys": ["cost.usd_per_gpu_hour"]},
    "tornado": {"result": "cost.npv_cost_usd", "defaults": "auto"},
    "size": {"max_facility_mw": 100.0, "max_capex_usd": None, "max_racks": None, "deployment": 0},
    "optimize": {"max_unserved_mwh": 0.0, "min_carbon_free": 0.6, "max_tco2e": None, "first_compute_by": None,
                 "sources": None},
}
LABELS = {"montecarlo": "Monte Carlo", "sweep": "Sweep", "sweep2d": "Sweep (2 inputs)", "tornado": "Tornado",
          "size": "Sizing", "optimize": "Cheapest power mix"}


def defaults_for(kind: str, doc: dict | None) -> dict:
    """The form's starting definition for this scenario: the kind's defaults, with inputs
    that do not exist on the scenario swapped for ones that do."""
    d = json.loads(json.dumps(DEFAULTS[kind]))
    if doc is None:
        return d
    training = (doc.get("workload") or {}).get("kind") == "training"
    if kind == "sweep":
        power = doc.get("power") or []
        i = next((i for i, p in enumerate(power) if isinstance(p, dict) and p.get("source") in ("solar-pv", "wind-onshore")),
                 0 if power else None)
        if i is None:
            d["params"], d["values"] = ["overrides.electricity_usd_per_mwh"], [[40, 60, 80, 100, 120]]
        else:
            d["params"] = [f"power[{i}].mw"]
    if kind == "optimize":
        present = {p.get("source") for p in doc.get("power") or [] if isinstance(p, dict)}
        if not present & {"solar-pv", "wind-onshore", "smr"}:  # nothing carbon-free to size: offer some
            d["sources"] = ["solar-pv", "wind-onshore", "battery"]
    if kind == "sweep2d" and not training:
        d["params"][1], d["values"][1] = "overrides.utilization", [0.5, 0.6, 0.7, 0.8, 0.9]
    return d


def clean(node: Any) -> Any:
    """JSON-safe: NaN and infinity become null (as the CLI's --json)."""
    if isinstance(node, dict):
        return {k: clean(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [clean(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    if isinstance(node, np.floating):
        return clean(float(node))
    if isinstance(node, np.integer):
        return int(node)
    return node


def analysis_name(kind: str, scenario_name: str) -> str:
    """The one stored analysis of each kind per scenario the app keeps."""
    return f"{LABELS[kind]}: {scenario_name}"


def scenario_inputs(project, scenario_id: int) -> tuple[dict, Any]:
    """(document, catalogue) exactly as the CLI loads a project scenario (core.project.load_scenario_dict)."""
    doc = project.effective_scenario(scenario_id, with_uncertain=True, resolve_files=True)
    return doc, load_catalogue(project.user_catalogue() or None)


def run(kind: str, doc: dict, definition: dict, catalogue, progress: Progress | None = None
        ) -> tuple[dict, dict[str, np.ndarray]]:
    """(summary as the CLI's --json, arrays to keep) of one analysis."""
    d = {**DEFAULTS[kind], **definition}
    if kind == "montecarlo":
        from aisite.core.explore.montecarlo import monte_carlo  # noqa: PLC0415
        from aisite.core.explore.results import check_keys  # noqa: PLC0415

        result = monte_carlo(doc, samples=int(d["samples"]), seed=int(d["seed"]), catalogue=catalogue,
                             defaults=d["defaults"], progress=progress)
        check_keys([d["result"]], result.results)
        arrays = {"inputs": result.samples}
        arrays.update({f"r:{k}": v for k, v in result.results.items()})
        return clean(result.to_json(result_key=d["result"])), arrays
    if kind in ("sweep", "sweep2d"):
        from aisite.core.explore.sweep import sweep  # noqa: PLC0415

        axes = list(zip(d["params"], d["values"]))
        table = sweep(doc, axes, d.get("keys") or None, catalogue=catalogue, progress=progress)
        rows = json.loads(table.to_json(orient="records"))
        return {"format": "aisite.sweep/1", "params": list(d["params"]), "columns": list(table.columns),
                "rows": rows}, {}
    if kind == "tornado":
        from aisite.core.explore.tornado import tornado  # noqa: PLC0415

        result = tornado(doc, d["result"], catalogue=catalogue, defaults=d["defaults"], progress=progress)
        return clean(result.to_json()), {}
    if kind == "size":
        from aisite.core.explore.sizing import size  # noqa: PLC0415

        result = size(doc, max_facility_mw=d["max_facility_mw"], max_capex_usd=d["max_capex_usd"],
                      max_racks=d["max_racks"], deployment=int(d["deployment"]), catalogue=catalogue)
        return clean(result.to_json()), {}
    if kind == "optimize":
        from aisite.core.explore.power_mix import optimise_power  # noqa: PLC0415

        kwargs = {k: d[k] for k in ("max_unserved_mwh", "min_carbon_free", "max_tco2e", "first_compute_by",
                                    "sources")}
        result = optimise_power(doc, catalogue=catalogue, progress=progress, **kwargs)
        return clean(result.to_json()), {}
    raise InputError("kind", f"the app does not run {kind!r} analyses")


def ensure(project, kind: str, scenario_id: int, definition: dict):
    """The operation that makes the project's stored definition of this kind for this
    scenario equal `definition` (AddAnalysis / EditAnalysis), or None when it already is."""
    from aisite.core.project.edits import AddAnalysis, EditAnalysis  # noqa: PLC0415

    name = analysis_name(kind, project.scenario(scenario_id).name)
    for a in project.analyses():
        if a.name == name and a.kind == kind:
            if a.definition == definition and a.scenario_id == scenario_id:
                return None
            return EditAnalysis(project, a.id, definition=definition, scenario=scenario_id)
    return AddAnalysis(project, name, kind, definition, scenario=scenario_id)


def find(project, kind: str, scenario_id: int):
    name = analysis_name(kind, project.scenario(scenario_id).name)
    for a in project.analyses():
        if a.name == name and a.kind == kind:
            return a
    return None


def stored(project, analysis_id: int):
    """The stored answer (summary, arrays) when current for the inputs, else None."""
    result = project.get_analysis_result(analysis_id)
    return None if result is None else (result.summary, result.arrays)


def run_and_store(project, analysis_id: int, progress: Progress | None = None, *, use_cache: bool = True
                  ) -> tuple[dict, dict, bool]:
    """(summary, arrays, came from the store) of a stored analysis: the stored answer when
    current, else run now and stored under the input hash taken before running (so an
    edit made meanwhile leaves it stale, not wrong)."""
    info = project.analysis(analysis_id)
    wanted = project.analysis_input_hash(info.id)
    if use_cache:
        hit = stored(project, info.id)
        if hit is not None:
            return hit[0], hit[1], True
    if info.scenario_id is None:
        raise InputError("analysis", f"{info.name!r} names no scenario")
    doc, catalogue = scenario_inputs(project, info.scenario_id)
    t0 = time.perf_counter()
    summary, arrays = run(info.kind, doc, info.definition, catalogue, progress)
    ms = (time.perf_counter() - t0) * 1000.0
    project.put_analysis_result(info.id, summary, arrays, input_hash=wanted, compute_ms=ms)
    return summary, arrays, False


def montecarlo_view(summary: dict, arrays: dict) -> SimpleNamespace:
    """What a Monte Carlo view needs from a stored answer: per-result samples and a
    `correlations(key)` that ranks the inputs as `aisite montecarlo` does."""
    from aisite.core.explore.montecarlo import MonteCarloResult  # noqa: PLC0415

    inputs = [SimpleNamespace(path=i["path"]) for i in summary.get("inputs", [])]
    results = {k[2:]: np.asarray(v, dtype=float) for k, v in arrays.items() if k.startswith("r:")}
    samples = np.asarray(arrays.get("inputs", np.zeros((0, len(inputs)))), dtype=float)
    return MonteCarloResult(inputs, samples, results, {}, int(summary.get("seed", 0)), True,
                            stats=summary.get("results", {}))


def result_label(key: str) -> str:
    """A result key as planners read it ("Carbon / yr (location)"), else the key itself."""
    from aisite.core.units import KEY_FIGURES  # noqa: PLC0415

    name = key.rsplit(".", 1)[-1]
    for _section, k, label, _fmt in KEY_FIGURES:
        if k == name:
            return label
    return key


def input_paths(doc: dict) -> list[tuple[str, str]]:
    """(path, label) of the numeric inputs worth sweeping on this scenario: each power
    entry's MW (and MWh of storage), each deployment's count, and the common levers."""
    out = []
    for i, entry in enumerate(doc.get("power") or []):
        source = entry.get("source") if isinstance(entry, dict) else None
        name = source if isinstance(source, str) else f"power source {i + 1}"
        out.append((f"power[{i}].mw", f"{name} MW"))
        if "mwh" in entry or name == "battery":
            out.append((f"power[{i}].mwh", f"{name} MWh"))
    for i, _dep in enumerate(doc.get("deployments") or []):
        out.append((f"deployments[{i}].count", f"deployment {i + 1} accelerators"))
    out += [("overrides.electricity_usd_per_mwh", "electricity price $/MWh"),
            ("overrides.utilization", "utilisation (0-1)"),
            ("overrides.pue", "PUE"),
            ("overrides.grid_gco2_per_kwh", "grid carbon gCO2/kWh"),
            ("schedule.grid_connection", "grid connection months"),
            ("finance.discount_rate", "discount rate (0-1)")]
    if (doc.get("workload") or {}).get("kind") == "training":
        out.append(("workload.mfu", "MFU (0-1)"))
    return out


def result_unit(key: str, value=None) -> str:
    """The unit of a result's raw number (what a chart axis carries): "USD", "t CO2e"."""
    name = key.rsplit(".", 1)[-1]
    for marker, unit in (("usd_per_gpu_hour", "USD/GPU-h"), ("usd_per_million_tokens", "USD/M tokens"),
                         ("tco2e", "t CO2e"), ("_usd", "USD"), ("_mwh", "MWh"), ("_mw", "MW"),
                         ("m3", "m³"), ("_month", "months"), ("_days", "days"), ("pflops", "PFLOPS"),
                         ("fraction", "share, 0-1"), ("tokens_per", "tokens"), ("gpu_hours", "GPU-hours")):
        if marker in name or name.endswith(marker.lstrip("_")):
            return unit
    return ""


def plain_number(value) -> str:
    """An input value as a planner types it: 28,000 / 84 / 0.6375 (never 2.8e+04)."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3e}"
