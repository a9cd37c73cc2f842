"""Editing the uncertain inputs in the Monte Carlo view, on a real sample project: each
change is one core operation in the project's undo history, a refused value shows the
core's message next to the form, and the next run samples what was stored."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from aisite.core.analyses import scenario_inputs
from aisite.core.distributions import parse_distribution
from aisite.core.errors import InputError
from aisite.core.explore.uncertain import default_inputs
from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result
from tests.app.helpers import type_into

SCENARIO = "Texas B200 training campus"


@pytest.fixture
def mc(qtbot, window, tmp_path):
    path = create_sample_project(tmp_path / "sample.aisite")
    window.open_project(str(path), prefer=SCENARIO)
    wait_result(qtbot, window)
    window.tabs.setCurrentWidget(window.analyses)
    view = window.analyses.view("montecarlo")
    window.analyses.tabs.setCurrentWidget(view)
    return window, view


def _stored(window) -> dict:
    project = window.document.project
    return project.effective_scenario(window.scenario_id, with_uncertain=True).get("uncertain", {})


def _pick(qtbot, editor, path):
    editor.path.setFocus()
    editor.path.lineEdit().selectAll()
    qtbot.keyClicks(editor.path.lineEdit(), path)
    qtbot.keyClick(editor.path.lineEdit(), Qt.Key.Key_Return)


def test_add_edit_undo_and_run_with_an_uncertain_input(qtbot, mc):
    window, view = mc
    editor = view.uncertain
    before = _stored(window)
    assert set(before) == {"workload.mfu", "schedule.grid_connection"}
    assert editor.table.rowCount() == 2

    # a new input starts from the shipped range (data/uncertainty.csv)
    _pick(qtbot, editor, "schedule.permitting")
    doc, catalogue = scenario_inputs(window.document.project, window.scenario_id)
    shipped = {u.path: u.dist for u in default_inputs(doc, catalogue)}["schedule.permitting"]
    assert editor.dist.currentData() == "triangular"
    assert [float(editor.fields[k].text()) for k in ("low", "mode", "high")] == [shipped.low, shipped.mode,
                                                                                 shipped.high]
    assert not editor.fields["mean"].isVisible()

    # a value the core refuses: its message beside the form, nothing stored, nothing to undo
    undo_text = window.document.history.undo_text
    type_into(qtbot, editor.fields["high"], "3")
    with pytest.raises(InputError) as core_says:
        parse_distribution({"dist": "triangular", "low": shipped.low, "mode": shipped.mode, "high": 3.0},
                           "uncertain.schedule.permitting")
    assert editor.error.text() == str(core_says.value)
    assert "border" in editor.fields["high"].styleSheet()
    assert _stored(window) == before and window.document.history.undo_text == undo_text

    type_into(qtbot, editor.fields["high"], "36")
    qtbot.mouseClick(editor.set_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == ""
    added = _stored(window)["schedule.permitting"]
    assert added == {"dist": "triangular", "low": shipped.low, "mode": shipped.mode, "high": 36.0}
    assert editor.table.rowCount() == 3

    window.undo()
    assert _stored(window) == before and editor.table.rowCount() == 2
    window.redo()
    assert _stored(window)["schedule.permitting"] == added

    # change a stored one to another distribution: the form keeps its bounds
    _pick(qtbot, editor, "workload.mfu")
    editor.dist.setCurrentIndex(editor.dist.findData("uniform"))
    editor.dist.activated.emit(editor.dist.currentIndex())
    assert editor.fields["low"].isVisible() and not editor.fields["mode"].isVisible()
    qtbot.mouseClick(editor.set_button, Qt.MouseButton.LeftButton)
    assert _stored(window)["workload.mfu"]["dist"] == "uniform"

    # remove one; undo brings it back exactly
    grid = _stored(window)["schedule.grid_connection"]
    _pick(qtbot, editor, "schedule.grid_connection")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert "schedule.grid_connection" not in _stored(window)
    window.undo()
    assert _stored(window)["schedule.grid_connection"] == grid

    # a run afterwards samples exactly the stored inputs
    view.samples.setValue(200)
    view.ranges.setCurrentIndex(view.ranges.findData("none"))
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.analyses.running is None, timeout=60_000)
    assert "Cannot" not in view.status.text(), view.status.text()
    ran = {i["path"]: i for i in view.summary["inputs"]}
    assert set(ran) == {"workload.mfu", "schedule.grid_connection", "schedule.permitting"}
    assert ran["schedule.permitting"]["high"] == 36.0
    assert ran["workload.mfu"]["dist"] == "uniform"
    samples = view.arrays["inputs"]
    column = list(ran).index("schedule.permitting")
    assert samples[:, column].max() > shipped.high  # draws beyond the old range: the edit is used


def test_read_only_project_shows_but_does_not_edit(qtbot, window, tmp_path):
    path = create_sample_project(tmp_path / "sample.aisite")
    window.open_project(str(path), read_only=True, prefer=SCENARIO)
    editor = window.analyses.view("montecarlo").uncertain
    assert editor.table.rowCount() == 2
    assert not editor.set_button.isEnabled() and not editor.remove_button.isEnabled()
