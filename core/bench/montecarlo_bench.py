"""Speed of Monte Carlo over a whole scenario (hourly year, cost, schedule per sample).

The benchmark site (kernel_bench.benchmark_scenario: 100,000 accelerators, grid, solar,
battery and gas) with the shipped default uncertain ranges (lead times, chip and
electricity prices, MFU, utilisation, PUE). `montecarlo_10k_s` is 10,000 samples on the
compiled kernel with both cores, sampling included. The ratios compare the same samples
and the same per-sample work in the same run: the plain-Python reference (a few samples,
scaled per sample) and numpy vectorised over samples (a subset, scaled per sample).
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) if repeat > 2 else statistics.median(times)


def run(workdir: Path, quick: bool = False) -> dict:
    import numpy as np

    from aisite.core.bench.kernel_bench import benchmark_scenario
    from aisite.core.explore.batch import BatchModel
    from aisite.core.distributions import sample
    from aisite.core.explore.montecarlo import monte_carlo
    from aisite.core.explore.uncertain import default_inputs
    from aisite.core.kernels.chunks import default_threads

    doc = benchmark_scenario()
    inputs = default_inputs(doc)
    n = 10_000
    monte_carlo(doc, samples=500, seed=1, inputs=inputs)          # warm caches and threads
    mc_s = _best(lambda: monte_carlo(doc, samples=n, seed=1, inputs=inputs), 2 if quick else 5)

    # Per-sample comparison on identical samples through the same batch model.
    model = BatchModel(doc, [u.path for u in inputs], bounds=[(u.low, u.high) for u in inputs])
    values = sample([u.dist for u in inputs], n, seed=1)
    n_ref = 2 if quick else 4
    n_np = 200 if quick else 1000      # as many as kernel_bench gives numpy: it gains per sample with more
    compiled_s = _best(lambda: model.run(values[:2000], threads=1), 3) / 2000
    reference_s = _best(lambda: model.run(values[:n_ref], threads=1, backend="reference"), 1) / n_ref
    numpy_s = _best(lambda: model.run(values[:n_np], backend="numpy"), 1) / n_np
    return {
        "montecarlo_10k_s": mc_s,
        "montecarlo_samples": n,
        "montecarlo_inputs": len(inputs),
        "montecarlo_threads": default_threads(),
        "montecarlo_us_per_sample_1_thread": compiled_s * 1e6,
        "montecarlo_vs_reference": reference_s / compiled_s,
        "montecarlo_vs_numpy": numpy_s / compiled_s,
        "montecarlo_reference_samples": n_ref,
        "montecarlo_numpy_samples": n_np,
        "montecarlo_fast_path": bool(model.fast and np.isfinite(mc_s)),
    }
