"""`aisite evaluate` as planners script it: the real console script in a subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aisite.core.paths import samples_dir
from tests.core.engine_helpers import small_site

AISITE = [sys.executable, "-m", "aisite.app.cli"]
CONTRACT = {
    "throughput": {"accelerators", "peak_pflops", "effective_pflops", "training_days", "gpu_hours",
                   "tokens_per_second", "tokens_per_year"},
    "energy": {"it_peak_mw", "facility_peak_mw", "pue_annual", "annual_it_mwh", "annual_facility_mwh",
               "workload_facility_mwh", "tco2e_per_year_location", "tco2e_per_year_market",
               "workload_tco2e_location", "water_m3_per_year", "carbon_free_fraction", "unserved_mwh"},
    "cost": {"capex_usd", "capex_breakdown_usd", "opex_usd_per_year", "tco_usd", "npv_cost_usd",
             "usd_per_gpu_hour", "usd_per_million_tokens", "workload_cost_usd"},
    "schedule": {"first_compute_month", "full_capacity_month", "critical_path"},
}


def aisite(*args, cwd=None):
    return subprocess.run([*AISITE, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])})


def write(tmp_path, data, name="s.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_json_output_has_every_contract_key():
    run = aisite("evaluate", str(samples_dir() / "texas-training-campus.json"), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    for section, keys in CONTRACT.items():
        assert keys <= set(result[section]), section
    assert set(result["cost"]["capex_breakdown_usd"]) == {"accelerators", "servers", "network", "storage",
                                                          "facility", "onsite_power", "grid_connection"}
    assert all({"code", "severity", "message"} <= set(c) for c in result["checks"])


def test_table_output_for_people():
    run = aisite("evaluate", str(samples_dir() / "inference-fleet-virginia.json"))
    assert run.returncode == 0
    assert "Tokens per second" in run.stdout and "MW" in run.stdout and "$" in run.stdout


BAD = [
    (small_site(deployments=[{"chip": "nvidia-h100-sxm", "count": -5}]),
     "deployments[0].count: must be a positive integer, got -5"),
    (small_site(deployments=[{"chip": "nvidia-h100-sxm", "count": "8"}]), "deployments[0].count: must be"),
    (small_site(deployments=[{"chip": "nvidia-b2000", "count": 8}]), "deployments[0].chip: unknown chip"),
    ({k: v for k, v in small_site().items() if k != "region"}, "region: is required"),
    ('{"format": "aisite.scenario/1", "region": ', "is not valid JSON"),
    ('{"format": "aisite.scenario/1", "region": "us-texas", "x": NaN}', "NaN is not a valid number"),
    ("[1, 2]", "one JSON object"),
]


@pytest.mark.parametrize("data,expected", BAD, ids=[b[1][:30] for b in BAD])
def test_bad_input_is_one_line_and_status_2(tmp_path, data, expected):
    run = aisite("evaluate", write(tmp_path, data), "--json")
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], run.stderr
    assert "Traceback" not in run.stderr


def test_missing_file_and_bad_arguments(tmp_path):
    run = aisite("evaluate", str(tmp_path / "nope.json"))
    assert run.returncode == 2 and "no such file" in run.stderr
    run = aisite("evaluate")
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1
    run = aisite("evaluate", write(tmp_path, small_site()), "--scenario", "x")
    assert run.returncode == 2 and "--scenario" in run.stderr


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    run = aisite("evaluate", str(path))
    assert run.returncode == 2 and "UTF-8" in run.stderr


def test_version():
    run = aisite("--version")
    assert run.returncode == 0 and run.stdout.startswith("aisite ")


def test_result_values_carry_units():
    from aisite.core.units import result_value

    assert result_value("cost.capex_usd", 3.45e9) == "$3.45B"
    assert result_value("energy.facility_peak_mw", 95.94) == "95.9 MW"
    assert result_value("energy.annual_facility_mwh", 738_000) == "738.0 GWh"
    assert result_value("energy.tco2e_per_year_location", 171_000) == "171.0 kt CO2e"
    assert result_value("schedule.first_compute_month", 52.3) == "52 months"
    assert result_value("energy.carbon_free_fraction", 0.514) == "51%"
