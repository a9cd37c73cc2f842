"""The fast batch path against the general one (core.evaluate per variant), on every
input the fast path covers, and zero-width variation against evaluate itself."""
import numpy as np

from aisite.core.evaluate import evaluate_dict
from aisite.core.explore.batch import BatchModel
from aisite.core.explore.results import flatten
from tests.core.explore.helpers import texas

PATHS = ["schedule.grid_connection", "schedule.electrical_equipment", "schedule.onsite_power",
         "overrides.electricity_usd_per_mwh", "workload.mfu", "overrides.utilization", "overrides.goodput",
         "deployments[0].chip.price_usd", "deployments[1].chip.price_usd", "cooling.pue_min",
         "cooling.pue_slope_per_c", "finance.discount_rate", "finance.market_rec_fraction", "power[0].mw",
         "power[1].mw", "power[2].mw", "power[2].mwh", "power[3].mw", "overrides.grid_gco2_per_kwh"]
LOW = [24, 20, 18, 50, 0.3, 0.7, 0.8, 30000, 40000, 1.05, 0.005, 0.0, 0.0, 20, 100, 50, 200, 10, 300]
HIGH = [72, 50, 60, 90, 0.5, 1.0, 0.95, 45000, 60000, 1.25, 0.03, 0.12, 0.5, 300, 300, 150, 800, 200, 450]


def assert_same(a: dict, b: dict, rtol=1e-9):
    assert set(a) == set(b)
    for key in b:
        np.testing.assert_allclose(a[key], b[key], rtol=rtol, atol=1e-9, equal_nan=True, err_msg=key)


def test_fast_path_covers_the_common_inputs_and_matches_evaluate():
    doc = texas()
    model = BatchModel(doc, PATHS, bounds=list(zip(LOW, HIGH)))
    assert model.fast, model.handlers
    rng = np.random.default_rng(5)
    values = np.array(LOW) + (np.array(HIGH) - np.array(LOW)) * rng.random((12, len(PATHS)))
    assert_same(model.run(values), model.run(values, force_general=True))


def test_fast_path_for_fixed_pue_and_inference():
    doc = texas()
    doc["overrides"]["pue"] = 1.2
    doc["workload"] = {"kind": "inference", "params": 7e10, "precision": "fp8", "batch": 64,
                       "context_tokens": 8192, "utilization": 0.6}
    paths = ["overrides.pue", "workload.utilization", "overrides.electricity_usd_per_mwh"]
    model = BatchModel(doc, paths, bounds=[(1.1, 1.4), (0.3, 0.9), (40, 90)])
    assert model.fast
    values = np.array([[1.1, 0.3, 40], [1.25, 0.55, 60], [1.4, 0.9, 90]])
    assert_same(model.run(values), model.run(values, force_general=True))


def test_zero_width_reproduces_evaluate():
    doc = texas()
    model = BatchModel(doc, PATHS, bounds=list(zip(LOW, HIGH)))
    base_values = [model.base_value(p) for p in PATHS]
    out = model.run(np.array([base_values] * 3))
    expected = flatten(evaluate_dict(doc, with_hourly=False).summary)
    for key, value in expected.items():
        if value is None:
            assert np.isnan(out[key]).all(), key
        else:
            np.testing.assert_allclose(out[key], value, rtol=1e-9, atol=1e-9, err_msg=key)


def test_other_inputs_take_the_general_path():
    doc = texas()
    model = BatchModel(doc, ["deployments[0].count", "power[1].mw"], bounds=[(1000, 40000), (0, 300)])
    assert not model.fast          # count changes the whole site; a source may vanish at 0 MW
    out = model.run(np.array([[20000.4, 0.0], [30000, 250]]))
    assert out["throughput.accelerators"].tolist() == [20000 + 8192, 30000 + 8192]


def test_firm_sources_run_as_backup_on_both_paths():
    # A gas bridge kept as backup, next to diesel: the backup stage is shared by
    # available MW with a capacity-weighted emission factor, on both paths alike.
    doc = texas()
    doc["power"][3]["dispatch"] = "backup"
    doc["power"].append({"source": "diesel", "mw": 40})
    paths = ["power[0].mw", "power[3].mw", "power[4].mw"]
    low, high = [40, 50, 10], [200, 200, 80]
    model = BatchModel(doc, paths, bounds=list(zip(low, high)))
    assert model.fast
    rng = np.random.default_rng(11)
    values = np.array(low) + (np.array(high) - np.array(low)) * rng.random((8, len(paths)))
    assert_same(model.run(values), model.run(values, force_general=True))
