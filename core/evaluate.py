"""One scenario, end to end: throughput, the hourly year, cost, schedule and checks.

`evaluate(scenario)` returns a Result whose `summary` is the JSON contract of design
section 4 (what `aisite evaluate --json` prints and the GUI shows) and whose `hourly`
holds the 8,760-hour series behind the charts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from aisite.core.catalogue import Catalogue
from aisite.core.checks import run_checks
from aisite.core.cost import cost_summary
from aisite.core.energy import design_pue, energy_summary, facility_mw_by_deployment, onsite_firm_mw, site_inputs
from aisite.core.kernels import BACKEND
from aisite.core.kernels import layout as L
from aisite.core.kernels.hourly import hourly_year
from aisite.core.schedule import schedule_summary
from aisite.core.scenario import Scenario, load_scenario
from aisite.core.throughput import compute_throughput, throughput_summary
from aisite.core.validate import clean_result
from aisite.core.vectorized import json_ready
from aisite.core.version import __version__

# Hours at the start of each month of a 365-day typical year.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_STARTS = np.concatenate([[0], np.cumsum(_MONTH_DAYS) * 24])


@dataclass
class Result:
    summary: dict
    hourly: dict[str, np.ndarray] = field(repr=False)
    scenario: Scenario = field(repr=False)

    def monthly_mwh(self) -> dict[str, np.ndarray]:
        """Energy per calendar month by supply (MWh), for the monthly chart."""
        h = self.hourly
        series = {
            "Solar": h["solar_mw"] - _share(h["solar_mw"], h["solar_mw"] + h["wind_mw"],
                                            h["battery_charge_mw"] + h["curtailed_mw"]),
            "Wind": h["wind_mw"] - _share(h["wind_mw"], h["solar_mw"] + h["wind_mw"],
                                          h["battery_charge_mw"] + h["curtailed_mw"]),
            "Battery": h["battery_discharge_mw"],
            "On-site firm": h["firm_mw"],
            "Grid": h["grid_mw"],
            "Backup": h["backup_mw"],
            "Unserved": h["unserved_mw"],
        }
        return {name: np.add.reduceat(values, MONTH_STARTS[:-1]) for name, values in series.items()}


def _share(part, whole, amount):
    """`amount` split in proportion to part/whole, hour by hour (0 where whole is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, amount * part / np.where(whole > 0, whole, 1.0), 0.0)


def evaluate(scenario: Scenario, *, with_hourly: bool = True) -> Result:
    tp = compute_throughput(scenario)
    inputs = site_inputs(scenario, tp.utilization)
    totals, hourly = hourly_year(inputs.params, inputs.temp, inputs.solar_cf, inputs.wind_cf,
                                 inputs.grid_ci, inputs.util, with_hourly=with_hourly)
    energy = json_ready(energy_summary(inputs, totals, scenario.finance.market_rec_fraction, tp.training_days))
    cost = json_ready(cost_summary(scenario, inputs, totals, tp))
    facility_by_deployment = facility_mw_by_deployment(scenario, inputs, design_pue(inputs.params, inputs.max_temp))
    schedule = schedule_summary(scenario, float(inputs.params[L.P_GRID_MW]), float(onsite_firm_mw(inputs)),
                                facility_by_deployment)

    summary = {
        "format": "aisite.result/1",
        "scenario": scenario.name,
        "engine": {"version": __version__, "backend": BACKEND},
        "throughput": throughput_summary(tp),
        "energy": energy,
        "cost": cost,
        "schedule": schedule,
        "checks": run_checks(scenario, tp, energy, inputs.per_deployment),
        "site": {
            "region": scenario.region["id"],
            "cooling": scenario.cooling["id"],
            "racks": sum(p.racks for p in inputs.per_deployment),
            "servers": sum(p.servers for p in inputs.per_deployment),
            "rack_kw": max(p.rack_kw for p in inputs.per_deployment),
            "it_w_per_accelerator": inputs.it_full_mw * 1e6 / tp.accelerators,
            "profile": inputs.profile.name,
            "profile_kind": inputs.profile.kind,
        },
    }
    if with_hourly:
        hourly_dict = {name: hourly[i] for i, name in enumerate(L.HOURLY_SERIES)}
        hourly_dict["ambient_c"] = inputs.temp
    else:
        hourly_dict = {}
    return Result(clean_result(summary), hourly_dict, scenario)


def evaluate_dict(data: Mapping[str, Any], catalogue: Catalogue | None = None, **kwargs) -> Result:
    return evaluate(load_scenario(data, catalogue), **kwargs)
