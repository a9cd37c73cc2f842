# cython: language_level=3
"""Compiled Monte Carlo kernel: for each sample, the hourly year (year_core from
_hourly_cy) and the schedule's two milestones, without the GIL, for a range of rows so
several threads can each take a chunk. montecarlo_ref.py is the readable specification
(the plain-Python hourly reference and core.schedule.timeline, looped over samples).

Schedule inputs per sample (layout in core.kernels.montecarlo, S_* indices): the eight
task durations in months (NaN for a task that does not apply), grid MW, on-site firm MW,
the facility MW needed for the first phase and for full capacity, and the phase span.
Outputs: first-compute month and full-capacity month (inf when power never suffices).
"""
from libc.math cimport isnan, sqrt, INFINITY
from libc.stdlib cimport malloc, free

from core.kernels._hourly_cy cimport year_core

DEF HOURS = 8760
DEF N_FIRM = 4
DEF N_PARAMS = 29
DEF N_RESULTS = 24
DEF N_SCHED = 13
DEF S_PERMITTING = 0
DEF S_GRID = 1
DEF S_ONSITE = 2
DEF S_BUILDING = 3
DEF S_COOLING = 4
DEF S_ELECTRICAL = 5
DEF S_ACCEL = 6
DEF S_INSTALL = 7
DEF S_GRID_MW = 8
DEF S_ONSITE_MW = 9
DEF S_NEED_FIRST = 10
DEF S_NEED_FULL = 11
DEF S_PHASE_SPAN = 12


cdef inline double dmax(double a, double b) noexcept nogil:
    return a if a > b else b


cdef inline double dmin(double a, double b) noexcept nogil:
    return a if a < b else b


cdef void year_totals(const double* p, const double* temp, const double* solar_cf,
                      const double* wind_cf, const double* grid_ci, const double* util,
                      double* out, double* scratch, const double* wue_h, bint flat_util) noexcept nogil:
    """The annual totals of _hourly_cy.year_core (same arithmetic hour by hour, same
    order of the sums), in passes small enough that each loop keeps its running sums in
    registers (year_core spills its twenty sums to the stack): 1, the load side (IT, PUE,
    facility load, water, renewables), which depends on nothing from the hour before;
    2, renewables and the battery; 3, each firm source; 4, grid, backup and unserved.
    Every hour's arithmetic and the order of every sum are year_core's, so the totals
    are bit-for-bit the same; with the Monte Carlo layout (shared WUE curve, flat
    utilisation) about a third faster than year_core here. `scratch` holds 2 x 8,760
    doubles."""
    cdef Py_ssize_t h, k
    cdef double* load_h = scratch
    cdef double* ren_h = scratch + HOURS
    cdef double it_peak = p[0], it_idle = p[1]
    cdef double it_span = it_peak - it_idle
    cdef double pue_min = p[2], pue_max = p[3], econ_t = p[4]
    cdef double pue_slope = p[5], pue_fixed = p[6]
    cdef double wue_min = p[7], wue_max = p[8], wue_t = p[9]
    cdef double wue_slope = p[10]
    cdef double solar_mw = p[11], wind_mw = p[12]
    cdef double batt_mw = p[13], batt_mwh = p[14]
    cdef double grid_mw = p[16], ci_scale = p[17] * 0.001
    cdef double util_scale = p[18]
    cdef double backup_mw = p[19], backup_t = p[20]
    cdef double eff_one_way = sqrt(p[15]) if p[15] > 0.0 else 0.0
    cdef double rt_eff = eff_one_way * eff_one_way
    cdef double inv_rt = 1.0 / rt_eff if rt_eff > 0.0 else 0.0
    cdef double cap_e = batt_mwh * eff_one_way
    cdef double e = 0.5 * cap_e, e_new
    cdef bint has_batt = batt_mw > 0.0 and cap_e > 0.0
    cdef double firm_cap[N_FIRM]
    cdef double firm_t[N_FIRM]
    cdef double s_firm[N_FIRM]
    cdef int n_firm = 0
    for k in range(N_FIRM):
        firm_cap[k] = p[21 + k]
        firm_t[k] = p[25 + k]
        s_firm[k] = 0.0
        if firm_cap[k] > 0.0:
            n_firm = k + 1
    cdef double u, it, t, pue, load, wue, renewable
    cdef double s_it = 0, s_fac = 0, pk_it = 0, pk_fac = 0, s_water = 0, s_pue = 0
    cdef bint fixed = pue_fixed > 0.0
    # Pass 1: the load side. When every hour has the same utilisation (`flat_util`; Monte
    # Carlo lays it out that way) the IT load is one number for the year; when `wue_h` is given
    # it holds this site's hourly WUE, computed once per chunk by the same expression;
    # the arithmetic per hour is unchanged.
    if flat_util and wue_h != NULL:
        u = dmin(util[0] * util_scale, 1.0)
        it = it_idle + it_span * u
        for h in range(HOURS):
            t = temp[h]
            pue = pue_fixed if fixed else dmin(pue_min + pue_slope * dmax(t - econ_t, 0.0), pue_max)
            load = it * pue
            load_h[h] = load
            ren_h[h] = solar_mw * solar_cf[h] + wind_mw * wind_cf[h]
            s_it += it
            s_fac += load
            pk_fac = dmax(pk_fac, load)
            s_water += it * wue_h[h]
            s_pue += pue
        pk_it = dmax(pk_it, it)
    else:
        for h in range(HOURS):
            u = dmin(util[h] * util_scale, 1.0)
            it = it_idle + it_span * u
            t = temp[h]
            pue = pue_fixed if fixed else dmin(pue_min + pue_slope * dmax(t - econ_t, 0.0), pue_max)
            load = it * pue
            wue = dmin(wue_min + wue_slope * dmax(t - wue_t, 0.0), wue_max)
            load_h[h] = load
            ren_h[h] = solar_mw * solar_cf[h] + wind_mw * wind_cf[h]
            s_it += it
            s_fac += load
            pk_it = dmax(pk_it, it)
            pk_fac = dmax(pk_fac, load)
            s_water += it * wue
            s_pue += pue
    # Pass 2: renewables and the battery, whose state carries from hour to hour; the
    # deficit left after them goes to scratch (0 in surplus hours). Sums change only in
    # the branch that can make them non-zero (adding 0.0 leaves a sum unchanged).
    cdef double surplus, deficit, charge, discharge, grid, backup, f
    cdef double* deficit_h = load_h      # load_h[h] is not needed after hour h
    cdef double s_used = 0, s_curt = 0, s_charge = 0, s_dis = 0
    for h in range(HOURS):
        load = load_h[h]
        renewable = ren_h[h]
        if renewable >= load:
            surplus = renewable - load
            charge = 0.0
            if has_batt:
                e_new = dmin(e + dmin(surplus, batt_mw) * rt_eff, cap_e)
                charge = (e_new - e) * inv_rt
                e = e_new
            s_curt += surplus - charge
            s_charge += charge
            s_used += load
            deficit_h[h] = 0.0
        else:
            s_used += renewable
            deficit = load - renewable
            if has_batt:
                e_new = dmax(e - dmin(batt_mw, deficit), 0.0)
                discharge = e - e_new
                e = e_new
                s_dis += discharge
                deficit -= discharge
            deficit_h[h] = deficit
    # Pass 3: firm on-site sources in merit order, one loop per source.
    cdef double cap_k, s_k
    for k in range(n_firm):
        cap_k = firm_cap[k]
        s_k = 0.0
        for h in range(HOURS):
            f = dmin(cap_k, deficit_h[h])
            deficit_h[h] = deficit_h[h] - f
            s_k += f
        s_firm[k] = s_k
    # Pass 4: grid import, diesel backup, unserved.
    cdef double s_grid = 0, pk_grid = 0, s_backup = 0, s_unserved = 0, n_unserved = 0, s_grid_t = 0
    for h in range(HOURS):
        deficit = deficit_h[h]
        grid = dmin(deficit, grid_mw)
        deficit -= grid
        backup = dmin(deficit, backup_mw)
        deficit -= backup
        s_grid += grid
        pk_grid = dmax(pk_grid, grid)
        s_backup += backup
        s_unserved += deficit
        n_unserved += (deficit > 1e-9)
        s_grid_t += grid * grid_ci[h] * ci_scale
    cdef double s_tco2 = s_grid_t + s_backup * backup_t
    cdef double s_cf = s_used + s_dis
    for k in range(N_FIRM):
        s_tco2 = s_tco2 + s_firm[k] * firm_t[k]
        if firm_t[k] == 0.0:
            s_cf = s_cf + s_firm[k]
    cdef double s_solar = 0, s_wind = 0
    for h in range(HOURS):
        s_solar += solar_cf[h]
        s_wind += wind_cf[h]
    out[0] = s_it
    out[1] = s_fac
    out[2] = pk_it
    out[3] = pk_fac
    out[4] = s_solar * solar_mw
    out[5] = s_wind * wind_mw
    out[6] = s_used
    out[7] = s_curt
    out[8] = s_charge
    out[9] = s_dis
    out[10] = s_grid
    out[11] = pk_grid
    out[12] = s_backup
    out[13] = s_unserved
    out[14] = n_unserved
    out[15] = s_tco2
    out[16] = s_grid_t
    out[17] = s_water
    out[18] = s_cf
    out[19] = s_pue
    for k in range(N_FIRM):
        out[20 + k] = s_firm[k]


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
    install_start = dmax(install_start, permit_end + s[S_COOLING])
    install_start = dmax(install_start, permit_end + s[S_ELECTRICAL])
    install_start = dmax(install_start, permit_end + s[S_ACCEL])
    cdef double install_end = install_start + s[S_INSTALL]
    cdef double grid_end = INFINITY if isnan(s[S_GRID]) else s[S_GRID]
    cdef double onsite_end = INFINITY if isnan(s[S_ONSITE]) else permit_end + s[S_ONSITE]
    cdef double first = dmax(install_end, power_ready(s[S_NEED_FIRST], s[S_GRID_MW], grid_end,
                                                      s[S_ONSITE_MW], onsite_end))
    cdef double full = dmax(first + s[S_PHASE_SPAN], power_ready(s[S_NEED_FULL], s[S_GRID_MW], grid_end,
                                                                 s[S_ONSITE_MW], onsite_end))
    out[0] = first
    out[1] = full


cdef bint same_wue(const double[:, ::1] params, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef Py_ssize_t s, k
    for s in range(start + 1, stop):
        for k in range(7, 11):
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
    if sched.shape[1] != N_SCHED or milestones.shape[1] != 2:
        raise ValueError("schedule arrays have the wrong width")
    cdef Py_ssize_t n = params.shape[0]
    if (start < 0 or stop > n or start > stop or sched.shape[0] != n or totals.shape[0] != n
            or milestones.shape[0] != n):
        raise ValueError("sample range out of bounds")
    if (temp.shape[0] != 8760 or solar_cf.shape[0] != 8760 or wind_cf.shape[0] != 8760
            or grid_ci.shape[0] != 8760 or util.shape[0] != 8760):
        raise ValueError("hourly profiles need 8760 values")
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
            wue_min = params[start, 7]
            wue_max = params[start, 8]
            wue_t = params[start, 9]
            wue_slope = params[start, 10]
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
