"""The compiled hourly kernel against its plain-Python reference and the numpy version,
and the physics every hour must obey."""
import os

import numpy as np
import pytest

from aisite.core.energy import site_inputs
from aisite.core.errors import Cancelled
from aisite.core.kernels import BACKEND, hourly_numpy, hourly_ref
from aisite.core.kernels import layout as L
from aisite.core.kernels.hourly import hourly_year, hourly_year_batch
from aisite.core.scenario import load_scenario
from aisite.core.throughput import compute_throughput
from tests.core.engine_helpers import SAMPLES, sample, small_site


def inputs_for(data):
    scenario = load_scenario(data)
    return site_inputs(scenario, compute_throughput(scenario).utilization)


def profiles(inputs):
    return inputs.temp, inputs.solar_cf, inputs.wind_cf, inputs.grid_ci, inputs.util


SCENARIOS = [sample(name) for name in SAMPLES] + [
    small_site(power=[{"source": "grid", "mw": 5}, {"source": "solar-pv", "mw": 30},
                      {"source": "battery", "mw": 5, "mwh": 20}, {"source": "smr", "mw": 2},
                      {"source": "fuel-cell", "mw": 1}, {"source": "gas-engine", "mw": 1},
                      {"source": "gas-turbine", "mw": 1}, {"source": "diesel", "mw": 1}]),
    small_site(region="singapore", cooling="air", power=[{"source": "grid", "mw": 1}], overrides={"pue": 1.4}),
    small_site(region="sweden", power=[{"source": "wind-onshore", "mw": 40}, {"source": "battery", "mw": 10}]),
]


def test_ci_builds_the_compiled_kernel():
    if os.environ.get("AISITE_REQUIRE_EXT") == "1":
        assert BACKEND == "cython"


@pytest.mark.parametrize("data", SCENARIOS, ids=lambda d: d["name"] + str(len(d["power"])))
def test_kernel_matches_reference(data):
    inputs = inputs_for(data)
    hourly_k = np.zeros((L.N_HOURLY, L.HOURS))
    hourly_r = np.zeros((L.N_HOURLY, L.HOURS))
    totals_k, hourly_k = hourly_year(inputs.params, *profiles(inputs))
    totals_r = np.array(hourly_ref.hourly_year(inputs.params, *profiles(inputs), hourly=hourly_r))
    np.testing.assert_allclose(totals_k, totals_r, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hourly_k, hourly_r, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("data", SCENARIOS, ids=lambda d: d["name"] + str(len(d["power"])))
def test_totals_only_path_matches_reference_and_the_hourly_path(data):
    inputs = inputs_for(data)
    with_hourly, _ = hourly_year(inputs.params, *profiles(inputs))
    totals_only, none = hourly_year(inputs.params, *profiles(inputs), with_hourly=False)
    assert none is None
    np.testing.assert_array_equal(totals_only, with_hourly)  # year_totals is year_core, bit for bit
    reference = np.array(hourly_ref.hourly_year(inputs.params, *profiles(inputs)))
    np.testing.assert_allclose(totals_only, reference, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("data", SCENARIOS, ids=lambda d: d["name"] + str(len(d["power"])))
def test_energy_balance_every_hour(data):
    inputs = inputs_for(data)
    _, h = hourly_year(inputs.params, *profiles(inputs))
    s = {name: h[i] for i, name in enumerate(L.HOURLY_SERIES)}
    supply = s["solar_mw"] + s["wind_mw"] + s["battery_discharge_mw"] + s["firm_mw"] + s["grid_mw"] + s["backup_mw"]
    demand = s["facility_mw"] + s["battery_charge_mw"] + s["curtailed_mw"] - s["unserved_mw"]
    np.testing.assert_allclose(supply, demand, rtol=1e-9, atol=1e-9)
    # Physical limits: nothing negative, grid within its connection, battery within its size.
    assert min(v.min() for v in s.values()) >= -1e-9
    assert s["grid_mw"].max() <= inputs.params[L.P_GRID_MW] + 1e-9
    assert s["battery_soc_mwh"].max() <= inputs.params[L.P_BATT_MWH] + 1e-9
    assert s["battery_discharge_mw"].max() <= inputs.params[L.P_BATT_MW] + 1e-9


def test_battery_year_is_cyclic_within_its_window():
    """The year ends where it starts (what went in, less the round-trip loss, came out)
    and the state of charge stays inside the usable window, which it uses end to end."""
    inputs = inputs_for(SCENARIOS[5])
    p = inputs.params
    assert 0.0 < p[L.P_BATT_SOC_MIN] < p[L.P_BATT_SOC_MAX] < 1.0  # the catalogue's LFP window
    totals, h = hourly_year(p, *profiles(inputs))
    eff = np.sqrt(p[L.P_BATT_EFF])
    stored = totals[L.R_CHARGE_MWH] * eff - totals[L.R_DISCHARGE_MWH] / eff
    assert totals[L.R_DISCHARGE_MWH] > 0.05 * p[L.P_BATT_MWH] * 365 / 10  # it does cycle
    assert stored == pytest.approx(0.0, abs=1e-6)
    soc = h[L.HOURLY_SERIES.index("battery_soc_mwh")]
    floor, ceiling = p[L.P_BATT_MWH] * p[L.P_BATT_SOC_MIN], p[L.P_BATT_MWH] * p[L.P_BATT_SOC_MAX]
    assert soc.min() == pytest.approx(floor, abs=1e-6) and soc.max() == pytest.approx(ceiling, abs=1e-6)


def test_batch_and_numpy_agree_with_single_years():
    inputs = inputs_for(SCENARIOS[0])
    rng = np.random.default_rng(3)
    batch = np.tile(inputs.params, (12, 1))
    batch[:, L.P_SOLAR_MW] *= rng.uniform(0, 2, 12)
    batch[:, L.P_GRID_MW] *= rng.uniform(0, 2, 12)
    batch[:, L.P_UTIL_SCALE] = rng.uniform(0.3, 1.0, 12)
    out = hourly_year_batch(batch, *profiles(inputs), chunk=5)
    single = np.array([hourly_year(row, *profiles(inputs), with_hourly=False)[0] for row in batch])
    np.testing.assert_allclose(out, single, rtol=1e-12)
    np.testing.assert_allclose(hourly_numpy.hourly_year_batch(batch, *profiles(inputs)), single, rtol=1e-9, atol=1e-6)


def test_batch_cancel_stops_within_one_chunk_per_worker():
    inputs = inputs_for(SCENARIOS[0])
    batch = np.tile(inputs.params, (400, 1))
    seen = []

    def progress(done, total):
        seen.append(done)
        return done < 50

    with pytest.raises(Cancelled):
        hourly_year_batch(batch, *profiles(inputs), chunk=50, threads=2, progress=progress)
    # One chunk finished when we said stop; at most one more was already running.
    assert seen[-1] <= 100


def test_wrong_profile_length_is_refused():
    inputs = inputs_for(SCENARIOS[0])
    with pytest.raises(ValueError):
        hourly_year(inputs.params, inputs.temp[:100], inputs.solar_cf, inputs.wind_cf, inputs.grid_ci, inputs.util)
