"""The Analyses tab on a real sample project: progress, Cancel, stored answers, and the
same numbers as the CLI commands."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

import aisite.core.analyses
from aisite import core
from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result

SCENARIO = "Texas B200 training campus"


@pytest.fixture
def sample(tmp_path):
    return create_sample_project(tmp_path / "sample.aisite")


@pytest.fixture
def opened(qtbot, window, sample):
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    window.tabs.setCurrentWidget(window.analyses)
    return window, window.analyses


def cli_json(*args) -> dict:
    out = subprocess.run([sys.executable, "-m", "aisite.app.cli", *args, "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def run_to_end(qtbot, panel, view, timeout=60_000):
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.running is None, timeout=timeout)
    assert "Cannot" not in view.status.text(), view.status.text()


def test_monte_carlo_progress_cancel_and_rerun_equals_the_cli(qtbot, opened, sample):
    window, panel = opened
    view = panel.view("montecarlo")
    panel.tabs.setCurrentWidget(view)
    view.samples.setValue(100_000)
    view.seed.setValue(7)
    seen = []
    window.tasks.progressed.connect(lambda lane, done, total: seen.append((done, total)))
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert not view.run_button.isEnabled() and view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.running is None, timeout=5_000)
    assert "Cancelled" in view.status.text()
    assert seen[-1][0] < seen[-1][1] == 100_000  # stopped part-way
    assert view.summary is None

    view.samples.setValue(2000)
    view.result.setCurrentIndex(view.result.findData("throughput.training_days"))
    run_to_end(qtbot, panel, view)
    assert view.progress.value() == view.progress.maximum()
    cli = cli_json("montecarlo", str(sample), "--scenario", SCENARIO, "--samples", "2000", "--seed", "7",
                   "--result", "throughput.training_days")
    assert view.summary["samples"] == cli["samples"] == 2000
    assert view.summary["results"] == cli["results"]  # every key: P10/P50/P90, mean, min, max, histogram
    assert view.summary["correlations"] == cli["correlations"]
    assert view.summary["inputs"] == cli["inputs"]
    assert "P50" in view.quantiles.text() and view.table.rowCount() > 5


def test_sweep_and_tornado_equal_their_commands(qtbot, opened, sample):
    window, panel = opened
    sweep = panel.view("sweep")
    panel.tabs.setCurrentWidget(sweep)
    sweep.param1.setEditText("power[1].mw")
    sweep.values1.setText("0:400:100")
    run_to_end(qtbot, panel, sweep)
    keys = ",".join(sweep.checked_keys())
    cli = cli_json("sweep", str(sample), "--scenario", SCENARIO, "--param", "power[1].mw",
                   "--values", "0:400:100", "--result", keys)
    assert sweep.summary["columns"] == cli["columns"]
    assert sweep.summary["rows"] == cli["rows"]
    assert sweep.table.rowCount() == 5

    tornado = panel.view("tornado")
    panel.tabs.setCurrentWidget(tornado)
    tornado.result.setCurrentIndex(tornado.result.findData("cost.npv_cost_usd"))
    run_to_end(qtbot, panel, tornado)
    cli = cli_json("tornado", str(sample), "--scenario", SCENARIO, "--result", "cost.npv_cost_usd")
    assert [b["path"] for b in tornado.summary["bars"]] == [b["path"] for b in cli["bars"]]
    assert tornado.summary == cli
    assert tornado.table.item(0, 5).text().startswith("$")  # swing in planners' units


def test_reopened_project_shows_stored_analyses_without_recomputing(qtbot, window, sample, monkeypatch):
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    panel = window.analyses
    for kind in ("montecarlo", "tornado", "size"):
        run_to_end(qtbot, panel, panel.view(kind))
    shown = {k: panel.view(k).summary for k in ("montecarlo", "tornado", "size")}
    window.close_project()

    runs = []
    real = core.analyses.run
    monkeypatch.setattr(core.analyses, "run", lambda *a, **k: runs.append(a[0]) or real(*a, **k))
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    assert runs == []
    for kind, summary in shown.items():
        assert window.analyses.view(kind).summary == summary
        assert "Stored result" in window.analyses.view(kind).status.text()

    # an edit to the scenario makes them stale: flagged, and Run recomputes
    from aisite.core.project.edits import SetField

    window.document.push(SetField(window.document.project, SCENARIO, "workload.mfu", 0.45))
    wait_result(qtbot, window)
    assert "changed" in window.analyses.view("tornado").status.text()
    run_to_end(qtbot, window.analyses, window.analyses.view("tornado"))
    assert runs == ["tornado"]


def test_sizing_apply_as_variant_adds_one_undoable_scenario(qtbot, opened):
    window, panel = opened
    view = panel.view("size")
    panel.tabs.setCurrentWidget(view)
    run_to_end(qtbot, panel, view)
    n, dep = view.summary["count"], view.summary["deployment"]
    assert "Binding" in view.answer.text()
    project = window.document.project
    before = len(project.scenarios())
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert len(project.scenarios()) == before + 1
    kept = project.scenarios()[-1]
    assert project.overrides(kept.id) == {f"deployments[{dep}].count": n}
    assert window.scenario_id == kept.id  # the new variant is shown
    window.undo()
    assert len(project.scenarios()) == before


def test_cheapest_power_mix_cancels_mid_solve(qtbot, opened):
    window, panel = opened
    view = panel.view("optimize")
    panel.tabs.setCurrentWidget(view)
    seen = []
    window.tasks.progressed.connect(lambda lane, done, total: seen.append((lane, done, total)))
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(lane == "analysis" for lane, _, _ in seen), timeout=30_000)  # the LP is solving
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.running is None, timeout=5_000)
    assert "Cancelled" in view.status.text()
    assert view.summary is None and view.run_button.isEnabled()
