"""Results go through the project's results cache: shown at once on reopen, current in `aisite list`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import aisite.core.evaluate
from aisite import core
import aisite.core.stored_results
from aisite import core
from aisite.core.project import create_sample_project, open_project
from tests.app.conftest import wait_result

SCENARIO = "Texas B200 training campus"


@pytest.fixture
def sample(tmp_path):
    return create_sample_project(tmp_path / "sample.aisite")


@pytest.fixture
def engine_calls(monkeypatch):
    calls = []
    real = core.evaluate.evaluate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    # Count the engine wherever the app reaches it: directly, or through evaluate-and-store.
    monkeypatch.setattr(core.evaluate, "evaluate", counting)
    monkeypatch.setattr(core.stored_results, "evaluate", counting)
    return calls


def _list_status(path) -> dict:
    out = subprocess.run([sys.executable, "-m", "aisite.app.cli", "list", str(path), "--json"],
                         capture_output=True, text=True, check=True)
    return {s["name"]: s["result"] for s in json.loads(out.stdout)["scenarios"]}


def test_reopened_project_shows_stored_results_without_the_engine(qtbot, window, sample, engine_calls):
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    assert engine_calls and not window.evaluator.last.from_store  # computed on first open
    first = window.dashboard.card_texts()
    assert _list_status(sample)[SCENARIO] == "fresh"

    window.close_project()
    engine_calls.clear()
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    assert engine_calls == []  # shown from the file
    assert window.evaluator.last.from_store
    assert window.dashboard.card_texts() == first
    assert "Stored results" in window.compute_label.text()


def test_an_edit_makes_the_stored_result_stale_and_recomputes(qtbot, window, sample, engine_calls):
    from aisite.core.project.edits import SetField

    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    engine_calls.clear()
    project = window.document.project
    window.document.push(SetField(project, SCENARIO, "workload.mfu", 0.45))
    wait_result(qtbot, window)
    assert len(engine_calls) == 1
    assert project.result_status(SCENARIO) == "fresh"
    with open_project(sample, read_only=True) as again:
        assert again.get_result(SCENARIO, arrays=False).summary == window.dashboard.result.summary
