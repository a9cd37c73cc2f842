"""Cost formulas against hand calculations."""
import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.cost import (construction_interest_factor, crf, lifetime_costs, npv_of_yearly, source_npv_per_unit,
                       spend_months)
from aisite.core.energy import site_inputs
from aisite.core.scenario import load_scenario
from aisite.core.evaluate import evaluate_dict
from tests.core.engine_helpers import small_site


def test_capital_recovery_factor():
    assert crf(0.08, 5) == pytest.approx(0.08 / (1 - 1.08 ** -5))
    assert crf(0.0, 4) == pytest.approx(0.25)


def test_capex_by_category_by_hand():
    cat = load_catalogue()
    summary = evaluate_dict(small_site(), with_hourly=False).summary
    capex = summary["cost"]["capex_breakdown_usd"]
    chip = cat.tables["chips"]["nvidia-h100-sxm"]
    server = cat.tables["servers"][chip["default_server"]]
    network = cat.tables["network"]["infiniband-ndr"]
    assert capex["accelerators"] == pytest.approx(1024 * chip["price_usd"])
    assert capex["servers"] == pytest.approx(128 * server["price_usd"])
    assert capex["network"] == pytest.approx(1024 * network["usd_per_accelerator"])
    assert capex["storage"] == pytest.approx(1024 * cat.constant("storage_usd_per_accelerator"))
    it_mw = summary["energy"]["it_peak_mw"]
    facility = it_mw * cat.constant("facility_usd_per_mw_it") * cat.tables["regions"]["us-texas"]["construction_cost_factor"] \
        + it_mw * 1000 * cat.tables["cooling"]["direct-liquid"]["capex_usd_per_kw"]
    assert capex["facility"] == pytest.approx(facility)
    assert capex["grid_connection"] == pytest.approx(10_000 * cat.tables["power_sources"]["grid"]["capex_usd_per_kw"])
    assert summary["cost"]["capex_usd"] == pytest.approx(sum(capex.values()))


def test_energy_opex_is_grid_mwh_times_price():
    summary = evaluate_dict(small_site(overrides={"electricity_usd_per_mwh": 50}), with_hourly=False).summary
    assert summary["cost"]["opex_breakdown_usd_per_year"]["energy"] == pytest.approx(
        summary["energy"]["grid_import_mwh"] * 50)


def test_replacement_and_residual_over_horizon():
    # $100 asset with a 5-year life over 6 years at 0%: bought at 0 and 5, 4/5 of the second left.
    tco, npv = lifetime_costs([("accelerators", 100.0, 5.0)], 10.0, 6.0, 0.0)
    assert tco == pytest.approx(200 + 60)
    assert npv == pytest.approx(200 + 60 - 80)


def test_unit_costs_follow_from_the_annualised_cost():
    summary = evaluate_dict(small_site(), with_hourly=False).summary
    cost = summary["cost"]
    assert cost["usd_per_gpu_hour"] == pytest.approx(cost["annualized_cost_usd_per_year"] / (1024 * 8760))
    assert cost["breakeven_cloud_usd_per_gpu_hour"] == pytest.approx(cost["usd_per_gpu_hour"] / 0.8)


def test_lease_replaces_facility_capex_with_rent():
    owned = evaluate_dict(small_site(), with_hourly=False).summary["cost"]
    leased = evaluate_dict(small_site(finance={"lease": True}), with_hourly=False).summary["cost"]
    assert leased["capex_breakdown_usd"]["facility"] == 0
    assert leased["opex_breakdown_usd_per_year"]["lease"] > 0
    assert owned["opex_breakdown_usd_per_year"]["lease"] == 0


def test_h100_cost_per_gpu_hour_near_the_worked_tco_check():
    # models.md F13 worked check: DGX H100 at ~$1.62/GPU-hour (Epoch's hardware rule plus
    # interconnect plus energy). Our fuller model (facility, storage, support, staff) lands near it.
    data = small_site(workload={"kind": "utilization", "utilization": 1.0})
    cost = evaluate_dict(data, with_hourly=False).summary["cost"]
    assert cost["usd_per_gpu_hour"] == pytest.approx(1.62, rel=0.25)


def _npv(data):
    return evaluate_dict(data).summary["cost"]["npv_cost_usd"]


def test_per_unit_npv_is_what_one_more_unit_adds_in_the_engine():
    """The power-mix LP's cost coefficients (source_npv_per_unit, npv_of_yearly) are the
    engine's own NPV per MW of capacity, per MWh of storage and per $/MWh of grid price."""
    cat = load_catalogue()
    finance = {"horizon_years": 7, "discount_rate": 0.07}
    base = small_site(power=[{"source": "grid", "mw": 12}], finance=finance)
    # Diesel that never runs (the grid carries the load): capex and fixed O&M only.
    with_diesel = small_site(power=[{"source": "grid", "mw": 12}, {"source": "diesel", "mw": 3}], finance=finance)
    # Each carries the interest during construction of its spend month (core.cost.spend_months).
    scenario = load_scenario(with_diesel)
    months, first = spend_months(scenario, site_inputs(scenario, 0.8))
    carry = {c: construction_interest_factor(0.07, first - months[c]) for c in ("onsite_power", "grid_connection")}
    per_mw = source_npv_per_unit(cat.get("power_sources", "diesel", "source"), 7, 0.07, carry["onsite_power"])["mw"]
    assert _npv(with_diesel) - _npv(base) == pytest.approx(3 * per_mw, rel=1e-9)
    # One more MW of grid connection, then one more $/MWh of electricity.
    more_grid = small_site(power=[{"source": "grid", "mw": 13}], finance=finance)
    grid_mw = source_npv_per_unit(cat.get("power_sources", "grid", "source"), 7, 0.07, carry["grid_connection"])["mw"]
    assert _npv(more_grid) - _npv(base) == pytest.approx(grid_mw, rel=1e-9)
    result = evaluate_dict(base).summary
    dearer = small_site(power=[{"source": "grid", "mw": 12}], finance=finance,
                        overrides={"electricity_usd_per_mwh": result["cost"]["electricity_usd_per_mwh"] + 1.0})
    assert _npv(dearer) - _npv(base) == pytest.approx(
        result["energy"]["grid_import_mwh"] * npv_of_yearly(1.0, 7, 0.07), rel=1e-9)


def test_storage_capacity_per_mwh_npv():
    battery = load_catalogue().get("power_sources", "battery", "source")
    unit = source_npv_per_unit(battery, 10, 0.05)
    # bought at 0, life 15 > 10 years: a third of its life is left at the end
    assert unit["mwh"] == pytest.approx(1000 * battery["capex_usd_per_kwh"] * (1 - (5 / 15) * 1.05 ** -10))


# ---------------------------------------------------------------- time in the cost model

from tests.core.engine_helpers import SAMPLES, sample  # noqa: E402


def _summary(data):
    return evaluate_dict(data, with_hourly=False).summary


@pytest.mark.parametrize("name", SAMPLES)
def test_months_on_the_critical_path_never_lower_npv_of_cost(name):
    data = sample(name)
    base = _summary(data)
    months = {t["id"]: t["end_month"] - t["start_month"] for t in base["schedule"]["tasks"]}
    assert base["schedule"]["critical_path"]
    for task in base["schedule"]["critical_path"]:
        for extra in (1, 6, 18):
            slower = dict(data, schedule={**data.get("schedule", {}), task: months[task] + extra})
            late = _summary(slower)
            assert late["schedule"]["first_compute_month"] >= base["schedule"]["first_compute_month"] + extra - 1e-9
            assert late["cost"]["npv_cost_usd"] >= base["cost"]["npv_cost_usd"] - 1e-6, (task, extra)
            assert late["cost"]["usd_per_gpu_hour"] >= base["cost"]["usd_per_gpu_hour"] - 1e-12


def test_cost_of_a_month_of_delay_is_what_one_more_month_adds():
    """One more month of installation moves first compute a month with every spend where
    it was: the NPV of cost rises by exactly the reported cost of a month of delay."""
    data = sample("texas-training-campus")
    base = _summary(data)
    assert "install" in base["schedule"]["critical_path"]
    months = {t["id"]: t["end_month"] - t["start_month"] for t in base["schedule"]["tasks"]}
    late = _summary(dict(data, schedule={**data.get("schedule", {}), "install": months["install"] + 1}))
    rise = late["cost"]["npv_cost_usd"] - base["cost"]["npv_cost_usd"]
    assert rise == pytest.approx(base["cost"]["delay_cost_usd_per_month"], rel=1e-9)
    assert base["cost"]["interest_during_construction_usd"] > 0


def test_interest_during_construction_by_hand():
    """$100 spent 24 months before first compute at 7 % is worth 100 x 1.07^2 at it."""
    assert 100 * construction_interest_factor(0.07, 24.0) == pytest.approx(114.49)
    tco, npv = lifetime_costs([("facility", 100.0, 20.0)], 0.0, 5.0, 0.07, [1.1449])
    assert tco == pytest.approx(100.0)  # TCO counts dollars, not interest
    assert npv == pytest.approx(114.49 - 75.0 / 1.07**5)


def test_yearly_cash_flow_by_hand():
    """$100 of facility paid 18 months before first compute lands in construction year -2 and
    is worth 100 x 1.07^1.5 at first compute; $50 of chips at first compute, bought again at
    year 4 of a 5-year horizon; $10 of energy a year. Its columns sum to lifetime_costs."""
    from aisite.core.cost import yearly_cash_flow

    items = [("facility", 100.0, 20.0), ("accelerators", 50.0, 4.0)]
    flow = yearly_cash_flow(items, [18.0, 0.0], {"energy": 10.0}, 5.0, 0.07)
    assert flow["year"].tolist() == [-2, -1, 0, 1, 2, 3, 4, 5]
    assert flow["capex_usd"]["facility"].tolist() == [100.0] + [0.0] * 7
    assert flow["capex_usd"]["accelerators"].tolist() == [0, 0, 50.0, 0, 0, 0, 50.0, 0]
    assert flow["interest_during_construction_usd"][0] == pytest.approx(100 * 1.07**1.5 - 100)
    assert flow["opex_usd"]["energy"].tolist() == [0, 0, 0] + [10.0] * 5
    # residual at the horizon: facility 15 of 20 years left, chips bought at 4 have 3 of 4
    assert flow["residual_value_usd"][-1] == pytest.approx(75.0 + 37.5)
    tco, npv = lifetime_costs(items, 10.0, 5.0, 0.07, [1.07**1.5, 1.0])
    spent = sum(a.sum() for a in flow["capex_usd"].values()) + sum(a.sum() for a in flow["opex_usd"].values())
    assert spent == pytest.approx(tco)
    assert flow["discounted_usd"].sum() == pytest.approx(npv, rel=1e-12)


def test_a_later_critical_task_starts_the_cash_flow_earlier():
    """Six more months waiting for electrical equipment (critical path) on the Texas sample:
    the facility and power are paid as before but first compute comes later, so the cash
    flow starts a construction year earlier before it, with more construction interest and
    a higher NPV for the same dollars (TCO)."""
    from aisite.core.report.cash_flow import scenario_cash_flow
    from aisite.core.scenario import load_scenario as load

    data = sample("texas-training-campus")
    base = evaluate_dict(data, with_hourly=False)
    months = {t["id"]: t["end_month"] - t["start_month"] for t in base.summary["schedule"]["tasks"]}
    assert "electrical_equipment" in base.summary["schedule"]["critical_path"]
    slower = dict(data, schedule={**data.get("schedule", {}),
                                  "electrical_equipment": months["electrical_equipment"] + 6})
    late = evaluate_dict(slower, with_hourly=False)
    a = scenario_cash_flow(load(data, load_catalogue()), base.summary)
    b = scenario_cash_flow(load(slower, load_catalogue()), late.summary)
    assert (b["capex_usd"] + b["opex_usd"]).sum() == pytest.approx((a["capex_usd"] + a["opex_usd"]).sum(), rel=1e-12)
    assert b["timeline_year"][0] < a["timeline_year"][0]
    assert b["interest_during_construction_usd"][0] > a["interest_during_construction_usd"][0] * 1.1
    assert b["discounted_usd"].sum() == pytest.approx(late.summary["cost"]["npv_cost_usd"], rel=1e-12)
    assert b["discounted_usd"].sum() > a["discounted_usd"].sum()
