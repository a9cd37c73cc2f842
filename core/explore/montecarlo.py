"""Monte Carlo over a scenario's uncertain inputs.

`monte_carlo(doc, samples=N, seed=S)` draws N seeded samples of the uncertain inputs
(core.explore.uncertain), evaluates the whole scenario for each (hourly year, cost,
schedule: core.explore.batch, the compiled kernel on both cores in chunks with a
cancellable progress callback) and summarises every numeric result key: P10, P50, P90,
mean, min, max and a histogram; keeps the samples for export; and ranks the inputs by
their correlation with a chosen result.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from aisite.core.errors import InputError
from aisite.core.explore.batch import BatchModel, Progress
from aisite.core.distributions import sample
from aisite.core.explore.results import check_keys
from aisite.core.explore.uncertain import UncertainInput, resolve_inputs

DEFAULT_RESULT = "schedule.first_compute_month"
MAX_SAMPLES = 1_000_000


@dataclass
class MonteCarloResult:
    inputs: list[UncertainInput]
    samples: np.ndarray                     # n x len(inputs): the sampled input values
    results: dict[str, np.ndarray]          # key -> n values (NaN where a key does not apply)
    base: dict[str, float | None]           # the deterministic result
    seed: int
    fast: bool                              # True when the compiled batch path ran
    stats: dict[str, dict] = field(default_factory=dict)
    bins: int = 20

    @property
    def n(self) -> int:
        return self.samples.shape[0]

    def correlations(self, key: str) -> list[dict]:
        """Inputs ranked by |Spearman rank correlation| with the result `key`."""
        check_keys([key], self.results)
        y = self.results[key]
        ok = np.isfinite(y)
        out = []
        for j, u in enumerate(self.inputs):
            x = self.samples[ok, j]
            r = _spearman(x, y[ok])
            out.append({"path": u.path, "spearman": r})
        out.sort(key=lambda d: -abs(d["spearman"]) if d["spearman"] is not None else 0.0)
        return out

    def table(self):
        """Samples and results as a pandas DataFrame (one row per sample), for export."""
        import pandas as pd

        frame = pd.DataFrame(self.samples, columns=[u.path for u in self.inputs])
        results = pd.DataFrame({k: v for k, v in self.results.items()})
        return pd.concat([frame, results], axis=1)

    def to_json(self, *, result_key: str | None = None, include_samples: bool = False) -> dict:
        out = {
            "format": "aisite.montecarlo/1",
            "samples": self.n,
            "seed": self.seed,
            "engine_path": "compiled batch" if self.fast else "evaluate per sample",
            "inputs": [{"path": u.path, "origin": u.origin, "base": u.base, **u.dist.as_dict()} for u in self.inputs],
            "results": self.stats,
        }
        if result_key:
            out["result"] = result_key
            out["correlations"] = self.correlations(result_key)
        if include_samples:
            out["sample_values"] = {u.path: self.samples[:, j].tolist() for j, u in enumerate(self.inputs)}
            out["sample_results"] = {k: [None if not math.isfinite(x) else x for x in v.tolist()]
                                     for k, v in self.results.items()}
        return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return 0.0 if x.size >= 3 else None
    rx = _rank(x)
    ry = _rank(y)
    return float(np.corrcoef(rx, ry)[0, 1])


def _rank(a: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank)."""
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(a.size)
    ranks[order] = np.arange(a.size, dtype=np.float64)
    sorted_a = a[order]
    # average the ranks of equal values
    boundaries = np.flatnonzero(np.diff(sorted_a)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [a.size]])
    if starts.size != a.size:
        mean_rank = (starts + ends - 1) / 2.0
        ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def summarise(values: np.ndarray, bins: int = 20) -> dict:
    """P10/P50/P90, mean, min, max and a histogram of the finite values."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {"count": 0, "p10": None, "p50": None, "p90": None, "mean": None, "min": None, "max": None,
                "histogram": None}
    p10, p50, p90 = np.percentile(finite, [10, 50, 90])
    lo, hi = float(finite.min()), float(finite.max())
    if hi > lo:
        counts, edges = np.histogram(finite, bins=bins, range=(lo, hi))
    else:
        counts, edges = np.array([finite.size]), np.array([lo, hi])
    return {
        "count": int(finite.size),
        "p10": float(p10), "p50": float(p50), "p90": float(p90),
        "mean": min(max(float(finite.mean()), lo), hi), "min": lo, "max": hi,  # clip rounding
        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
    }


def monte_carlo(doc: dict, *, samples: int = 1000, seed: int = 0, catalogue=None,
                inputs: list[UncertainInput] | None = None, defaults: str = "auto",
                progress: Progress | None = None, chunk: int = 250, threads: int | None = None,
                bins: int = 20, force_general: bool = False, reference: bool = False) -> MonteCarloResult:
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InputError("--samples", f"must be a positive whole number, got {samples}")
    if samples > MAX_SAMPLES:
        raise InputError("--samples", f"must be at most {MAX_SAMPLES:,}, got {samples:,}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("--seed", f"must be a whole number of at least 0, got {seed}")
    if inputs is None:
        inputs = resolve_inputs(doc, catalogue, defaults=defaults)
    values = sample([u.dist for u in inputs], samples, seed)
    model = BatchModel(doc, [u.path for u in inputs], catalogue, bounds=[(u.low, u.high) for u in inputs])
    results = model.run(values, progress=progress, chunk=chunk, threads=threads, reference=reference,
                        force_general=force_general)
    out = MonteCarloResult(inputs, model._round_integers(values), results, model.base, seed,
                           model.fast and not force_general, bins=bins)
    out.stats = summarise_all(results, bins)
    return out


def summarise_all(results: dict[str, np.ndarray], bins: int = 20) -> dict[str, dict]:
    """`summarise` for every key, with the keys that are finite for every sample done in
    one pass (percentiles of a keys x samples array, histograms by bin index)."""
    stats: dict[str, dict] = {}
    keys = [k for k, v in results.items() if v.size and np.isfinite(v).all()]
    for key, values in results.items():
        if key not in keys:
            stats[key] = summarise(values, bins)
    if not keys:
        return {k: stats[k] for k in results}
    data = np.stack([results[k] for k in keys])
    p10, p50, p90 = np.percentile(data, [10, 50, 90], axis=1)
    lo = data.min(axis=1)
    hi = data.max(axis=1)
    mean = np.minimum(np.maximum(data.mean(axis=1), lo), hi)
    span = np.where(hi > lo, hi - lo, 1.0)
    index = np.clip(((data - lo[:, None]) / span[:, None] * bins).astype(np.int64), 0, bins - 1)
    for i, key in enumerate(keys):
        if hi[i] > lo[i]:
            counts = np.bincount(index[i], minlength=bins)
            edges = np.linspace(lo[i], hi[i], bins + 1)
        else:
            counts, edges = np.array([data.shape[1]]), np.array([lo[i], hi[i]])
        stats[key] = {"count": int(data.shape[1]), "p10": float(p10[i]), "p50": float(p50[i]),
                      "p90": float(p90[i]), "mean": float(mean[i]), "min": float(lo[i]), "max": float(hi[i]),
                      "histogram": {"edges": edges.tolist(), "counts": counts.tolist()}}
    return {k: stats[k] for k in results}
