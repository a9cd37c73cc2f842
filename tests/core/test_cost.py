"""Cost formulas against hand calculations."""
import pytest

from core.catalogue import load_catalogue
from core.cost import crf, lifetime_costs, npv_of_yearly, source_npv_per_unit
from core.evaluate import evaluate_dict
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
    per_mw = source_npv_per_unit(cat.get("power_sources", "diesel", "source"), 7, 0.07)["mw"]
    assert _npv(with_diesel) - _npv(base) == pytest.approx(3 * per_mw, rel=1e-9)
    # One more MW of grid connection, then one more $/MWh of electricity.
    more_grid = small_site(power=[{"source": "grid", "mw": 13}], finance=finance)
    grid_mw = source_npv_per_unit(cat.get("power_sources", "grid", "source"), 7, 0.07)["mw"]
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
