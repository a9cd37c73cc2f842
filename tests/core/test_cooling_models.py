"""Cooling keyed on the temperature that drives it, and the published PUE figures the
catalogue's hyperscale and enterprise entries stand for."""
import numpy as np
import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.evaluate import evaluate_dict
from aisite.core.kernels import layout as L
from aisite.core.kernels.hourly import hourly_year
from aisite.core.scenario import load_scenario
from aisite.core.energy import site_inputs
from tests.core.engine_helpers import small_site


def annual_pue(region, cooling):
    data = small_site(region=region, cooling=cooling, power=[{"source": "grid", "mw": 100}],
                      workload={"kind": "utilization", "utilization": 1.0})
    return evaluate_dict(data, with_hourly=False).summary["energy"]["pue_annual"]


def wet_bulb_types():
    return [i for i, r in load_catalogue().tables["cooling"].items() if r["temp_basis"] == "wet_bulb"]


def test_catalogue_has_hyperscale_and_enterprise_entries_keyed_right():
    rows = load_catalogue().tables["cooling"]
    assert rows["evaporative-hyperscale"]["temp_basis"] == "wet_bulb"
    assert rows["enterprise-chilled-water"]["temp_basis"] == "dry_bulb"
    assert rows["direct-liquid"]["temp_basis"] == "dry_bulb"  # warm-water dry coolers


@pytest.mark.parametrize("cooling", ["evaporative-hyperscale"])
def test_pue_never_falls_as_wet_bulb_rises(cooling):
    """The engine's hourly PUE on a wet-bulb ramp from -10 to 35 degC never decreases."""
    scenario = load_scenario(small_site(cooling=cooling))
    inputs = site_inputs(scenario, 1.0)
    ramp = np.linspace(-10.0, 35.0, L.HOURS)
    zeros = np.zeros(L.HOURS)
    _totals, hourly = hourly_year(inputs.params, ramp, zeros, zeros, zeros + 400.0, np.ones(L.HOURS))
    pue = hourly[L.HOURLY_SERIES.index("pue")]
    assert np.all(np.diff(pue) >= 0.0) and pue[-1] > pue[0]
    assert cooling in wet_bulb_types()


def test_evaporative_separates_dry_heat_from_humid_heat():
    """On wet bulb, hot and dry Riyadh runs an evaporative design far better than humid
    Singapore, though both are hot on the dry bulb."""
    riyadh, singapore = annual_pue("saudi-arabia", "evaporative-hyperscale"), annual_pue("singapore", "evaporative-hyperscale")
    assert singapore - riyadh > 0.08


def test_published_fleet_and_survey_pue():
    """Google's 2023 fleet 1.10 and Meta's 1.08 (many temperate sites) and the Uptime 2024
    survey average 1.56 are reproduced within 0.05 at representative sites."""
    temperate = [annual_pue(r, "evaporative-hyperscale") for r in ("us-oregon", "us-virginia", "us-texas", "sweden")]
    assert np.mean(temperate) == pytest.approx(1.09, abs=0.05)
    assert annual_pue("us-texas", "enterprise-chilled-water") == pytest.approx(1.56, abs=0.05)


@pytest.mark.parametrize("cooling", ["air", "evaporative-hyperscale", "enterprise-chilled-water", "direct-liquid",
                                     "immersion", "rear-door"])
@pytest.mark.parametrize("region", ["us-texas", "sweden"])
def test_pue_at_30_percent_load_is_above_pue_at_90(region, cooling):
    """Part of the overhead is fixed, so a lightly loaded facility is less efficient."""
    def pue(utilization):
        data = small_site(region=region, cooling=cooling, power=[{"source": "grid", "mw": 100}],
                          workload={"kind": "utilization", "utilization": utilization})
        return evaluate_dict(data, with_hourly=False).summary["energy"]["pue_annual"]

    assert pue(0.3) > pue(0.9) > 1.0
