"""Evaluate a stored scenario and keep its result in the project (layer 6).

The engine (core.evaluate) knows nothing of project files and the store
(core.project) never runs the engine; this module joins the two: the stored result
when it is fresh, else the engine's, stored for next time.
"""
from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from aisite.core.catalogue import load_catalogue
from aisite.core.evaluate import evaluate
from aisite.core.project import results as _results
from aisite.core.project.json_io import dumps_summary
from aisite.core.project.records import now_iso
from aisite.core.project.store import Project
from aisite.core.scenario import load_scenario
from aisite.core.version import __version__


def evaluate_stored(project: Project, ref: int | str, *, use_cache: bool = True,
                    store: bool = True) -> _results.StoredResult:
    """A scenario's result: the stored one when fresh, else computed by the engine and
    stored (not in a read-only project). Raises the engine's InputError for a bad scenario."""
    info = project.scenario(ref)
    doc, user, wanted = project.evaluation_inputs(info.id)
    if use_cache:
        cached = project.get_result(info.id, input_hash=wanted)
        if cached is not None:
            return cached
    scenario = load_scenario(doc, load_catalogue(user or None))
    t0 = time.perf_counter()
    result = evaluate(scenario)
    ms = (time.perf_counter() - t0) * 1000.0
    hourly = dict(getattr(result, "hourly", None) or {})
    summary = json.loads(dumps_summary(result.summary))
    if store and not project.read_only:
        project.put_result(info.id, summary, hourly, input_hash=wanted, compute_ms=ms)
    return _results.StoredResult(owner="scenario", owner_id=info.id, input_hash=wanted,
                                 app_version=__version__, computed_at=now_iso(), compute_ms=ms,
                                 summary=summary, arrays={k: _as_array(v) for k, v in hourly.items()})


def _as_array(value: Any) -> np.ndarray:
    return np.asarray(value)
