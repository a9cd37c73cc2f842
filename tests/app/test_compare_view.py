"""The Compare tab on a real sample project: equal to `aisite compare --json`; the same site in other regions."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result

TEXAS, NORDIC = "Texas B200 training campus", "Nordic sovereign AI site"


@pytest.fixture
def opened(qtbot, window, tmp_path):
    path = create_sample_project(tmp_path / "sample.aisite")
    window.open_project(str(path), prefer=TEXAS)
    wait_result(qtbot, window)
    window.tabs.setCurrentWidget(window.compare)
    return window, window.compare, path


def _ids(project, *names):
    return [project.scenario(n).id for n in names]


def test_compare_equals_the_cli_and_shows_the_deltas(qtbot, opened):
    window, view, path = opened
    project = window.document.project
    view.set_checked(_ids(project, TEXAS, NORDIC))
    assert view.compare_button.isEnabled()
    with qtbot.waitSignal(view.comparisonShown, timeout=30_000):
        qtbot.mouseClick(view.compare_button, Qt.MouseButton.LeftButton)
    out = subprocess.run([sys.executable, "-m", "aisite.app.cli", "compare", str(path), "--scenario", TEXAS,
                          "--scenario", NORDIC, "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(json.dumps(view.data)) == json.loads(out.stdout)
    # the table shows the value and, for the second scenario, its change against the first
    row = next(r for r, f in enumerate(view.data["figures"]) if f["key"] == "capex_usd")
    figure = view.data["figures"][row]
    cell = view.table.item(row, 2).text()
    assert figure["formatted"][1] in cell and figure["deltas"][1]["text"] in cell
    assert view.table.item(row, 2).toolTip() == figure["deltas"][1]["verdict"]
    assert view.diffs.rowCount() == len(view.data["differences"]) > 0


def test_picking_more_than_six_or_fewer_than_two_is_refused(qtbot, opened):
    window, view, _ = opened
    project = window.document.project
    view.set_checked(_ids(project, TEXAS))
    assert not view.compare_button.isEnabled()


def test_same_site_in_other_regions_is_one_undo_step_and_compares(qtbot, opened):
    window, view, _ = opened
    project = window.document.project
    before = len(project.scenarios())
    tid = project.scenario(TEXAS).id
    with qtbot.waitSignal(view.comparisonShown, timeout=60_000):
        new_ids = view.same_site_in_regions(tid, ["norway", "ireland"])
    assert len(project.scenarios()) == before + 2
    docs = [project.effective_scenario(i) for i in new_ids]
    assert [d["region"] for d in docs] == ["norway", "ireland"]
    # the Texas sample sets a grid-carbon override and a grid queue tied to Texas: copies drop them
    assert "grid_gco2_per_kwh" not in docs[0].get("overrides", {})
    assert [s["name"] for s in view.data["scenarios"]][0] == TEXAS and len(view.data["scenarios"]) == 3
    carbon = next(f for f in view.data["figures"] if f["key"] == "tco2e_per_year_location")
    assert carbon["deltas"][1]["verdict"] == "better"  # Norway's grid is cleaner than Texas'
    window.undo()
    assert len(project.scenarios()) == before
