"""No traceback on any scenario input, and results fit to show: every number finite and
in a physical range naming its field, results without infinities or floating-point
noise, text output that survives any Unicode and never lets a name act on the terminal."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.scenario import MAX_ACCELERATORS_PER_DEPLOYMENT, read_scenario_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "texas-training-campus.json"


def _doc() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "aisite.app.cli", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, timeout=120)


def _one_line(run) -> str:
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _walk(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(value, float):
        yield path, value


@pytest.mark.parametrize("mutate, field, says", [
    (lambda d: d["deployments"][0].update(count=10**400), "deployments[0].count", "far too large"),
    (lambda d: d["deployments"][0].update(count=1e30), "deployments[0].count", "at most"),
    (lambda d: d["deployments"][0].update(count=MAX_ACCELERATORS_PER_DEPLOYMENT + 1), "deployments[0].count",
     "at most"),
    (lambda d: d["workload"].update(utilization=5e-324), "workload.utilization", "at least"),
    (lambda d: d["workload"].update(mfu=1e-300), "workload.mfu", "at least"),
    (lambda d: d["power"][0].update(mw=-(10**400)), "power[0].mw", "far too large"),
    (lambda d: d.setdefault("overrides", {}).update(utilization=4e-320), "overrides.utilization", "at least"),
])
def test_numbers_outside_any_physical_range_name_their_field(mutate, field, says):
    doc = _doc()
    mutate(doc)
    with pytest.raises(InputError) as info:
        evaluate_dict(doc, with_hourly=False)
    assert info.value.field == field and says in info.value.message


def test_an_integer_of_thousands_of_digits_in_a_file_is_one_line(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(_doc_text_with_count("9" * 5000))
    with pytest.raises(InputError, match="too many digits"):
        read_scenario_file(path)
    _one_line(_cli("evaluate", path))


def _doc_text_with_count(digits: str) -> str:
    doc = _doc()
    doc["deployments"][0]["count"] = 7
    return json.dumps(doc).replace('"count": 7', f'"count": {digits}', 1)


def test_results_hold_no_infinities_and_no_floating_point_noise():
    doc = _doc()
    doc["power"] = [p for p in doc["power"] if p["source"] != "grid"] or [{"source": "solar-pv", "mw": 50}]
    doc["power"].append({"source": "grid", "mw": 0})
    summary = evaluate_dict(doc, with_hourly=False).summary
    for path, value in _walk(summary):
        assert math.isfinite(value), path
        assert value == 0 or abs(value) >= 1e-9, (path, value)
    assert summary["energy"]["grid_import_mwh"] >= 0


def test_a_lone_surrogate_in_a_name_survives_text_and_json_output(tmp_path):
    path = tmp_path / "s.json"
    doc = dict(_doc(), name="Site \ud800 broken")
    path.write_text(json.dumps(doc))  # JSON escapes it as \\ud800, which Python reads back
    text = _cli("evaluate", path)
    assert text.returncode == 0, text.stderr
    assert b"\\ud800" in text.stdout
    as_json = _cli("evaluate", path, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["scenario"] == "Site \ud800 broken"


def test_names_with_escape_codes_are_escaped_on_the_terminal(tmp_path):
    from aisite.core.project import create_project, open_project
    from aisite.core.project.edits import AddScenario, SetProjectInfo

    project = tmp_path / "p.aisite"
    create_project(project).close()
    with open_project(project) as p:
        p.do(AddScenario(dict(_doc(), name="ok")))
        p.do(SetProjectInfo(p, title="T\x1b[2J\x1b[31mcleared\nsecond line"))
    run = _cli("list", project)
    assert run.returncode == 0, run.stderr
    assert b"\x1b" not in run.stdout and b"\\x1b[2J" in run.stdout
    assert b"cleared\\nsecond line" in run.stdout


def test_nan_in_a_projects_own_catalogue_entry_names_the_field(tmp_path):
    from aisite.core.project import create_project, open_project
    from aisite.core.project.edits import AddCatalogueEntry, AddScenario

    project = tmp_path / "p.aisite"
    create_project(project).close()
    with open_project(project) as p:
        chip = dict(id="my-chip", name="Mine", bf16_tflops=1000.0, fp8_tflops=2000.0, memory_gb=80.0,
                    memory_tbps=3.0, tdp_w=700.0, price_usd=30000.0, default_server="hgx-h100-8")
        p.do(AddCatalogueEntry("chips", chip))
        doc = _doc()
        doc["deployments"] = [{"chip": "my-chip", "count": 1024}]
        p.do(AddScenario(dict(doc, name="S")))
        # what a hand-made file (valid checksums and all) may hold: NaN in its own entry
        row = p._row("catalogue_entries", p.catalogue_entry("chips", "my-chip").id)
    _rewrite_row(project, "catalogue_entries", row, data=row["data"].replace("700.0", "NaN"))
    err = _one_line(_cli("evaluate", project, "--scenario", "S", "--json")).strip()
    assert "deployments[0].chip.tdp_w" in err and ("NaN" in err or "nan" in err)


def _rewrite_row(path, table, row, **changes):
    import sqlite3

    from aisite.core.project.schema import row_digest

    row = dict(row, **changes)
    row["digest"] = row_digest(table, row)
    conn = sqlite3.connect(path)
    sets = ", ".join(f"{k} = ?" for k in row if k != "id")
    conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [v for k, v in row.items() if k != "id"] + [row["id"]])
    conn.commit()
    conn.close()


def test_damaged_result_cache_is_not_called_a_broken_variant(tmp_path):
    import sqlite3

    from aisite.core.project import create_sample_project, open_project
    from aisite.core.stored_results import evaluate_stored

    path = create_sample_project(tmp_path / "s.aisite")
    with open_project(path) as p:
        base = next(s.name for s in p.scenarios() if not s.is_variant)
        evaluate_stored(p, base)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE results SET summary = '{\"x\": 1}'")  # the digest no longer matches
    conn.commit()
    conn.close()
    run = _cli("list", path)
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    assert "PROBLEM" not in out and "stored results unreadable" in out


def test_an_out_file_in_a_missing_folder_says_why(tmp_path):
    err = _one_line(_cli("montecarlo", SAMPLE, "--samples", "20", "--out", tmp_path / "nowhere" / "x.csv"))
    assert "(None)" not in err and "--out" in err
