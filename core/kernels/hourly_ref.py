"""Plain-Python reference of the hourly-year kernel: the readable specification.

Each hour: IT load from utilisation (idle draw when idle); PUE from the ambient
temperature and the cooling type; facility load = IT x PUE; dispatch in merit order
(solar and wind, battery discharge, firm on-site sources, grid import up to its MW,
diesel backup, then unserved); a renewable surplus charges the battery, the rest is
curtailed. The compiled kernel (_hourly_cy.pyx) must give the same numbers; keep the
order of operations identical in both.
"""
from __future__ import annotations

import math

from aisite.core.kernels.layout import (
    HOURS, N_FIRM, N_HOURLY, N_RESULTS, P_BACKUP_MW, P_BACKUP_TCO2_PER_MWH, P_BATT_EFF,
    P_BATT_MW, P_BATT_MWH, P_BATT_SOC_MAX, P_BATT_SOC_MIN, P_ECON_T, P_FIRM_MW, P_FIRM_TCO2_PER_MWH, P_GRID_CI_SCALE,
    P_GRID_MW, P_IT_IDLE_MW, P_IT_PEAK_MW, P_PUE_FIXED, P_PUE_FIXED_SHARE, P_PUE_MAX, P_PUE_MIN, P_PUE_SLOPE,
    P_SOLAR_MW, P_UTIL_SCALE, P_WIND_MW, P_WUE_MAX, P_WUE_MIN, P_WUE_SLOPE, P_WUE_T,
    R_BACKUP_MWH, R_CARBON_FREE_MWH, R_CHARGE_MWH, R_CURTAILED_MWH, R_DISCHARGE_MWH,
    R_FACILITY_MWH, R_FACILITY_PEAK_MW, R_FIRM_MWH, R_GRID_MWH, R_GRID_PEAK_MW, R_GRID_TCO2,
    R_IT_MWH, R_IT_PEAK_MW, R_PUE_SUM, R_RENEWABLE_USED_MWH, R_SOLAR_GEN_MWH,
    R_TCO2_LOCATION, R_UNSERVED_HOURS, R_UNSERVED_MWH, R_WATER_M3, R_WIND_GEN_MWH,
)


def hour_pue(p, t, it):
    """PUE in one hour: the cooling curve at full load for the hour's temperature, then
    part load: a share of the full-load overhead is fixed (no-load losses, minimum fan
    and pump power), the rest follows the IT load. A fixed PUE override is taken as is."""
    if p[P_PUE_FIXED] > 0.0:
        return p[P_PUE_FIXED]
    pue = min(p[P_PUE_MIN] + p[P_PUE_SLOPE] * max(t - p[P_ECON_T], 0.0), p[P_PUE_MAX])
    if it > 0.0:
        share = p[P_PUE_FIXED_SHARE]
        pue = 1.0 + (pue - 1.0) * (share * p[P_IT_PEAK_MW] / it + (1.0 - share))
    return pue


def _facility_load(p, t, u_raw):
    """IT load x PUE in one hour (the first lines of the main loop, in the same order)."""
    u = min(u_raw * p[P_UTIL_SCALE], 1.0)
    it = p[P_IT_IDLE_MW] + (p[P_IT_PEAK_MW] - p[P_IT_IDLE_MW]) * u
    return it * hour_pue(p, t, it)


def _battery_year_end(p, temp, solar_cf, wind_cf, util, e, cap_e, rt_eff, inv_rt):
    """The battery's usable energy (deliverable MWh) after one year from ``e``."""
    batt_mw = p[P_BATT_MW]
    for h in range(HOURS):
        load = _facility_load(p, temp[h], util[h])
        renewable = p[P_SOLAR_MW] * solar_cf[h] + p[P_WIND_MW] * wind_cf[h]
        if renewable >= load:
            e = min(e + min(renewable - load, batt_mw) * rt_eff, cap_e)
        else:
            e = max(e - min(batt_mw, load - renewable), 0.0)
    return e


def hourly_year(params, temp, solar_cf, wind_cf, grid_ci, util, hourly=None):
    """Simulate one typical year. Returns the list of N_RESULTS annual totals.

    params: sequence of N_PARAMS floats (core.kernels.layout); temp, solar_cf, wind_cf,
    grid_ci (gCO2/kWh) and util: 8,760 floats each. hourly: optional N_HOURLY x 8,760
    nested lists/array filled with the hour-by-hour series of layout.HOURLY_SERIES.
    """
    p = [float(x) for x in params]
    out = [0.0] * N_RESULTS
    it_peak, it_idle = p[P_IT_PEAK_MW], p[P_IT_IDLE_MW]
    it_span = it_peak - it_idle
    batt_mw, batt_mwh = p[P_BATT_MW], p[P_BATT_MWH]
    eff_one_way = math.sqrt(p[P_BATT_EFF]) if p[P_BATT_EFF] > 0.0 else 0.0
    inv_eff = 1.0 / eff_one_way if eff_one_way > 0.0 else 0.0
    ci_scale = p[P_GRID_CI_SCALE] * 0.001
    # The battery's state is kept as deliverable energy e = stored energy x one-way
    # efficiency. Charging x MWh from surplus adds x * round-trip efficiency to e;
    # discharging delivers straight from e.
    # Only the usable window of the nameplate MWh (soc_min..soc_max) cycles; e counts
    # from the bottom of the window.
    rt_eff = eff_one_way * eff_one_way
    inv_rt = 1.0 / rt_eff if rt_eff > 0.0 else 0.0
    soc_floor = batt_mwh * p[P_BATT_SOC_MIN]
    cap_e = max(batt_mwh * (p[P_BATT_SOC_MAX] - p[P_BATT_SOC_MIN]), 0.0) * eff_one_way
    has_batt = batt_mw > 0.0 and cap_e > 0.0
    # A cyclic year: a first pass from half the window finds where the year ends, and
    # the year is then run from there, so it ends where it starts (exactly whenever the
    # battery fills or empties at least once a year).
    e = _battery_year_end(p, temp, solar_cf, wind_cf, util, 0.5 * cap_e, cap_e, rt_eff, inv_rt) \
        if has_batt else 0.0
    firm_cap = [p[P_FIRM_MW + k] for k in range(N_FIRM)]
    firm_t = [p[P_FIRM_TCO2_PER_MWH + k] for k in range(N_FIRM)]
    firm_mwh = [0.0] * N_FIRM
    s_it = s_fac = pk_it = pk_fac = s_used = s_curt = s_charge = s_dis = 0.0
    s_grid = pk_grid = s_backup = s_unserved = n_unserved = s_grid_t = s_water = s_pue = 0.0
    for h in range(HOURS):
        u = min(util[h] * p[P_UTIL_SCALE], 1.0)
        it = it_idle + it_span * u
        t = temp[h]
        pue = hour_pue(p, t, it)
        load = it * pue
        wue = min(p[P_WUE_MIN] + p[P_WUE_SLOPE] * max(t - p[P_WUE_T], 0.0), p[P_WUE_MAX])
        water = it * wue  # MWh x L/kWh = m3

        solar = p[P_SOLAR_MW] * solar_cf[h]
        wind = p[P_WIND_MW] * wind_cf[h]
        renewable = solar + wind
        charge = discharge = curtailed = grid = backup = unserved = firm_total = 0.0
        if renewable >= load:
            # Surplus: charge the battery as far as its power and room allow; curtail the rest.
            surplus = renewable - load
            if has_batt:
                e_new = min(e + min(surplus, batt_mw) * rt_eff, cap_e)
                charge = (e_new - e) * inv_rt
                e = e_new
            curtailed = surplus - charge
            used = load
        else:
            # Deficit: battery, firm on-site in merit order, grid import, diesel, unserved.
            used = renewable
            deficit = load - renewable
            if has_batt:
                e_new = max(e - min(batt_mw, deficit), 0.0)
                discharge = e - e_new
                e = e_new
            deficit -= discharge
            for k in range(N_FIRM):
                f = min(firm_cap[k], deficit)
                deficit -= f
                firm_total += f
                firm_mwh[k] += f
            grid = min(deficit, p[P_GRID_MW])
            deficit -= grid
            backup = min(deficit, p[P_BACKUP_MW])
            deficit -= backup
            unserved = deficit
        grid_t = grid * grid_ci[h] * ci_scale

        s_it += it
        s_fac += load
        pk_it = max(pk_it, it)
        pk_fac = max(pk_fac, load)
        s_used += used
        s_curt += curtailed
        s_charge += charge
        s_dis += discharge
        s_grid += grid
        pk_grid = max(pk_grid, grid)
        s_backup += backup
        s_unserved += unserved
        n_unserved += unserved > 1e-9
        s_grid_t += grid_t
        s_water += water
        s_pue += pue
        if hourly is not None:
            row = (it, load, pue, solar, wind, discharge, charge, soc_floor + e * inv_eff, firm_total,
                   grid, backup, unserved, curtailed, water)
            for i in range(N_HOURLY):
                hourly[i][h] = row[i]

    # Totals that follow from others are derived once, after the loop.
    s_tco2 = s_grid_t + s_backup * p[P_BACKUP_TCO2_PER_MWH]
    s_cf = s_used + s_dis
    for k in range(N_FIRM):
        s_tco2 = s_tco2 + firm_mwh[k] * firm_t[k]
        if firm_t[k] == 0.0:
            s_cf = s_cf + firm_mwh[k]
    s_solar = s_wind = 0.0
    for h in range(HOURS):
        s_solar += solar_cf[h]
        s_wind += wind_cf[h]
    out[R_IT_MWH] = s_it
    out[R_FACILITY_MWH] = s_fac
    out[R_IT_PEAK_MW] = pk_it
    out[R_FACILITY_PEAK_MW] = pk_fac
    out[R_SOLAR_GEN_MWH] = s_solar * p[P_SOLAR_MW]
    out[R_WIND_GEN_MWH] = s_wind * p[P_WIND_MW]
    out[R_RENEWABLE_USED_MWH] = s_used
    out[R_CURTAILED_MWH] = s_curt
    out[R_CHARGE_MWH] = s_charge
    out[R_DISCHARGE_MWH] = s_dis
    out[R_GRID_MWH] = s_grid
    out[R_GRID_PEAK_MW] = pk_grid
    out[R_BACKUP_MWH] = s_backup
    out[R_UNSERVED_MWH] = s_unserved
    out[R_UNSERVED_HOURS] = float(n_unserved)
    out[R_TCO2_LOCATION] = s_tco2
    out[R_GRID_TCO2] = s_grid_t
    out[R_WATER_M3] = s_water
    out[R_CARBON_FREE_MWH] = s_cf
    out[R_PUE_SUM] = s_pue
    for k in range(N_FIRM):
        out[R_FIRM_MWH + k] = firm_mwh[k]
    return out
