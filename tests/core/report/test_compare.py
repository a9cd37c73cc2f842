"""aisite.core.compare on the real sample project, and `aisite compare` in a subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aisite.core.catalogue import load_catalogue
from aisite.core.compare import compare, differences, direction, region_variants, verdict
from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.paths import samples_dir
from aisite.core.report.evaluated import load
from aisite.core.units import KEY_FIGURES

ROOT = Path(__file__).resolve().parents[3]


def aisite(*args):
    return subprocess.run([sys.executable, "-m", "aisite.app.cli", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def texas_pair(sample_project, sample_names):
    base = next(n for n in sample_names if "Texas" in n and ":" not in n)
    variant = next(n for n in sample_names if n.startswith(base + ": more solar"))
    return base, variant


def test_deltas_and_verdicts_against_the_first(sample_project, texas_pair):
    data = compare(load([sample_project], list(texas_pair)))
    rows = {r["key"]: r for r in data["figures"]}
    capex = rows["capex_usd"]
    assert capex["deltas"][0] is None
    d = capex["deltas"][1]
    assert d["abs"] == pytest.approx(capex["values"][1] - capex["values"][0])
    assert d["pct"] == pytest.approx(d["abs"] / capex["values"][0])
    assert d["verdict"] == "worse"  # more solar and storage costs more up front
    cf = rows["carbon_free_fraction"]
    assert cf["deltas"][1]["abs"] > 0 and cf["deltas"][1]["verdict"] == "better"
    carbon = rows["tco2e_per_year_location"]
    assert carbon["deltas"][1]["verdict"] == "better"
    assert carbon["formatted"][0] == dict((k, f) for _s, k, _l, f in KEY_FIGURES)["tco2e_per_year_location"](
        carbon["values"][0])
    paths = {d["path"]: d["values"] for d in data["differences"]}
    assert set(paths) == {"power[1].mw", "power[2].mwh"}
    assert len(data["monthly_mwh"][0]["Solar"]) == 12
    assert data["monthly_mwh"][1]["Solar"] > data["monthly_mwh"][0]["Solar"] or \
        sum(data["monthly_mwh"][1]["Solar"]) > sum(data["monthly_mwh"][0]["Solar"])
    assert data["cash_flow"][0]["cumulative_usd"][-1] > data["cash_flow"][0]["capex_usd"][0]
    assert data["schedules"][0]["tasks"] and data["schedules"][0]["critical_path"]
    json.dumps(data, allow_nan=False)


def test_directions_follow_what_a_planner_wants():
    assert direction("cost.capex_usd") == "lower" and direction("pue_annual") == "lower"
    assert direction("tokens_per_second") == "higher" and direction("first_compute_month") == "lower"
    assert direction("it_peak_mw") == "neutral"
    assert verdict("tokens_per_second", 5.0) == "better" and verdict("water_m3_per_year", 5.0) == "worse"
    assert verdict("capex_usd", 0.0) == "same"


def test_scenario_files_and_sites_across(sample_project, sample_names):
    files = [str(p) for p in sorted(samples_dir().glob("*.json"))]
    data = compare(load(files, []))
    assert [s["name"] for s in data["scenarios"]] == [json.loads(Path(f).read_text())["name"] for f in files]
    regions = next(d for d in data["differences"] if d["path"] == "region")
    assert len(set(regions["values"])) == 3


def test_differences_name_paths_and_absent_values():
    a = {"name": "a", "region": "x", "power": [{"source": "grid", "mw": 1}]}
    b = {"name": "b", "region": "x", "power": [{"source": "grid", "mw": 2}, {"source": "solar-pv", "mw": 3}],
         "overrides": {"odd key": 1}}
    got = {d["path"]: d["values"] for d in differences([a, b])}
    assert got == {"power[0].mw": [1, 2], "power[1].source": [None, "solar-pv"], "power[1].mw": [None, 3],
                   'overrides["odd key"]': [None, 1]}


def test_region_variants_evaluate_and_drop_place_bound_inputs():
    doc = json.loads((samples_dir() / "texas-training-campus.json").read_text())
    doc.setdefault("overrides", {})["grid_gco2_per_kwh"] = 100.0
    catalogue = load_catalogue()
    others = [r for r in catalogue.tables["regions"] if r != doc["region"]][:2]
    variants = region_variants(doc, others, catalogue)
    assert [v["region"] for v in variants] == others
    assert all("grid_gco2_per_kwh" not in v.get("overrides", {}) for v in variants)
    assert doc["overrides"]["grid_gco2_per_kwh"] == 100.0  # the original is untouched
    results = [evaluate_dict(v, catalogue, with_hourly=False).summary for v in variants]
    assert results[0]["site"]["region"] == others[0]
    with pytest.raises(InputError, match="unknown region 'atlantis'"):
        region_variants(doc, ["atlantis"], catalogue)


def test_cli_json_equals_core_and_table_is_readable(sample_project, texas_pair):
    args = [sample_project, "--scenario", texas_pair[0], "--scenario", texas_pair[1]]
    run = aisite("compare", *args, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(json.dumps(compare(load([sample_project], list(texas_pair)))))
    table = aisite("compare", *args)
    assert table.returncode == 0
    assert "Capex" in table.stdout and "worse" in table.stdout and "Inputs that differ" in table.stdout


@pytest.mark.parametrize("extra,needle", [
    (["--scenario", "nope"], "--scenario: no scenario 'nope'"),
    ([], "--scenario: compare takes 2 to 6 scenarios, got 1"),
])
def test_cli_bad_input_is_one_line_exit_2(sample_project, texas_pair, extra, needle):
    run = aisite("compare", sample_project, "--scenario", texas_pair[0], *extra)
    assert run.returncode == 2
    assert needle in run.stderr and len(run.stderr.strip().splitlines()) == 1
