"""Public wrapper over the Monte Carlo kernel (a .py over _montecarlo_cy.pyx).

`montecarlo_batch(params, sched, profiles...)` runs every sample's hourly year and
schedule milestones in chunks on a thread pool: the kernel releases the GIL, so both
cores work, and between chunks a progress callback may cancel (returning False raises
core.errors.Cancelled within one chunk per worker). Without the compiled kernel it
falls back to the plain-Python reference (montecarlo_ref.py), 200x slower.
"""
from __future__ import annotations

import numpy as np

from aisite.core.kernels import montecarlo_ref
from aisite.core.kernels.chunks import Progress, run_chunked
from aisite.core.kernels.layout import N_MILESTONES, N_PARAMS, N_RESULTS, N_SCHED

try:
    from aisite.core.kernels import _montecarlo_cy as _compiled
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
    (core.kernels.layout) and `sched` (core.kernels.layout). `out` may give
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
        if totals.shape != (n, N_RESULTS) or milestones.shape != (n, N_MILESTONES):
            raise ValueError("out arrays have the wrong shape")
    else:
        totals = np.zeros((n, N_RESULTS))
        milestones = np.zeros((n, N_MILESTONES))
    kernel = montecarlo_ref if (reference or _compiled is None) else _compiled

    def run(start, stop):
        kernel.montecarlo_rows(params, sched, *profiles, totals, milestones, start, stop)

    run_chunked(n, run, chunk=chunk, threads=threads, progress=progress)
    return totals, milestones
