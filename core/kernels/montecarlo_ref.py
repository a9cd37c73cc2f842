"""Plain-Python reference of the Monte Carlo kernel: the readable specification.

For each sample: the hourly year by the plain-Python reference (hourly_ref.py) and the
schedule's first-compute and full-capacity months by core.schedule.timeline on floats.
The compiled kernel (_montecarlo_cy.pyx) must give the same numbers.
"""
from __future__ import annotations

import math

import numpy as np

from aisite.core.kernels import hourly_ref
from aisite.core.kernels.layout import (
    N_SCHED, S_GRID_MW, S_NEED_FIRST, S_NEED_FULL, S_ONSITE_MW, S_PHASE_SPAN, SCHED_TASKS,
)


def schedule_row(row) -> tuple[float, float]:
    """(first-compute month, full-capacity month) of one schedule row."""
    from aisite.core.schedule import timeline

    d = {task: float(row[i]) for i, task in enumerate(SCHED_TASKS) if not math.isnan(row[i])}
    _, first, full = timeline(d, float(row[S_GRID_MW]), float(row[S_ONSITE_MW]), float(row[S_NEED_FIRST]),
                              float(row[S_NEED_FULL]), float(row[S_PHASE_SPAN]))
    return float(first), float(full)


def montecarlo_rows(params, sched, temp, solar_cf, wind_cf, grid_ci, util, totals, milestones, start, stop):
    assert np.shape(sched)[1] == N_SCHED
    for s in range(start, stop):
        totals[s] = hourly_ref.hourly_year(params[s], temp, solar_cf, wind_cf, grid_ci, util)
        milestones[s] = schedule_row(sched[s])
