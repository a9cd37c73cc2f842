"""NREL SAM (PySAM) runs on the shipped typical-year weather, for the tests and the
validation page: PVWatts v8 for solar, Windpower for wind, Battery (behind the meter,
self-consumption dispatch) for storage.

PySAM is a test dependency (``pip install -e .[test]``); the engine never imports it.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def default_weather_dir() -> Path:
    """``shared/data/weather`` beside the repository (or its main checkout)."""
    for base in (REPO.parent, REPO.parent.parent):
        d = base / "shared" / "data" / "weather"
        if d.is_dir():
            return d
    return REPO.parent / "shared" / "data" / "weather"


def regions() -> dict[str, dict]:
    with open(REPO / "data" / "regions.csv", newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def measured_regions() -> list[str]:
    return [rid for rid, r in regions().items() if r["profile_kind"] == "measured"]


def read_weather(region_id: str, weather_dir: Path | None = None) -> dict[str, np.ndarray]:
    path = (weather_dir or default_weather_dir()) / f"{region_id}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def _calendar():
    month = np.repeat(np.arange(1, 13), np.array(MONTH_DAYS) * 24)
    day = np.concatenate([np.repeat(np.arange(1, d + 1), 24) for d in MONTH_DAYS])
    hour = np.arange(8760) % 24
    return month, day, hour


@dataclass(frozen=True)
class PVWattsResult:
    capacity_factor: float            # AC energy per MW AC over 8,760 h
    losses: dict[str, float]          # the same steps as core.solar_pv.PVResult.losses()
    ac_per_mw: np.ndarray


def pvwatts_v8(region_id: str, weather_dir: Path | None = None, *, dc_ac_ratio: float = 1.2,
               gcr: float = 0.3, losses_pct: float = 14.0757) -> PVWattsResult:
    """PVWatts v8, one-axis backtracking tracker, on a shipped region's weather."""
    import PySAM.Pvwattsv8 as pvwatts

    r = regions()[region_id]
    w = read_weather(region_id, weather_dir)
    month, day, hour = _calendar()
    model = pvwatts.new()
    model.SolarResource.solar_resource_data = dict(
        lat=float(r["latitude"]), lon=float(r["longitude"]), tz=float(r["utc_offset"]),
        elev=float(r["elevation_m"]), year=[2019] * 8760, month=month.tolist(), day=day.tolist(),
        hour=hour.tolist(), minute=[30] * 8760,  # EPW hour n is the interval ending at n
        dn=w["dni_wm2"].tolist(), df=w["dhi_wm2"].tolist(), gh=w["ghi_wm2"].tolist(),
        tdry=w["dry_bulb_c"].tolist(), wspd=w["wind_speed_ms"].tolist())
    sd = model.SystemDesign
    sd.system_capacity = 1000.0 * dc_ac_ratio  # kW DC for 1 MW AC
    sd.dc_ac_ratio = dc_ac_ratio
    sd.array_type = 3  # one-axis with backtracking
    sd.tilt = 0.0
    sd.azimuth = 180.0
    sd.gcr = gcr
    sd.inv_eff = 96.0
    sd.losses = losses_pct
    sd.module_type = 0
    model.AdjustmentFactors.adjust_constant = 0.0
    model.execute()
    o = model.Outputs
    gh, poa = np.array(o.gh), np.array(o.poa)
    tpoa = np.array(o.tpoa)
    # PVWatts reports tpoa = 0 when the incidence angle is under its 0.5 deg floor (its
    # DC output is right); those hours transmit all their light.
    tpoa = np.where((tpoa == 0.0) & (poa > 0.0), poa, tpoa)
    t_cell = np.array(o.tcell)
    dc = np.array(o.dc) / 1e6  # W -> MW per MW AC
    ac = np.array(o.ac) / 1e6
    loss = losses_pct / 100.0
    dc_before_losses = dc.sum() / (1.0 - loss)
    dc_after_temp_at_stc = (tpoa * (1.0 - 0.0037 * (t_cell - 25.0))).sum() / 1000.0 * dc_ac_ratio
    clipped = np.clip(dc - 1.0 / 0.96, 0.0, None).sum()
    return PVWattsResult(
        capacity_factor=float(ac.mean()),
        losses={
            "transposition": poa.sum() / gh.sum() - 1.0,
            "angle_of_incidence": tpoa.sum() / poa.sum() - 1.0,
            # PVWatts' standard module: -0.37 %/degC; what remains between that and its DC
            # before system losses is its spectral (air-mass) modifier.
            "temperature": (tpoa * (1.0 - 0.0037 * (t_cell - 25.0))).sum() / tpoa.sum() - 1.0,
            "spectral": dc_before_losses / dc_after_temp_at_stc - 1.0,
            "system": -loss,
            "clipping": -clipped / dc.sum(),
            "inverter": ac.sum() / (dc.sum() - clipped) - 1.0,
        },
        ac_per_mw=ac,
    )


def sam_windpower(hub_speed_ms, temp_c, pressure_pa, *, curve_speeds_ms, curve_power_kw,
                  rated_kw: float, rotor_diameter_m: float, hub_height_m: float) -> np.ndarray:
    """SAM's wind model, one turbine, no losses, on hub-height speed, temperature and
    pressure; returns output per unit of rating hour by hour."""
    import PySAM.Windpower as windpower

    m = windpower.new()
    h = float(hub_height_m)
    data = [[float(t), float(p) / 101325.0, float(s), 180.0]
            for t, p, s in zip(np.broadcast_to(temp_c, np.shape(hub_speed_ms)),
                               np.broadcast_to(pressure_pa, np.shape(hub_speed_ms)), hub_speed_ms)]
    m.Resource.wind_resource_model_choice = 0
    m.Resource.wind_resource_data = dict(heights=[h] * 4, fields=[1, 2, 3, 4], data=data)
    t = m.Turbine
    t.wind_resource_shear = 0.14  # unused: the speed is given at hub height
    t.wind_turbine_powercurve_windspeeds = list(curve_speeds_ms)
    t.wind_turbine_powercurve_powerout = list(curve_power_kw)
    t.wind_turbine_rotor_diameter = rotor_diameter_m
    t.wind_turbine_hub_ht = h
    t.wind_turbine_max_cp = 0.45
    m.Resource.weibull_reference_height = 50.0
    f = m.Farm
    f.system_capacity = rated_kw
    f.wind_farm_xCoordinates = [0.0]
    f.wind_farm_yCoordinates = [0.0]
    f.wind_farm_wake_model = 0
    f.wind_resource_turbulence_coeff = 0.1
    f.max_turbine_override = 10
    f.wake_loss_multiplier = 1.0
    f.park_wake_decay_constant = 0.075
    losses = m.Losses
    for name in ("avail_bop_loss", "avail_grid_loss", "avail_turb_loss", "elec_eff_loss",
                 "elec_parasitic_loss", "env_degrad_loss", "env_exposure_loss", "env_env_loss",
                 "env_icing_loss", "ops_env_loss", "ops_grid_loss", "ops_load_loss",
                 "ops_strategies_loss", "turb_generic_loss", "turb_hysteresis_loss",
                 "turb_perf_loss", "turb_specific_loss", "wake_ext_loss", "wake_future_loss",
                 "wake_int_loss", "en_icing_cutoff", "en_low_temp_cutoff"):
        setattr(losses, name, 0.0)
    m.AdjustmentFactors.adjust_constant = 0.0
    m.execute()
    return np.array(m.Outputs.gen) / rated_kw


def sam_battery(load_mw, pv_mw, mw: float, mwh: float, rte: float, soc_min: float, soc_max: float):
    """(grid import, battery charge, battery discharge) MWh a year from SAM's Battery model:
    AC-coupled behind the meter with self-consumption dispatch (charge from PV surplus only,
    discharge to the load), the same state-of-charge window, and the round trip split evenly
    between its AC-DC and DC-AC converters. The cells are made ideal (flat voltage, no
    resistance, no degradation, no temperature derating) so the check compares dispatch,
    window and efficiencies, which is what the engine models; SAM's electrochemistry
    would add losses the engine does not claim. Cyclic: the year is run again from the
    state of charge it ended at."""
    import PySAM.Battery as Battery

    def year(initial_soc):
        m = Battery.default("CustomGenerationBatteryCommercial")
        system, cell, dispatch = m.BatterySystem, m.BatteryCell, m.BatteryDispatch
        system.batt_meter_position = 0                # behind the meter
        system.batt_ac_or_dc = 1                      # AC-coupled
        system.batt_ac_dc_efficiency = system.batt_dc_ac_efficiency = 100.0 * float(np.sqrt(rte))
        system.batt_loss_choice = 0
        system.batt_losses = [0.0]
        system.batt_losses_charging = system.batt_losses_discharging = system.batt_losses_idle = [0.0] * 12
        system.batt_replacement_option = 0
        kw = mw * 1000.0
        system.batt_power_charge_max_kwac = system.batt_power_discharge_max_kwac = kw
        system.batt_power_charge_max_kwdc = system.batt_power_discharge_max_kwdc = 2.0 * kw  # AC limit binds
        system.batt_current_choice = 0
        vnom = cell.batt_Vnom
        cell.batt_voltage_choice = 1                  # a (nearly) flat voltage table
        cell.batt_voltage_matrix = [[0.0, vnom * 1.0001], [100.0, vnom * 0.9999]]
        cell.batt_Vnom_default = vnom
        cell.batt_resistance = 1e-6
        system.batt_computed_strings = mwh * 1e6 / (cell.batt_Qfull * system.batt_computed_series * vnom)
        system.batt_computed_bank_capacity = mwh * 1000.0
        cell.batt_minimum_SOC, cell.batt_maximum_SOC = 100.0 * soc_min, 100.0 * soc_max
        cell.batt_initial_SOC = 100.0 * initial_soc
        cell.batt_minimum_modetime = 0
        cell.batt_calendar_choice = 0                 # no calendar fade
        cell.batt_life_model = 0
        cell.batt_lifetime_matrix = [[20, 0, 100], [20, 1e5, 100], [80, 0, 100], [80, 1e5, 100]]  # no cycle fade
        cell.cap_vs_temp = [[-10, 100], [0, 100], [25, 100], [40, 100]]
        dispatch.batt_dispatch_choice = 5             # self-consumption
        dispatch.batt_dispatch_auto_can_gridcharge = 0
        m.Load.load = list(np.asarray(load_mw, dtype=float) * 1000.0)
        m.SystemOutput.gen = list(np.asarray(pv_mw, dtype=float) * 1000.0)
        m.Lifetime.system_use_lifetime_output = 0
        m.Lifetime.analysis_period = 1
        m.execute()
        o = m.Outputs
        assert abs(system.batt_computed_bank_capacity - mwh * 1000.0) < 1e-6 * mwh
        return (float(np.sum(o.grid_to_load)) / 1e3, float(np.sum(o.system_to_batt)) / 1e3,
                float(np.sum(o.batt_to_load)) / 1e3, float(o.batt_SOC[-1]) / 100.0)

    *_, end = year(0.5 * (soc_min + soc_max))
    grid, charged, discharged, _ = year(end)
    return grid, charged, discharged


def simple_battery(load, pv, mw, mwh, rte, soc_min, soc_max):
    """A separate battery model for the check: state of charge as a fraction of nameplate,
    explicit charge and discharge efficiencies (each the square root of the round trip),
    run for two years so the second starts where the first ended."""
    eta = np.sqrt(rte)
    soc = 0.5 * (soc_min + soc_max)
    for _year in range(2):
        grid = charged = discharged = 0.0
        for h in range(len(load)):
            net = pv[h] - load[h]
            if net >= 0:
                p_in = min(net, mw, (soc_max - soc) * mwh / eta)
                soc += p_in * eta / mwh
                charged += p_in
            else:
                p_out = min(-net, mw, (soc - soc_min) * mwh * eta)
                soc -= p_out / eta / mwh
                discharged += p_out
                grid += -net - p_out
    return grid, charged, discharged
