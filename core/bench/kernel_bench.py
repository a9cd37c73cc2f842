"""Speed of one full scenario and of the hourly kernel against its reference and numpy.

All ratios come from the same run on the same inputs, so they compare like with like.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np

from aisite.core.kernels import BACKEND, hourly_numpy, hourly_ref
from aisite.core.kernels import layout as L
from aisite.core.kernels.hourly import hourly_year, hourly_year_batch
from aisite.core.paths import samples_dir


def benchmark_scenario(accelerators: int = 100_000) -> dict:
    """The Texas sample scaled to `accelerators` (one deployment of its chip)."""
    data = json.loads((samples_dir() / "texas-training-campus.json").read_text())
    data["deployments"] = [{"chip": "nvidia-b200", "count": accelerators}]
    data["power"] = [{"source": "grid", "mw": 150}, {"source": "solar-pv", "mw": 150},
                     {"source": "battery", "mw": 50, "mwh": 200}, {"source": "gas-turbine", "mw": 100}]
    return data


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(workdir: Path, quick: bool = False) -> dict:
    from aisite.core.energy import site_inputs
    from aisite.core.evaluate import evaluate
    from aisite.core.scenario import load_scenario
    from aisite.core.throughput import compute_throughput

    scenario = load_scenario(benchmark_scenario())
    evaluate(scenario)  # warm caches (profiles, catalogue)
    scenario_s = _median_time(lambda: evaluate(scenario), 20 if quick else 200)

    inputs = site_inputs(scenario, compute_throughput(scenario).utilization)
    profiles = (inputs.temp, inputs.solar_cf, inputs.wind_cf, inputs.grid_ci, inputs.util)
    kernel_s = _median_time(lambda: hourly_year(inputs.params, *profiles, with_hourly=False), 50 if quick else 500)
    reference_s = _median_time(lambda: hourly_ref.hourly_year(inputs.params, *profiles), 1 if quick else 3)

    # Batch comparison on identical samples: the kernel on one thread against numpy
    # vectorised over samples (the best numpy can do: hours depend on each other).
    rng = np.random.default_rng(7)
    n = 200 if quick else 1000
    batch = np.tile(inputs.params, (n, 1))
    batch[:, L.P_SOLAR_MW] *= rng.uniform(0.5, 1.5, n)
    batch[:, L.P_UTIL_SCALE] = rng.uniform(0.7, 1.0, n)
    kernel_batch_s = _median_time(lambda: hourly_year_batch(batch, *profiles, threads=1), 3)
    numpy_batch_s = _median_time(lambda: hourly_numpy.hourly_year_batch(batch, *profiles), 1)

    big = np.tile(inputs.params, (10_000, 1))
    big[:, L.P_SOLAR_MW] *= rng.uniform(0.5, 1.5, 10_000)
    batch_10k_s = _median_time(lambda: hourly_year_batch(big, *profiles), 3)
    return {
        "backend": BACKEND,
        "scenario_ms": scenario_s * 1e3,
        "scenario_accelerators": scenario.accelerators,
        "kernel_us": kernel_s * 1e6,
        "kernel_ns_per_hour": kernel_s * 1e9 / L.HOURS,
        "reference_ms": reference_s * 1e3,
        "kernel_vs_reference": reference_s / kernel_s,
        "kernel_vs_numpy": numpy_batch_s / kernel_batch_s,
        "numpy_batch_samples": n,
        "hourly_batch_10k_s": batch_10k_s,
    }
