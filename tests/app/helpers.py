"""Driving the app as a user would: keys into fields, arrows through combo boxes."""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit


def field(win, path):
    widget = win.builder._widget_for(path)
    assert widget is not None, f"no widget for {path}"
    return widget


def type_into(qtbot, widget: QLineEdit, text: str, enter: bool = True) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def choose(qtbot, combo: QComboBox, data) -> None:
    """Select the item carrying `data` with the arrow keys (emits `activated` like a user)."""
    target = combo.findData(data)
    assert target >= 0, f"{data!r} not offered by {combo.objectName()}"
    combo.setFocus()
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentIndex() == target


def project_state(project) -> dict:
    """Everything a planner can see in a project, for before/after comparisons."""
    return {
        "scenarios": [(s.name, s.parent_id, s.site_id) for s in project.scenarios()],
        "documents": {s.name: copy.deepcopy(project.effective_scenario(s.id)) for s in project.scenarios()},
        "sites": [s.name for s in project.sites()],
        "catalogue": project.user_catalogue(),
    }
