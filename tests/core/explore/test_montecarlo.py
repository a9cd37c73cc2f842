import time

import numpy as np
import pytest

from aisite.core.errors import Cancelled, InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.explore.montecarlo import monte_carlo, summarise
from aisite.core.explore.results import flatten
from tests.core.explore.helpers import texas


def test_same_seed_same_numbers():
    a = monte_carlo(texas(), samples=300, seed=42)
    b = monte_carlo(texas(), samples=300, seed=42)
    c = monte_carlo(texas(), samples=300, seed=43)
    assert a.fast
    assert np.array_equal(a.samples, b.samples)
    for key in a.results:
        np.testing.assert_array_equal(a.results[key], b.results[key])
    assert a.stats == b.stats
    assert not np.array_equal(a.results["cost.npv_cost_usd"], c.results["cost.npv_cost_usd"])


def test_percentiles_are_ordered_for_every_key():
    result = monte_carlo(texas(), samples=500, seed=1)
    assert len(result.stats) > 60
    for key, s in result.stats.items():
        if s["count"]:
            assert s["min"] <= s["p10"] <= s["p50"] <= s["p90"] <= s["max"], key
            assert s["min"] <= s["mean"] <= s["max"], key
            assert sum(s["histogram"]["counts"]) == s["count"], key
    npv = result.stats["cost.npv_cost_usd"]
    assert npv["p10"] < npv["p50"] < npv["p90"]


def test_zero_width_distributions_reproduce_evaluate():
    doc = texas()
    doc["uncertain"] = {
        "schedule.grid_connection": {"dist": "triangular", "low": 42, "mode": 42, "high": 42},
        "workload.mfu": {"dist": "uniform", "low": 0.4, "high": 0.4},
        "power[1].mw": {"dist": "normal", "mean": 200, "sd": 0, "low": 200, "high": 200},
        "deployments[0].chip.price_usd": {"dist": "lognormal", "median": 40000, "sigma": 0, "low": 40000,
                                          "high": 40000},
    }
    result = monte_carlo(doc, samples=20, seed=3)
    assert result.fast
    expected = flatten(evaluate_dict(doc, with_hourly=False).summary)
    for key, value in expected.items():
        s = result.stats[key]
        if value is None:
            assert s["count"] == 0, key
        else:
            assert s["min"] == pytest.approx(value, rel=1e-9, abs=1e-9), key
            assert s["max"] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_compiled_kernel_agrees_with_the_python_reference_over_the_same_samples():
    doc = texas()
    doc["uncertain"] = {
        "schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 36, "high": 72},
        "schedule.onsite_power": {"dist": "uniform", "low": 12, "high": 60},
        "power[0].mw": {"dist": "uniform", "low": 5, "high": 50},
        "power[1].mw": {"dist": "uniform", "low": 50, "high": 400},
        "power[2].mwh": {"dist": "uniform", "low": 50, "high": 800},
        "power[3].mw": {"dist": "uniform", "low": 5, "high": 40},
        "cooling.pue_min": {"dist": "uniform", "low": 1.05, "high": 1.3},
        "overrides.utilization": {"dist": "uniform", "low": 0.5, "high": 1.0},
    }
    compiled = monte_carlo(doc, samples=6, seed=9)
    reference = monte_carlo(doc, samples=6, seed=9, reference=True)
    assert np.array_equal(compiled.samples, reference.samples)
    for key in compiled.results:
        np.testing.assert_allclose(compiled.results[key], reference.results[key], rtol=1e-9, atol=1e-9,
                                   equal_nan=True, err_msg=key)
    assert np.nanmax(compiled.results["energy.unserved_mwh"]) > 0   # the samples exercise every branch
    assert np.nanmax(compiled.results["energy.battery_discharge_mwh"]) > 0


def test_correlations_rank_the_schedule_driver():
    doc = texas()
    doc["uncertain"] = {
        "schedule.electrical_equipment": {"dist": "uniform", "low": 24, "high": 60},
        "workload.mfu": {"dist": "uniform", "low": 0.3, "high": 0.5},
    }
    result = monte_carlo(doc, samples=400, seed=2)
    ranked = result.correlations("schedule.first_compute_month")
    assert ranked[0]["path"] == "schedule.electrical_equipment" and ranked[0]["spearman"] > 0.8
    assert abs(ranked[1]["spearman"]) < 0.2
    days = result.correlations("throughput.training_days")
    assert days[0]["path"] == "workload.mfu" and days[0]["spearman"] < -0.99
    table = result.table()
    assert table.shape == (400, 2 + len(result.results))


def test_cancelling_stops_within_one_chunk():
    calls = []

    def progress(done, total):
        calls.append(done)
        return False

    start = time.perf_counter()
    with pytest.raises(Cancelled):
        monte_carlo(texas(), samples=20_000, seed=0, progress=progress, chunk=100, threads=2)
    assert calls == [100]
    assert time.perf_counter() - start < 1.0     # the whole run would take seconds


def test_kernel_cancel_leaves_the_rest_undone():
    from aisite.core.kernels.montecarlo import montecarlo_batch
    from aisite.core.explore.batch import BatchModel

    model = BatchModel(texas(), ["workload.mfu"], bounds=[(0.3, 0.5)])
    params = np.tile(model.inputs.params, (5000, 1))
    sched = np.zeros((5000, 13))
    out = (np.zeros((5000, 24)), np.zeros((5000, 2)))
    with pytest.raises(Cancelled):
        montecarlo_batch(params, sched, model.inputs.temp, model.inputs.solar_cf, model.inputs.wind_cf,
                         model.inputs.grid_ci, model.inputs.util, progress=lambda d, t: False, chunk=100,
                         threads=2, out=out)
    filled = int((out[0][:, 0] != 0).sum())
    assert 100 <= filled <= 300       # the chunk reported, the one running beside it, no more


def test_bad_arguments():
    with pytest.raises(InputError, match="--samples"):
        monte_carlo(texas(), samples=0)
    with pytest.raises(InputError, match="--seed"):
        monte_carlo(texas(), samples=10, seed=-1)


def test_summarise_handles_constant_and_missing():
    s = summarise(np.array([3.0, 3.0, np.nan]))
    assert s["count"] == 2 and s["p10"] == s["p90"] == 3.0
    assert summarise(np.array([np.nan]))["p50"] is None


def test_batched_summaries_match_one_by_one():
    from aisite.core.explore.montecarlo import summarise_all

    rng = np.random.default_rng(0)
    results = {"a": rng.normal(size=1000), "b": np.full(1000, 2.5), "c": np.r_[rng.random(999), np.nan],
               "d": np.full(1000, np.nan)}
    batched = summarise_all(results, bins=10)
    for key, values in results.items():
        single = summarise(values, bins=10)
        for field in ("count", "p10", "p50", "p90", "min", "max"):
            assert batched[key][field] == pytest.approx(single[field]), (key, field)
        if single["histogram"]:
            # bin edges agree; numpy puts a value on an inner edge in the upper bin, as here
            assert batched[key]["histogram"]["edges"] == pytest.approx(single["histogram"]["edges"])
            assert sum(batched[key]["histogram"]["counts"]) == single["count"]
