"""Undo and redo every kind of edit; bad input shows its message and saves nothing;
a corrupt file gives a message box and the app keeps running."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolButton

from aisite.core.project import open_project
from tests.app.conftest import wait_result
from tests.app.helpers import choose, field, project_state, type_into


def undo_redo(qtbot, win, before, after):
    """Ctrl+Z restores `before`, Ctrl+Shift+Z restores `after`."""
    project = win.document.project
    assert project_state(project) == after
    win.act_undo.trigger()
    assert project_state(project) == before
    win.act_redo.trigger()
    assert project_state(project) == after


def step(qtbot, win, action):
    project = win.document.project
    before = project_state(project)
    depth = win.document.history.undo_count
    action()
    win.builder.commit_pending()
    after = project_state(project)
    assert after != before, (win.builder.invalid, win.builder._pending, win.statusBar().currentMessage())
    assert win.document.history.undo_count == depth + 1, "one edit, one undo step"
    undo_redo(qtbot, win, before, after)


def test_undo_redo_every_kind_of_edit(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "undo.aisite"))
    b = win.builder
    add = win.tree.findChild(QToolButton, "treeButton_add")
    step(qtbot, win, lambda: qtbot.mouseClick(add, Qt.MouseButton.LeftButton))  # add scenario
    step(qtbot, win, lambda: type_into(qtbot, field(win, "deployments[0].count"), "2048"))  # set number
    step(qtbot, win, lambda: choose(qtbot, b.region, "sweden"))  # choice
    step(qtbot, win, lambda: choose(qtbot, b.cooling, "direct-liquid"))
    step(qtbot, win, lambda: choose(qtbot, field(win, "deployments[0].chip"), "amd-mi300x"))
    step(qtbot, win, lambda: choose(qtbot, field(win, "deployments[0].server"), "hgx-h100-8gpu"))
    step(qtbot, win, lambda: type_into(qtbot, field(win, "deployments[0].servers_per_rack"), "4"))
    step(qtbot, win, lambda: type_into(qtbot, field(win, "deployments[0].servers_per_rack"), ""))  # unset
    step(qtbot, win, lambda: qtbot.mouseClick(b.add_deployment, Qt.MouseButton.LeftButton))  # add row
    step(qtbot, win, lambda: qtbot.mouseClick(b.findChild(type(b.add_deployment), "removeDeployment1"),
                                              Qt.MouseButton.LeftButton))  # remove row
    step(qtbot, win, lambda: qtbot.mouseClick(b.add_power, Qt.MouseButton.LeftButton))
    step(qtbot, win, lambda: choose(qtbot, b.workload_kind, "inference"))  # workload kind
    step(qtbot, win, lambda: type_into(qtbot, field(win, "workload.batch"), "64"))
    step(qtbot, win, lambda: qtbot.mouseClick(b.lease, Qt.MouseButton.LeftButton))  # checkbox
    step(qtbot, win, lambda: type_into(qtbot, field(win, "overrides.pue"), "1.2"))
    step(qtbot, win, lambda: type_into(qtbot, field(win, "schedule.permitting"), "6"))
    # Tree edits: variant, copy, site, rename, delete.
    step(qtbot, win, lambda: qtbot.mouseClick(win.tree.findChild(QToolButton, "treeButton_variant"),
                                              Qt.MouseButton.LeftButton))
    step(qtbot, win, lambda: type_into(qtbot, field(win, "power[0].mw"), "35"))  # a variant's override
    step(qtbot, win, win.tree.duplicate)
    step(qtbot, win, win.tree.add_site)
    item = win.tree.tree.currentItem()
    step(qtbot, win, lambda: item.setText(0, "Renamed — “quotes” & ünïcode"))
    step(qtbot, win, win.tree.delete_selected)
    # Catalogue: add, edit and remove the planner's own component.
    browser = win.browser
    browser.kind.setCurrentIndex(browser.kind.findData("chips"))
    browser.select("nvidia-h100-sxm")
    entry = {"id": "my-chip", "name": "My chip", "bf16_tflops": 1500.0, "memory_gb": 144.0,
             "memory_tbps": 5.0, "tdp_w": 900.0, "price_usd": 30000.0, "default_server": "hgx-h100-8gpu"}
    step(qtbot, win, lambda: browser.save_entry("chips", entry))
    step(qtbot, win, lambda: browser.save_entry("chips", {**entry, "tdp_w": 950.0}, "my-chip"))
    browser.select("my-chip")
    step(qtbot, win, browser.remove_selected)
    assert win.document.history.undo_count == 25


def test_consecutive_typing_in_one_field_is_one_undo_step(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "merge.aisite"))
    win.tree.add_scenario()
    depth = win.document.history.undo_count
    count = field(win, "deployments[0].count")
    for text in ("2000", "3000", "4000"):
        type_into(qtbot, count, text)
    assert win.document.history.undo_count == depth + 1
    win.act_undo.trigger()
    assert win.document.project.effective_scenario(win.scenario_id)["deployments"][0]["count"] == 1024
    assert count.text() == "1024"


def test_bad_input_shows_message_and_saves_nothing(qtbot, window, tmp_path):
    win = window
    path = tmp_path / "bad.aisite"
    win.new_project(str(path))
    win.tree.add_scenario()
    win.tabs.setCurrentWidget(win.builder)
    project = win.document.project
    saved = project.effective_scenario(win.scenario_id)
    depth = win.document.history.undo_count
    count = field(win, "deployments[0].count")
    type_into(qtbot, count, "-5", enter=False)
    label = win.builder.messages["deployments"]
    assert label.isVisible()
    assert "Deployment 1, count: must be a positive integer, got -5" == label.text()
    assert count.property("invalid")
    assert "1 typed value not saved" in win.file_label.text()
    qtbot.wait(600)  # longer than the save delay
    qtbot.keyClick(count, Qt.Key.Key_Return)
    assert project.effective_scenario(win.scenario_id) == saved
    assert win.document.history.undo_count == depth
    # Text that is not a number, in a form field: the message sits under it.
    tokens = field(win, "overrides.pue")
    type_into(qtbot, tokens, "lots")
    assert win.builder.messages["overrides.pue"].text() == "must be a number, got 'lots'"
    type_into(qtbot, tokens, "0.5")
    assert "must be at least 1" in win.builder.messages["overrides.pue"].text()
    assert project.effective_scenario(win.scenario_id) == saved
    # Nothing reached the file either.
    with open_project(path, read_only=True) as other:
        assert other.effective_scenario(win.scenario_id) == saved
    # Fixing the value saves it and clears the messages.
    type_into(qtbot, count, "4096")
    type_into(qtbot, tokens, "")
    assert project.effective_scenario(win.scenario_id)["deployments"][0]["count"] == 4096
    assert not label.isVisible() and not win.builder.messages["overrides.pue"].isVisible()
    assert not win.builder.has_problems()
    assert win.file_label.text().endswith("all changes saved")


def test_corrupt_file_gives_message_and_app_keeps_running(qtbot, window, tmp_path, message_boxes):
    win = window
    good = tmp_path / "good.aisite"
    win.new_project(str(good))
    win.tree.add_scenario()
    bad = tmp_path / "corrupt.aisite"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    original = bad.read_bytes()
    assert not win.open_project(str(bad))
    assert message_boxes.kinds() == ["critical"]
    assert "corrupt.aisite cannot be opened" in message_boxes.shown[0][2]
    assert bad.read_bytes() == original
    # Still working on the good project.
    assert win.document is not None and win.document.path == str(good)
    type_into(qtbot, field(win, "deployments[0].count"), "512")
    assert win.document.project.effective_scenario(win.scenario_id)["deployments"][0]["count"] == 512
    text = tmp_path / "notes.aisite"
    text.write_text("not a project")
    assert not win.open_project(str(text))
    assert message_boxes.kinds() == ["critical", "critical"]


def test_file_in_use_offers_read_only(qtbot, window, tmp_path, message_boxes):
    win = window
    path = tmp_path / "shared.aisite"
    win.new_project(str(path))
    win.tree.add_scenario()
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from aisite.core.project import open_project; p = open_project(sys.argv[1]); "
        "print('open', flush=True); time.sleep(30)"), str(path)], stdout=subprocess.PIPE, text=True,
        cwd=os.getcwd())
    try:
        win.close_project()
        # Another process holds it now (we closed ours first).
        assert holder.stdout.readline().strip() == "open"
        message_boxes.answer = QMessageBox.StandardButton.Yes
        assert win.open_project(str(path))
        assert message_boxes.kinds() == ["question"]
        assert win.document.read_only
        assert "read-only" in win.file_label.text()
        assert not field(win, "deployments[0].count").isEnabled()
    finally:
        holder.kill()
        holder.wait()


def test_stale_results_never_shown(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "burst.aisite"))
    win.tree.add_scenario()
    wait_result(qtbot, win)
    shown = []
    win.resultShown.connect(lambda: shown.append(win.dashboard.result.summary["throughput"]["accelerators"]))
    count = field(win, "deployments[0].count")
    for n in range(1, 21):
        type_into(qtbot, count, str(1000 + n))
    wait_result(qtbot, win)
    assert shown[-1] == 1020
    assert shown == sorted(shown)  # never an older result after a newer one
    assert win.dashboard.cards["accelerators"].value.text() == "1,020"


def test_a_new_source_replaces_the_row_in_one_undoable_step(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "choice.aisite"))
    win.tree.add_scenario()
    project = win.document.project
    type_into(qtbot, field(win, "power[0].mw"), "20")
    qtbot.mouseClick(win.builder.add_power, Qt.MouseButton.LeftButton)  # solar-pv
    # Battery MWh applies only to storage: choosing grid for a row with MWh set takes the
    # MWh away with the battery, as one step that undo puts back whole.
    choose(qtbot, field(win, "power[1].source"), "battery")
    type_into(qtbot, field(win, "power[1].mwh"), "80")
    battery = project.effective_scenario(win.scenario_id)
    depth = win.document.history.undo_count
    choose(qtbot, field(win, "power[1].source"), "grid")
    now = project.effective_scenario(win.scenario_id)
    assert now["power"][1]["source"] == "grid" and "mwh" not in now["power"][1]
    assert win.document.history.undo_count == depth + 1
    assert not win.builder.messages["power"].text()
    win.undo()
    assert project.effective_scenario(win.scenario_id) == battery
    win.redo()
    assert project.effective_scenario(win.scenario_id) == now
    # A firm source offers its dispatch; a source that is not firm drops it again.
    choose(qtbot, field(win, "power[1].source"), "gas-engine")
    choose(qtbot, field(win, "power[1].dispatch"), "backup")
    assert project.effective_scenario(win.scenario_id)["power"][1]["dispatch"] == "backup"
    choose(qtbot, field(win, "power[1].source"), "solar-pv")
    assert "dispatch" not in project.effective_scenario(win.scenario_id)["power"][1]


def test_older_project_is_upgraded_with_a_message(qtbot, window, tmp_path, message_boxes):
    import shutil
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "core" / "project" / "fixtures" / "project_v1.aisite"
    old = tmp_path / "old.aisite"
    shutil.copy(fixture, old)
    assert window.open_project(str(old))
    kind, title, text = message_boxes.shown[-1]
    assert kind == "information" and title == "Project upgraded"
    assert "older version" in text and window.document.project.backup_path is not None
    assert window.tree.tree.topLevelItemCount() > 0
