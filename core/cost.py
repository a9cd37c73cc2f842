"""What the site costs: capex by category, opex per year, TCO, NPV and unit costs.

Each capex category has an asset life; over the horizon an asset is bought again
when its life ends (chips, servers and network every 5 years by default) and what is
left of its life at the end counts as residual value in the NPV. Unit costs use the
annualised cost: capex x capital-recovery factor CRF(r, life) + opex
(models.md F13), spread over GPU-hours or tokens.
"""
from __future__ import annotations

import numpy as np

from core.energy import SiteInputs
from core.kernels import layout as L
from core.scenario import Scenario
from core.throughput import Throughput

CAPEX_CATEGORIES = ("accelerators", "servers", "network", "storage", "facility", "onsite_power",
                    "grid_connection")
OPEX_CATEGORIES = ("energy", "fuel", "om", "hardware_support", "staff", "lease")


def crf(rate: float, life: float) -> float:
    """Capital-recovery factor: the constant yearly payment that repays 1 over `life` years."""
    if life <= 0:
        return 1.0
    if rate == 0:
        return 1.0 / life
    return rate / (1.0 - (1.0 + rate) ** -life)


def capex_items(scenario: Scenario, inputs: SiteInputs) -> list[tuple[str, float, float]]:
    """(category, dollars, asset life in years) for everything bought up front."""
    cat = scenario.catalogue
    chip_life = cat.constant("chip_life_years")
    items = []
    for d, power in zip(scenario.deployments, inputs.per_deployment):
        items.append(("accelerators", d.count * float(d.chip.get("price_usd") or 0.0), chip_life))
        items.append(("servers", power.servers * float(d.server.get("price_usd") or 0.0),
                      cat.constant("server_life_years")))
        items.append(("network", d.count * float(d.network.get("usd_per_accelerator") or 0.0),
                      cat.constant("network_life_years")))
    items.append(("storage", scenario.accelerators * cat.constant("storage_usd_per_accelerator"),
                  cat.constant("server_life_years")))
    if not scenario.finance.lease:
        it_mw = inputs.it_full_mw
        facility = (it_mw * cat.constant("facility_usd_per_mw_it")
                    * float(scenario.region.get("construction_cost_factor") or 1.0)
                    + it_mw * 1000.0 * float(scenario.cooling.get("capex_usd_per_kw") or 0.0))
        items.append(("facility", facility, cat.constant("facility_life_years")))
    for entry in scenario.power:
        src = entry.source
        dollars = entry.mw * 1000.0 * float(src.get("capex_usd_per_kw") or 0.0) \
            + entry.mwh * 1000.0 * float(src.get("capex_usd_per_kwh") or 0.0)
        category = "grid_connection" if src["kind"] == "grid" else "onsite_power"
        items.append((category, dollars, float(src.get("life_years") or 20.0)))
    return items


def opex_per_year(scenario: Scenario, inputs: SiteInputs, totals: np.ndarray,
                  items: list[tuple[str, float, float]]) -> dict[str, float]:
    cat = scenario.catalogue
    price = scenario.overrides.get("electricity_usd_per_mwh", float(scenario.region["electricity_usd_per_mwh"]))
    fuel = om = 0.0
    firm_mwh = {src["id"]: totals[L.R_FIRM_MWH + k] for k, src in enumerate(inputs.firm_sources)}
    for entry in scenario.power:
        src = entry.source
        kind = src["kind"]
        if entry.runs_as_backup:
            # The backup stage is shared in proportion to available MW (core.energy).
            def available(e):
                return e.mw * float(e.source.get("availability") or 1.0)
            same = sum(available(e) for e in scenario.power if e.runs_as_backup) or 1.0
            mwh = totals[L.R_BACKUP_MWH] * available(entry) / same
        elif kind == "firm":
            # Split a source's energy across its entries by capacity.
            same = sum(e.mw for e in scenario.power if e.source["id"] == src["id"] and not e.runs_as_backup) or 1.0
            mwh = firm_mwh.get(src["id"], 0.0) * entry.mw / same
        elif kind == "variable":
            generated = totals[L.R_WIND_GEN_MWH] if src.get("profile") == "wind" else totals[L.R_SOLAR_GEN_MWH]
            same = sum(e.mw for e in scenario.power if e.source["kind"] == "variable"
                       and (e.source.get("profile") == "wind") == (src.get("profile") == "wind")) or 1.0
            mwh = generated * entry.mw / same
        elif kind == "storage":
            same = sum(e.mw for e in scenario.power if e.source["kind"] == "storage") or 1.0
            mwh = totals[L.R_DISCHARGE_MWH] * entry.mw / same
        else:
            mwh = 0.0
        fuel += mwh * float(src.get("fuel_usd_per_mwh") or 0.0)
        om += entry.mw * 1000.0 * float(src.get("fixed_om_usd_per_kw_year") or 0.0) \
            + mwh * float(src.get("variable_om_usd_per_mwh") or 0.0)
    facility_capex = sum(d for c, d, _ in items if c == "facility")
    hardware = sum(d for c, d, _ in items if c in ("accelerators", "servers", "network", "storage"))
    om += facility_capex * cat.constant("facility_om_fraction_per_year")
    lease = 0.0
    if scenario.finance.lease:
        rate = scenario.region.get("lease_usd_per_kw_month") or 0.0
        lease = inputs.it_full_mw * 1000.0 * float(rate) * 12.0
    return {
        "energy": totals[L.R_GRID_MWH] * price,
        "fuel": fuel,
        "om": om,
        "hardware_support": hardware * cat.constant("hardware_support_fraction_per_year"),
        "staff": inputs.it_full_mw * cat.constant("staff_usd_per_mw_it_year"),
        "lease": lease,
    }


def lifetime_costs(items, opex_total: float, horizon: float, rate: float) -> tuple[float, float]:
    """(TCO undiscounted, NPV of cost) over the horizon, with replacements and residual value."""
    tco = opex_total * horizon
    npv = opex_total * _annuity(rate, horizon)  # opex paid at the end of each year
    for _, dollars, life in items:
        purchase = 0.0
        while purchase < horizon - 1e-9:
            tco += dollars
            npv += dollars / (1.0 + rate) ** purchase
            purchase += life
        remaining = purchase - horizon  # years of life left after the horizon
        residual = dollars * remaining / life if life > 0 else 0.0
        npv -= residual / (1.0 + rate) ** horizon
    return tco, npv


def _annuity(rate: float, years: float) -> float:
    return years if rate == 0 else (1.0 - (1.0 + rate) ** -years) / rate


def cost_summary(scenario: Scenario, inputs: SiteInputs, totals: np.ndarray, tp: Throughput) -> dict:
    items = capex_items(scenario, inputs)
    capex = {c: 0.0 for c in CAPEX_CATEGORIES}
    for category, dollars, _ in items:
        capex[category] += dollars
    opex = opex_per_year(scenario, inputs, totals, items)
    opex_total = sum(opex.values())
    rate, horizon = scenario.finance.discount_rate, scenario.finance.horizon_years
    tco, npv = lifetime_costs(items, opex_total, horizon, rate)
    annualised = sum(dollars * crf(rate, life) for _, dollars, life in items) + opex_total
    gpu_hours_year = tp.accelerators * 8760.0
    used_hours_year = gpu_hours_year * tp.utilization
    per_gpu_hour = annualised / gpu_hours_year
    per_used_hour = annualised / used_hours_year if used_hours_year > 0 else None
    pflop_hours = tp.effective_pflops * 8760.0 * tp.utilization
    return {
        "capex_usd": sum(capex.values()),
        "capex_breakdown_usd": capex,
        "opex_usd_per_year": opex_total,
        "opex_breakdown_usd_per_year": opex,
        "tco_usd": tco,
        "npv_cost_usd": npv,
        "annualized_cost_usd_per_year": annualised,
        "usd_per_gpu_hour": per_gpu_hour,
        "usd_per_utilized_gpu_hour": per_used_hour,
        "breakeven_cloud_usd_per_gpu_hour": per_used_hour,
        "usd_per_pflop_hour": annualised / pflop_hours if pflop_hours > 0 else None,
        "usd_per_million_tokens": annualised / tp.tokens_per_year * 1e6 if tp.tokens_per_year else None,
        "workload_cost_usd": per_gpu_hour * tp.gpu_hours if tp.gpu_hours is not None else None,
        "electricity_usd_per_mwh": scenario.overrides.get(
            "electricity_usd_per_mwh", float(scenario.region["electricity_usd_per_mwh"])),
        "delay_cost_usd_per_month": annualised / 12.0,
    }
