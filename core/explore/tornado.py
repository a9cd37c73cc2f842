"""Tornado: each uncertain input at its low and its high with the rest at base, ranked by
the swing of a chosen result key.

"Base" is the scenario as written: every input at its own value (not the distribution's
mode), so the bars hang off the deterministic result a planner sees in `evaluate`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from aisite.core.errors import Cancelled
from aisite.core.evaluate import evaluate
from aisite.core.explore import paths as P
from aisite.core.explore.batch import Progress
from aisite.core.explore.results import check_keys, flatten
from aisite.core.explore.uncertain import UncertainInput, resolve_inputs
from aisite.core.scenario import load_scenario

DEFAULT_RESULT = "cost.npv_cost_usd"


@dataclass
class TornadoBar:
    path: str
    low_input: float
    high_input: float
    base_input: float | None
    low_result: float | None
    high_result: float | None

    @property
    def swing(self) -> float:
        if self.low_result is None or self.high_result is None:
            return math.inf if (self.low_result is None) != (self.high_result is None) else 0.0
        return abs(self.high_result - self.low_result)


@dataclass
class TornadoResult:
    result_key: str
    base_result: float | None
    bars: list[TornadoBar]

    def to_json(self) -> dict:
        return {
            "format": "aisite.tornado/1",
            "result": self.result_key,
            "base": self.base_result,
            "bars": [{"path": b.path, "low_input": b.low_input, "high_input": b.high_input,
                      "base_input": b.base_input, "low_result": b.low_result, "high_result": b.high_result,
                      "swing": b.swing if math.isfinite(b.swing) else None} for b in self.bars],
        }

    def table(self):
        import pandas as pd

        return pd.DataFrame(self.to_json()["bars"])


def tornado(doc: dict, result_key: str = DEFAULT_RESULT, *, catalogue=None,
            inputs: list[UncertainInput] | None = None, defaults: str = "auto",
            progress: Progress | None = None) -> TornadoResult:
    base = flatten(evaluate(load_scenario(doc, catalogue), with_hourly=False).summary)
    (result_key,) = check_keys([result_key], base)
    if inputs is None:
        inputs = resolve_inputs(doc, catalogue, defaults=defaults)
    bars = []
    total = 2 * len(inputs)
    for i, u in enumerate(inputs):
        ends = []
        for j, value in enumerate((u.low, u.high)):
            variant = P.with_number(doc, u.path, value)
            ends.append(flatten(evaluate(load_scenario(variant, catalogue), with_hourly=False).summary).get(result_key))
            if progress is not None and progress(2 * i + j + 1, total) is False:
                raise Cancelled(f"stopped after {2 * i + j + 1} of {total} evaluations")
        bars.append(TornadoBar(u.path, u.low, u.high, u.base, ends[0], ends[1]))
    bars.sort(key=lambda b: -b.swing)
    return TornadoResult(result_key, base.get(result_key), bars)
