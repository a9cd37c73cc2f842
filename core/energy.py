"""Power and energy over a typical year: kernel inputs from a scenario, and the summary.

`site_inputs` lays a scenario out as the hourly kernel's parameter vector and
profiles (core.kernels.layout); `energy_summary` turns the kernel's annual totals into
the `energy` section of the result contract.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from aisite.core.errors import InputError
from aisite.core.it_load import DeploymentPower, it_power
from aisite.core.kernels import layout as L
from aisite.core.profiles import Profile, load_epw, load_profile_csv, load_region_profile
from aisite.core.scenario import PowerEntry, Scenario
from aisite.core.vectorized import maximum, minimum, nonzero, ratio, select, whole

@dataclass(frozen=True)
class SiteInputs:
    """Everything the hourly kernel needs, plus what the summary needs to interpret it."""
    params: np.ndarray          # N_PARAMS
    temp: np.ndarray
    solar_cf: np.ndarray
    wind_cf: np.ndarray
    grid_ci: np.ndarray
    util: np.ndarray
    profile: Profile
    per_deployment: tuple[DeploymentPower, ...]
    it_full_mw: float
    it_idle_mw: float
    firm_sources: tuple[dict, ...]     # the sources in the kernel's firm slots, merit order
    grid_ci_mean: float                # annual mean after any override (gCO2/kWh)
    max_temp: float
    firm_backup_mw: float = 0.0        # firm on-site sources run as backup (available MW)


@lru_cache(maxsize=32)
def _epw_profile(path: str, mtime: float, grid_mean: float) -> Profile:
    return load_epw(path, grid_gco2_per_kwh=grid_mean)


@lru_cache(maxsize=64)
def _csv_column(path: str, mtime: float, column: str) -> np.ndarray:
    columns = load_profile_csv(path)
    values = columns.get(column, columns.get("value"))
    if values is None:
        raise InputError(f"profiles.{column}", f"{Path(path).name} has no {column!r} column "
                                               f"(or a single value column)")
    values = np.ascontiguousarray(values, dtype=np.float64)
    values.flags.writeable = False
    return values


def region_profile(scenario: Scenario) -> Profile:
    """The region's shipped profile, or the planner's own: an EPW weather file and/or
    8,760-row CSVs that replace single columns (scenario section `profiles`)."""
    ref = str(scenario.region.get("profile") or scenario.region.get("id"))
    grid_mean = float(scenario.region["grid_gco2_per_kwh"])
    files = scenario.profiles
    if "weather" in files:
        path = files["weather"]
        profile = _epw_profile(path, os.path.getmtime(path), grid_mean)
    else:
        try:
            profile = load_region_profile(ref)
        except (FileNotFoundError, KeyError):
            raise InputError("region.profile", f"no hourly profile {ref!r}; name a shipped region, or give "
                                               f"profiles.weather (an .epw file)") from None
    columns = {key: _csv_column(path, os.path.getmtime(path), key)
               for key, path in files.items() if key != "weather"}
    if columns:
        profile = dataclasses.replace(profile, kind="imported", **columns)
    return profile


@lru_cache(maxsize=64)
def grid_mean_gco2(profile: Profile) -> float:
    """The annual mean of a profile's hourly grid carbon (gCO2/kWh). Profiles are frozen
    (read-only arrays, compared by identity), so this is worked out once per profile."""
    return float(np.mean(profile.grid_gco2_per_kwh))


@lru_cache(maxsize=64)
def _hottest(profile: Profile, column: str) -> float:
    """The highest hourly temperature in a profile's column (once per profile, as above)."""
    return float(np.max(getattr(profile, column)))


@lru_cache(maxsize=64)
def _constant(value: float) -> np.ndarray:
    array = np.full(L.HOURS, value)
    array.flags.writeable = False
    return array


def power_columns(power: tuple[PowerEntry, ...]) -> tuple[dict[int, object], tuple[dict, ...], object]:
    """The power entries as kernel parameters: {column: value}, the sources in the firm
    slots (merit order) and the available MW of firm sources run as backup. The entries'
    MW and MWh may be scalars or arrays over variants (core.explore.batch)."""
    columns = dict.fromkeys((L.P_GRID_MW, L.P_SOLAR_MW, L.P_WIND_MW, L.P_BATT_MW, L.P_BATT_MWH), 0.0)
    # Everything that runs after grid import (diesel, and firm sources set to run as
    # backup) shares the kernel's backup stage in proportion to its available MW, so
    # its emission factor is the capacity-weighted mean.
    backup_mw = backup_tco2_mw = firm_backup_mw = 0.0
    firm: dict[str, list] = {}
    for entry in power:
        src = entry.source
        kind = src["kind"]
        if kind == "grid":
            columns[L.P_GRID_MW] = columns[L.P_GRID_MW] + entry.mw
        elif kind == "variable":
            column = L.P_WIND_MW if src.get("profile") == "wind" else L.P_SOLAR_MW
            columns[column] = columns[column] + entry.mw
        elif kind == "storage":
            columns[L.P_BATT_MW] = columns[L.P_BATT_MW] + entry.mw
            columns[L.P_BATT_MWH] = columns[L.P_BATT_MWH] + entry.mwh
            columns[L.P_BATT_EFF] = float(src.get("round_trip_efficiency") or 0.85)
            columns[L.P_BATT_SOC_MIN] = float(src.get("usable_soc_min") or 0.0)
            columns[L.P_BATT_SOC_MAX] = float(src.get("usable_soc_max") or 1.0)
        elif entry.runs_as_backup:
            available = entry.mw * float(src.get("availability") or 1.0)
            backup_mw = backup_mw + available
            backup_tco2_mw = backup_tco2_mw + available * float(src.get("gco2_per_kwh") or 0.0) / 1000.0
            if kind == "firm":
                firm_backup_mw = firm_backup_mw + available
        elif kind == "firm":
            slot = firm.setdefault(src["id"], [src, 0.0])
            slot[1] = slot[1] + entry.mw
    columns[L.P_BACKUP_MW] = backup_mw
    columns[L.P_BACKUP_TCO2_PER_MWH] = select(backup_mw > 0, backup_tco2_mw / nonzero(backup_mw), 0.0)
    firm_slots = sorted(firm.values(), key=lambda s: (float(s[0].get("merit_order") or 5), s[0]["id"]))
    for k, (src, mw) in enumerate(firm_slots):
        columns[L.P_FIRM_MW + k] = mw * float(src.get("availability") or 1.0)
        columns[L.P_FIRM_TCO2_PER_MWH + k] = float(src.get("gco2_per_kwh") or 0.0) / 1000.0
    return columns, tuple(src for src, _ in firm_slots), firm_backup_mw


def site_inputs(scenario: Scenario, utilization: float) -> SiteInputs:
    profile = region_profile(scenario)
    per, it_full_mw, it_idle_mw = it_power(scenario)
    cooling = scenario.cooling
    temp_column = "wet_bulb_c" if cooling.get("temp_basis") == "wet_bulb" else "dry_bulb_c"
    temp = getattr(profile, temp_column)
    power, firm_sources, firm_backup_mw = power_columns(scenario.power)

    p = np.zeros(L.N_PARAMS)
    p[L.P_IT_PEAK_MW] = it_full_mw
    p[L.P_IT_IDLE_MW] = it_idle_mw
    p[L.P_PUE_MIN] = float(cooling["pue_min"])
    p[L.P_PUE_MAX] = float(cooling.get("pue_max") or cooling["pue_min"])
    p[L.P_ECON_T] = float(cooling.get("econ_temp_c") or 0.0)
    p[L.P_PUE_SLOPE] = float(cooling.get("pue_slope_per_c") or 0.0)
    p[L.P_PUE_FIXED] = scenario.overrides.get("pue", 0.0)
    p[L.P_PUE_FIXED_SHARE] = scenario.catalogue.constant("pue_fixed_overhead_share")
    p[L.P_WUE_MIN] = float(cooling.get("wue_l_per_kwh_min") or 0.0)
    p[L.P_WUE_MAX] = float(cooling.get("wue_l_per_kwh_max") or p[L.P_WUE_MIN])
    p[L.P_WUE_T] = float(cooling.get("wue_temp_c") or 0.0)
    p[L.P_WUE_SLOPE] = float(cooling.get("wue_slope_per_c") or 0.0)
    for column, value in power.items():
        p[column] = value
    profile_mean = grid_mean_gco2(profile)
    override_ci = scenario.overrides.get("grid_gco2_per_kwh")
    p[L.P_GRID_CI_SCALE] = (override_ci / profile_mean) if (override_ci is not None and profile_mean > 0) else 1.0
    p[L.P_UTIL_SCALE] = 1.0
    return SiteInputs(
        p, temp, profile.solar_cf, profile.wind_cf, profile.grid_gco2_per_kwh, _constant(utilization),
        profile, tuple(per), it_full_mw, it_idle_mw, firm_sources,
        override_ci if override_ci is not None else profile_mean, _hottest(profile, temp_column), firm_backup_mw,
    )


def design_pue(params: np.ndarray, max_temp: float):
    """PUE in the hottest hour: with IT at full load this sets the facility's peak. `params`
    is one parameter vector, or one row per variant (then one PUE per variant)."""
    p = params.T
    curve = minimum(p[L.P_PUE_MIN] + p[L.P_PUE_SLOPE] * maximum(max_temp - p[L.P_ECON_T], 0.0), p[L.P_PUE_MAX])
    return select(p[L.P_PUE_FIXED] > 0, p[L.P_PUE_FIXED], curve)


def facility_mw_by_deployment(scenario: Scenario, inputs: SiteInputs, pue_peak) -> list:
    """Each deployment's facility MW at full load in the hottest hour (what the schedule
    needs powered before it can run)."""
    return [p.full_w_per_chip * d.count / 1e6 * pue_peak for p, d in zip(inputs.per_deployment, scenario.deployments)]


def firm_capacity_mw(inputs: SiteInputs):
    """Power the site can count on in any hour: grid import and firm on-site sources,
    whether they run in merit order or as backup (diesel generators excluded)."""
    return inputs.params.T[L.P_GRID_MW] + onsite_firm_mw(inputs)


def onsite_firm_mw(inputs: SiteInputs):
    """Available MW of firm on-site sources: what can bridge a grid connection that is late."""
    return inputs.params.T[L.P_FIRM_MW:L.P_FIRM_MW + L.N_FIRM].sum(axis=0) + inputs.firm_backup_mw


def energy_summary(inputs: SiteInputs, totals: np.ndarray, market_rec_fraction, training_days=None) -> dict:
    """The `energy` section from the kernel's annual totals. One scenario (totals a vector,
    figures floats; NaN where a figure does not apply) or many variants (totals one row
    per variant, `inputs` holding their parameter rows; figures arrays). With the training
    run's days, also the run's facility energy and emissions (at full load, at the site's
    average PUE and supply mix)."""
    T = totals.T      # T[column]: a figure, or one per variant
    it_mwh = T[L.R_IT_MWH]
    facility_mwh = T[L.R_FACILITY_MWH]
    onsite_tco2 = T[L.R_TCO2_LOCATION] - T[L.R_GRID_TCO2]
    # Market-based: on-site emissions plus grid imports at the annual average factor,
    # less the share covered by renewable energy certificates / PPAs.
    market = onsite_tco2 + T[L.R_GRID_MWH] * inputs.grid_ci_mean / 1000.0 * (1.0 - market_rec_fraction)
    firm_by_source = {src["id"]: T[L.R_FIRM_MWH + k] for k, src in enumerate(inputs.firm_sources)}
    pue_annual = ratio(facility_mwh, it_mwh)
    workload_mwh = workload_tco2 = None
    if training_days is not None:
        pue = select((pue_annual == pue_annual) & (pue_annual != 0), pue_annual, 1.0)   # not NaN, not 0
        workload_mwh = inputs.it_full_mw * training_days * 24.0 * pue
        workload_tco2 = workload_mwh * (T[L.R_TCO2_LOCATION] / facility_mwh)
    return {
        "it_peak_mw": inputs.it_full_mw,
        "facility_peak_mw": inputs.it_full_mw * design_pue(inputs.params, inputs.max_temp),
        "it_average_mw": it_mwh / L.HOURS,
        "facility_average_mw": facility_mwh / L.HOURS,
        "pue_annual": pue_annual,
        "annual_it_mwh": it_mwh,
        "annual_facility_mwh": facility_mwh,
        "workload_facility_mwh": workload_mwh,
        "tco2e_per_year_location": T[L.R_TCO2_LOCATION],
        "tco2e_per_year_market": market,
        "workload_tco2e_location": workload_tco2,
        "water_m3_per_year": T[L.R_WATER_M3],
        "carbon_free_fraction": ratio(T[L.R_CARBON_FREE_MWH], facility_mwh),
        "unserved_mwh": T[L.R_UNSERVED_MWH],
        "unserved_hours": whole(T[L.R_UNSERVED_HOURS]),
        "grid_import_mwh": T[L.R_GRID_MWH],
        "grid_peak_mw": T[L.R_GRID_PEAK_MW],
        "solar_mwh": T[L.R_SOLAR_GEN_MWH],
        "wind_mwh": T[L.R_WIND_GEN_MWH],
        "battery_discharge_mwh": T[L.R_DISCHARGE_MWH],
        "battery_charge_mwh": T[L.R_CHARGE_MWH],
        "curtailed_mwh": T[L.R_CURTAILED_MWH],
        "backup_mwh": T[L.R_BACKUP_MWH],
        "firm_onsite_mwh": firm_by_source,
        "grid_gco2_per_kwh_mean": inputs.grid_ci_mean,
        "firm_capacity_mw": firm_capacity_mw(inputs),
    }
