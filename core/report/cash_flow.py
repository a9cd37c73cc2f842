"""Year-by-year cash flow of a scenario: what is spent when over the finance horizon.

The same money as core.cost's TCO and NPV, laid out by year: year 0 is the build
(everything bought up front), year k holds the opex paid at the end of year k and the
assets bought again at time k when their life ends; the residual value of what is left
at the end of the horizon is credited in the last year. So the columns add up to the
summary: sum(capex + opex) is `cost.tco_usd` and the sum of the discounted net is
`cost.npv_cost_usd` (tests/core/report/test_cash_flow.py holds this).
"""
from __future__ import annotations

import math

import numpy as np

from aisite.core.cost import capex_items
from aisite.core.energy import site_inputs
from aisite.core.scenario import Scenario
from aisite.core.throughput import compute_throughput

COLUMNS = ("capex_usd", "opex_usd", "residual_value_usd", "net_usd", "cumulative_usd",
           "discounted_usd", "cumulative_discounted_usd")


def _bucket(t: float) -> int:
    """The year a payment at time t (years) falls in: whole years stay, others round up."""
    return int(round(t)) if abs(t - round(t)) < 1e-9 else int(math.ceil(t))


def cash_flow(items: list[tuple[str, float, float]], opex_per_year: float, horizon: float,
              rate: float) -> dict[str, np.ndarray]:
    """Yearly columns (COLUMNS, plus `year`) from capex items (category, dollars, life)."""
    n = _bucket(horizon) + 1
    capex, opex, residual, disc = (np.zeros(n) for _ in range(4))
    for _, dollars, life in items:
        purchase = 0.0
        while purchase < horizon - 1e-9:
            capex[_bucket(purchase)] += dollars
            disc[_bucket(purchase)] += dollars / (1.0 + rate) ** purchase
            if life <= 0:
                break
            purchase += life
        remaining = purchase - horizon
        value = dollars * remaining / life if life > 0 else 0.0
        residual[n - 1] += value
        disc[n - 1] -= value / (1.0 + rate) ** horizon
    whole = int(math.floor(horizon + 1e-9))
    for year in range(1, whole + 1):
        opex[year] += opex_per_year
        disc[year] += opex_per_year / (1.0 + rate) ** year
    part = horizon - whole
    if part > 1e-9:  # a part year at the end, valued as the summary's annuity does
        opex[n - 1] += opex_per_year * part
        disc[n - 1] += opex_per_year * (_annuity(rate, horizon) - _annuity(rate, whole))
    net = capex + opex - residual
    return {"year": np.arange(n), "capex_usd": capex, "opex_usd": opex, "residual_value_usd": residual,
            "net_usd": net, "cumulative_usd": np.cumsum(net), "discounted_usd": disc,
            "cumulative_discounted_usd": np.cumsum(disc)}


def _annuity(rate: float, years: float) -> float:
    return years if rate == 0 else (1.0 - (1.0 + rate) ** -years) / rate


def scenario_cash_flow(scenario: Scenario, summary: dict) -> dict[str, np.ndarray]:
    """The cash flow of an evaluated scenario (opex per year taken from its summary)."""
    tp = compute_throughput(scenario)
    items = capex_items(scenario, site_inputs(scenario, tp.utilization))
    return cash_flow(items, float(summary["cost"]["opex_usd_per_year"]),
                     scenario.finance.horizon_years, scenario.finance.discount_rate)
