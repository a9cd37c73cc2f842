"""Numbers in a scenario addressed by a path: ``power[1].mw``, ``finance.discount_rate``,
``deployments[0].count``, ``schedule.grid_connection``, ``overrides.pue``,
``deployments[0].chip.price_usd``, ``cooling.pue_min``.

A path is a field name followed by ``.name`` or ``[index]`` steps. Setting a field of a
catalogue component that the scenario names by id (``"chip": "nvidia-b200"``) turns the
reference into an inline object with that id (``{"id": "nvidia-b200", "price_usd": ...}``),
which the scenario format reads as "this catalogue entry, with these fields changed".

`get_number` reads the value the engine uses, including defaults the file leaves out
(the catalogue's discount rate, the mode duration of a schedule task, the chip's MFU);
`with_number` returns a copy of the scenario dict with one number changed. Both raise an
InputError naming the path for anything that is not a numeric input.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Mapping

from aisite.core.errors import InputError

_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
# Components a scenario may name by catalogue id: (path pattern, catalogue table).
COMPONENTS = (
    (re.compile(r"^deployments\[\d+\]\.chip$"), "chips"),
    (re.compile(r"^deployments\[\d+\]\.server$"), "servers"),
    (re.compile(r"^deployments\[\d+\]\.network$"), "network"),
    (re.compile(r"^power\[\d+\]\.source$"), "power_sources"),
    (re.compile(r"^cooling$"), "cooling"),
    (re.compile(r"^region$"), "regions"),
)


def parse(path: str) -> tuple[str | int, ...]:
    """The steps of a path; an InputError naming it when it is malformed."""
    if not isinstance(path, str) or not path.strip():
        raise InputError("--param", "a path must be non-empty, like power[1].mw")
    path = path.strip()
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m or (pos == 0 and (path[0] == "." or m.group(2) is not None)):
            raise InputError(path, f"is not a valid path (expected a field name or [index] at "
                                   f"position {pos}); write paths like power[1].mw")
        if m.group(1) is not None and pos > 0 and path[pos] != ".":
            raise InputError(path, f"is not a valid path (expected '.' or '[' at position {pos})")
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return tuple(parts)


def normalise(path: str) -> str:
    return format_parts(parse(path))


def format_parts(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _component_table(prefix: str) -> str | None:
    for pattern, table in COMPONENTS:
        if pattern.match(prefix):
            return table
    return None


def _walk(doc: Any, parts, path: str, catalogue=None, *, create: bool = False):
    """(parent container, last key) for the path; catalogue ids are resolved (read) or
    turned into inline overrides (create)."""
    node = doc
    for i, part in enumerate(parts[:-1]):
        where = format_parts(parts[:i + 1])
        if isinstance(part, int):
            if not isinstance(node, list):
                raise InputError(path, f"{format_parts(parts[:i]) or 'the scenario'} is not a list")
            if part >= len(node):
                raise InputError(path, f"{format_parts(parts[:i])} has {len(node)} entr"
                                       f"{'y' if len(node) == 1 else 'ies'}; there is no [{part}]")
            child = node[part]
            key = part
        else:
            if not isinstance(node, dict):
                raise InputError(path, f"{format_parts(parts[:i]) or 'the scenario'} has no fields")
            if part not in node:
                if not create:
                    return None, None
                if part in ("overrides", "schedule", "finance", "workload", "uncertain"):
                    node[part] = {}
                else:
                    raise InputError(path, f"the scenario has no {where}")
            child = node[part]
            key = part
        table = _component_table(where)
        if isinstance(child, str) and table is not None:
            if create:
                child = {"id": child}
                node[key] = child
            else:
                if catalogue is None:
                    from aisite.core.catalogue import load_catalogue
                    catalogue = load_catalogue()
                child = catalogue.get(table, child, where)
        node = child
    return node, parts[-1]


def get_raw(doc: Mapping, path: str, catalogue=None) -> Any:
    """The value at the path as written (or from the catalogue row); None when absent."""
    parts = parse(path)
    parent, last = _walk(doc, parts, path, catalogue)
    if parent is None:
        return None
    if isinstance(last, int):
        if not isinstance(parent, list) or last >= len(parent):
            raise InputError(path, "has no such entry")
        return parent[last]
    if not isinstance(parent, Mapping):
        raise InputError(path, f"{format_parts(parts[:-1])} has no fields")
    return parent.get(last)


def with_number(doc: Mapping, path: str, value: float) -> dict:
    """A deep copy of the scenario dict with the number at `path` set to `value`."""
    out = copy.deepcopy(dict(doc))
    set_number(out, path, value)
    return out


def set_number(doc: dict, path: str, value: float) -> None:
    """Set in place (see `with_number`)."""
    parts = parse(path)
    parent, last = _walk(doc, parts, path, create=True)
    if isinstance(last, int):
        raise InputError(path, "names a list entry, not a number")
    if not isinstance(parent, dict):
        raise InputError(path, f"{format_parts(parts[:-1])} has no fields")
    current = parent.get(last)
    if current is not None and (isinstance(current, bool) or not isinstance(current, (int, float))):
        raise InputError(path, f"is not a number (it holds {type(current).__name__} {current!r})")
    parent[last] = _plain(value)


def _plain(value: float):
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def check_numeric(doc: Mapping, path: str, catalogue=None):
    """Validate that `path` names a numeric input of this scenario: the scenario must still
    load with a number there. Returns the scenario loaded with the base value."""
    from aisite.core.scenario import load_scenario

    base = get_number(doc, path, catalogue)
    probe = with_number(doc, path, base if base is not None else 1.0)
    load_scenario(probe, catalogue)
    return base


def get_number(doc: Mapping, path: str, catalogue=None, scenario=None) -> float | None:
    """The number the engine uses at `path`: as written, else its default (None for an
    override that is not set: the quantity is derived)."""
    parts = parse(path)
    raw = get_raw(doc, path, catalogue)
    if raw is not None:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise InputError(path, f"is not a number (it holds {type(raw).__name__} {raw!r})")
        return float(raw)
    # Absent: the default the engine fills in.
    if scenario is None:
        from aisite.core.scenario import load_scenario
        scenario = load_scenario(doc, catalogue)
    head = parts[0]
    leaf = parts[-1]
    if head == "overrides" and len(parts) == 2:
        from aisite.core.scenario import OVERRIDE_BOUNDS
        if leaf not in OVERRIDE_BOUNDS:
            raise InputError(path, f"is not an override; overrides are {', '.join(OVERRIDE_BOUNDS)}")
        return None
    if head == "finance" and len(parts) == 2 and hasattr(scenario.finance, str(leaf)):
        value = getattr(scenario.finance, leaf)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    if head == "schedule" and len(parts) == 2:
        from aisite.core.schedule import durations
        from aisite.core.scenario import SCHEDULE_TASKS
        if leaf not in SCHEDULE_TASKS:
            raise InputError(path, f"is not a schedule task; tasks are {', '.join(SCHEDULE_TASKS)}")
        d = durations(scenario)
        if leaf not in d:
            raise InputError(path, "does not apply to this site (it has no such power source)")
        return float(d[leaf])
    if head == "workload" and len(parts) == 2:
        from aisite.core.throughput import compute_throughput
        tp = compute_throughput(scenario)
        if leaf == "mfu" and tp.mfu is not None:
            return float(tp.mfu)
        if leaf == "utilization":
            return float(tp.utilization)
        if leaf == "goodput" and tp.goodput is not None:
            return float(tp.goodput)
        value = getattr(scenario.workload, str(leaf), None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    if head == "power" and len(parts) == 3 and leaf == "mwh":
        entry = scenario.power[parts[1]]
        if entry.source["kind"] == "storage":
            return float(entry.mwh)
    if head == "deployments" and len(parts) == 3 and isinstance(parts[1], int):
        d = scenario.deployments[parts[1]]
        value = {"start_month": d.start_month, "chips_per_server": d.chips_per_server,
                 "servers_per_rack": d.servers_per_rack, "server_overhead_w": d.server_overhead_w}.get(leaf)
        if value is not None:
            return float(value)
    raise InputError(path, _unknown_message(doc, parts, catalogue))


def _unknown_message(doc, parts, catalogue) -> str:
    """'power[1] has no number 'mww'; did you mean 'mw'?' and the like."""
    import difflib

    leaf = parts[-1]
    where = format_parts(parts[:-1]) or "the scenario"
    try:
        parent, _ = _walk(doc, parts, format_parts(parts), catalogue)
    except InputError:
        parent = None
    known = []
    if isinstance(parent, Mapping):
        known = [k for k, v in parent.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    head = parts[0]
    if head == "finance":
        known += ["horizon_years", "discount_rate", "market_rec_fraction"]
    elif head == "workload":
        known += ["mfu", "utilization", "goodput", "tokens", "params", "active_params"]
    elif head == "power" and len(parts) == 3:
        known += ["mw", "mwh"]
    elif head == "deployments" and len(parts) == 3:
        known += ["count", "start_month", "chips_per_server", "servers_per_rack", "server_overhead_w"]
    close = difflib.get_close_matches(str(leaf), sorted(set(known)), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{where} has no number {str(leaf)!r}{hint}"
