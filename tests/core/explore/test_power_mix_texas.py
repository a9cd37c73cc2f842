"""The Texas sample's cheapest mix at 60% carbon-free: the child's solver (Clarabel after a
small presolve) gives HiGHS' optimum, and the answer is the one the planner got before
the solver changed."""
import numpy as np
import pytest

from aisite.core.explore import lp_process
from aisite.core.explore.power_mix import optimise_power
from tests.core.explore.helpers import texas

# optimize-power sample:texas-training-campus --min-carbon-free 0.6 with HiGHS' interior
# point and crossover (commit 306926f): the answer after the engine's check and repair.
BEFORE = {"grid": {"mw": 96.0}, "solar-pv": {"mw": 255.826}, "battery": {"mw": 81.368, "mwh": 745.491},
          "gas-turbine": {"mw": 0.0}}
BEFORE_LP_NPV_USD = 4436165690.945948


def test_texas_answer_is_unchanged_and_equals_highs(monkeypatch):
    seen = []
    real = lp_process.solve

    def keep(lps, **kwargs):
        seen.extend(lps)
        return real(lps, **kwargs)

    monkeypatch.setattr(lp_process, "solve", keep)
    result = optimise_power(texas(), min_carbon_free=0.6)
    assert set(result.capacities) == set(BEFORE)
    for sid, caps in BEFORE.items():
        for key, mw in caps.items():
            assert result.capacities[sid][key] == pytest.approx(mw, abs=0.1), (sid, key)
    assert result.lp_npv_cost_usd == pytest.approx(BEFORE_LP_NPV_USD, rel=1e-4)
    assert all(result.engine_meets_constraints.values())

    # The same LP in HiGHS (in this process, as a frozen build solves it): same optimum.
    (lp,) = seen
    (child,) = real([lp], time_limit=300)
    highs = lp_process._solve_here(lp, 300, None)
    assert child.optimal and highs.optimal
    assert child.objective == pytest.approx(highs.objective, rel=1e-6)
    n_caps = 5   # grid, solar, battery MW and MWh, gas: the LP's first columns
    assert np.abs(child.x[:n_caps] - highs.x[:n_caps]).max() < 0.01
