"""A project whose write-ahead log is damaged, opened through the real window: the
planner is told how many saved edits were lost and where the damaged log is kept, sees
the intact part read-only, and may accept the loss to continue editing."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtWidgets import QMessageBox

from aisite.core.project import create_project, open_project
from aisite.core.project.edits import AddCatalogueEntry
from tests.core.project.conftest import PYTHON, ROOT, child_env
from tests.core.project.test_wal_damage import EDITS, WRITE_AND_DIE, _flip, _frame_offset


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A project whose committed edits are all still in its write-ahead log."""
    path = str(tmp_path_factory.mktemp("wal") / "damaged.aisite")
    create_project(path).close()
    subprocess.run([PYTHON, "-c", WRITE_AND_DIE, path, str(EDITS)], cwd=ROOT, env=child_env(), check=True,
                   timeout=120)
    return path


@pytest.fixture
def damaged(logged, tmp_path):
    path = str(tmp_path / "damaged.aisite")
    shutil.copyfile(logged, path)
    shutil.copyfile(logged + "-wal", path + "-wal")
    _flip(path, _frame_offset(20))  # a damaged byte in the middle of the log
    return path


def _entries(win) -> int:
    return len(win.document.project.catalogue_entries())


def test_damaged_log_is_told_opened_read_only_and_editable_once_accepted(qtbot, window, message_boxes, damaged):
    win = window
    message_boxes.answer = QMessageBox.StandardButton.No  # first keep it read-only
    assert win.open_project(damaged)
    (kind, title, text), = message_boxes.shown
    doc = win.document
    lost = doc.log_damage.lost_commits
    assert kind == "question" and "could not be recovered" in title
    assert f"{lost} saved edits" in text and doc.log_damage.kept_as in text
    assert os.path.exists(damaged + "-wal.damaged")
    assert doc.read_only and _entries(win) + lost == EDITS
    assert "read-only" in win.file_label.text() and f"{lost} saved edits could not be recovered" in win.file_label.text()
    assert "[read-only]" in win.windowTitle()
    assert win.accept_damage_button.isVisible() and not win.act_undo.isEnabled()
    intact = _entries(win)

    message_boxes.answer = QMessageBox.StandardButton.Yes  # later: accept the loss from the status bar
    win.accept_damage_button.click()
    doc = win.document
    assert not doc.read_only and _entries(win) == intact
    assert "all changes saved" in win.file_label.text() and "[read-only]" not in win.windowTitle()
    assert not win.accept_damage_button.isVisible()
    doc.push(AddCatalogueEntry("chips", {"id": "after-recovery", "name": "After recovery", "tdp_w": 700}))
    assert win.act_undo.isEnabled()
    path = doc.path
    win.close_project()
    with open_project(path) as p:  # the edit made after accepting is saved, the log is healthy again
        assert p.wal_damage is None and len(p.catalogue_entries()) == intact + 1
    assert os.path.exists(damaged + "-wal.damaged")  # the damaged bytes are never deleted


def test_accepting_at_once_when_asked(qtbot, window, message_boxes, damaged):
    win = window
    message_boxes.answer = QMessageBox.StandardButton.Yes
    assert win.open_project(damaged)
    assert [k for k in message_boxes.kinds()] == ["question"]
    assert not win.document.read_only and not win.accept_damage_button.isVisible()


def test_asked_read_only_is_told_without_the_question(qtbot, window, message_boxes, damaged):
    """Opening read-only on purpose (a file in use elsewhere) still names the loss in the status bar."""
    win = window
    assert win.open_project(damaged, read_only=True)
    assert message_boxes.shown == []
    assert "could not be recovered" in win.file_label.text() and win.accept_damage_button.isVisible()
