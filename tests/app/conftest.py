"""pytest-qt fixtures for the desktop app: offscreen Qt, a private settings file,
real project files in tmp_path, and message boxes answered through app.messages."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


class MessageRecorder:
    """Records every message box; answers questions with `answer`."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def __call__(self, kind, title, text, buttons):
        self.shown.append((kind, title, text))
        if buttons & self.answer:
            return self.answer
        return QMessageBox.StandardButton.Ok

    def kinds(self):
        return [k for k, _, _ in self.shown]


@pytest.fixture
def message_boxes(monkeypatch):
    from aisite.app import messages

    recorder = MessageRecorder()
    monkeypatch.setattr(messages, "hook", recorder)
    return recorder


@pytest.fixture
def window(qtbot, settings, message_boxes):
    from aisite.app.main_window_launcher import make_application

    make_application()
    from aisite.app.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.tabs.setCurrentWidget(win.builder)
    yield win
    if win.document is not None:
        win.builder.commit_pending()
        win.evaluator.wait(5000)
        win.document.close()
        win.document = None


def wait_result(qtbot, win, timeout=10_000):
    """Wait until the newest evaluation has been shown."""
    qtbot.waitUntil(lambda: not win.evaluator.busy and win.evaluator.last is not None
                    and win.evaluator.last.generation == win.evaluator.generation, timeout=timeout)

