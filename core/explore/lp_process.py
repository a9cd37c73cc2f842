"""Solve a linear program with HiGHS in a child process, so it can be stopped at once.

HiGHS runs in C++ and holds the calling thread: Ctrl-C and a GUI's Cancel could only be
honoured when it checks its interrupt callback, which on the year-long power-mix LPs
happens once per interior-point iteration (several seconds apart). In a child process
the solve is stopped by ending the process: `poll()` is asked every 50 ms and a False
answer (or Ctrl-C) ends the child and raises core.errors.Cancelled within that time.
Several LPs can also run side by side this way (one per core).

The child runs `python -c` with only numpy, scipy and the solver, so it starts in well under
a second; the model goes over in a temporary .npz file. A frozen application (the
installed bundle) has no `python -c`: there the child is the bundle's own executable,
started with CHILD_FLAG as its first argument, which runs the same child code
(`run_child`, called by the bundle's entry point before anything else is imported).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from aisite.core.errors import Cancelled

POLL_S = 0.05

# HiGHS' options where it is used (the frozen application, and as the fallback below).
OPTIONS = {"output_flag": False, "solver": "ipm"}

# The child solves with Clarabel, an interior-point solver that factorises its KKT system
# directly (sparse LDL). The power-mix LPs are a year-long chain of battery
# state-of-charge rows plus a few capacity columns in every hour; HiGHS' interior point
# (IPX) solves its normal equations iteratively, and on this structure needs about 7-9 s
# for the Texas sample where Clarabel needs 1.5-2 s for the same optimum (capacities equal
# to 1 kW, objective to 1e-8). Where Clarabel is missing or stops short of a verdict
# (anything but solved or infeasible), the child solves the same LP with HiGHS.
_CHILD = r"""
import sys, numpy as np
m = np.load(sys.argv[1])
time_limit = float(m["time_limit"])


def clarabel_solve(m):
    import clarabel
    import scipy.sparse as sp
    n, rows = int(m["cost"].size), int(m["row_lo"].size)
    a = sp.csr_matrix((m["value"], m["index"], np.append(m["starts"], m["value"].size)), shape=(rows, n))
    a.eliminate_zeros()  # e.g. solar's capacity in the night hours' rows
    lo, hi, cost = m["lo"].copy(), m["hi"].copy(), m["cost"]
    row_lo, row_hi = m["row_lo"].copy(), m["row_hi"].copy()
    # A small presolve, as HiGHS' own does: a row with one term is a bound on its column
    # (no charging in the night hours); a column whose bounds fix it (a source not allowed
    # in a case, a pinned capacity, unserved energy when none is allowed) goes into the
    # right-hand side; a row left without terms must already hold.
    x = np.zeros(n)
    keep_rows = np.ones(rows, bool)
    keep_cols = np.ones(n, bool)
    for _ in range(3):
        sub = a[keep_rows][:, keep_cols]
        rid, cid = np.flatnonzero(keep_rows), np.flatnonzero(keep_cols)
        terms = np.diff(sub.indptr)
        single = np.flatnonzero(terms == 1)
        if single.size:
            col = cid[sub.indices[sub.indptr[single]]]
            v = sub.data[sub.indptr[single]]
            b_lo, b_hi = row_lo[rid[single]] / v, row_hi[rid[single]] / v
            b_lo, b_hi = np.where(v > 0, b_lo, b_hi), np.where(v > 0, b_hi, b_lo)
            np.maximum.at(lo, col, b_lo)
            np.minimum.at(hi, col, b_hi)
            keep_rows[rid[single]] = False
        if np.any(lo > hi + 1e-9):
            return "Infeasible", False, None
        fixed = keep_cols & np.isfinite(lo) & (np.abs(hi - lo) <= 1e-12)
        if not single.size and not fixed.any():
            break
        x[fixed] = lo[fixed]
        shift = a[:, fixed] @ lo[fixed]
        row_lo, row_hi = row_lo - shift, row_hi - shift
        keep_cols &= ~fixed
    sub = a[keep_rows][:, keep_cols]
    empty = np.diff(sub.indptr) == 0
    rid = np.flatnonzero(keep_rows)
    if np.any((row_lo[rid[empty]] > 1e-9) | (row_hi[rid[empty]] < -1e-9)):
        return "Infeasible", False, None
    a = sub[~empty]
    row_lo, row_hi = row_lo[rid[~empty]], row_hi[rid[~empty]]
    free = np.flatnonzero(keep_cols)
    lo_c, hi_c = lo[free], hi[free]
    eq = np.isfinite(row_lo) & (row_lo == row_hi)
    up, dn = np.isfinite(row_hi) & ~eq, np.isfinite(row_lo) & ~eq
    ident = sp.identity(free.size, format="csr")
    cu, cl = np.isfinite(hi_c), np.isfinite(lo_c)
    a_eq = a[eq]
    a_le = sp.vstack([a[up], -a[dn], ident[cu], -ident[cl]])
    b = np.concatenate([row_lo[eq], row_hi[up], -row_lo[dn], hi_c[cu], -lo_c[cl]])
    # Dollars of NPV per MW run to 1e6: scale the objective to O(1) (x is unchanged).
    c = cost[free]
    scale = 1.0 / max(1.0, float(np.abs(c).max()))
    a_all, cones = sp.vstack([a_eq, a_le]).tocsc(), [clarabel.ZeroConeT(a_eq.shape[0]),
                                                      clarabel.NonnegativeConeT(a_le.shape[0])]
    # Without iterative refinement of each step's solve an iteration costs half as much and
    # the Texas answer is the same (capacities to 1 kW); should that stop short of a
    # verdict on some LP, the refined solve runs, and after it HiGHS.
    for refine in (False, True):
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.time_limit = time_limit
        settings.iterative_refinement_enable = refine
        solver = clarabel.DefaultSolver(sp.csc_matrix((free.size, free.size)), c * scale, a_all, b, cones, settings)
        sol = solver.solve()
        status = str(sol.status)
        if status == "Solved":
            x[free] = np.clip(np.array(sol.x), lo_c, hi_c)
            return "Optimal", True, x
        if status == "PrimalInfeasible":
            return "Infeasible", False, None
        if status == "MaxTime":
            return "Time limit reached", False, None
    return None


def highs_solve(m):
    import highspy
    h = highspy.Highs()
    for k, v in OPTIONS.items():
        h.setOptionValue(k, v)
    h.setOptionValue("time_limit", time_limit)
    n = int(m["cost"].size)
    h.addCols(n, m["cost"], m["lo"], m["hi"], 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    h.addRows(int(m["row_lo"].size), m["row_lo"], m["row_hi"], int(m["value"].size), m["starts"], m["index"],
              m["value"])
    h.run()
    status = h.getModelStatus()
    optimal = status == highspy.HighsModelStatus.kOptimal
    return h.modelStatusToString(status), optimal, np.array(h.getSolution().col_value) if optimal else None


try:
    answer = clarabel_solve(m)
except ImportError:
    answer = None
if answer is None:
    answer = highs_solve(m)
text, optimal, x = answer
objective = float(m["cost"] @ x) if optimal else float("nan")
np.savez(sys.argv[2], status=np.array(text), optimal=np.array(optimal), x=x if optimal else np.zeros(0),
         objective=np.array(objective))
"""


# First argument that makes the frozen application's executable act as the LP child.
CHILD_FLAG = "--aisite-lp-child"


def child_code() -> str:
    return f"OPTIONS = {OPTIONS!r}\n" + _CHILD


def run_child(argv: list[str]) -> int:
    """The LP child inside a frozen application: argv is [model.npz, answer.npz]."""
    sys.argv = ["aisite-lp-child", *argv]
    exec(compile(child_code(), "<aisite-lp-child>", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own code
    return 0


@dataclass
class LP:
    cost: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    starts: np.ndarray  # row-wise: start of each row in index/value
    index: np.ndarray
    value: np.ndarray


@dataclass
class Solution:
    status: str  # HiGHS' model status, e.g. "Optimal", "Infeasible", "Time limit reached"
    optimal: bool
    x: np.ndarray | None
    objective: float | None


def _arrays(lp: LP, time_limit: float) -> dict:
    return {"cost": np.asarray(lp.cost, np.float64), "lo": np.asarray(lp.lo, np.float64),
            "hi": np.asarray(lp.hi, np.float64), "row_lo": np.asarray(lp.row_lo, np.float64),
            "row_hi": np.asarray(lp.row_hi, np.float64), "starts": np.asarray(lp.starts, np.int32),
            "index": np.asarray(lp.index, np.int32), "value": np.asarray(lp.value, np.float64),
            "time_limit": np.array(float(time_limit))}


def solve(lps: list[LP], *, time_limit: float, poll: Callable[[], bool] | None = None,
          on_done: Callable[[int], None] | None = None) -> list[Solution]:
    """Solve the LPs side by side (at most one per core); `poll()` returning False stops
    them all and raises Cancelled; `on_done(i)` is told when LP i is solved."""
    folder = tempfile.mkdtemp(prefix="aisite-lp-")
    width = max(1, min(len(lps), os.cpu_count() or 1))
    code = child_code()
    start = [sys.executable, CHILD_FLAG] if getattr(sys, "frozen", False) else [sys.executable, "-c", code]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    running: dict[int, subprocess.Popen] = {}
    results: dict[int, Solution] = {}
    waiting = list(range(len(lps)))
    try:
        while waiting or running:
            while waiting and len(running) < width:
                i = waiting.pop(0)
                path = os.path.join(folder, f"lp{i}.npz")
                np.savez(path, **_arrays(lps[i], time_limit))
                running[i] = subprocess.Popen([*start, path, os.path.join(folder, f"x{i}.npz")],
                                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE, env=env)
            time.sleep(POLL_S)
            if poll is not None and poll() is False:
                raise Cancelled("the linear program was stopped")
            for i, proc in list(running.items()):
                if proc.poll() is None:
                    continue
                del running[i]
                err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
                if proc.returncode != 0:
                    raise RuntimeError(f"the LP solver stopped with status {proc.returncode}: {err[-400:]}")
                with np.load(os.path.join(folder, f"x{i}.npz")) as out:
                    optimal = bool(out["optimal"])
                    results[i] = Solution(str(out["status"]), optimal, out["x"].copy() if optimal else None,
                                          float(out["objective"]) if optimal else None)
                if on_done is not None:
                    on_done(i)
    finally:
        for proc in running.values():  # cancelled, Ctrl-C or an error: end the children now
            proc.kill()
        for proc in running.values():
            proc.wait()
            if proc.stderr:
                proc.stderr.close()
        for name in os.listdir(folder):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
        try:
            os.rmdir(folder)
        except OSError:
            pass
    return [results[i] for i in range(len(lps))]


def _solve_here(lp: LP, time_limit: float, poll) -> Solution:
    """HiGHS in this process, with its interrupt callbacks: the independent answer the
    child's solves are tested against."""
    import highspy  # noqa: PLC0415

    h = highspy.Highs()
    for k, v in OPTIONS.items():
        h.setOptionValue(k, v)
    h.setOptionValue("time_limit", float(time_limit))
    stopped = [False]
    if poll is not None:
        def interrupt(_event):
            if poll() is False:
                stopped[0] = True
                _event.interrupt()
        for cb in (h.cbSimplexInterrupt, h.cbIpmInterrupt):
            cb.subscribe(interrupt)
    a = _arrays(lp, time_limit)
    h.addCols(a["cost"].size, a["cost"], a["lo"], a["hi"], 0, np.zeros(0, np.int32), np.zeros(0, np.int32),
              np.zeros(0))
    h.addRows(a["row_lo"].size, a["row_lo"], a["row_hi"], a["value"].size, a["starts"], a["index"], a["value"])
    h.run()
    if stopped[0]:
        raise Cancelled("the linear program was stopped")
    status = h.getModelStatus()
    optimal = status == highspy.HighsModelStatus.kOptimal
    return Solution(h.modelStatusToString(status), optimal,
                    np.array(h.getSolution().col_value) if optimal else None,
                    float(h.getInfo().objective_function_value) if optimal else None)
