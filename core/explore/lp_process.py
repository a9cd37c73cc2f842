"""Solve a linear program with HiGHS in a child process, so it can be stopped at once.

HiGHS runs in C++ and holds the calling thread: Ctrl-C and a GUI's Cancel could only be
honoured when it checks its interrupt callback, which on the year-long power-mix LPs
happens once per interior-point iteration (several seconds apart). In a child process
the solve is stopped by ending the process: `poll()` is asked every 50 ms and a False
answer (or Ctrl-C) ends the child and raises core.errors.Cancelled within that time.
Several LPs can also run side by side this way (one per core).

The child runs `python -c` with only numpy and highspy, so it starts in well under a
second; the model goes over in a temporary .npz file. A frozen application cannot run
`python -c`; there the LP is solved in this process, with HiGHS' interrupt callbacks.
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

# The options the power-mix LPs solve fastest with (measured: interior point with
# crossover is 3-4x faster than dual simplex on these year-long LPs with a battery).
OPTIONS = {"output_flag": False, "solver": "ipm"}

_CHILD = r"""
import sys, numpy as np, highspy
m = np.load(sys.argv[1])
h = highspy.Highs()
for k, v in OPTIONS.items():
    h.setOptionValue(k, v)
h.setOptionValue("time_limit", float(m["time_limit"]))
n = int(m["cost"].size)
h.addCols(n, m["cost"], m["lo"], m["hi"], 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
h.addRows(int(m["row_lo"].size), m["row_lo"], m["row_hi"], int(m["value"].size), m["starts"], m["index"], m["value"])
h.run()
status = h.getModelStatus()
text = h.modelStatusToString(status)
optimal = status == highspy.HighsModelStatus.kOptimal
x = np.array(h.getSolution().col_value) if optimal else np.zeros(0)
objective = float(h.getInfo().objective_function_value) if optimal else float("nan")
np.savez(sys.argv[2], status=np.array(text), optimal=np.array(optimal), x=x, objective=np.array(objective))
"""


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


def solve(lps: list[LP], *, time_limit: float, poll: Callable[[], bool] | None = None) -> list[Solution]:
    """Solve the LPs side by side (at most one per core); `poll()` returning False stops
    them all and raises Cancelled."""
    if getattr(sys, "frozen", False):
        return [_solve_here(lp, time_limit, poll) for lp in lps]
    folder = tempfile.mkdtemp(prefix="aisite-lp-")
    width = max(1, min(len(lps), os.cpu_count() or 1))
    code = f"OPTIONS = {OPTIONS!r}\n" + _CHILD
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
                running[i] = subprocess.Popen([sys.executable, "-c", code, path, os.path.join(folder, f"x{i}.npz")],
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
