"""Firm on-site sources in merit order (before grid import) or as backup (after it)."""
import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.scenario import load_scenario
from tests.core.engine_helpers import small_site


def site(grid_mw, dispatch=None, schedule=None):
    gas = {"source": "gas-engine", "mw": 5}
    if dispatch:
        gas["dispatch"] = dispatch
    return small_site(power=[{"source": "grid", "mw": grid_mw}, gas], schedule=schedule or {})


def test_backup_gas_runs_only_when_the_grid_falls_short():
    merit = evaluate_dict(site(10), with_hourly=False).summary
    backup = evaluate_dict(site(10, "backup"), with_hourly=False).summary
    assert merit["energy"]["firm_onsite_mwh"]["gas-engine"] > 0   # gas first, grid for the rest
    assert backup["energy"]["backup_mwh"] == 0                     # the grid carries it all
    assert backup["energy"]["grid_import_mwh"] == pytest.approx(backup["energy"]["annual_facility_mwh"])
    assert backup["cost"]["opex_breakdown_usd_per_year"]["fuel"] == 0
    assert backup["energy"]["tco2e_per_year_location"] < merit["energy"]["tco2e_per_year_location"]


def test_backup_gas_fills_a_short_grid_and_is_costed_and_counted():
    cat = load_catalogue()
    gas = cat.tables["power_sources"]["gas-engine"]
    e = evaluate_dict(site(0.5, "backup"), with_hourly=False).summary
    energy, cost = e["energy"], e["cost"]
    assert energy["backup_mwh"] > 0
    assert cost["opex_breakdown_usd_per_year"]["fuel"] == pytest.approx(energy["backup_mwh"] * gas["fuel_usd_per_mwh"])
    # Location-based carbon: the backup gas's stack emissions plus the grid's (hourly).
    assert energy["tco2e_per_year_location"] >= energy["backup_mwh"] * gas["gco2_per_kwh"] / 1000
    assert energy["firm_capacity_mw"] == pytest.approx(0.5 + 5 * gas["availability"])


def test_backup_gas_still_bridges_a_slow_grid():
    fast_gas = {"grid_connection": 80, "onsite_power": 10}
    s = evaluate_dict(site(10, "backup", fast_gas), with_hourly=False).summary["schedule"]
    assert s["first_compute_month"] < 80


@pytest.mark.parametrize("entry,expected", [
    ({"source": "diesel", "mw": 5, "dispatch": "merit"}, "power[0].dispatch: diesel is a backup source"),
    ({"source": "grid", "mw": 5, "dispatch": "backup"}, "power[0].dispatch: applies only to firm on-site sources"),
    ({"source": "gas-engine", "mw": 5, "dispatch": "sometimes"}, "power[0].dispatch: must be one of merit, backup"),
])
def test_dispatch_is_validated(entry, expected):
    with pytest.raises(InputError) as info:
        load_scenario(small_site(power=[entry]))
    assert str(info.value).startswith(expected)
