"""Speed of the cheapest power mix: `optimize_power_s` is the Texas sample with at least
60% carbon-free energy (`aisite optimize-power texas-training-campus.json
--min-carbon-free 0.6`), end to end (the LP over 8,760 hours, the engine's check and any
repair); `optimize_power_cancel_s` is how long a cancel takes to stop it mid-solve."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path


def run(workdir: Path, quick: bool = False) -> dict:
    from aisite.core.errors import Cancelled
    from aisite.core.explore.power_mix import optimise_power
    from aisite.core.paths import data_dir

    doc = json.loads((data_dir() / "samples" / "texas-training-campus.json").read_text(encoding="utf-8"))
    start = time.perf_counter()
    result = optimise_power(doc, min_carbon_free=0.6)
    solve_s = time.perf_counter() - start

    # Cancel 0.75 s into the LP (a timer, as a planner's click): how long until it stops.
    # (The LP takes 1.5-3 s now, so the click still lands while it solves.)
    pressed: list[float] = []
    timer: list[threading.Timer] = []

    def press():
        pressed.append(time.perf_counter())

    def progress(_done, _total):
        if not timer:
            timer.append(threading.Timer(0.75, press))
            timer[0].start()
        return not pressed

    try:
        optimise_power(doc, min_carbon_free=0.6, progress=progress)
        cancel_s = None  # it finished within the second
    except Cancelled:
        cancel_s = time.perf_counter() - pressed[0]
    return {"optimize_power_s": solve_s, "optimize_power_lp_s": result.solve_seconds,
            "optimize_power_cancel_s": cancel_s}
