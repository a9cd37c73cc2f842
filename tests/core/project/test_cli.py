"""aisite new / import / export / list: planner-readable help, exit 2 and one line on bad input."""
import json
import subprocess

import pytest

from aisite.app.cli import main

from .conftest import PYTHON, ROOT, child_env, sample_docs

SAMPLES = ROOT / "data" / "samples"
TEXAS = "Texas B200 training campus"


def _err_line(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("command", ["new", "import", "export", "list"])
def test_help_speaks_to_a_planner(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "PROJECT" in out and "scenario" in out.lower()


def test_new_import_list_export(tmp_path, capsys):
    p = tmp_path / "Plan"  # .aisite is added
    assert main(["new", str(p), "--from", str(SAMPLES / "texas-training-campus.json"), "--title", "Q3 plan"]) == 0
    assert "Created" in capsys.readouterr().out and (tmp_path / "Plan.aisite").exists()
    p = tmp_path / "Plan.aisite"
    assert main(["import", str(p), str(SAMPLES / "nordic-sovereign-site.json"), "--site", "Nordics", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == ["Nordic sovereign AI site"]
    assert main(["import", str(p), str(SAMPLES / "texas-training-campus.json"), "--replace"]) == 0
    assert "replaced 'Texas B200 training campus'" in capsys.readouterr().out
    assert main(["list", str(p)]) == 0
    text = capsys.readouterr().out
    assert "Q3 plan" in text and "Nordic sovereign AI site" in text and "site: Nordics" in text
    assert main(["list", str(p), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in info["scenarios"]] == [TEXAS, "Nordic sovereign AI site"]
    assert info["schema_version"] == 2 and info["sites"] == ["Nordics"]
    out = tmp_path / "all"
    assert main(["export", str(p), "--all", "--out", str(out)]) == 0
    assert sorted(f.name for f in out.iterdir()) == ["Nordic sovereign AI site.json", f"{TEXAS}.json"]


def test_sample_project_command(tmp_path, capsys):
    assert main(["new", str(tmp_path / "s.aisite"), "--sample"]) == 0
    assert main(["list", str(tmp_path / "s.aisite"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    variants = [s for s in info["scenarios"] if s["variant_of"]]
    assert len(info["scenarios"]) >= 3 and variants and info["uncertain_inputs"]


@pytest.mark.parametrize("argv,expect", [
    (["new", "{d}/x.aisite", "--from", "{d}/missing.json"], "missing.json: no such file"),
    (["new", "{d}/x.aisite", "--from", "{d}/bad.json"], "bad.json: is not valid JSON"),
    (["new", "{d}/x.aisite", "--from", "{d}/neg.json"], "neg.json: deployments[0].count: must be a positive integer"),
    (["new", "{d}/x.aisite", "--from", "{d}/nan.json"], "NaN is not a valid number"),
    (["new", "{d}/x.aisite", "--from", "{d}/list.json"], "one JSON object"),
    (["new", "{d}/x.aisite", "--from", "{d}/noformat.json"], "not an aisite.scenario/1 scenario"),
    (["new", "{d}/exists.aisite"], "already exists"),
    (["new", "{d}/nofolder/x.aisite"], "does not exist"),
    (["import", "{d}/missing.aisite", "{d}/ok.json"], "missing.aisite: no such file"),
    (["import", "{d}/text.aisite", "{d}/ok.json"], "text.aisite: is a text file"),
    (["import", "{d}/exists.aisite", "{d}/ok.json", "{d}/ok.json"], "already has a scenario named"),
    (["export", "{d}/exists.aisite", "--scenario", "Nope"], "--scenario: no scenario 'Nope'"),
    (["export", "{d}/exists.aisite", "--all"], "--out: give a folder"),
    (["list", "{d}/ok.json"], "JSON text file"),
    (["evaluate", "{d}/exists.aisite", "--scenario", "Nope", "--json"], "--scenario: no scenario 'Nope'"),
])
def test_bad_input_exits_2_with_one_clear_line(tmp_path, capsys, argv, expect):
    good = sample_docs()[0]
    (tmp_path / "ok.json").write_text(json.dumps(dict(good, name="OK")))
    (tmp_path / "bad.json").write_text('{"format": "aisite.scenario/1",\n "name": }')
    (tmp_path / "neg.json").write_text(json.dumps(dict(good, deployments=[{"chip": "nvidia-b200", "count": -5}])))
    nan = json.loads(json.dumps(good))
    nan["power"][0]["mw"] = float("nan")
    (tmp_path / "nan.json").write_text(json.dumps(nan))
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "noformat.json").write_text('{"name": "x"}')
    (tmp_path / "text.aisite").write_text("not a project\n")
    from aisite.core.project import create_project
    create_project(tmp_path / "exists.aisite").close()
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(d=tmp_path) for a in argv]
    assert main(args) == 2
    err = _err_line(capsys)
    assert err.startswith(f"aisite {argv[0]}: ") and expect in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing half-made


def test_exit_status_from_a_real_process(tmp_path):
    run = subprocess.run([PYTHON, "-m", "aisite.app.cli", "list", str(tmp_path / "nope.aisite")], cwd=ROOT,
                         env=child_env(), capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"aisite list: {tmp_path / 'nope.aisite'}: no such file\n"


def test_list_shows_an_old_file_without_upgrading_it(v1_copy, capsys):
    from .conftest import sha256

    before = sha256(v1_copy)
    assert main(["list", str(v1_copy), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_version"] == 1 and info["needs_upgrade"] and info["app_version"] == "0.0.9"
    assert main(["list", str(v1_copy)]) == 0
    assert "upgraded (after a backup copy) when opened for editing" in capsys.readouterr().out
    assert sha256(v1_copy) == before
