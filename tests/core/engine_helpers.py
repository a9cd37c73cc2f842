"""Scenario dicts for the engine tests: small, explicit and easy to compute by hand."""
from __future__ import annotations

import copy
import json

from aisite.core.paths import samples_dir


def sample(name: str) -> dict:
    return json.loads((samples_dir() / f"{name}.json").read_text())


SAMPLES = ("texas-training-campus", "inference-fleet-virginia", "nordic-sovereign-site")


def small_site(**changes) -> dict:
    """1,024 H100s in Texas on the grid alone, a plain utilisation workload."""
    data = {
        "format": "aisite.scenario/1",
        "name": "small",
        "region": "us-texas",
        "deployments": [{"chip": "nvidia-h100-sxm", "count": 1024}],
        "cooling": "direct-liquid",
        "power": [{"source": "grid", "mw": 10}],
        "workload": {"kind": "utilization", "utilization": 0.8},
    }
    data = copy.deepcopy(data)
    data.update(changes)
    return data


def training(params: float, tokens: float, count: int, chip: str = "nvidia-a100-80gb", **workload) -> dict:
    """A training run at a fixed 400 W per GPU, PUE 1.1 and 385 gCO2/kWh: the
    normalisation of the Llama model cards (models.md cases 3 and 4)."""
    return small_site(
        deployments=[{"chip": chip, "count": count}],
        power=[{"source": "grid", "mw": 50}],
        workload={"kind": "training", "params": params, "tokens": tokens, "precision": "bf16", **workload},
        overrides={"it_w_per_chip": 400, "pue": 1.1, "grid_gco2_per_kwh": 385},
    )
