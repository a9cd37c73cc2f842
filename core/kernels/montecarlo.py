"""Public wrapper over the Monte Carlo kernel (a .py over _montecarlo_cy.pyx).

`montecarlo_batch(params, sched, profiles...)` runs every sample's hourly year and
schedule milestones in chunks on a thread pool: the kernel releases the GIL, so both
cores work, and between chunks a progress callback may cancel (returning False raises
core.errors.Cancelled within one chunk per worker). Without the compiled kernel it
falls back to the plain-Python reference (montecarlo_ref.py), 200x slower.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from core.errors import Cancelled
from core.kernels import montecarlo_ref
from core.kernels.hourly import Progress, default_threads
from core.kernels.layout import N_PARAMS, N_RESULTS
from core.kernels.montecarlo_layout import N_SCHED

try:
    from core.kernels import _montecarlo_cy as _compiled
except ImportError:  # pragma: no cover - machines without a compiler
    import os
    if os.environ.get("AISITE_REQUIRE_EXT") == "1":
        raise
    _compiled = None

BACKEND = "cython" if _compiled is not None else "python (reference)"


def montecarlo_batch(params, sched, temp, solar_cf, wind_cf, grid_ci, util, *,
                     progress: Progress | None = None, chunk: int = 250, threads: int | None = None,
                     reference: bool = False, out: tuple[np.ndarray, np.ndarray] | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(totals[n, N_RESULTS], milestones[n, 2]) for n samples, one row each of `params`
    (core.kernels.layout) and `sched` (core.kernels.montecarlo_layout). `out` may give
    the two arrays to fill (C-contiguous float64)."""
    params = np.ascontiguousarray(params, dtype=np.float64)
    sched = np.ascontiguousarray(sched, dtype=np.float64)
    if params.ndim != 2 or params.shape[1] != N_PARAMS:
        raise ValueError(f"params must be n x {N_PARAMS}")
    if sched.shape != (params.shape[0], N_SCHED):
        raise ValueError(f"sched must be n x {N_SCHED}")
    profiles = [np.ascontiguousarray(a, dtype=np.float64) for a in (temp, solar_cf, wind_cf, grid_ci, util)]
    n = params.shape[0]
    if out is not None:
        totals, milestones = out
        if totals.shape != (n, N_RESULTS) or milestones.shape != (n, 2):
            raise ValueError("out arrays have the wrong shape")
    else:
        totals = np.zeros((n, N_RESULTS))
        milestones = np.zeros((n, 2))
    kernel = montecarlo_ref if (reference or _compiled is None) else _compiled
    bounds = [(s, min(n, s + chunk)) for s in range(0, n, max(1, chunk))]

    def run(bound):
        kernel.montecarlo_rows(params, sched, *profiles, totals, milestones, bound[0], bound[1])
        return bound[1] - bound[0]

    threads = threads or default_threads()
    done = 0
    if threads == 1 or len(bounds) == 1:
        for bound in bounds:
            done += run(bound)
            if progress is not None and progress(done, n) is False:
                raise Cancelled(f"stopped after {done} of {n} samples")
        return totals, milestones
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending = []
        queue = list(bounds)
        while queue or pending:
            while queue and len(pending) < threads:
                pending.append(pool.submit(run, queue.pop(0)))
            done += pending.pop(0).result()
            if progress is not None and progress(done, n) is False:
                for future in pending:
                    future.result()
                raise Cancelled(f"stopped after {done} of {n} samples")
    return totals, milestones
