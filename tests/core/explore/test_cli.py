"""The real `aisite` console script: JSON out, one clear line and exit 2 on bad input,
Ctrl-C stops cleanly."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.explore.helpers import texas

AISITE = str(Path(sys.executable).parent / "aisite")


def run(*args, timeout=120):
    return subprocess.run([AISITE, *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture()
def scenario(tmp_path):
    path = tmp_path / "site.json"
    path.write_text(json.dumps(texas()))
    return path


def test_montecarlo_json(scenario):
    out = run("montecarlo", scenario, "--samples", 300, "--seed", 4, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    s = data["results"]["schedule.first_compute_month"]
    assert data["samples"] == 300 and s["p10"] <= s["p50"] <= s["p90"]
    assert data["correlations"][0]["path"].startswith("schedule.")
    again = json.loads(run("montecarlo", scenario, "--samples", 300, "--seed", 4, "--json").stdout)
    assert again["results"] == data["results"]


def test_montecarlo_csv_export(scenario, tmp_path):
    csv = tmp_path / "samples.csv"
    out = run("montecarlo", scenario, "--samples", 50, "--out", csv)
    assert out.returncode == 0, out.stderr
    assert "P50" in out.stdout
    assert len(csv.read_text().splitlines()) == 51


def test_sweep_tornado_size_json(scenario):
    out = run("sweep", scenario, "--param", "power[1].mw", "--values", "0,200", "--param", "finance.discount_rate",
              "--values", "0.05:0.1:0.05", "--result", "cost.npv_cost_usd", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    assert len(rows) == 4 and set(rows[0]) == {"power[1].mw", "finance.discount_rate", "cost.npv_cost_usd"}
    out = run("tornado", scenario, "--result", "schedule.first_compute_month", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["bars"][0]["path"] == "schedule.electrical_equipment"
    out = run("size", scenario, "--max-facility-mw", 100, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["binding"] == ["facility_mw"]


def test_optimize_power_json_is_clean(tmp_path):
    doc = texas()
    doc["deployments"] = [{"chip": "nvidia-h100-sxm", "count": 2048}]
    doc["power"] = [{"source": "grid", "mw": 5}, {"source": "solar-pv", "mw": 5}]
    path = tmp_path / "small.json"
    path.write_text(json.dumps(doc))
    out = run("optimize-power", path, "--min-carbon-free", "0.2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)          # nothing but JSON on stdout (HiGHS stays quiet)
    assert data["engine_meets_constraints"] == {"max_unserved_mwh": True, "min_carbon_free": True}


def _bad(tmp_path, section):
    doc = texas()
    doc["uncertain"] = section
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("args, message", [
    (["sweep", "{f}", "--param", "power[9].mw", "--values", "1,2"],
     "aisite sweep: power[9].mw: power has 4 entries; there is no [9]"),
    (["sweep", "{f}", "--param", "power[1].mw", "--values", "5:1:1"],
     "aisite sweep: --values: the range 5:1:1 is empty (STOP 1 is below START 5)"),
    (["sweep", "{f}", "--param", "power[1].mw", "--values", ""], "aisite sweep: --values: is empty"),
    (["montecarlo", "{f}", "--samples", "0"], "aisite montecarlo: --samples: must be a positive whole number"),
    (["montecarlo", "{f}", "--samples", "lots"], "aisite montecarlo: argument --samples: invalid int value"),
    (["tornado", "{f}", "--result", "cost.npv"], "aisite tornado: --result: unknown result key 'cost.npv'"),
    (["size", "{f}"], "aisite size: give at least one limit"),
    (["size", "{f}", "--max-facility-mw", "0.5"], "aisite size: --max-facility-mw: not even one accelerator fits"),
    (["optimize-power", "{f}", "--min-carbon-free", "2"], "aisite optimize-power: --min-carbon-free: must be"),
    (["montecarlo", "{bad}"], "aisite montecarlo: uncertain.schedule.grid_connection.high: must be at least low "
                              "(24), got 12"),
    (["tornado", "{bad}"], "aisite tornado: uncertain.schedule.grid_connection.high: must be at least low (24)"),
    (["montecarlo", "{missing}"], "aisite montecarlo: "),
    (["evaluate", "{bad}"], "aisite evaluate: uncertain.schedule.grid_connection.high: must be at least low (24), "
                            "got 12"),
])
def test_bad_input_is_one_line_and_exit_2(scenario, tmp_path, args, message):
    bad = _bad(tmp_path, {"schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 24, "high": 12}})
    args = [a.format(f=scenario, bad=bad, missing=tmp_path / "none.json") for a in args]
    out = run(*args)
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in out.stderr


def test_ctrl_c_stops_cleanly(scenario):
    proc = subprocess.Popen([AISITE, "montecarlo", str(scenario), "--samples", "300000", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Interrupt once the samples are running (start-up takes longer on a loaded machine).
        first = proc.stderr.readline()
        assert first.startswith("montecarlo: "), first
        proc.send_signal(signal.SIGINT)
        start = time.perf_counter()
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:  # never leave a 300,000-sample run behind a failed test
            proc.kill()
            proc.communicate()
    assert time.perf_counter() - start < 5
    assert proc.returncode == 130
    assert stderr.strip().splitlines()[-1] == "aisite montecarlo: cancelled"
    assert stdout == ""


def test_a_project_scenario(tmp_path):
    from aisite.core.paths import samples_dir

    project = tmp_path / "p.aisite"
    made = run("new", project, "--from", samples_dir() / "texas-training-campus.json")
    assert made.returncode == 0, made.stderr
    out = run("montecarlo", project, "--scenario", "Texas B200 training campus", "--samples", 100, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["samples"] == 100
    out = run("size", project, "--scenario", "Texas B200 training campus", "--max-racks", 300, "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["binding"] == ["racks"]
    out = run("tornado", project)
    assert out.returncode == 2 and out.stderr.strip().endswith("`aisite list PROJECT` shows the names")


def test_bench_reports_monte_carlo_figures(tmp_path):
    from aisite.core.bench import PROVIDERS, montecarlo_bench

    assert "aisite.core.bench.montecarlo_bench" in PROVIDERS
    figures = montecarlo_bench.run(tmp_path, quick=True)
    for key in ("montecarlo_10k_s", "montecarlo_vs_reference", "montecarlo_vs_numpy"):
        assert figures[key] > 0, key
    assert figures["montecarlo_fast_path"] is True
