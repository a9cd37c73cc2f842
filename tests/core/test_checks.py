"""Each check code fires when it should, and names the field to select."""
from aisite.core.evaluate import evaluate_dict
from tests.core.engine_helpers import small_site


def codes(data):
    return {c["code"]: c for c in evaluate_dict(data, with_hourly=False).summary["checks"]}


def test_clean_site_raises_nothing():
    assert codes(small_site()) == {}


def test_rack_over_cooling_limit():
    found = codes(small_site(cooling="air", deployments=[{"chip": "nvidia-b200", "count": 1024, "servers_per_rack": 8}]))
    check = found["rack_over_cooling_limit"]
    assert check["severity"] == "error" and check["field"] == "deployments[0].servers_per_rack"
    assert "kW" in check["message"]


def test_power_short_of_peak_and_unserved():
    found = codes(small_site(power=[{"source": "grid", "mw": 0.5}]))
    assert found["power_short_of_peak"]["severity"] == "error"
    assert "unserved_energy" in found


def test_export_control_by_tier():
    assert codes(small_site(region="china"))["export_restricted_chip"]["severity"] == "error"
    assert codes(small_site(region="india"))["export_restricted_chip"]["severity"] == "warning"
    china_variant = small_site(region="china", deployments=[{"chip": "nvidia-h20", "count": 1024}])
    assert codes(china_variant)["export_restricted_chip"]["severity"] == "warning"


def test_training_model_too_big_for_cluster_memory():
    data = small_site(deployments=[{"chip": "nvidia-h100-sxm", "count": 8}],
                      workload={"kind": "training", "params": 4e11, "tokens": 1e12})
    assert codes(data)["model_does_not_fit"]["field"] == "workload.params"


def test_implausible_inputs_are_flagged():
    found = codes(small_site(workload={"kind": "training", "params": 1e9, "tokens": 1e13, "mfu": 0.9}))
    assert found["input_out_of_range"]["severity"] == "warning"
