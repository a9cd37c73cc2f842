"""The Monte Carlo kernel's year (year_totals, in passes) against the hourly kernel's
year_core and the plain-Python reference, on parameters that exercise every branch."""
import numpy as np

from aisite.core.kernels import _hourly_cy, _montecarlo_cy, hourly_ref
from aisite.core.kernels import layout as L
from aisite.core.kernels.montecarlo import montecarlo_batch
from aisite.core.kernels.layout import N_SCHED
from aisite.core.kernels.montecarlo_ref import schedule_row
from tests.core.explore.batch_helpers import site_profiles


def random_params(n, seed=0):
    rng = np.random.default_rng(seed)
    p = np.zeros((n, L.N_PARAMS))
    p[:, L.P_IT_PEAK_MW] = rng.uniform(10, 200, n)
    p[:, L.P_IT_IDLE_MW] = p[:, L.P_IT_PEAK_MW] * rng.uniform(0.2, 0.5, n)
    p[:, L.P_PUE_MIN] = rng.uniform(1.05, 1.3, n)
    p[:, L.P_PUE_MAX] = p[:, L.P_PUE_MIN] + rng.uniform(0, 0.4, n)
    p[:, L.P_ECON_T] = rng.uniform(5, 25, n)
    p[:, L.P_PUE_SLOPE] = rng.uniform(0, 0.03, n)
    p[:, L.P_PUE_FIXED] = np.where(rng.random(n) < 0.2, rng.uniform(1.1, 1.5, n), 0.0)
    p[:, L.P_WUE_MIN] = rng.uniform(0, 0.3, n)
    p[:, L.P_WUE_MAX] = p[:, L.P_WUE_MIN] + rng.uniform(0, 1.5, n)
    p[:, L.P_WUE_T] = rng.uniform(10, 25, n)
    p[:, L.P_WUE_SLOPE] = rng.uniform(0, 0.1, n)
    p[:, L.P_SOLAR_MW] = rng.uniform(0, 400, n) * (rng.random(n) < 0.8)
    p[:, L.P_WIND_MW] = rng.uniform(0, 300, n) * (rng.random(n) < 0.5)
    p[:, L.P_BATT_MW] = rng.uniform(0, 100, n) * (rng.random(n) < 0.7)
    p[:, L.P_BATT_MWH] = p[:, L.P_BATT_MW] * rng.uniform(1, 8, n)
    p[:, L.P_BATT_EFF] = rng.uniform(0.8, 0.92, n)
    p[:, L.P_BATT_SOC_MIN] = rng.uniform(0.0, 0.2, n)
    p[:, L.P_BATT_SOC_MAX] = rng.uniform(0.85, 1.0, n)
    p[:, L.P_PUE_FIXED_SHARE] = rng.uniform(0.0, 0.5, n)
    p[:, L.P_GRID_MW] = rng.uniform(0, 200, n)
    p[:, L.P_GRID_CI_SCALE] = rng.uniform(0.5, 1.5, n)
    p[:, L.P_UTIL_SCALE] = rng.uniform(0.5, 1.2, n)
    p[:, L.P_BACKUP_MW] = rng.uniform(0, 50, n) * (rng.random(n) < 0.5)
    p[:, L.P_BACKUP_TCO2_PER_MWH] = 0.74
    for k in range(L.N_FIRM):
        p[:, L.P_FIRM_MW + k] = rng.uniform(0, 60, n) * (rng.random(n) < 0.5)
        p[:, L.P_FIRM_TCO2_PER_MWH + k] = rng.choice([0.0, 0.48], n)
    return p


def test_year_totals_is_bit_for_bit_year_core():
    profiles = site_profiles()
    params = random_params(300)
    core = np.zeros((300, L.N_RESULTS))
    _hourly_cy.hourly_year_batch(params, *profiles, core, 0, 300)
    totals = np.zeros((300, L.N_RESULTS))
    milestones = np.zeros((300, 2))
    _montecarlo_cy.montecarlo_rows(params, np.zeros((300, N_SCHED)), *profiles, totals, milestones, 0, 300)
    assert np.array_equal(totals, core)
    assert (core[:, L.R_UNSERVED_MWH] > 0).any() and (core[:, L.R_DISCHARGE_MWH] > 0).any()
    assert (core[:, L.R_BACKUP_MWH] > 0).any() and (core[:, L.R_CURTAILED_MWH] > 0).any()


def test_kernel_agrees_with_the_reference_loop():
    profiles = site_profiles()
    params = random_params(5, seed=3)
    rng = np.random.default_rng(4)
    sched = np.zeros((5, N_SCHED))
    sched[:, :8] = rng.uniform(2, 60, (5, 8))
    sched[1, 1] = np.nan          # no grid task
    sched[2, 2] = np.nan          # no on-site power task
    sched[:, 8] = rng.uniform(0, 200, 5)
    sched[:, 9] = rng.uniform(0, 100, 5)
    sched[:, 10] = rng.uniform(20, 150, 5)
    sched[:, 11] = sched[:, 10] * 1.3
    sched[:, 12] = rng.uniform(0, 12, 5)
    compiled = montecarlo_batch(params, sched, *profiles, threads=2, chunk=2)
    reference = montecarlo_batch(params, sched, *profiles, reference=True)
    np.testing.assert_allclose(compiled[0], reference[0], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(compiled[1], reference[1])
    for s in range(5):
        assert tuple(compiled[1][s]) == schedule_row(sched[s])
        np.testing.assert_allclose(compiled[0][s], hourly_ref.hourly_year(params[s], *profiles), rtol=1e-9,
                                   atol=1e-9)


def test_shared_wue_and_flat_utilisation_path_is_bit_for_bit_too():
    # Monte Carlo rows share the cooling's WUE curve and use a flat utilisation profile:
    # the kernel then computes the WUE once per chunk and the IT load once per year.
    profiles = list(site_profiles())
    params = random_params(200, seed=7)
    for k in (L.P_WUE_MIN, L.P_WUE_MAX, L.P_WUE_T, L.P_WUE_SLOPE):
        params[:, k] = params[0, k]
    for util in (np.ones(8760), np.linspace(0.2, 1.0, 8760)):
        profiles[4] = util
        core = np.zeros((200, L.N_RESULTS))
        _hourly_cy.hourly_year_batch(params, *profiles, core, 0, 200)
        totals = np.zeros((200, L.N_RESULTS))
        _montecarlo_cy.montecarlo_rows(params, np.zeros((200, N_SCHED)), *profiles, totals, np.zeros((200, 2)),
                                       0, 200)
        assert np.array_equal(totals, core)
