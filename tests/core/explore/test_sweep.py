import numpy as np
import pytest

from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.explore.sweep import parse_values, sweep
from tests.core.explore.helpers import small_site, texas


def test_more_solar_never_raises_grid_imports():
    doc = small_site(power=[{"source": "grid", "mw": 10}, {"source": "solar-pv", "mw": 1},
                            {"source": "battery", "mw": 1, "mwh": 4}])
    table = sweep(doc, [("power[1].mw", [0, 0.5, 1, 2, 4, 8, 16, 32])],
                  ["energy.grid_import_mwh", "energy.carbon_free_fraction"])
    grid = table["energy.grid_import_mwh"].to_numpy()
    assert np.all(np.diff(grid) <= 1e-6)
    assert grid[-1] < grid[0]
    assert np.all(np.diff(table["energy.carbon_free_fraction"].to_numpy()) >= -1e-12)


def test_a_higher_pue_never_lowers_facility_energy():
    table = sweep(texas(), [("overrides.pue", [1.05, 1.1, 1.2, 1.4])], ["energy.annual_facility_mwh"])
    assert np.all(np.diff(table["energy.annual_facility_mwh"].to_numpy()) > 0)


def test_rows_match_evaluate():
    doc = texas()
    table = sweep(doc, [("finance.discount_rate", [0.05, 0.1])], ["cost.npv_cost_usd"])
    doc["finance"]["discount_rate"] = 0.1
    assert table["cost.npv_cost_usd"].iloc[1] == evaluate_dict(doc).summary["cost"]["npv_cost_usd"]


def test_two_dimensional_grid():
    table = sweep(texas(), [("power[1].mw", [100, 200, 300]), ("deployments[0].count", [10000, 20000])],
                  ["throughput.accelerators", "cost.capex_usd"])
    assert table.shape == (6, 4)
    assert list(table.columns[:2]) == ["power[1].mw", "deployments[0].count"]
    assert table["throughput.accelerators"].tolist() == [18192, 28192] * 3


def test_parse_values():
    assert parse_values("1,2, 3") == [1, 2, 3]
    assert parse_values("0:10:2.5") == [0, 2.5, 5, 7.5, 10]
    for bad, fragment in (("", "is empty"), ("5:1:1", "is empty"), ("1,a", "'a' is not a number"),
                          ("0:1:0", "step"), ("1:2", "START:STOP:STEP")):
        with pytest.raises(InputError, match=fragment):
            parse_values(bad)


def test_bad_sweeps():
    with pytest.raises(InputError, match="there is no"):
        sweep(texas(), [("power[9].mw", [1])])
    with pytest.raises(InputError, match="unknown result key"):
        sweep(texas(), [("power[1].mw", [1])], ["energy.nope"])
    with pytest.raises(InputError, match=r"workload.mfu: must be at most 1, got 2 \(at workload.mfu=2\)"):
        sweep(texas(), [("workload.mfu", [0.5, 2])])


def test_batched_sweep_matches_point_by_point():
    from aisite.core.explore import sweep as sweep_module

    doc = texas()
    axes = [("overrides.electricity_usd_per_mwh", [40, 60, 80, 100]), ("cooling.pue_min", [1.05, 1.1, 1.2])]
    keys = ["energy.annual_facility_mwh", "cost.npv_cost_usd", "cost.usd_per_gpu_hour",
            "schedule.first_compute_month"]
    fast = sweep(doc, axes, keys)
    old = sweep_module.FAST_MIN_POINTS
    sweep_module.FAST_MIN_POINTS = 10**9
    try:
        slow = sweep(doc, axes, keys)
    finally:
        sweep_module.FAST_MIN_POINTS = old
    assert list(fast.columns) == list(slow.columns)
    np.testing.assert_allclose(fast.to_numpy(dtype=float), slow.to_numpy(dtype=float), rtol=1e-9)
