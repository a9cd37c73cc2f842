"""Result keys as `section.key` (``cost.npv_cost_usd``, ``throughput.training_days``,
``cost.capex_breakdown_usd.accelerators``): every numeric figure of a result summary."""
from __future__ import annotations

import math
from typing import Mapping

from aisite.core.errors import InputError

SECTIONS = ("throughput", "energy", "cost", "schedule", "site")


def flatten(summary: Mapping) -> dict[str, float | None]:
    """Every numeric result (None where a key does not apply), keyed `section.key`."""
    out: dict[str, float | None] = {}

    def walk(prefix: str, node):
        for key, value in node.items():
            name = f"{prefix}.{key}"
            if isinstance(value, Mapping):
                walk(name, value)
            elif value is None:
                out[name] = None
            elif isinstance(value, bool):
                continue
            elif isinstance(value, (int, float)):
                out[name] = float(value)

    for section in SECTIONS:
        if isinstance(summary.get(section), Mapping):
            walk(section, summary[section])
    return out


def check_keys(keys, available, option: str = "--result") -> list[str]:
    """The keys, each one a known result key (else an InputError with close matches)."""
    import difflib

    out = []
    for key in keys:
        key = key.strip()
        if key not in available:
            close = difflib.get_close_matches(key, list(available), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else \
                "; keys look like cost.npv_cost_usd or throughput.training_days"
            raise InputError(option, f"unknown result key {key!r}{hint}")
        out.append(key)
    return out


def finite(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)
