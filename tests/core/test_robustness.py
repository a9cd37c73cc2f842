"""Whatever valid site a planner assembles, evaluation gives finite, JSON-safe numbers.

Random but seeded scenarios over every chip, region, cooling type and power source,
with edge values (zero MW, utilisation 0 and 1, one accelerator, 100,000 of them)."""
import json
import random

import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.evaluate import evaluate_dict


def random_scenario(rng: random.Random, cat) -> dict:
    power = []
    for source in rng.sample(cat.ids("power_sources"), rng.randint(1, 5)):
        entry = {"source": source, "mw": rng.choice([0, 1, 10, 100, 500])}
        if source == "battery" and rng.random() < 0.5:
            entry["mwh"] = rng.choice([0, 10, 400])
        power.append(entry)
    kind = rng.choice(["training", "inference", "utilization"])
    workload = {"kind": kind}
    if kind == "training":
        workload.update(params=rng.choice([1e9, 7e10, 4e11, 2e12]), tokens=rng.choice([1e11, 1e13]),
                        precision=rng.choice(["bf16", "fp8"]))
    elif kind == "inference":
        workload.update(params=rng.choice([8e9, 7e10, 4e11]), precision=rng.choice(["bf16", "fp8"]),
                        batch=rng.choice([1, 64, 512]), context_tokens=rng.choice([1024, 131072]),
                        utilization=rng.choice([0.0, 0.5, 1.0]))
    else:
        workload["utilization"] = rng.choice([0.0, 0.3, 1.0])
    return {
        "format": "aisite.scenario/1",
        "region": rng.choice(cat.ids("regions")),
        "deployments": [{"chip": rng.choice(cat.ids("chips")), "count": rng.choice([1, 8, 1000, 100_000]),
                         "start_month": rng.choice([0, 12])} for _ in range(rng.randint(1, 3))],
        "cooling": rng.choice(cat.ids("cooling")),
        "power": power,
        "workload": workload,
        "finance": {"discount_rate": rng.choice([0, 0.08, 0.2]), "horizon_years": rng.choice([1, 6, 25])},
    }


@pytest.mark.parametrize("seed", range(4))
def test_random_sites_give_finite_results(seed):
    cat = load_catalogue()
    rng = random.Random(seed)
    for _ in range(60):
        data = random_scenario(rng, cat)
        summary = evaluate_dict(data, cat, with_hourly=False).summary
        json.dumps(summary, allow_nan=False)  # no NaN or infinity anywhere
        energy = summary["energy"]
        assert energy["annual_facility_mwh"] >= energy["annual_it_mwh"] > 0
        assert energy["unserved_mwh"] >= 0 and summary["cost"]["capex_usd"] > 0
