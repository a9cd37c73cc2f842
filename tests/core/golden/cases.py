"""The golden cases: what the engine and the analyses print for fixed inputs.

Each case is a name and a function that returns a JSON-safe object. `test_golden`
compares each to its stored fixture (`expected/<name>.json`) to 1e-9 relative;
`python -m tests.core.golden.regenerate` rewrites the fixtures after a deliberate model
change (commit that on its own, saying why the numbers moved).

The cases are the full `aisite evaluate --json` output of the shipped samples and of the
scenarios in `scenarios/` (one of them reads a planner's EPW weather file and CSV
profiles, which `write_planner_profiles` makes), and seeded Monte Carlo, sweeps, a
tornado and sizing, so the batch path (core.explore.batch) is held to the same numbers.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

from aisite.core.paths import samples_dir

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
EXPECTED = HERE / "expected"
SAMPLE_NAMES = ("texas-training-campus", "inference-fleet-virginia", "nordic-sovereign-site")
# Not model output: the engine's version and backend name change without the numbers changing.
IGNORED_KEYS = {"engine"}
MC_SAMPLES = 500
MC_SEED = 20260
MC_PICKED = (0, 1, 137, 250, 499)     # sample indices whose every result is held


def write_planner_profiles(folder: Path) -> None:
    """The planner's own files that `imported-profiles-moe-inference.json` names: an EPW
    weather year and two 8,760-row CSVs, from formulas (rounded, so the text is the same
    on every machine)."""
    from tests.core.test_profiles import synthetic_weather, write_epw

    write_epw(folder / "golden-site.epw", synthetic_weather(seed=11))
    h = np.arange(8760)
    day = np.clip(np.sin(np.pi * ((h % 24) - 6) / 12.0), 0.0, None)
    season = 0.75 + 0.25 * np.cos(2 * np.pi * (h / 8760.0 - 0.47))
    solar = np.round(0.85 * day * season, 4)
    carbon = np.round(320 + 90 * np.sin(2 * np.pi * (h % 24) / 24.0) + 40 * np.cos(2 * np.pi * h / 8760.0), 1)
    (folder / "golden-solar.csv").write_text("solar_cf\n" + "\n".join(f"{v:.4f}" for v in solar) + "\n")
    (folder / "golden-grid-carbon.csv").write_text(
        "grid_gco2_per_kwh\n" + "\n".join(f"{v:.1f}" for v in carbon) + "\n")


def scenario_files(folder: Path) -> dict[str, Path]:
    """Every scenario file of the golden set by name; the golden scenarios as copied into
    `folder` (a scratch directory) by `prepare`, beside the planner's profile files."""
    files = {name: samples_dir() / f"{name}.json" for name in SAMPLE_NAMES}
    for path in sorted(SCENARIOS.glob("*.json")):
        files[path.stem] = folder / path.name
    return files


_prepared: set[Path] = set()


def prepare(folder: Path) -> None:
    """Copy the golden scenarios into `folder` and write the profile files they name (once)."""
    if folder in _prepared:
        return
    for path in sorted(SCENARIOS.glob("*.json")):
        shutil.copyfile(path, folder / path.name)
    write_planner_profiles(folder)
    _prepared.add(folder)


def evaluate_cli_json(path: Path) -> dict:
    """What `aisite evaluate FILE --json` prints, parsed (the command's own code, in process)."""
    from aisite.core.commands import evaluate_cmd

    parser = argparse.ArgumentParser()
    evaluate_cmd.add_arguments(parser)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = evaluate_cmd.run(parser.parse_args([str(path), "--json"]))
    assert status == 0
    data = json.loads(out.getvalue())
    for key in IGNORED_KEYS:
        data.pop(key, None)
    return data


def _doc(name: str, folder: Path) -> dict:
    from aisite.core.scenario import read_scenario_file, resolve_profiles

    prepare(folder)
    path = scenario_files(folder)[name]
    return resolve_profiles(read_scenario_file(path), path.parent)


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist())
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def monte_carlo_case(name: str, folder: Path, **kwargs) -> dict:
    from aisite.core.explore.montecarlo import monte_carlo

    result = monte_carlo(_doc(name, folder), samples=MC_SAMPLES, seed=MC_SEED, **kwargs)
    out = result.to_json(result_key="cost.npv_cost_usd")
    out["picked_samples"] = {str(i): {k: v[i] for k, v in result.results.items()} for i in MC_PICKED}
    return _json_safe(out)


def sweep_case(name: str, folder: Path, axes, keys=None) -> dict:
    from aisite.core.explore.sweep import sweep

    table = sweep(_doc(name, folder), axes, keys)
    return _json_safe({"columns": list(table.columns), "rows": table.astype(object).values.tolist()})


def tornado_case(name: str, folder: Path, result_key: str) -> dict:
    from aisite.core.explore.tornado import tornado

    return _json_safe(tornado(_doc(name, folder), result_key).to_json())


def sizing_case(name: str, folder: Path, **limits) -> dict:
    from aisite.core.explore.sizing import size

    return _json_safe(size(_doc(name, folder), **limits).to_json())


def cases(folder: Path) -> dict[str, Callable[[], object]]:
    """name -> a function computing that golden result (profile files go into `folder`)."""
    out: dict[str, Callable[[], object]] = {}
    for name, path in scenario_files(folder).items():
        out[f"evaluate-{name}"] = lambda path=path: (prepare(folder), evaluate_cli_json(path))[1]
    texas = "texas-training-campus"
    out["montecarlo-texas"] = lambda: monte_carlo_case(texas, folder)
    for name in ("training-h100-oregon", "battery-heavy-india", "backup-gas-germany",
                 "inference-fleet-virginia", "nordic-sovereign-site"):
        out[f"montecarlo-{name}"] = lambda name=name: monte_carlo_case(name, folder)
    # Inputs the defaults may not vary: every kind the batch's fast path lays out.
    for name, spec in LEVERS.items():
        out[f"montecarlo-{name}-levers"] = lambda name=name, spec=spec: monte_carlo_case(
            name, folder, inputs=_levers(name, folder, spec))
    out["sweep-texas-grid-price"] = lambda: sweep_case(
        texas, folder, [("power[0].mw", [150.0, 200.0, 250.0, 300.0]),
                        ("overrides.electricity_usd_per_mwh", [40.0, 65.0, 90.0])])
    out["sweep-texas-battery-general"] = lambda: sweep_case(
        texas, folder, [("power[2].mwh", [0.0, 200.0, 800.0])])
    out["sweep-oregon-firm-rate"] = lambda: sweep_case(
        "training-h100-oregon", folder, [("power[1].mw", [10.0, 20.0, 40.0]),
                                         ("finance.discount_rate", [0.0, 0.05, 0.1])])
    out["tornado-texas"] = lambda: tornado_case(texas, folder, "cost.npv_cost_usd")
    out["tornado-texas-first-compute"] = lambda: tornado_case(texas, folder, "schedule.first_compute_month")
    out["sizing-texas"] = lambda: sizing_case(texas, folder, max_facility_mw=300.0, max_capex_usd=3.0e9)
    out["sizing-nordic-racks"] = lambda: sizing_case("nordic-sovereign-site", folder, max_racks=200.0,
                                                     deployment=1)
    return out


def _uniform(low, high):
    return {"dist": "uniform", "low": low, "high": high}


# Uncertain inputs over every kind of lever the batch's fast path lays out (the shipped
# defaults vary schedule, prices, MFU, utilisation and PUE only).
LEVERS = {
    "texas-training-campus": {
        "schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 36, "high": 60},
        "overrides.electricity_usd_per_mwh": _uniform(40, 90),
        "workload.mfu": {"dist": "triangular", "low": 0.3, "mode": 0.4, "high": 0.5},
        "overrides.utilization": _uniform(0.6, 0.95),
        "overrides.grid_gco2_per_kwh": {"dist": "normal", "mean": 385, "sd": 40},
        "cooling.pue_min": _uniform(1.05, 1.2),
        "deployments[0].chip.price_usd": {"dist": "lognormal", "median": 38000, "sigma": 0.1},
        "finance.discount_rate": _uniform(0.04, 0.12),
        "finance.market_rec_fraction": _uniform(0, 0.8),
        "power[1].mw": _uniform(100, 300),
        "power[2].mwh": _uniform(200, 600),
        "power[3].mw": _uniform(60, 180),
        "overrides.goodput": _uniform(0.8, 0.95),
    },
    "training-h100-oregon": {
        "power[0].mw": _uniform(20, 45),
        "power[1].mw": _uniform(5, 30),
        "power[2].mw": _uniform(5, 20),
        "power[3].mw": _uniform(5, 40),
        "cooling.pue_max": _uniform(1.3, 1.6),
        "cooling.pue_slope_per_c": _uniform(0.005, 0.02),
        "workload.goodput": _uniform(0.85, 0.97),
    },
    "backup-gas-germany": {
        "power[0].mw": _uniform(6, 14),
        "power[1].mw": _uniform(1, 4),
        "power[2].mw": _uniform(2, 9),
        "power[3].mw": _uniform(1, 5),
        "power[4].mw": _uniform(1, 6),
        "finance.discount_rate": _uniform(0.0, 0.1),
    },
    "battery-heavy-india": {
        "power[1].mw": _uniform(20, 60),
        "power[2].mw": _uniform(5, 20),
        "power[3].mw": _uniform(5, 15),
        "power[3].mwh": _uniform(20, 100),
        "overrides.pue": _uniform(1.03, 1.2),
    },
}


def _levers(name: str, folder: Path, spec: dict):
    from aisite.core.distributions import parse_distribution
    from aisite.core.explore.uncertain import UncertainInput

    from aisite.core.explore.batch import BatchModel

    model = BatchModel(_doc(name, folder), list(spec))
    out = []
    for path, text in spec.items():
        out.append(UncertainInput(path, parse_distribution(text, path), model.base_value(path), "golden"))
    return out


def compare(actual, expected, where: str = "", rel: float = 1e-9) -> list[str]:
    """Differences between two JSON values: numbers to `rel` relative (1e-300 absolute, so
    0 must stay 0 to within rounding), everything else exactly; int and float kept apart."""
    problems: list[str] = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {type(actual).__name__}"]
        if list(actual) != list(expected):
            problems.append(f"{where}: keys differ: missing {sorted(set(expected) - set(actual))}, "
                            f"extra {sorted(set(actual) - set(expected))}" if set(actual) != set(expected)
                            else f"{where}: key order differs")
        for key in expected:
            if key in actual:
                problems += compare(actual[key], expected[key], f"{where}.{key}" if where else key, rel)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected a list of {len(expected)}, got {actual!r:.80}"]
        for i, (a, e) in enumerate(zip(actual, expected)):
            problems += compare(a, e, f"{where}[{i}]", rel)
    elif isinstance(expected, float) and not isinstance(expected, bool):
        if not isinstance(actual, float) or not math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-300):
            problems.append(f"{where}: {actual!r} != {expected!r}")
    elif type(actual) is not type(expected) or actual != expected:
        problems.append(f"{where}: {actual!r} != {expected!r}")
    return problems
