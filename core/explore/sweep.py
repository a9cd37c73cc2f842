"""Sweeps: one result row per value of an input (1-D), or per pair of values (2-D grid).

`sweep(doc, [(path, values)], keys)` sets each numeric input path to each value (or each
combination of two), evaluates the scenario and returns a pandas DataFrame with one
column per input path and one per result key. Any numeric input path works, including
ones that change the structure of the site (a deployment's count, a power source's MW
down to 0): those points are evaluated one by one (core.evaluate). For the inputs the
batch model covers (core.explore.batch: prices, MFU, utilisation, PUE, schedule tasks,
power MW above 0, ...) all points run at once through the compiled Monte Carlo kernel on
both cores, with the same numbers.
"""
from __future__ import annotations

import itertools
import math
from typing import Sequence

from aisite.core.errors import Cancelled, InputError
from aisite.core.evaluate import evaluate
from aisite.core.explore import paths as P
from aisite.core.explore.batch import Progress
from aisite.core.explore.results import check_keys, flatten
from aisite.core.scenario import load_scenario

DEFAULT_KEYS = ("throughput.training_days", "energy.facility_peak_mw", "energy.annual_facility_mwh",
                "energy.grid_import_mwh", "energy.carbon_free_fraction", "energy.tco2e_per_year_location",
                "cost.capex_usd", "cost.npv_cost_usd", "cost.usd_per_gpu_hour", "schedule.first_compute_month")
MAX_POINTS = 100_000
FAST_MIN_POINTS = 8     # below this, evaluating point by point is as quick


def parse_values(text: str, option: str = "--values") -> list[float]:
    """`V1,V2,...` or a range `START:STOP:STEP` (inclusive of STOP when it lands on it)."""
    if text is None or not str(text).strip():
        raise InputError(option, "is empty; give values like 100,200,300 or a range like 0:400:50")
    text = str(text).strip()
    if ":" in text and "," not in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise InputError(option, f"a range is START:STOP:STEP, got {text!r}")
        start, stop, step = (_float(p, option) for p in parts)
        if step <= 0:
            raise InputError(option, f"the step of a range must be positive, got {step:g}")
        if stop < start:
            raise InputError(option, f"the range {text} is empty (STOP {stop:g} is below START {start:g})")
        count = int(math.floor((stop - start) / step + 1e-9)) + 1
        if count > MAX_POINTS:
            raise InputError(option, f"the range {text} has {count:,} values; at most {MAX_POINTS:,}")
        return [start + i * step for i in range(count)]
    values = [_float(p, option) for p in text.split(",") if p.strip()]
    if not values:
        raise InputError(option, "is empty; give values like 100,200,300")
    return values


def _float(text: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(option, f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(option, f"{text.strip()!r} is not a finite number")
    return value


def sweep(doc: dict, axes: Sequence[tuple[str, Sequence[float]]], keys: Sequence[str] | None = None, *,
          catalogue=None, progress: Progress | None = None):
    """A DataFrame: one column per swept path, one per result key, one row per point."""
    import pandas as pd

    if not 1 <= len(axes) <= 2:
        raise InputError("--param", f"give one or two inputs to sweep, got {len(axes)}")
    paths = []
    for path, values in axes:
        if not values:
            raise InputError("--values", f"no values to sweep for {path}")
        path = P.normalise(path)
        if path in paths:
            raise InputError("--param", f"{path} is given twice")
        paths.append(path)
        P.check_numeric(doc, path, catalogue)
    base = evaluate(load_scenario(doc, catalogue), with_hourly=False)
    available = flatten(base.summary)
    keys = check_keys(list(keys) if keys else [k for k in DEFAULT_KEYS if k in available], available)
    grid = list(itertools.product(*[list(v) for _, v in axes]))
    if len(grid) > MAX_POINTS:
        raise InputError("--values", f"{len(grid):,} points is too many; at most {MAX_POINTS:,}")
    if len(grid) >= FAST_MIN_POINTS:
        table = _fast_sweep(doc, paths, axes, grid, keys, catalogue, progress)
        if table is not None:
            return table
    rows = []
    for i, point in enumerate(grid):
        variant = doc
        for path, value in zip(paths, point):
            variant = P.with_number(variant, path, value)
        try:
            scenario = load_scenario(variant, catalogue)
        except InputError as error:
            shown = ", ".join(f"{p}={v:g}" for p, v in zip(paths, point))
            raise InputError(error.field, f"{error.message} (at {shown})") from None
        flat = flatten(evaluate(scenario, with_hourly=False).summary)
        rows.append([*point, *(flat.get(k) for k in keys)])
        if progress is not None and progress(i + 1, len(grid)) is False:
            raise Cancelled(f"stopped after {i + 1} of {len(grid)} points")
    return pd.DataFrame(rows, columns=[*paths, *keys])


def _fast_sweep(doc, paths, axes, grid, keys, catalogue, progress):
    """All points through core.explore.batch, or None when it does not cover the inputs."""
    import numpy as np
    import pandas as pd

    from aisite.core.explore.batch import BatchModel

    bounds = []
    for path, values in axes:
        low, high = min(values), max(values)
        for value in (low, high):
            try:
                load_scenario(P.with_number(doc, path, value), catalogue)
            except InputError as error:
                raise InputError(error.field, f"{error.message} (at {path}={value:g})") from None
        bounds.append((low, high))
    model = BatchModel(doc, paths, catalogue, bounds=bounds)
    if not model.fast:
        return None
    values = np.array(grid, dtype=np.float64)
    results = model.run(values, progress=progress, chunk=max(1, min(250, len(grid) // 8)))
    columns = {path: values[:, j] for j, path in enumerate(paths)}
    for key in keys:
        columns[key] = results[key]
    table = pd.DataFrame(columns)
    return table.astype(object).where(table.notna(), None) if table.isna().any().any() else table
