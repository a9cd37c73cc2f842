"""`aisite samples` and `sample:NAME`: the shipped samples reached from any folder."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aisite.core.errors import InputError
from aisite.core.paths import sample_names, samples_dir, scenario_path
from aisite.core.scenario import read_scenario_file

AISITE = [sys.executable, "-m", "aisite.app.cli"]
CHECKOUT = str(Path(__file__).resolve().parents[3])


def aisite(*args, cwd):
    return subprocess.run([*AISITE, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": CHECKOUT})


def test_every_shipped_sample_is_listed_and_reads_as_a_scenario():
    names = sample_names()
    assert names == sorted(p.stem for p in samples_dir().glob("*.json")) and "texas-training-campus" in names
    for name in names:
        assert read_scenario_file(f"sample:{name}")["format"] == "aisite.scenario/1"
    assert scenario_path("sample:texas-training-campus.json") == samples_dir() / "texas-training-campus.json"
    assert scenario_path("plans/site.json") == Path("plans/site.json")


def test_an_unknown_sample_names_the_argument_and_the_choices():
    with pytest.raises(InputError) as caught:
        read_scenario_file("sample:texas")
    assert caught.value.field == "sample:texas"
    assert "texas-training-campus" in str(caught.value)


def test_samples_list_copy_and_use_from_another_folder(tmp_path):
    listed = aisite("samples", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    samples = json.loads(listed.stdout)
    assert [s["name"] for s in samples] == sample_names()
    assert all(s["title"] and s["description"] for s in samples)

    copied = aisite("samples", "nordic-sovereign-site", "--out", ".", cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr
    copy = tmp_path / "nordic-sovereign-site.json"
    assert copy.read_bytes() == (samples_dir() / "nordic-sovereign-site.json").read_bytes()
    again = aisite("samples", "nordic-sovereign-site", "--out", str(copy), cwd=tmp_path)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr

    by_name = aisite("evaluate", "sample:nordic-sovereign-site", "--json", cwd=tmp_path)
    by_file = aisite("evaluate", str(copy), "--json", cwd=tmp_path)
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(by_file.stdout)


def test_a_project_is_made_from_samples_by_name(tmp_path):
    made = aisite("new", "plans.aisite", "--from", "sample:texas-training-campus", "sample:inference-fleet-virginia",
                  cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    listed = aisite("list", "plans.aisite", cwd=tmp_path)
    assert "Texas B200 training campus" in listed.stdout and "Virginia H200 inference fleet" in listed.stdout
    wrong = aisite("evaluate", "sample:nope", cwd=tmp_path)
    assert wrong.returncode == 2 and wrong.stderr.startswith("aisite evaluate: sample:nope: no such sample")
