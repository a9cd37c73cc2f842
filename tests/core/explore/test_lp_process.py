"""aisite.core.explore.lp_process: HiGHS in a child process gives the same optimum, and stops at once."""
from __future__ import annotations

import time

import numpy as np
import pytest

from aisite.core.errors import Cancelled
from aisite.core.explore import lp_process


def _tiny():
    # min x + 2y  s.t.  x + y >= 3,  x <= 2  ->  x = 2, y = 1, objective 4
    return lp_process.LP(cost=np.array([1.0, 2.0]), lo=np.zeros(2), hi=np.array([2.0, np.inf]),
                         row_lo=np.array([3.0]), row_hi=np.array([np.inf]), starts=np.array([0]),
                         index=np.array([0, 1]), value=np.array([1.0, 1.0]))


def _chain(n=200_000):
    # a long chain of equalities: enough work that a cancel lands mid-solve
    rows = n - 1
    idx = np.stack([np.arange(1, n), np.arange(0, n - 1)], axis=1).ravel()
    val = np.tile([1.0, -1.0], rows)
    cost = np.linspace(1.0, 2.0, n)
    return lp_process.LP(cost=cost, lo=np.zeros(n), hi=np.full(n, 10.0), row_lo=np.full(rows, 0.5),
                         row_hi=np.full(rows, np.inf), starts=np.arange(rows) * 2, index=idx, value=val)


def test_solves_in_a_child_and_in_process_alike(monkeypatch):
    (child,) = lp_process.solve([_tiny()], time_limit=30)
    assert child.optimal and child.objective == pytest.approx(4.0)
    assert child.x == pytest.approx([2.0, 1.0])
    here = lp_process._solve_here(_tiny(), 30, None)
    assert here.objective == pytest.approx(child.objective) and here.x == pytest.approx(child.x)


def test_a_frozen_bundle_runs_the_child_as_its_own_executable(monkeypatch, tmp_path):
    # The installed bundle has no `python -c`: its executable is started again with the
    # child flag, and its entry point (installer/aisite_main.py) runs the LP child.
    import sys
    from pathlib import Path

    entry = Path(__file__).resolve().parents[3] / "installer" / "aisite_main.py"
    bundle = tmp_path / "AISitePlanner"
    bundle.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{entry}" "$@"\n')
    bundle.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle))
    (child,) = lp_process.solve([_tiny()], time_limit=30)
    assert child.optimal and child.objective == pytest.approx(4.0) and child.x == pytest.approx([2.0, 1.0])


def test_several_lps_side_by_side_keep_their_order():
    a, b = _tiny(), _tiny()
    b.cost = np.array([2.0, 1.0])  # now y is cheap: x = 0, y = 3, objective 3
    told = []
    first, second = lp_process.solve([a, b], time_limit=30, on_done=told.append)
    assert first.objective == pytest.approx(4.0) and second.objective == pytest.approx(3.0)
    assert sorted(told) == [0, 1]


def test_cancel_stops_the_child():
    asked = []

    def poll():
        asked.append(time.perf_counter())
        return len(asked) < 3  # cancel on the third look (about 0.15 s in)

    with pytest.raises(Cancelled):
        lp_process.solve([_chain()], time_limit=120, poll=poll)
    assert len(asked) == 3


def _presolved():
    # min x + 2y + 3z  s.t.  x + y + z >= 4,  2x <= 3 (one term: a bound),  z fixed at 1,
    # 0*x + y >= 0.5 (a stored zero)  ->  x = 1.5, z = 1, y = 1.5, objective 7.5
    return lp_process.LP(cost=np.array([1.0, 2.0, 3.0]), lo=np.array([0.0, 0.0, 1.0]),
                         hi=np.array([np.inf, np.inf, 1.0]), row_lo=np.array([4.0, -np.inf, 0.5]),
                         row_hi=np.array([np.inf, 3.0, np.inf]), starts=np.array([0, 3, 4]),
                         index=np.array([0, 1, 2, 0, 0, 1]), value=np.array([1.0, 1.0, 1.0, 2.0, 0.0, 1.0]))


def test_the_childs_presolve_keeps_the_optimum_and_finds_infeasibility():
    lp = _presolved()
    (child,) = lp_process.solve([lp], time_limit=30)
    here = lp_process._solve_here(lp, 30, None)
    assert child.optimal and child.objective == pytest.approx(7.5, rel=1e-7)
    assert child.x == pytest.approx([1.5, 1.5, 1.0], abs=1e-6) and here.objective == pytest.approx(7.5)
    lp.row_lo[0] = -np.inf
    lp.row_hi[0] = 0.5            # x + y + z <= 0.5 with z fixed at 1: no solution
    (child,) = lp_process.solve([lp], time_limit=30)
    assert not child.optimal and child.status == "Infeasible"
    assert lp_process._solve_here(lp, 30, None).status == "Infeasible"
