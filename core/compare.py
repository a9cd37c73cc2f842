"""Side-by-side comparison of 2 to 6 evaluated scenarios, as plain data (no Qt).

API::

    from aisite.core.report.evaluated import load          # scenarios from a project / files
    from aisite.core.compare import compare, region_variants

    entries = load(["Texas.aisite"], ["Base", "Base: more solar"])
    data = compare(entries)          # JSON-safe dict, what `aisite compare --json` prints

``compare(entries)`` returns::

    scenarios   [{name, site, source}]                      the first is the reference
    figures     [{section, key, label, direction, values, formatted,
                  deltas: [None | {abs, pct, verdict, text}]}]
                direction "lower"/"higher" is better for a planner, "neutral" for size
                figures; verdict "better"/"worse"/"same"/"neutral"; pct None when the
                reference is 0; deltas[0] is None (the reference itself)
    monthly_mwh [{source: [12 MWh]}]                         energy by source, per scenario
    cash_flow   [{year: [...], capex_usd, opex_usd, interest_during_construction_usd,
                  residual_value_usd, net_usd, cumulative_usd, discounted_usd,
                  cumulative_discounted_usd, construction, timeline_year, timeline_net_usd,
                  timeline_cumulative_usd}] (core.report.cash_flow, from core.cost.yearly_cash_flow)
    schedules   [{first_compute_month, full_capacity_month, critical_path, tasks:
                  [{id, name, start_month, end_month, critical}]}]
    checks      [[{code, severity, message}]]
    differences [{path, values}]    inputs that differ (field paths as `aisite sweep` takes)

``region_variants(document, region_ids, catalogue)`` is "the same site in other regions":
one scenario document per region (a pure function; the caller adds them as variants).
``direction(key)`` and ``verdict(key, delta)`` judge any key figure.
"""
from __future__ import annotations

import copy
import math
from typing import Any, Sequence

import numpy as np

from aisite.core.catalogue import Catalogue
from aisite.core.errors import InputError
from aisite.core.project.fieldpath import format_path
from aisite.core.report.cash_flow import scenario_cash_flow
from aisite.core.report.evaluated import Evaluated
from aisite.core.units import KEY_FIGURES

MIN_SCENARIOS, MAX_SCENARIOS = 2, 6

# Which way is better for a planner. Size figures (how big the site is) are neutral.
HIGHER_IS_BETTER = {"accelerators", "peak_pflops", "effective_pflops", "tokens_per_second",
                    "tokens_per_year", "carbon_free_fraction"}
NEUTRAL = {"it_peak_mw", "facility_peak_mw"}
SHARES = {"carbon_free_fraction"}
# Inputs tied to a place, which a copy of the site in another region must not keep.
REGION_BOUND = ("profiles", "overrides.grid_gco2_per_kwh", "overrides.electricity_usd_per_mwh",
                "schedule.grid_connection")


def direction(key: str) -> str:
    """'higher', 'lower' or 'neutral': which way a key figure is better for a planner."""
    name = key.rsplit(".", 1)[-1]
    if name in HIGHER_IS_BETTER:
        return "higher"
    if name in NEUTRAL:
        return "neutral"
    return "lower"


def verdict(key: str, delta: float | None, *, tolerance: float = 1e-9) -> str:
    if delta is None:
        return "neutral"
    way = direction(key)
    if abs(delta) <= tolerance:
        return "same"
    if way == "neutral":
        return "neutral"
    return "better" if (delta > 0) == (way == "higher") else "worse"


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def delta(key: str, reference: Any, value: Any, fmt) -> dict | None:
    """{abs, pct, verdict, text} of value against reference (None when either is missing)."""
    if not (_finite(reference) and _finite(value)):
        return None
    diff = float(value) - float(reference)
    pct = diff / abs(reference) if reference else None
    tol = 1e-9 * max(abs(reference), abs(value), 1.0)
    sign = "+" if diff > 0 else "-" if diff < 0 else "±"
    # A share's change is in percentage points; anything else in the figure's own unit.
    text = f"{sign}{abs(diff) * 100:.1f} pts" if key in SHARES else f"{sign}{fmt(abs(diff))}"
    if pct is not None:
        text += f" ({sign}{abs(pct) * 100:.1f}%)" if abs(pct) >= 0.0005 else " (0.0%)"
    return {"abs": diff, "pct": pct, "verdict": verdict(key, diff, tolerance=tol), "text": text}


def figures(summaries: Sequence[dict]) -> list[dict]:
    """The key figures of every scenario with deltas against the first (those that apply)."""
    rows = []
    for section, key, label, fmt in KEY_FIGURES:
        values = [s.get(section, {}).get(key) for s in summaries]
        if all(v is None for v in values):
            continue
        ref = values[0]
        rows.append({
            "section": section, "key": key, "label": label, "direction": direction(key),
            "values": values,
            "formatted": [fmt(v) if v is not None else "–" for v in values],
            "deltas": [None] + [delta(key, ref, v, fmt) for v in values[1:]],
        })
    return rows


def _flatten(node: Any, parts: tuple, out: dict) -> None:
    if isinstance(node, dict) and node:
        for k, v in node.items():
            _flatten(v, parts + (str(k),), out)
    elif isinstance(node, list) and node:
        for i, v in enumerate(node):
            _flatten(v, parts + (i,), out)
    else:
        out[format_path(parts)] = node


def flatten_inputs(document: dict) -> dict[str, Any]:
    """Every input of a scenario document by field path (``power[1].mw``); name and
    description are labels, not inputs."""
    out: dict[str, Any] = {}
    for key, value in document.items():
        if key not in ("name", "description", "format"):
            _flatten(value, (key,), out)
    return out


def differences(documents: Sequence[dict]) -> list[dict]:
    """[{path, values}] for every input path whose value differs (None where absent)."""
    flat = [flatten_inputs(d) for d in documents]
    paths: list[str] = []
    seen = set()
    for f in flat:
        for p in f:
            if p not in seen:
                seen.add(p)
                paths.append(p)
    out = []
    for p in paths:
        values = [f.get(p) for f in flat]
        if any(v != values[0] for v in values[1:]):
            out.append({"path": p, "values": values})
    return out


def _plain(value: Any) -> Any:
    """numpy to lists and floats, NaN/inf to None: JSON-safe."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def check_count(n: int, option: str = "--scenario") -> None:
    if not MIN_SCENARIOS <= n <= MAX_SCENARIOS:
        raise InputError(option, f"compare takes {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios, got {n}")


def compare(entries: Sequence[Evaluated]) -> dict:
    """Everything the comparison shows, as JSON-safe plain data (see the module doc)."""
    check_count(len(entries))
    summaries = [e.summary for e in entries]
    sched_keys = ("first_compute_month", "full_capacity_month", "critical_path", "tasks")
    return _plain({
        "format": "aisite.compare/1",
        "scenarios": [{"name": e.name, "site": e.site, "source": e.source} for e in entries],
        "figures": figures(summaries),
        "monthly_mwh": [e.result.monthly_mwh() if e.result.hourly else {} for e in entries],
        "cash_flow": [scenario_cash_flow(e.scenario, e.summary) for e in entries],
        "schedules": [{k: s["schedule"].get(k) for k in sched_keys} for s in summaries],
        "checks": [s.get("checks") or [] for s in summaries],
        "differences": differences([e.document for e in entries]),
    })


def region_variants(document: dict, region_ids: Sequence[str], catalogue: Catalogue) -> list[dict]:
    """The same site in other regions: one copy of ``document`` per region id, named
    "<name> in <region name>". Inputs tied to the old place (REGION_BOUND: the site's own
    weather and grid files, a price or grid-carbon override, a grid queue override) are
    dropped so the new region's catalogue values apply; each copy lists them in
    ``description``. Unknown region: InputError naming it."""
    regions = catalogue.tables["regions"]
    out = []
    for rid in region_ids:
        row = regions.get(rid)
        if row is None:
            raise InputError("region", f"unknown region {rid!r}; known: {', '.join(sorted(regions))}")
        doc = copy.deepcopy(document)
        dropped = []
        for path in REGION_BOUND:
            head, _, leaf = path.partition(".")
            if leaf:
                if isinstance(doc.get(head), dict) and leaf in doc[head]:
                    del doc[head][leaf]
                    dropped.append(path)
            elif head in doc:
                del doc[head]
                dropped.append(path)
        doc["region"] = rid
        doc["name"] = f"{document.get('name', 'Scenario')} in {row.get('name') or rid}"
        if dropped:
            note = "Copied from another region; dropped place-bound inputs: " + ", ".join(dropped)
            doc["description"] = (doc.get("description", "") + "\n" + note).strip()
        out.append(doc)
    return out
