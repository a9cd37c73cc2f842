"""With no project open the centre says so and offers the ways in; nothing pretends to work."""
from __future__ import annotations

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QPushButton

from tests.app.conftest import wait_result


def test_no_project_shows_welcome_and_the_shipped_catalogue(window):
    assert window.centre.currentWidget() is window.welcome
    assert window.browser.table.model().rowCount() >= 15  # every shipped chip
    for name in ("add", "site", "variant", "delete"):
        assert not window.tree.actions[name].isEnabled()
    assert not window.browser.add_button.isEnabled()


def test_open_the_sample_from_the_welcome_page(qtbot, window, tmp_path, monkeypatch):
    QStandardPaths.setTestModeEnabled(True)  # the sample goes to a throwaway app-data folder
    try:
        qtbot.mouseClick(window.welcome.findChild(QPushButton, "welcomeSample"), Qt.MouseButton.LeftButton)
        wait_result(qtbot, window)
        assert window.centre.currentWidget() is window.tabs
        assert window.document is not None and len(window.document.project.scenarios()) >= 3
        window.close_project()
        assert window.centre.currentWidget() is window.welcome
    finally:
        QStandardPaths.setTestModeEnabled(False)
