# cython: language_level=3
"""Compiled hourly-year kernel. Same arithmetic, in the same order, as hourly_ref.py
(the readable specification); tests assert both agree to 1e-9 relative."""
from libc.math cimport sqrt
from libc.stdlib cimport free, malloc

import numpy as np
cimport numpy as cnp

# Indices and sizes (HOURS, N_FIRM, P_*, R_*, H_*): core/kernels/layout.py, generated into _layout.pxd.
from aisite.core.kernels._layout cimport *

# The layout this extension was compiled with (tests hold it to layout.py).
LAYOUT = compiled_layout()


cdef inline double dmin(double a, double b) noexcept nogil:
    # Not libc fmin: that is a function call without -ffast-math; this is one minsd.
    return a if a < b else b


cdef inline double dmax(double a, double b) noexcept nogil:
    return a if a > b else b


cdef inline double hour_pue(double pue_fixed, double pue_min, double pue_slope, double t,
                           double econ_t, double pue_max, double it, double it_peak,
                           double share) noexcept nogil:
    """hourly_ref.hour_pue: the cooling curve at full load, then part load (a share of the
    full-load overhead is fixed); a fixed PUE override as is."""
    cdef double pue
    if pue_fixed > 0.0:
        return pue_fixed
    pue = dmin(pue_min + pue_slope * dmax(t - econ_t, 0.0), pue_max)
    if it > 0.0:
        pue = 1.0 + (pue - 1.0) * (share * it_peak / it + (1.0 - share))
    return pue


cdef double battery_year_end(const double* p, const double* temp, const double* solar_cf,
                             const double* wind_cf, const double* util, double e, double cap_e,
                             double rt_eff) noexcept nogil:
    """The battery's usable energy (deliverable MWh) after one year from `e`: the first
    pass of the cyclic year (hourly_ref._battery_year_end, same arithmetic)."""
    cdef Py_ssize_t h
    cdef double it_idle = p[P_IT_IDLE_MW], it_span = p[P_IT_PEAK_MW] - p[P_IT_IDLE_MW]
    cdef double it_peak = p[P_IT_PEAK_MW], share = p[P_PUE_FIXED_SHARE]
    cdef double pue_min = p[P_PUE_MIN], pue_max = p[P_PUE_MAX], econ_t = p[P_ECON_T]
    cdef double pue_slope = p[P_PUE_SLOPE], pue_fixed = p[P_PUE_FIXED]
    cdef double solar_mw = p[P_SOLAR_MW], wind_mw = p[P_WIND_MW]
    cdef double batt_mw = p[P_BATT_MW], util_scale = p[P_UTIL_SCALE]
    cdef double u, it, pue, load, renewable
    for h in range(HOURS):
        u = dmin(util[h] * util_scale, 1.0)
        it = it_idle + it_span * u
        pue = hour_pue(pue_fixed, pue_min, pue_slope, temp[h], econ_t, pue_max, it, it_peak, share)
        load = it * pue
        renewable = solar_mw * solar_cf[h] + wind_mw * wind_cf[h]
        if renewable >= load:
            e = dmin(e + dmin(renewable - load, batt_mw) * rt_eff, cap_e)
        else:
            e = dmax(e - dmin(batt_mw, load - renewable), 0.0)
    return e


cdef void year_core(const double* p, const double* temp, const double* solar_cf,
                    const double* wind_cf, const double* grid_ci, const double* util,
                    double* out, double* hourly, Py_ssize_t hourly_stride) noexcept nogil:
    cdef Py_ssize_t h, k
    # Parameters into locals: the compiler cannot keep them in registers through the
    # pointer otherwise (out/hourly might alias p).
    cdef double it_peak = p[P_IT_PEAK_MW], it_idle = p[P_IT_IDLE_MW]
    cdef double it_span = it_peak - it_idle
    cdef double pue_min = p[P_PUE_MIN], pue_max = p[P_PUE_MAX], econ_t = p[P_ECON_T]
    cdef double pue_slope = p[P_PUE_SLOPE], pue_fixed = p[P_PUE_FIXED]
    cdef double share = p[P_PUE_FIXED_SHARE]
    cdef double wue_min = p[P_WUE_MIN], wue_max = p[P_WUE_MAX], wue_t = p[P_WUE_T]
    cdef double wue_slope = p[P_WUE_SLOPE]
    cdef double solar_mw = p[P_SOLAR_MW], wind_mw = p[P_WIND_MW]
    cdef double batt_mw = p[P_BATT_MW], batt_mwh = p[P_BATT_MWH]
    cdef double grid_mw = p[P_GRID_MW], ci_scale = p[P_GRID_CI_SCALE] * 0.001
    cdef double util_scale = p[P_UTIL_SCALE]
    cdef double backup_mw = p[P_BACKUP_MW], backup_t = p[P_BACKUP_TCO2_PER_MWH]
    cdef double eff_one_way = sqrt(p[P_BATT_EFF]) if p[P_BATT_EFF] > 0.0 else 0.0
    cdef double inv_eff = 1.0 / eff_one_way if eff_one_way > 0.0 else 0.0
    # Battery state kept as deliverable energy e = stored x one-way efficiency: it
    # shortens the hour-to-hour dependency chain to one add and one min/max.
    cdef double rt_eff = eff_one_way * eff_one_way
    cdef double inv_rt = 1.0 / rt_eff if rt_eff > 0.0 else 0.0
    # Only the usable window (soc_min..soc_max of nameplate) cycles; e counts from its
    # bottom. The year is cyclic: it starts where a first pass from half the window ends.
    cdef double soc_floor = batt_mwh * p[P_BATT_SOC_MIN]
    cdef double cap_e = dmax(batt_mwh * (p[P_BATT_SOC_MAX] - p[P_BATT_SOC_MIN]), 0.0) * eff_one_way
    cdef bint has_batt = batt_mw > 0.0 and cap_e > 0.0
    cdef double e = battery_year_end(p, temp, solar_cf, wind_cf, util, 0.5 * cap_e, cap_e, rt_eff) \
        if has_batt else 0.0
    cdef double e_new
    cdef double firm_cap[N_FIRM]
    cdef double firm_t[N_FIRM]
    cdef double s_firm[N_FIRM]
    cdef int n_firm = 0
    for k in range(N_FIRM):
        firm_cap[k] = p[P_FIRM_MW + k]
        firm_t[k] = p[P_FIRM_TCO2_PER_MWH + k]
        s_firm[k] = 0.0
        if firm_cap[k] > 0.0:
            n_firm = k + 1
    cdef double u, it, t, pue, excess, load, wue, water, solar, wind, renewable
    cdef double charge, discharge, curtailed, grid, backup, unserved, firm_total
    cdef double surplus, used, deficit, f, grid_t
    # Accumulate in locals; the compiler keeps them in registers.
    cdef double s_it = 0, s_fac = 0, pk_it = 0, pk_fac = 0, s_solar = 0, s_wind = 0
    cdef double s_used = 0, s_curt = 0, s_charge = 0, s_dis = 0, s_grid = 0, pk_grid = 0
    cdef double s_backup = 0, s_unserved = 0, n_unserved = 0, s_tco2 = 0, s_grid_t = 0
    cdef double s_water = 0, s_cf = 0, s_pue = 0
    for h in range(HOURS):
        u = dmin(util[h] * util_scale, 1.0)
        it = it_idle + it_span * u
        t = temp[h]
        pue = hour_pue(pue_fixed, pue_min, pue_slope, t, econ_t, pue_max, it, it_peak, share)
        load = it * pue
        wue = dmin(wue_min + wue_slope * dmax(t - wue_t, 0.0), wue_max)
        water = it * wue

        solar = solar_mw * solar_cf[h]
        wind = wind_mw * wind_cf[h]
        renewable = solar + wind
        charge = 0.0
        discharge = 0.0
        curtailed = 0.0
        grid = 0.0
        backup = 0.0
        unserved = 0.0
        firm_total = 0.0
        if renewable >= load:
            surplus = renewable - load
            if has_batt:
                e_new = dmin(e + dmin(surplus, batt_mw) * rt_eff, cap_e)
                charge = (e_new - e) * inv_rt
                e = e_new
            curtailed = surplus - charge
            used = load
        else:
            used = renewable
            deficit = load - renewable
            if has_batt:
                e_new = dmax(e - dmin(batt_mw, deficit), 0.0)
                discharge = e - e_new
                e = e_new
            deficit -= discharge
            for k in range(n_firm):
                f = dmin(firm_cap[k], deficit)
                deficit -= f
                firm_total += f
                s_firm[k] += f
            grid = dmin(deficit, grid_mw)
            deficit -= grid
            backup = dmin(deficit, backup_mw)
            deficit -= backup
            unserved = deficit
        grid_t = grid * grid_ci[h] * ci_scale

        s_it += it
        s_fac += load
        pk_it = dmax(pk_it, it)
        pk_fac = dmax(pk_fac, load)
        s_used += used
        s_curt += curtailed
        s_charge += charge
        s_dis += discharge
        s_grid += grid
        pk_grid = dmax(pk_grid, grid)
        s_backup += backup
        s_unserved += unserved
        n_unserved += (unserved > 1e-9)
        s_grid_t += grid_t
        s_water += water
        s_pue += pue
        if hourly != NULL:
            hourly[H_IT_MW * hourly_stride + h] = it
            hourly[H_FACILITY_MW * hourly_stride + h] = load
            hourly[H_PUE * hourly_stride + h] = pue
            hourly[H_SOLAR_MW * hourly_stride + h] = solar
            hourly[H_WIND_MW * hourly_stride + h] = wind
            hourly[H_BATTERY_DISCHARGE_MW * hourly_stride + h] = discharge
            hourly[H_BATTERY_CHARGE_MW * hourly_stride + h] = charge
            hourly[H_BATTERY_SOC_MWH * hourly_stride + h] = soc_floor + e * inv_eff
            hourly[H_FIRM_MW * hourly_stride + h] = firm_total
            hourly[H_GRID_MW * hourly_stride + h] = grid
            hourly[H_BACKUP_MW * hourly_stride + h] = backup
            hourly[H_UNSERVED_MW * hourly_stride + h] = unserved
            hourly[H_CURTAILED_MW * hourly_stride + h] = curtailed
            hourly[H_WATER_M3 * hourly_stride + h] = water
    # Totals that follow from others are derived once, after the loop.
    s_tco2 = s_grid_t + s_backup * backup_t
    s_cf = s_used + s_dis
    for k in range(N_FIRM):
        s_tco2 = s_tco2 + s_firm[k] * firm_t[k]
        if firm_t[k] == 0.0:
            s_cf = s_cf + s_firm[k]
    for h in range(HOURS):
        s_solar += solar_cf[h]
        s_wind += wind_cf[h]
    s_solar = s_solar * solar_mw
    s_wind = s_wind * wind_mw
    out[R_IT_MWH] = s_it
    out[R_FACILITY_MWH] = s_fac
    out[R_IT_PEAK_MW] = pk_it
    out[R_FACILITY_PEAK_MW] = pk_fac
    out[R_SOLAR_GEN_MWH] = s_solar
    out[R_WIND_GEN_MWH] = s_wind
    out[R_RENEWABLE_USED_MWH] = s_used
    out[R_CURTAILED_MWH] = s_curt
    out[R_CHARGE_MWH] = s_charge
    out[R_DISCHARGE_MWH] = s_dis
    out[R_GRID_MWH] = s_grid
    out[R_GRID_PEAK_MW] = pk_grid
    out[R_BACKUP_MWH] = s_backup
    out[R_UNSERVED_MWH] = s_unserved
    out[R_UNSERVED_HOURS] = n_unserved
    out[R_TCO2_LOCATION] = s_tco2
    out[R_GRID_TCO2] = s_grid_t
    out[R_WATER_M3] = s_water
    out[R_CARBON_FREE_MWH] = s_cf
    out[R_PUE_SUM] = s_pue
    for k in range(N_FIRM):
        out[R_FIRM_MWH + k] = s_firm[k]


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
    cdef double it_peak = p[P_IT_PEAK_MW], it_idle = p[P_IT_IDLE_MW]
    cdef double it_span = it_peak - it_idle
    cdef double pue_min = p[P_PUE_MIN], pue_max = p[P_PUE_MAX], econ_t = p[P_ECON_T]
    cdef double pue_slope = p[P_PUE_SLOPE], pue_fixed = p[P_PUE_FIXED]
    cdef double share = p[P_PUE_FIXED_SHARE]
    cdef double wue_min = p[P_WUE_MIN], wue_max = p[P_WUE_MAX], wue_t = p[P_WUE_T]
    cdef double wue_slope = p[P_WUE_SLOPE]
    cdef double solar_mw = p[P_SOLAR_MW], wind_mw = p[P_WIND_MW]
    cdef double batt_mw = p[P_BATT_MW], batt_mwh = p[P_BATT_MWH]
    cdef double grid_mw = p[P_GRID_MW], ci_scale = p[P_GRID_CI_SCALE] * 0.001
    cdef double util_scale = p[P_UTIL_SCALE]
    cdef double backup_mw = p[P_BACKUP_MW], backup_t = p[P_BACKUP_TCO2_PER_MWH]
    cdef double eff_one_way = sqrt(p[P_BATT_EFF]) if p[P_BATT_EFF] > 0.0 else 0.0
    cdef double rt_eff = eff_one_way * eff_one_way
    cdef double inv_rt = 1.0 / rt_eff if rt_eff > 0.0 else 0.0
    # Only the usable window (soc_min..soc_max of nameplate) cycles; e counts from its
    # bottom. The year is cyclic: it starts where a first pass from half the window ends.
    cdef double cap_e = dmax(batt_mwh * (p[P_BATT_SOC_MAX] - p[P_BATT_SOC_MIN]), 0.0) * eff_one_way
    cdef bint has_batt = batt_mw > 0.0 and cap_e > 0.0
    cdef double e = 0.0
    cdef double e_new
    cdef double firm_cap[N_FIRM]
    cdef double firm_t[N_FIRM]
    cdef double s_firm[N_FIRM]
    cdef int n_firm = 0
    for k in range(N_FIRM):
        firm_cap[k] = p[P_FIRM_MW + k]
        firm_t[k] = p[P_FIRM_TCO2_PER_MWH + k]
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
            pue = hour_pue(pue_fixed, pue_min, pue_slope, t, econ_t, pue_max, it, it_peak, share)
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
            pue = hour_pue(pue_fixed, pue_min, pue_slope, t, econ_t, pue_max, it, it_peak, share)
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
    # The cyclic year's first pass (battery_year_end, the same arithmetic) over the load
    # and renewables pass 1 laid out.
    if has_batt:
        e = 0.5 * cap_e
        for h in range(HOURS):
            load = load_h[h]
            renewable = ren_h[h]
            if renewable >= load:
                e = dmin(e + dmin(renewable - load, batt_mw) * rt_eff, cap_e)
            else:
                e = dmax(e - dmin(batt_mw, load - renewable), 0.0)
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
    out[R_IT_MWH] = s_it
    out[R_FACILITY_MWH] = s_fac
    out[R_IT_PEAK_MW] = pk_it
    out[R_FACILITY_PEAK_MW] = pk_fac
    out[R_SOLAR_GEN_MWH] = s_solar * solar_mw
    out[R_WIND_GEN_MWH] = s_wind * wind_mw
    out[R_RENEWABLE_USED_MWH] = s_used
    out[R_CURTAILED_MWH] = s_curt
    out[R_CHARGE_MWH] = s_charge
    out[R_DISCHARGE_MWH] = s_dis
    out[R_GRID_MWH] = s_grid
    out[R_GRID_PEAK_MW] = pk_grid
    out[R_BACKUP_MWH] = s_backup
    out[R_UNSERVED_MWH] = s_unserved
    out[R_UNSERVED_HOURS] = n_unserved
    out[R_TCO2_LOCATION] = s_tco2
    out[R_GRID_TCO2] = s_grid_t
    out[R_WATER_M3] = s_water
    out[R_CARBON_FREE_MWH] = s_cf
    out[R_PUE_SUM] = s_pue
    for k in range(N_FIRM):
        out[R_FIRM_MWH + k] = s_firm[k]


def _check(profiles):
    for a in profiles:
        if a.shape[0] != HOURS:
            raise ValueError(f"hourly profiles need {HOURS} values, got {a.shape[0]}")


def hourly_year(const double[::1] params, const double[::1] temp, const double[::1] solar_cf,
                const double[::1] wind_cf, const double[::1] grid_ci, const double[::1] util,
                double[:, ::1] hourly=None):
    """One typical year; returns the N_RESULTS annual totals (numpy array).
    hourly, if given, is an N_HOURLY x 8760 C-contiguous array filled hour by hour
    (year_core); without it the faster year_totals gives the same totals."""
    if params.shape[0] != N_PARAMS:
        raise ValueError(f"params needs {N_PARAMS} values, got {params.shape[0]}")
    _check((temp, solar_cf, wind_cf, grid_ci, util))
    out = np.zeros(N_RESULTS)
    cdef double[::1] out_v = out
    cdef double* hourly_ptr = NULL
    cdef Py_ssize_t stride = 0
    if hourly is not None:
        if hourly.shape[0] != N_HOURLY or hourly.shape[1] != HOURS:
            raise ValueError(f"hourly output must be {N_HOURLY} x {HOURS}")
        hourly_ptr = &hourly[0, 0]
        stride = hourly.shape[1]
    cdef double* scratch = NULL
    with nogil:
        if hourly_ptr == NULL:
            scratch = <double*> malloc(2 * HOURS * sizeof(double))
        if scratch != NULL:
            year_totals(&params[0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0], &util[0],
                        &out_v[0], scratch, NULL, False)
            free(scratch)
        else:
            year_core(&params[0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0], &util[0],
                      &out_v[0], hourly_ptr, stride)
    return out


def hourly_year_batch(const double[:, ::1] params, const double[::1] temp,
                      const double[::1] solar_cf, const double[::1] wind_cf,
                      const double[::1] grid_ci, const double[::1] util,
                      double[:, ::1] out, Py_ssize_t start, Py_ssize_t stop):
    """Rows start..stop of a batch (one parameter row per sample) into out, without the
    GIL, so several threads can each take a chunk."""
    if params.shape[1] != N_PARAMS or out.shape[1] != N_RESULTS:
        raise ValueError("batch arrays have the wrong width")
    if start < 0 or stop > params.shape[0] or stop > out.shape[0] or start > stop:
        raise ValueError("batch range out of bounds")
    _check((temp, solar_cf, wind_cf, grid_ci, util))
    cdef Py_ssize_t s
    cdef double* scratch
    with nogil:
        # year_totals: the same totals as year_core, bit for bit, in passes that keep
        # their sums in registers; it needs 2 x 8,760 doubles of scratch.
        scratch = <double*> malloc(2 * HOURS * sizeof(double))
        for s in range(start, stop):
            if scratch != NULL:
                year_totals(&params[s, 0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0],
                            &util[0], &out[s, 0], scratch, NULL, False)
            else:
                year_core(&params[s, 0], &temp[0], &solar_cf[0], &wind_cf[0], &grid_ci[0],
                          &util[0], &out[s, 0], NULL, 0)
        free(scratch)
