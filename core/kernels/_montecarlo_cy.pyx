# cython: language_level=3
"""Compiled Monte Carlo kernel: for each sample, the hourly year (year_totals from
_hourly_cy) and the schedule's two milestones, without the GIL, for a range of rows so
several threads can each take a chunk. montecarlo_ref.py is the readable specification
(the plain-Python hourly reference and core.schedule.timeline, looped over samples).

Schedule inputs per sample (core.kernels.layout, S_* indices): the eight
task durations in months (NaN for a task that does not apply), grid MW, on-site firm MW,
the facility MW needed for the first phase and for full capacity, and the phase span.
Outputs: first-compute month and full-capacity month (inf when power never suffices).
"""
from libc.math cimport isnan, sqrt, INFINITY
from libc.stdlib cimport malloc, free

from aisite.core.kernels._hourly_cy cimport year_core, year_totals

# Indices and sizes (HOURS, N_*, P_*, R_*, S_*, M_*): core/kernels/layout.py, generated into _layout.pxd.
from aisite.core.kernels._layout cimport *

# The layout this extension was compiled with (tests hold it to layout.py).
LAYOUT = compiled_layout()


cdef inline double dmax(double a, double b) noexcept nogil:
    return a if a > b else b


cdef inline double dmin(double a, double b) noexcept nogil:
    return a if a < b else b


cdef inline double power_ready(double need, double grid_mw, double grid_end, double onsite_mw,
                               double onsite_end) noexcept nogil:
    # Same rule as core.schedule.power_ready.
    cdef double best = INFINITY
    if grid_mw >= need:
        best = dmin(best, grid_end)
    if onsite_mw >= need:
        best = dmin(best, onsite_end)
    if grid_mw + onsite_mw >= need:
        best = dmin(best, dmax(grid_end, onsite_end))
    return best


cdef void schedule_core(const double* s, double* out) noexcept nogil:
    cdef double permit_end = s[S_PERMITTING]
    cdef double install_start = permit_end + s[S_BUILDING]
    install_start = dmax(install_start, permit_end + s[S_COOLING_EQUIPMENT])
    install_start = dmax(install_start, permit_end + s[S_ELECTRICAL_EQUIPMENT])
    install_start = dmax(install_start, permit_end + s[S_ACCELERATOR_DELIVERY])
    cdef double install_end = install_start + s[S_INSTALL]
    cdef double grid_end = INFINITY if isnan(s[S_GRID_CONNECTION]) else s[S_GRID_CONNECTION]
    cdef double onsite_end = INFINITY if isnan(s[S_ONSITE_POWER]) else permit_end + s[S_ONSITE_POWER]
    cdef double first = dmax(install_end, power_ready(s[S_NEED_FIRST], s[S_GRID_MW], grid_end,
                                                      s[S_ONSITE_MW], onsite_end))
    cdef double full = dmax(first + s[S_PHASE_SPAN], power_ready(s[S_NEED_FULL], s[S_GRID_MW], grid_end,
                                                                 s[S_ONSITE_MW], onsite_end))
    out[M_FIRST_COMPUTE] = first
    out[M_FULL_CAPACITY] = full


cdef bint same_wue(const double[:, ::1] params, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef Py_ssize_t s, k
    for s in range(start + 1, stop):
        for k in range(P_WUE_MIN, P_WUE_SLOPE + 1):
            if params[s, k] != params[start, k]:
                return False
    return True


def montecarlo_rows(const double[:, ::1] params, const double[:, ::1] sched,
                    const double[::1] temp, const double[::1] solar_cf, const double[::1] wind_cf,
                    const double[::1] grid_ci, const double[::1] util,
                    double[:, ::1] totals, double[:, ::1] milestones,
                    Py_ssize_t start, Py_ssize_t stop):
    """Samples start..stop: hourly-year totals into `totals`, (first, full) months into
    `milestones`. Runs without the GIL."""
    if params.shape[1] != N_PARAMS or totals.shape[1] != N_RESULTS:
        raise ValueError("parameter or result arrays have the wrong width")
    if sched.shape[1] != N_SCHED or milestones.shape[1] != N_MILESTONES:
        raise ValueError("schedule arrays have the wrong width")
    cdef Py_ssize_t n = params.shape[0]
    if (start < 0 or stop > n or start > stop or sched.shape[0] != n or totals.shape[0] != n
            or milestones.shape[0] != n):
        raise ValueError("sample range out of bounds")
    if (temp.shape[0] != HOURS or solar_cf.shape[0] != HOURS or wind_cf.shape[0] != HOURS
            or grid_ci.shape[0] != HOURS or util.shape[0] != HOURS):
        raise ValueError(f"hourly profiles need {HOURS} values")
    cdef Py_ssize_t s, h
    cdef double* scratch
    cdef double* wue_h
    cdef double wue_min, wue_max, wue_t, wue_slope
    cdef bint flat_util
    with nogil:
        scratch = <double*> malloc(3 * HOURS * sizeof(double))
        # The hourly WUE, once per chunk, when every sample of the chunk shares the
        # cooling's WUE curve (it depends on nothing else).
        wue_h = NULL
        if scratch != NULL and same_wue(params, start, stop):
            wue_h = scratch + 2 * HOURS
            wue_min = params[start, P_WUE_MIN]
            wue_max = params[start, P_WUE_MAX]
            wue_t = params[start, P_WUE_T]
            wue_slope = params[start, P_WUE_SLOPE]
            for h in range(HOURS):
                wue_h[h] = dmin(wue_min + wue_slope * dmax(temp[h] - wue_t, 0.0), wue_max)
        flat_util = True
        for h in range(1, HOURS):
            if util[h] != util[0]:
                flat_util = False
                break
        for s in range(start, stop):
            if scratch != NULL:
                year_totals(&params[s, 0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0], &util[0],
                            &totals[s, 0], scratch, wue_h, flat_util)
            else:
                year_core(&params[s, 0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0], &util[0],
                          &totals[s, 0], NULL, 0)
            schedule_core(&sched[s, 0], &milestones[s, 0])
        free(scratch)
