"""The yearly cash flow adds up to the summary's TCO and NPV, for every sample."""
import numpy as np
import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.evaluate import evaluate
from aisite.core.paths import samples_dir
from aisite.core.report.cash_flow import cash_flow, scenario_cash_flow
from aisite.core.scenario import load_scenario, read_scenario_file


@pytest.mark.parametrize("sample", sorted(p.name for p in samples_dir().glob("*.json")))
def test_columns_add_up_to_tco_and_npv(sample):
    scenario = load_scenario(read_scenario_file(str(samples_dir() / sample)), load_catalogue())
    summary = evaluate(scenario, with_hourly=False).summary
    flow = scenario_cash_flow(scenario, summary)
    assert len(flow["year"]) == int(np.ceil(scenario.finance.horizon_years)) + 1
    assert flow["capex_usd"][0] == pytest.approx(summary["cost"]["capex_usd"])
    assert (flow["capex_usd"] + flow["opex_usd"]).sum() == pytest.approx(summary["cost"]["tco_usd"], rel=1e-12)
    assert flow["discounted_usd"].sum() == pytest.approx(summary["cost"]["npv_cost_usd"], rel=1e-12)
    assert flow["cumulative_usd"][-1] == pytest.approx(flow["net_usd"].sum())


def test_replacements_fall_in_the_year_a_life_ends_and_residual_is_credited():
    flow = cash_flow([("accelerators", 100.0, 4.0), ("facility", 1000.0, 20.0)], 10.0, 10.0, 0.0)
    assert flow["capex_usd"][[0, 4, 8]].tolist() == [1100.0, 100.0, 100.0]
    # accelerators bought at 8 have 2 of 4 years left; the facility 10 of 20
    assert flow["residual_value_usd"][10] == pytest.approx(50.0 + 500.0)
    assert flow["opex_usd"][0] == 0 and flow["opex_usd"][1:].tolist() == [10.0] * 10


def test_part_year_horizon_keeps_npv_equal_to_the_annuity():
    flow = cash_flow([("x", 100.0, 3.0)], 12.0, 2.5, 0.08)
    annuity = (1 - 1.08 ** -2.5) / 0.08
    residual = 100.0 * 0.5 / 3.0 / 1.08 ** 2.5
    assert flow["discounted_usd"].sum() == pytest.approx(100.0 + 12.0 * annuity - residual)
    assert flow["opex_usd"].tolist() == [0.0, 12.0, 12.0, 6.0]


@pytest.mark.parametrize("sample", sorted(p.name for p in samples_dir().glob("*.json")))
def test_construction_years_hold_the_build_and_its_interest(sample):
    """The build is spread over the years before first compute as the schedule spends it;
    those years add up to year 0 of the yearly table, and their interest to the summary's."""
    scenario = load_scenario(read_scenario_file(str(samples_dir() / sample)), load_catalogue())
    summary = evaluate(scenario, with_hourly=False).summary
    flow = scenario_cash_flow(scenario, summary)
    build = flow["construction"]
    first = summary["schedule"]["first_compute_month"]
    assert -np.ceil(first / 12.0) <= build["year"][0] < 0     # every sample spends before first compute
    assert build["capex_usd"].sum() == pytest.approx(flow["capex_usd"][0], rel=1e-12)
    assert sum(a.sum() for a in build["capex_by_category_usd"].values()) == pytest.approx(summary["cost"]["capex_usd"])
    assert flow["interest_during_construction_usd"].sum() == pytest.approx(
        summary["cost"]["interest_during_construction_usd"], rel=1e-12)
    assert build["value_at_first_compute_usd"].sum() == pytest.approx(flow["discounted_usd"][0], rel=1e-12)
    # the earliest spend (the facility) is worth more at first compute than when paid
    assert build["value_at_first_compute_usd"][0] > build["capex_usd"][0] > 0
    assert flow["timeline_cumulative_usd"][-1] == pytest.approx(flow["cumulative_usd"][-1], rel=1e-12)
