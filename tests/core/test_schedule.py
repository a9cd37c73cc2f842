"""The task graph: durations from the catalogue, bridging by on-site power, critical path."""
import pytest

from aisite.core.evaluate import evaluate_dict
from aisite.core.scenario import load_scenario
from aisite.core.schedule import durations
from tests.core.engine_helpers import small_site


def schedule(data):
    return evaluate_dict(data, with_hourly=False).summary["schedule"]


def test_slow_grid_sets_first_compute():
    s = schedule(small_site(schedule={"grid_connection": 80}))
    assert s["first_compute_month"] == 80
    assert s["critical_path"] == ["grid_connection"]


def test_onsite_firm_power_bridges_a_slow_grid():
    data = small_site(power=[{"source": "grid", "mw": 10}, {"source": "gas-engine", "mw": 10}],
                      schedule={"grid_connection": 80, "onsite_power": 10})
    s = schedule(data)
    d = durations(load_scenario(data))
    install_end = d["permitting"] + max(d["building"], d["cooling_equipment"], d["electrical_equipment"],
                                        d["accelerator_delivery"]) + d["install"]
    assert s["first_compute_month"] == pytest.approx(install_end)
    assert s["critical_path"][-1] == "install"


def test_too_small_a_bridge_does_not_count():
    data = small_site(power=[{"source": "grid", "mw": 10}, {"source": "gas-engine", "mw": 0.5}],
                      schedule={"grid_connection": 80, "onsite_power": 10})
    assert schedule(data)["first_compute_month"] == 80


def test_phases_reach_full_capacity_later():
    data = small_site(deployments=[{"chip": "nvidia-h100-sxm", "count": 512},
                                   {"chip": "nvidia-h100-sxm", "count": 512, "start_month": 9}])
    s = schedule(data)
    assert s["full_capacity_month"] == s["first_compute_month"] + 9


def test_overrides_replace_durations_and_tasks_cover_the_contract_ids():
    s = schedule(small_site(schedule={"permitting": 3}))
    tasks = {t["id"]: t for t in s["tasks"]}
    assert tasks["permitting"]["end_month"] == 3
    assert set(tasks) == {"permitting", "grid_connection", "building", "cooling_equipment",
                          "electrical_equipment", "accelerator_delivery", "install"}


def test_no_power_means_no_compute_month():
    s = schedule(small_site(power=[{"source": "solar-pv", "mw": 10}]))
    assert s["first_compute_month"] is None
