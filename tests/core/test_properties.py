"""Properties that hold whatever the inputs: planners rely on them when they explore."""
import pytest

from aisite.core.evaluate import evaluate_dict
from tests.core.engine_helpers import sample, small_site


def energy(data):
    return evaluate_dict(data, with_hourly=False).summary["energy"]


@pytest.mark.parametrize("region", ["us-texas", "sweden", "singapore"])
def test_more_accelerators_never_lower_energy(region):
    previous = 0.0
    for count in (256, 512, 1024, 4096, 16384):
        data = small_site(region=region, deployments=[{"chip": "nvidia-h100-sxm", "count": count}],
                          power=[{"source": "grid", "mw": 100}])
        e = energy(data)["annual_facility_mwh"]
        assert e > previous
        previous = e


def test_more_solar_never_raises_grid_imports():
    previous = float("inf")
    for mw in (0, 5, 10, 20, 40, 80):
        data = small_site(power=[{"source": "grid", "mw": 10}, {"source": "solar-pv", "mw": mw},
                                 {"source": "battery", "mw": 2, "mwh": 8}])
        grid = energy(data)["grid_import_mwh"]
        assert grid <= previous + 1e-6
        previous = grid


def test_hotter_climate_raises_pue_for_air_cooling():
    pue = {r: energy(small_site(region=r, cooling="air"))["pue_annual"] for r in ("sweden", "us-texas", "singapore")}
    assert pue["sweden"] < pue["us-texas"] < pue["singapore"]


def test_liquid_cooling_beats_air_on_pue():
    assert energy(small_site(cooling="direct-liquid"))["pue_annual"] < energy(small_site(cooling="air"))["pue_annual"]


def test_fixed_pue_override_applies_every_hour():
    e = energy(small_site(overrides={"pue": 1.25}))
    assert e["pue_annual"] == pytest.approx(1.25)


def test_grid_carbon_override_sets_location_emissions():
    e = energy(small_site(overrides={"grid_gco2_per_kwh": 500}))
    assert e["tco2e_per_year_location"] == pytest.approx(e["grid_import_mwh"] * 0.5, rel=0.05)
    assert e["tco2e_per_year_market"] == pytest.approx(e["grid_import_mwh"] * 0.5, rel=1e-9)


def test_market_based_falls_with_certificates():
    base = sample("nordic-sovereign-site")
    e = energy(base)
    assert e["tco2e_per_year_market"] < e["tco2e_per_year_location"]
