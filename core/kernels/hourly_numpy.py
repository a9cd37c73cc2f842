"""The best numpy formulation of the hourly year we could write, for the benchmark.

The battery's state of charge makes each hour depend on the one before, so numpy
cannot vectorise over hours; it vectorises over samples instead and loops the hours
in Python. Results match the kernel (tests check), so the speed-up is like for like.
"""
from __future__ import annotations

import numpy as np

from aisite.core.kernels import layout as L


def _pue(p, fixed, t, it):
    pue_model = np.minimum(p[:, L.P_PUE_MIN] + p[:, L.P_PUE_SLOPE] * np.maximum(t - p[:, L.P_ECON_T], 0.0),
                           p[:, L.P_PUE_MAX])
    share = p[:, L.P_PUE_FIXED_SHARE]
    part_load = 1.0 + (pue_model - 1.0) * (share * p[:, L.P_IT_PEAK_MW] / np.where(it > 0.0, it, 1.0) + (1.0 - share))
    return np.where(fixed, p[:, L.P_PUE_FIXED], np.where(it > 0.0, part_load, pue_model))


def _load_and_renewable(p, fixed, t, solar_cf, wind_cf, util):
    u = np.minimum(util * p[:, L.P_UTIL_SCALE], 1.0)
    it = p[:, L.P_IT_IDLE_MW] + (p[:, L.P_IT_PEAK_MW] - p[:, L.P_IT_IDLE_MW]) * u
    return it * _pue(p, fixed, t, it), p[:, L.P_SOLAR_MW] * solar_cf + p[:, L.P_WIND_MW] * wind_cf


def hourly_year_batch(params, temp, solar_cf, wind_cf, grid_ci, util) -> np.ndarray:
    p = np.asarray(params, dtype=np.float64)
    n = p.shape[0]
    out = np.zeros((n, L.N_RESULTS))
    eff = np.where(p[:, L.P_BATT_EFF] > 0, np.sqrt(np.maximum(p[:, L.P_BATT_EFF], 0)), 0.0)
    inv_eff = np.where(eff > 0, 1.0 / np.where(eff > 0, eff, 1.0), 0.0)
    fixed = p[:, L.P_PUE_FIXED] > 0
    # Usable window of the nameplate; the year is cyclic (it starts where a first pass
    # from the middle of the window ends), as in the kernel.
    floor = p[:, L.P_BATT_MWH] * p[:, L.P_BATT_SOC_MIN]
    ceiling = floor + np.maximum(p[:, L.P_BATT_MWH] * (p[:, L.P_BATT_SOC_MAX] - p[:, L.P_BATT_SOC_MIN]), 0.0)
    soc = 0.5 * (floor + ceiling)
    for h in range(L.HOURS):
        load, renewable = _load_and_renewable(p, fixed, temp[h], solar_cf[h], wind_cf[h], util[h])
        surplus = np.maximum(renewable - load, 0.0)
        charge = np.minimum(np.minimum(surplus, p[:, L.P_BATT_MW]), (ceiling - soc) * inv_eff)
        discharge = np.minimum(np.minimum((soc - floor) * eff, p[:, L.P_BATT_MW]), np.maximum(load - renewable, 0.0))
        soc = soc + charge * eff - discharge * inv_eff
    firm_cap = p[:, L.P_FIRM_MW:L.P_FIRM_MW + L.N_FIRM]
    firm_t = p[:, L.P_FIRM_TCO2_PER_MWH:L.P_FIRM_TCO2_PER_MWH + L.N_FIRM]
    firm_free = firm_t == 0.0
    for h in range(L.HOURS):
        u = np.minimum(util[h] * p[:, L.P_UTIL_SCALE], 1.0)
        it = p[:, L.P_IT_IDLE_MW] + (p[:, L.P_IT_PEAK_MW] - p[:, L.P_IT_IDLE_MW]) * u
        t = temp[h]
        pue = _pue(p, fixed, t, it)
        load = it * pue
        wue = np.minimum(p[:, L.P_WUE_MIN] + p[:, L.P_WUE_SLOPE] * np.maximum(t - p[:, L.P_WUE_T], 0.0),
                         p[:, L.P_WUE_MAX])
        solar = p[:, L.P_SOLAR_MW] * solar_cf[h]
        wind = p[:, L.P_WIND_MW] * wind_cf[h]
        renewable = solar + wind
        surplus_mask = renewable >= load
        surplus = np.where(surplus_mask, renewable - load, 0.0)
        room = (ceiling - soc) * inv_eff
        charge = np.minimum(np.minimum(surplus, p[:, L.P_BATT_MW]), room)
        curtailed = surplus - charge
        deficit = np.where(surplus_mask, 0.0, load - renewable)
        discharge = np.where(surplus_mask, 0.0, np.minimum(np.minimum((soc - floor) * eff, p[:, L.P_BATT_MW]), deficit))
        soc = soc + charge * eff - discharge * inv_eff
        deficit = deficit - discharge
        tco2 = np.zeros(n)
        carbon_free = np.zeros(n)
        for k in range(L.N_FIRM):
            f = np.minimum(firm_cap[:, k], deficit)
            deficit = deficit - f
            out[:, L.R_FIRM_MWH + k] += f
            tco2 += f * firm_t[:, k]
            carbon_free += np.where(firm_free[:, k], f, 0.0)
        grid = np.minimum(deficit, p[:, L.P_GRID_MW])
        deficit = deficit - grid
        backup = np.minimum(deficit, p[:, L.P_BACKUP_MW])
        deficit = deficit - backup
        tco2 += backup * p[:, L.P_BACKUP_TCO2_PER_MWH]
        grid_t = grid * grid_ci[h] * (p[:, L.P_GRID_CI_SCALE] * 0.001)
        tco2 += grid_t
        used = np.where(surplus_mask, load, renewable)
        carbon_free += used + discharge
        out[:, L.R_IT_MWH] += it
        out[:, L.R_FACILITY_MWH] += load
        np.maximum(out[:, L.R_IT_PEAK_MW], it, out=out[:, L.R_IT_PEAK_MW])
        np.maximum(out[:, L.R_FACILITY_PEAK_MW], load, out=out[:, L.R_FACILITY_PEAK_MW])
        out[:, L.R_SOLAR_GEN_MWH] += solar
        out[:, L.R_WIND_GEN_MWH] += wind
        out[:, L.R_RENEWABLE_USED_MWH] += used
        out[:, L.R_CURTAILED_MWH] += curtailed
        out[:, L.R_CHARGE_MWH] += charge
        out[:, L.R_DISCHARGE_MWH] += discharge
        out[:, L.R_GRID_MWH] += grid
        np.maximum(out[:, L.R_GRID_PEAK_MW], grid, out=out[:, L.R_GRID_PEAK_MW])
        out[:, L.R_BACKUP_MWH] += backup
        out[:, L.R_UNSERVED_MWH] += deficit
        out[:, L.R_UNSERVED_HOURS] += deficit > 1e-9
        out[:, L.R_TCO2_LOCATION] += tco2
        out[:, L.R_GRID_TCO2] += grid_t
        out[:, L.R_WATER_M3] += it * wue
        out[:, L.R_CARBON_FREE_MWH] += carbon_free
        out[:, L.R_PUE_SUM] += pue
    return out
