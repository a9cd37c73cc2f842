"""The cheapest-mix LP against brute force with the engine on small cases."""
import itertools

import numpy as np
import pytest

from aisite.core.cost import lifetime_factor
from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.explore.power_mix import optimise_power
from tests.core.explore.helpers import small_site, texas


def _engine(doc, power):
    """(NPV, unserved MWh, carbon-free share) in the engine; unserved is inf when the
    schedule never reaches full capacity (firm power short of the site's peak)."""
    d = dict(doc)
    d["power"] = power
    s = evaluate_dict(d, with_hourly=False).summary
    unserved = s["energy"]["unserved_mwh"] if s["schedule"]["full_capacity_month"] is not None else float("inf")
    return s["cost"]["npv_cost_usd"], unserved, s["energy"]["carbon_free_fraction"]


def test_grid_and_solar_is_optimal_against_a_brute_force_grid():
    # Without storage or firm sources the engine's merit-order dispatch is the optimal
    # dispatch, so the LP answer, evaluated by the engine, must beat every feasible point.
    doc = small_site(power=[{"source": "grid", "mw": 5}, {"source": "solar-pv", "mw": 5}])
    result = optimise_power(doc, min_carbon_free=0.2)
    assert all(result.engine_meets_constraints.values())
    assert result.engine["schedule.first_compute_month"] is not None   # firm power covers the peak
    answer = result.engine["cost.npv_cost_usd"]
    assert answer == pytest.approx(result.lp_npv_cost_usd, rel=1e-6)   # only kW rounding between them
    feasible = 0
    for grid, solar in itertools.product(np.linspace(3.0, 6.0, 13), np.linspace(0.0, 12.0, 25)):
        npv, unserved, cf = _engine(doc, [{"source": "grid", "mw": grid}, {"source": "solar-pv", "mw": solar}])
        if unserved <= 1e-9 and cf >= 0.2:
            feasible += 1
            assert answer <= npv * (1 + 1e-9), (grid, solar)
            assert result.lp_npv_cost_usd <= npv * (1 + 1e-12)
    assert feasible > 20


def test_with_a_battery_the_lp_is_a_lower_bound_on_every_feasible_mix():
    doc = small_site(power=[{"source": "grid", "mw": 5}, {"source": "solar-pv", "mw": 5},
                            {"source": "battery", "mw": 2, "mwh": 8}])
    result = optimise_power(doc, min_carbon_free=0.45)
    bound = result.lp_npv_cost_usd
    feasible = []
    for grid, solar, mwh in itertools.product((3.0, 3.5, 4.5), (4.0, 8.0, 12.0, 20.0), (0.0, 4.0, 16.0, 40.0)):
        power = [{"source": "grid", "mw": grid}, {"source": "solar-pv", "mw": solar}]
        if mwh:
            power.append({"source": "battery", "mw": mwh / 4, "mwh": mwh})
        npv, unserved, cf = _engine(doc, power)
        if unserved <= 1e-9 and cf >= 0.45:
            feasible.append((npv, grid, solar, mwh))
            assert bound <= npv * (1 + 1e-12), (grid, solar, mwh)
    assert len(feasible) >= 5
    # With the dispatch optimised at fixed capacities too (the same LP, capacities pinned),
    # the free optimum is never worse than any grid point.
    for npv, grid, solar, mwh in sorted(feasible)[:2]:
        pinned = optimise_power(doc, min_carbon_free=0.45,
                                fixed={"grid": grid, "solar-pv": solar, "battery": mwh / 4, "battery.mwh": mwh})
        assert bound <= pinned.lp_npv_cost_usd * (1 + 1e-9)
        assert pinned.lp_npv_cost_usd <= npv * (1 + 1e-9)   # optimal dispatch beats merit order
    assert result.lp["carbon_free_fraction"] >= 0.45 - 1e-7
    assert result.engine_meets_constraints["max_unserved_mwh"]


def test_first_compute_by_a_month_uses_fast_on_site_power():
    doc = texas()
    doc["schedule"] = {"grid_connection": 70}       # the grid slips past month 50
    result = optimise_power(doc, first_compute_by=50)
    assert result.case.startswith("on-site firm power")
    assert result.engine["schedule.first_compute_month"] <= 50
    assert result.capacities["gas-turbine"]["mw"] > 0
    assert all(result.engine_meets_constraints.values())
    with pytest.raises(InputError, match="installed at month 45"):
        optimise_power(doc, first_compute_by=40)


def test_an_emissions_cap_in_the_engine_within_a_stated_gap():
    # Texas: the engine burns gas before importing and empties the battery at once, so
    # the LP's mix is scaled up until the engine's own dispatch meets the cap.
    result = optimise_power(texas(), max_tco2e=100_000)
    assert all(result.engine_meets_constraints.values())
    assert result.engine["energy.tco2e_per_year_location"] <= 100_000
    assert result.lp["tco2e_per_year_location"] <= 100_000 * (1 + 1e-7)
    assert 0 <= result.gap_usd <= 0.01 * result.lp_npv_cost_usd


def test_an_emissions_cap_holds_in_the_lp_dispatch():
    doc = small_site(power=[{"source": "grid", "mw": 5}, {"source": "solar-pv", "mw": 5}])
    free = optimise_power(doc)
    capped = optimise_power(doc, max_tco2e=0.85 * free.lp["tco2e_per_year_location"])
    assert capped.lp["tco2e_per_year_location"] <= 0.85 * free.lp["tco2e_per_year_location"] * (1 + 1e-7)
    assert capped.lp_npv_cost_usd >= free.lp_npv_cost_usd
    assert capped.capacities["solar-pv"]["mw"] > free.capacities["solar-pv"]["mw"]


def test_lifetime_factor_matches_the_cost_model():
    # bought at 0 and 5 over 6 years, 4 of 5 years left at the end
    expected = 1 + 1.08 ** -5 - (4 / 5) * 1.08 ** -6
    assert lifetime_factor(5, 6, 0.08) == pytest.approx(expected)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"min_carbon_free": 1.5}, "--min-carbon-free"),
    ({"max_unserved_mwh": -1}, "--max-unserved-mwh"),
    ({"sources": ["fusion"]}, "fusion"),
])
def test_bad_constraints(kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        optimise_power(small_site(), **kwargs)
