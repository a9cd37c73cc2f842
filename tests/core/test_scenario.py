"""Scenario validation: every problem names the field and what is wrong."""
import pytest

from aisite.core.errors import InputError
from aisite.core.scenario import load_scenario
from tests.core.engine_helpers import SAMPLES, sample, small_site


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_load(name):
    assert load_scenario(sample(name)).accelerators > 0


def message(data):
    with pytest.raises(InputError) as info:
        load_scenario(data)
    return str(info.value)


@pytest.mark.parametrize("change,expected", [
    ({"deployments": [{"chip": "nvidia-h100-sxm", "count": -5}]},
     "deployments[0].count: must be a positive integer, got -5"),
    ({"deployments": [{"chip": "nvidia-h100-sxm", "count": 2.5}]},
     "deployments[0].count: must be a positive integer, got 2.5"),
    ({"deployments": [{"chip": "nvidia-h100-sxm", "count": "many"}]},
     "deployments[0].count: must be a positive integer, got 'many'"),
    ({"deployments": [{"chip": "nvidia-h100-sxm", "count": float("nan")}]},
     "deployments[0].count: must be a finite number, got NaN"),
    ({"deployments": [{"count": 8}]}, "deployments[0].chip: is required"),
    ({"deployments": []}, "deployments: must have at least one entry"),
    ({"power": [{"source": "grid", "mw": -1}]}, "power[0].mw: must be at least 0, got -1"),
    ({"power": [{"source": "grid", "mw": 10, "mwh": 5}]}, "power[0].mwh: applies only to storage"),
    ({"workload": {"kind": "juggling"}}, "workload.kind: must be one of training, inference, utilization"),
    ({"workload": {"kind": "training", "params": 1e9}}, "workload.tokens: is required"),
    ({"finance": {"discount_rate": 1.5}}, "finance.discount_rate: must be at most 1, got 1.5"),
    ({"overrides": {"pue": 0.8}}, "overrides.pue: must be at least 1, got 0.8"),
    ({"overrides": {"peu": 1.2}}, "overrides.peu: unknown field; did you mean 'pue'?"),
    ({"schedule": {"grid": 12}}, "schedule.grid: unknown field"),
    ({"format": "aisite.scenario/9"}, "format: must be 'aisite.scenario/1'"),
])
def test_bad_fields_are_named(change, expected):
    assert message(small_site(**change)).startswith(expected)


def test_unknown_id_names_the_closest_ids():
    text = message(small_site(deployments=[{"chip": "nvidia-h100", "count": 8}]))
    assert text.startswith("deployments[0].chip: unknown chip 'nvidia-h100'; did you mean")
    assert "'nvidia-h100-sxm'" in text
    assert message(small_site(region="texas")).startswith("region: unknown region 'texas'; did you mean 'us-texas'")


def test_missing_top_level_field():
    data = small_site()
    del data["cooling"]
    assert message(data) == "cooling: is required"


def test_inline_objects_replace_catalogue_entries():
    chip = {"name": "Next-gen X", "bf16_tflops": 2500, "fp8_tflops": 5000, "memory_gb": 288,
            "memory_tbps": 8, "tdp_w": 1400, "price_usd": 50000}
    s = load_scenario(small_site(deployments=[{"chip": chip, "count": 64, "chips_per_server": 8,
                                              "server_overhead_w": 3000, "servers_per_rack": 8}]))
    assert s.deployments[0].chip["bf16_tflops"] == 2500
    assert s.deployments[0].server_overhead_w == 3000
    bad = dict(chip, tdp_w=-3)
    assert message(small_site(deployments=[{"chip": bad, "count": 8, "chips_per_server": 8,
                                           "server_overhead_w": 10}])).startswith("deployments[0].chip.tdp_w:")
    partial = {"name": "x", "bf16_tflops": 1}
    assert message(small_site(deployments=[{"chip": partial, "count": 8}])) == \
        "deployments[0].chip.memory_gb: is required for an inline object"


def test_inline_object_with_a_known_id_overrides_fields():
    s = load_scenario(small_site(deployments=[{"chip": {"id": "nvidia-h100-sxm", "price_usd": 20000}, "count": 8}]))
    assert s.deployments[0].chip["price_usd"] == 20000
    assert s.deployments[0].chip["bf16_tflops"] == 989
