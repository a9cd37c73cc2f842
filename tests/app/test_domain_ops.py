"""The builder and a script share the core's rules: the same refusal with the same field
message, the same labels, one undo history, and no view left stale after an edit."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from aisite.core.errors import InputError
from aisite.core.project import create_sample_project
from aisite.core.project.edits import SetField
from aisite.core.schedule import TASK_NAMES
from tests.app.conftest import wait_result
from tests.app.helpers import field, type_into

TEXAS = "Texas B200 training campus"
LATE = f"{TEXAS}: grid two years late"


@pytest.fixture
def sample_window(window, tmp_path):
    path = create_sample_project(tmp_path / "sample.aisite")
    assert window.open_project(str(path), prefer=TEXAS)
    return window


def _select(qtbot, win, name):
    win.tree.select_scenario(win.document.project.scenario(name).id)
    assert win.scenario_id == win.document.project.scenario(name).id
    wait_result(qtbot, win)


@pytest.mark.parametrize("path, text, value, label_key", [
    ("overrides.pue", "0.5", 0.5, "overrides.pue"),
    ("deployments[0].count", "-5", -5, "deployments"),
    ("power[1].mwh", "10", 10, "power"),  # only storage takes MWh (the field is disabled on solar)
])
def test_a_bad_value_gets_the_same_message_in_the_builder_and_through_the_core(
        qtbot, sample_window, path, text, value, label_key):
    win = sample_window
    project = win.document.project
    stored = project.effective_scenario(TEXAS)
    with pytest.raises(InputError) as refused:
        project.do(SetField(project, TEXAS, path, value))
    widget = field(win, path)
    widget.setEnabled(True)
    type_into(qtbot, widget, text)
    win.builder.commit_pending()
    shown = win.builder.messages[label_key].text()
    assert refused.value.message in shown, (shown, refused.value.message)
    assert win.builder.invalid[path] == refused.value.message
    assert project.effective_scenario(TEXAS) == stored, "nothing saved"


def test_the_builder_labels_schedule_tasks_as_the_results_do(sample_window):
    labels = {w.text() for w in sample_window.builder.findChildren(QLabel)}
    assert set(TASK_NAMES.values()) <= labels


def test_a_variant_edit_redraws_its_tree_tooltip(qtbot, sample_window):
    win = sample_window
    _select(qtbot, win, LATE)
    item = win.tree._find("scenario", win.scenario_id)
    assert "power[0].mw" not in item.toolTip(0)
    type_into(qtbot, field(win, "power[0].mw"), "333")
    win.builder.commit_pending()
    item = win.tree._find("scenario", win.scenario_id)
    assert "power[0].mw = 333" in item.toolTip(0)
    win.act_undo.trigger()
    assert "power[0].mw" not in win.tree._find("scenario", win.scenario_id).toolTip(0)


def test_undo_and_redo_follow_the_core_history_even_for_a_script_edit(qtbot, sample_window):
    """A script (or the CLI code path) editing the open project through Project.do lands
    in the same history: the window's Undo names it and undoes it."""
    win = sample_window
    project = win.document.project
    assert not win.act_undo.isEnabled()
    project.do(SetField(project, TEXAS, "power[0].mw", 321))
    assert win.act_undo.isEnabled()
    assert win.act_undo.text() == f"&Undo {project.history.undo_text}"
    assert field(win, "power[0].mw").text() == "321", "the builder shows the script's edit"
    win.act_undo.trigger()
    assert project.effective_scenario(TEXAS)["power"][0]["mw"] == 250
    assert win.act_redo.isEnabled() and not win.act_undo.isEnabled()
    win.act_redo.trigger()
    assert project.effective_scenario(TEXAS)["power"][0]["mw"] == 321


def test_add_power_source_in_the_builder_uses_the_core_defaults(qtbot, sample_window):
    win = sample_window
    project = win.document.project
    qtbot.mouseClick(win.builder.add_power, Qt.MouseButton.LeftButton)
    added = project.effective_scenario(TEXAS)["power"][-1]
    assert added == {"source": "wind-onshore", "mw": 250}  # grid, solar, battery and gas are taken
    assert project.history.undo_text == f"Add power source to {TEXAS!r}"


def test_a_valid_typed_value_is_saved_after_a_pause_without_enter(qtbot, sample_window):
    from aisite.app.builder.binder import COMMIT_DELAY_MS

    win = sample_window
    project = win.document.project
    type_into(qtbot, field(win, "power[0].mw"), "275", enter=False)
    assert project.effective_scenario(TEXAS)["power"][0]["mw"] == 250, "not saved while typing"
    qtbot.waitUntil(lambda: project.effective_scenario(TEXAS)["power"][0]["mw"] == 275,
                    timeout=COMMIT_DELAY_MS + 2000)
    # An invalid value is never saved, however long the planner waits.
    type_into(qtbot, field(win, "power[0].mw"), "-3", enter=False)
    qtbot.wait(COMMIT_DELAY_MS + 200)
    assert project.effective_scenario(TEXAS)["power"][0]["mw"] == 275
    assert "power[0].mw" in win.builder.invalid
