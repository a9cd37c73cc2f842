"""Public wrapper over the hourly-year kernel (scikit-image style: a .py over _x_cy.pyx).

Picks the compiled kernel when present, else the plain-Python reference, and runs
batches in chunks on a thread pool: the kernel releases the GIL, so both cores work,
and between chunks a progress callback may cancel.
"""
from __future__ import annotations

import numpy as np

from aisite.core.kernels import _compiled
from aisite.core.kernels import hourly_ref
from aisite.core.kernels.chunks import Progress, run_chunked
from aisite.core.kernels.layout import HOURS, N_HOURLY, N_PARAMS, N_RESULTS


def _as_profile(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def hourly_year(params, temp, solar_cf, wind_cf, grid_ci, util, *, with_hourly: bool = True):
    """One year. Returns (totals[N_RESULTS], hourly[N_HOURLY, 8760] or None)."""
    params = np.ascontiguousarray(params, dtype=np.float64)
    profiles = [_as_profile(a) for a in (temp, solar_cf, wind_cf, grid_ci, util)]
    hourly = np.zeros((N_HOURLY, HOURS)) if with_hourly else None
    if _compiled is not None:
        totals = _compiled.hourly_year(params, *profiles, hourly)
    else:
        totals = np.array(hourly_ref.hourly_year(params, *profiles, hourly))
    return totals, hourly


def hourly_year_batch(params, temp, solar_cf, wind_cf, grid_ci, util, *,
                      progress: Progress | None = None, chunk: int = 250,
                      threads: int | None = None) -> np.ndarray:
    """Many years, one parameter row each. Returns totals[n_samples, N_RESULTS].

    Work is split into chunks of `chunk` rows; `threads` workers run chunks in
    parallel without the GIL. After each chunk `progress(done, total)` is called on the
    calling thread; returning False raises Cancelled within one chunk per worker.
    """
    params = np.ascontiguousarray(params, dtype=np.float64)
    if params.ndim != 2 or params.shape[1] != N_PARAMS:
        raise ValueError(f"params must be n x {N_PARAMS}")
    profiles = [_as_profile(a) for a in (temp, solar_cf, wind_cf, grid_ci, util)]
    n = params.shape[0]
    out = np.zeros((n, N_RESULTS))

    def run(start, stop):
        if _compiled is not None:
            _compiled.hourly_year_batch(params, *profiles, out, start, stop)
        else:
            for s in range(start, stop):
                out[s] = hourly_ref.hourly_year(params[s], *profiles)

    run_chunked(n, run, chunk=chunk, threads=threads, progress=progress)
    return out
