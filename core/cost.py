"""What the site costs: capex by category, opex per year, TCO, NPV and unit costs.

Each capex category has an asset life; over the horizon an asset is bought again
when its life ends (chips, servers and network every 5 years by default) and what is
left of its life at the end counts as residual value in the NPV. Unit costs use the
annualised cost: capex x capital-recovery factor CRF(r, life) + opex
(models.md F13), spread over GPU-hours or tokens.

Time: money is spent as the schedule runs (the facility over the building task, on-site
power and the grid connection over theirs, hardware when it arrives to be installed for
first compute), and every
dollar spent before first compute is carried forward to it at the discount rate (interest
during construction). The NPV of cost is valued at first compute, so a longer permit or
grid queue raises it and the unit costs; valuing it at the first spend instead would make
a delay look cheaper, the opposite of what a planner pays. Operation (opex, replacements,
residual value) runs for the horizon from first compute.

Written once over scalars or numpy arrays (core.vectorized): `aisite.core.evaluate` calls it
for one scenario, the batch model for many variants, and the power-mix LP takes its cost
coefficients from `source_npv_per_unit` and `npv_of_yearly`.
"""
from __future__ import annotations

import numpy as np

from aisite.core.energy import SiteInputs, design_pue, facility_mw_by_deployment, onsite_firm_mw
from aisite.core.kernels import layout as L
from aisite.core.scenario import Scenario
from aisite.core.schedule import durations, phase_needs, timeline
from aisite.core.throughput import Throughput
from aisite.core.vectorized import maximum, nonzero, number, ratio, select

CAPEX_CATEGORIES = ("accelerators", "servers", "network", "storage", "facility", "onsite_power",
                    "grid_connection")
OPEX_CATEGORIES = ("energy", "fuel", "om", "hardware_support", "staff", "lease")


def electricity_price(scenario: Scenario):
    """USD per MWh of grid energy: the override, else the region's price."""
    return scenario.overrides.get("electricity_usd_per_mwh", float(scenario.region["electricity_usd_per_mwh"]))


def crf(rate, life: float):
    """Capital-recovery factor: the constant yearly payment that repays 1 over `life` years."""
    if life <= 0:
        return 1.0 + 0.0 * rate
    return select(rate == 0, 1.0 / life, rate / nonzero(1.0 - (1.0 + rate) ** -life))


def annuity(rate, years: float):
    """Present value of 1 paid at the end of each year for `years` years."""
    return select(rate == 0, years, (1.0 - (1.0 + rate) ** -years) / nonzero(rate))


def source_capex(src: dict, mw, mwh):
    """Dollars to build a power source: per kW of capacity and per kWh of storage."""
    return mw * 1000.0 * float(src.get("capex_usd_per_kw") or 0.0) \
        + mwh * 1000.0 * float(src.get("capex_usd_per_kwh") or 0.0)


def source_opex(src: dict, mw, mwh_generated) -> tuple:
    """(fuel, O&M) dollars a year of a power source of `mw` that delivers `mwh_generated`."""
    fuel = mwh_generated * float(src.get("fuel_usd_per_mwh") or 0.0)
    om = mw * 1000.0 * float(src.get("fixed_om_usd_per_kw_year") or 0.0) \
        + mwh_generated * float(src.get("variable_om_usd_per_mwh") or 0.0)
    return fuel, om


def source_life(src: dict) -> float:
    return float(src.get("life_years") or 20.0)


def capex_items(scenario: Scenario, inputs: SiteInputs) -> list[tuple[str, object, float]]:
    """(category, dollars, asset life in years) for everything bought up front. Chip prices
    and power MW/MWh may be arrays over variants (core.explore.batch)."""
    cat = scenario.catalogue
    chip_life = cat.constant("chip_life_years")
    items = []
    for d, power in zip(scenario.deployments, inputs.per_deployment):
        items.append(("accelerators", d.count * number(d.chip.get("price_usd")), chip_life))
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
        category = "grid_connection" if src["kind"] == "grid" else "onsite_power"
        items.append((category, source_capex(src, entry.mw, entry.mwh), source_life(src)))
    return items


def delivered_mwh(scenario: Scenario, inputs: SiteInputs, totals: np.ndarray) -> list:
    """MWh a year each power entry delivers: its share of the kernel's total for its kind,
    in proportion to its MW (firm sources run as backup: to its available MW, as the
    kernel's backup stage shares the load, core.energy.power_columns)."""
    T = totals.T
    shared = {("backup",): T[L.R_BACKUP_MWH], ("variable", True): T[L.R_WIND_GEN_MWH],
              ("variable", False): T[L.R_SOLAR_GEN_MWH], ("storage",): T[L.R_DISCHARGE_MWH]}
    shared.update({("firm", src["id"]): T[L.R_FIRM_MWH + k] for k, src in enumerate(inputs.firm_sources)})
    groups = []
    for entry in scenario.power:
        src = entry.source
        kind = src["kind"]
        if entry.runs_as_backup:
            groups.append((("backup",), entry.mw * float(src.get("availability") or 1.0)))
        elif kind == "firm":
            groups.append((("firm", src["id"]), entry.mw))
        elif kind == "variable":
            groups.append((("variable", src.get("profile") == "wind"), entry.mw))
        else:
            groups.append(((kind,), entry.mw))       # storage; the grid delivers no on-site MWh
    weight: dict[tuple, object] = {}
    for group, mw in groups:
        weight[group] = weight.get(group, 0.0) + mw
    return [shared[group] * mw / nonzero(weight[group]) if group in shared else 0.0 for group, mw in groups]


def opex_per_year(scenario: Scenario, inputs: SiteInputs, totals: np.ndarray,
                  items: list[tuple[str, object, float]]) -> dict:
    cat = scenario.catalogue
    fuel = om = 0.0
    for entry, mwh in zip(scenario.power, delivered_mwh(scenario, inputs, totals)):
        source_fuel, source_om = source_opex(entry.source, entry.mw, mwh)
        fuel = fuel + source_fuel
        om = om + source_om
    facility_capex = sum(d for c, d, _ in items if c == "facility")
    hardware = sum(d for c, d, _ in items if c in ("accelerators", "servers", "network", "storage"))
    om = om + facility_capex * cat.constant("facility_om_fraction_per_year")
    lease = 0.0
    if scenario.finance.lease:
        rate = scenario.region.get("lease_usd_per_kw_month") or 0.0
        lease = inputs.it_full_mw * 1000.0 * float(rate) * 12.0
    return {
        "energy": totals.T[L.R_GRID_MWH] * electricity_price(scenario),
        "fuel": fuel,
        "om": om,
        "hardware_support": hardware * cat.constant("hardware_support_fraction_per_year"),
        "staff": inputs.it_full_mw * cat.constant("staff_usd_per_mw_it_year"),
        "lease": lease,
    }


def spend_months(scenario: Scenario, inputs: SiteInputs, task_months: dict | None = None) -> tuple[dict, object]:
    """({capex category: month its money is spent}, first-compute month) from the schedule
    (core.schedule.timeline, as the result's schedule section). A task that spends over
    months is taken at its middle; a category whose task does not apply, or a site that
    never reaches first compute, spends at first compute (no interest). `task_months`:
    the task durations when they vary over variants (the batch model's schedule rows)."""
    d = durations(scenario) if task_months is None else task_months
    facility_mw = facility_mw_by_deployment(scenario, inputs, design_pue(inputs.params, inputs.max_temp))
    ends, first, _ = timeline(d, inputs.params.T[L.P_GRID_MW], onsite_firm_mw(inputs),
                              *phase_needs(scenario, facility_mw))
    reached = np.isfinite(first)
    first = select(reached, first, 0.0)

    def middle(task):
        return select(reached, ends[task] - d[task] / 2.0, first) if task in ends else first

    # Hardware arrives for installation just before first compute (no earlier than it can
    # be delivered): a planner does not pay for GPUs years before there is power for them.
    hardware = select(reached, maximum(ends["accelerator_delivery"], first - d["install"]), first) \
        if "accelerator_delivery" in ends else first
    months = {c: hardware for c in ("accelerators", "servers", "network", "storage")}
    months.update(facility=middle("building"), onsite_power=middle("onsite_power"),
                  grid_connection=middle("grid_connection"))
    return months, first


def construction_interest_factor(rate, months_before_compute):
    """What a dollar spent this many months before first compute is worth at it."""
    return (1.0 + rate) ** (months_before_compute / 12.0)


def purchases(life: float, horizon: float) -> tuple[list[float], float]:
    """(years from first compute at which an asset is bought: first, then again each time
    its life ends within the horizon; the fraction of its last purchase left at the end,
    credited as residual value). The one replacement rule: lifetime_costs and
    yearly_cash_flow both follow it."""
    times, purchase = [], 0.0
    while purchase < horizon - 1e-9:
        times.append(purchase)
        if life <= 0:
            break
        purchase += life
    if life <= 0:
        return times, 0.0
    return times, (purchase - horizon) / life     # years of life left after the horizon


def lifetime_costs(items, opex_total, horizon: float, rate, carried=None) -> tuple:
    """(TCO undiscounted, NPV of cost) over the horizon, with replacements and residual value.
    `carried`: per item, what its first purchase is worth at first compute (interest
    during construction); 1 when not given."""
    tco = opex_total * horizon
    npv = opex_total * annuity(rate, horizon)  # opex paid at the end of each year
    for i, (_, dollars, life) in enumerate(items):
        times, left = purchases(life, horizon)
        for purchase in times:
            tco = tco + dollars
            carry = carried[i] if carried is not None and purchase == 0.0 else 1.0
            npv = npv + dollars * carry / (1.0 + rate) ** purchase
        npv = npv - dollars * left / (1.0 + rate) ** horizon
    return tco, npv


def _year_of(t: float) -> int:
    """The year a payment at time t (years from first compute) falls in: whole years stay,
    others round up (a payment during year k is in row k)."""
    return int(round(t)) if abs(t - round(t)) < 1e-9 else int(np.ceil(t))


def _build_year(months_before: float) -> int:
    """The construction year of a spend this many months before first compute: -1 for the
    twelve months before it, -2 for the twelve before those; 0 at (or after) first compute."""
    return -_year_of(months_before / 12.0) if months_before > 1e-9 else 0


def yearly_cash_flow(items, months_before_compute, opex_by_category: dict, horizon: float,
                     rate: float) -> dict:
    """The cost summary's money year by year, by category, from the first spend to the end
    of the horizon (one scenario, floats). Year 0 is first compute; years -1, -2, ... are the
    construction years before it (a spend m months before first compute is in year
    -ceil(m/12)); year k > 0 holds the opex paid at the end of year k and the assets bought
    again in it. `months_before_compute`: per item, how long before first compute its
    first purchase is paid (first compute - spend_months). The discounted column values
    every dollar at first compute, as the summary's NPV: construction spend carried forward
    with interest (construction_interest_factor), later money discounted. So capex + opex
    sums to `tco_usd`, the discounted column to `npv_cost_usd`, the interest column to
    `interest_during_construction_usd` (tests/core/report/test_cash_flow.py)."""
    before = [float(m) for m in months_before_compute]
    first_year = min([_build_year(m) for m in before] + [0])
    last_year = _year_of(horizon)
    years = np.arange(first_year, last_year + 1)
    row = lambda year: year - first_year       # noqa: E731
    zeros = lambda: np.zeros(len(years))      # noqa: E731
    capex = {c: zeros() for c in CAPEX_CATEGORIES}
    opex = {c: zeros() for c in opex_by_category}
    residual, interest, discounted = zeros(), zeros(), zeros()
    for (category, dollars, life), m in zip(items, before):
        dollars = float(dollars)
        times, left = purchases(life, horizon)
        for t in times:
            if t == 0.0:
                carry = construction_interest_factor(rate, m)
                k = row(_build_year(m))
                capex.setdefault(category, zeros())[k] += dollars
                interest[k] += dollars * (carry - 1.0)
                discounted[k] += dollars * carry
            else:
                capex.setdefault(category, zeros())[row(_year_of(t))] += dollars
                discounted[row(_year_of(t))] += dollars / (1.0 + rate) ** t
        residual[-1] += dollars * left
        discounted[-1] -= dollars * left / (1.0 + rate) ** horizon
    whole = int(np.floor(horizon + 1e-9))
    part = horizon - whole
    for category, per_year in opex_by_category.items():
        per_year = float(per_year)
        for year in range(1, whole + 1):
            opex[category][row(year)] += per_year
            discounted[row(year)] += per_year / (1.0 + rate) ** year
        if part > 1e-9:   # a part year at the end, valued as the summary's annuity does
            opex[category][-1] += per_year * part
            discounted[-1] += per_year * float(annuity(rate, horizon) - annuity(rate, whole))
    return {"year": years, "capex_usd": capex, "opex_usd": opex, "residual_value_usd": residual,
            "interest_during_construction_usd": interest, "discounted_usd": discounted}


def lifetime_factor(life: float, horizon: float, rate: float) -> float:
    """NPV of one dollar of an asset with this life: bought now, bought again when its life
    ends, less its residual value at the horizon (lifetime_costs per dollar)."""
    return lifetime_costs([("", 1.0, life)], 0.0, horizon, rate)[1]


def source_npv_per_unit(src: dict, horizon: float, rate: float, carried: float = 1.0) -> dict[str, float]:
    """What one more unit of a power source adds to the NPV of cost, from the same cost
    functions (every cost of a source is linear in its size and energy, so this is their
    derivative): per MW of capacity ("mw"), per MWh of storage capacity ("mwh") and per
    MWh a year it delivers ("energy_mwh"). `carried`: what a dollar of its capex is worth
    at first compute (construction_interest_factor for its spend month)."""
    life = source_life(src)

    def npv(mw, mwh, delivered):
        fuel, om = source_opex(src, mw, delivered)
        return lifetime_costs([("", source_capex(src, mw, mwh), life)], fuel + om, horizon, rate, [carried])[1]

    return {"mw": npv(1.0, 0.0, 0.0), "mwh": npv(0.0, 1.0, 0.0), "energy_mwh": npv(0.0, 0.0, 1.0)}


def npv_of_yearly(dollars_per_year, horizon: float, rate):
    """NPV of a cost paid every year of the horizon (grid energy at its price per MWh)."""
    return lifetime_costs([], dollars_per_year, horizon, rate)[1]


def cost_summary(scenario: Scenario, inputs: SiteInputs, totals: np.ndarray, tp: Throughput,
                 task_months: dict | None = None, spend: tuple | None = None) -> dict:
    """The `cost` section. One scenario (floats; NaN where a figure does not apply) or many
    variants (a scenario, inputs and throughput holding arrays; totals one row per variant;
    `task_months` the schedule's task durations over the variants). `spend`: (months,
    first compute) from another scenario's schedule (the power-mix LP's mix-free part)."""
    items = capex_items(scenario, inputs)
    capex = {c: 0.0 for c in CAPEX_CATEGORIES}
    for category, dollars, _ in items:
        capex[category] = capex[category] + dollars
    opex = opex_per_year(scenario, inputs, totals, items)
    opex_total = sum(opex.values())
    rate, horizon = scenario.finance.discount_rate, scenario.finance.horizon_years
    months, first = spend_months(scenario, inputs, task_months) if spend is None else spend
    carried = [construction_interest_factor(rate, first - months[c]) for c, _, _ in items]
    tco, npv = lifetime_costs(items, opex_total, horizon, rate, carried)
    interest = sum(dollars * (k - 1.0) for (_, dollars, _), k in zip(items, carried))
    recovery = {life: crf(rate, life) for _, _, life in items}     # one factor per asset life
    annualised = sum(dollars * k * recovery[life] for (_, dollars, life), k in zip(items, carried)) + opex_total
    gpu_hours_year = tp.accelerators * 8760.0
    per_gpu_hour = annualised / gpu_hours_year
    per_used_hour = ratio(annualised, gpu_hours_year * tp.utilization)
    tpy = tp.tokens_per_year
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
        "usd_per_pflop_hour": ratio(annualised, tp.effective_pflops * 8760.0 * tp.utilization),
        "usd_per_million_tokens": ratio(annualised, tpy) * 1e6 if tpy is not None else None,
        "workload_cost_usd": per_gpu_hour * tp.gpu_hours if tp.gpu_hours is not None else None,
        "electricity_usd_per_mwh": electricity_price(scenario),
        "interest_during_construction_usd": interest,
        # One more month before first compute, every spend where it is: what the NPV of
        # cost (valued at first compute) rises by.
        "delay_cost_usd_per_month": sum(dollars * k for (_, dollars, _), k in zip(items, carried))
        * (construction_interest_factor(rate, 1.0) - 1.0),
    }
