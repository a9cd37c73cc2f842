"""Year-by-year cash flow of a scenario, laid out for reports and comparisons.

The money and its timing come from core.cost.yearly_cash_flow (the same purchases,
construction spend, interest during construction and discounting as the summary's TCO
and NPV); this module only arranges it. Two views:

- the yearly table, years 0..horizon: year 0 is the build, everything bought before or
  at first compute, its discounted value carried to first compute with interest during
  construction; year k holds the opex paid at the end of year k and the assets bought
  again when their life ends; the residual value of what is left at the end is credited
  in the last year. sum(capex + opex) is `cost.tco_usd`, the sum of the discounted net
  `cost.npv_cost_usd` (tests/core/report/test_cash_flow.py holds this);
- `construction`: the build spread over the years before first compute (year -1 is the
  twelve months before it), by category, with what each year's spend is worth at first
  compute; and `timeline_year`/`timeline_net_usd`/`timeline_cumulative_usd`, the spend from the
  first construction year, so a scenario that waits longer for power shows it.
"""
from __future__ import annotations

import numpy as np

from aisite.core.cost import capex_items, spend_months, yearly_cash_flow
from aisite.core.energy import site_inputs
from aisite.core.scenario import Scenario
from aisite.core.throughput import compute_throughput

COLUMNS = ("capex_usd", "opex_usd", "interest_during_construction_usd", "residual_value_usd", "net_usd",
           "cumulative_usd", "discounted_usd", "cumulative_discounted_usd")


def lay_out(flow: dict) -> dict:
    """The report's views (module docstring) of a core.cost.yearly_cash_flow."""
    years = flow["year"]
    build = years <= 0                               # folded into year 0 of the yearly table
    n = int(years[-1]) + 1

    def fold(a):
        a = np.asarray(a, dtype=float)
        return np.concatenate([[a[build].sum()], a[~build]]) if n > 1 else np.array([a.sum()])

    capex_all = sum(flow["capex_usd"].values())
    opex_all = sum(flow["opex_usd"].values()) if flow["opex_usd"] else np.zeros(len(years))
    capex, opex = fold(capex_all), fold(opex_all)
    residual = fold(flow["residual_value_usd"])
    interest = fold(flow["interest_during_construction_usd"])
    disc = fold(flow["discounted_usd"])
    net = capex + opex - residual
    spent = capex_all + opex_all - np.asarray(flow["residual_value_usd"])
    construction = {
        "year": years[build],
        "capex_by_category_usd": {c: a[build] for c, a in flow["capex_usd"].items()
                                  if np.any(a[build])},
        "capex_usd": capex_all[build],
        "interest_during_construction_usd": np.asarray(flow["interest_during_construction_usd"])[build],
        "value_at_first_compute_usd": np.asarray(flow["discounted_usd"])[build],
    }
    return {"year": np.arange(n), "capex_usd": capex, "opex_usd": opex,
            "interest_during_construction_usd": interest, "residual_value_usd": residual,
            "net_usd": net, "cumulative_usd": np.cumsum(net), "discounted_usd": disc,
            "cumulative_discounted_usd": np.cumsum(disc), "construction": construction,
            "timeline_year": years, "timeline_net_usd": spent, "timeline_cumulative_usd": np.cumsum(spent)}


def cash_flow(items: list[tuple[str, float, float]], opex_per_year: float, horizon: float,
              rate: float, months_before_compute=None) -> dict:
    """Yearly columns (COLUMNS, plus `year`) from capex items (category, dollars, life) and
    a total opex per year; `months_before_compute` per item (none: all bought at first compute)."""
    before = months_before_compute if months_before_compute is not None else [0.0] * len(items)
    return lay_out(yearly_cash_flow(items, before, {"total": opex_per_year}, horizon, rate))


def scenario_cash_flow(scenario: Scenario, summary: dict) -> dict:
    """The cash flow of an evaluated scenario: its capex items and their spend months from the
    cost model, opex per year by category from its summary."""
    tp = compute_throughput(scenario)
    inputs = site_inputs(scenario, tp.utilization)
    items = capex_items(scenario, inputs)
    months, first = spend_months(scenario, inputs)
    before = [float(first - months[c]) for c, _, _ in items]
    flow = yearly_cash_flow(items, before, summary["cost"]["opex_breakdown_usd_per_year"],
                            scenario.finance.horizon_years, scenario.finance.discount_rate)
    return lay_out(flow)
