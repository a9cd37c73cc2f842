"""Shared scenarios for the exploration tests."""
from __future__ import annotations

import copy
import json

from aisite.core.paths import samples_dir


def texas() -> dict:
    return json.loads((samples_dir() / "texas-training-campus.json").read_text())


def small_site(**power) -> dict:
    """A 2,048-accelerator site whose power list the test chooses."""
    doc = texas()
    doc["deployments"] = [{"chip": "nvidia-h100-sxm", "count": 2048}]
    doc["power"] = power.get("power", [{"source": "grid", "mw": 10}, {"source": "solar-pv", "mw": 10}])
    doc.pop("uncertain", None)
    return copy.deepcopy(doc)
