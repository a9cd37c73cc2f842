"""Start the desktop app: `aisite`, `aisite gui [PROJECT]`, `aisite --screenshot PNG`.

With no project, opens the bundled sample project, created on first run in the
user's app-data folder from data/samples/*.json (core.project.create_sample_project).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from aisite.app.sample_project import SAMPLE_FIRST_SCENARIO, sample_project_path

_T0 = time.perf_counter()


def make_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    from PySide6.QtGui import QIcon  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("AI Site Planner")
        QCoreApplication.setOrganizationDomain("aisite.example")
        QCoreApplication.setApplicationName("AI Site Planner")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setStyle("Fusion")
    from aisite.core.paths import resources_dir  # noqa: PLC0415

    icon = resources_dir() / "icons" / "aisite.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    style = resources_dir() / "styles" / "app.qss"
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run(project: str | None = None, *, screenshot: str | None = None) -> int:
    """Open the main window on `project` (the sample when None). With `screenshot`,
    render the window once its results are shown, save the PNG and return."""
    app = make_application()
    from aisite.app import messages  # noqa: PLC0415
    from aisite.app.main_window import MainWindow, wait_for_result  # noqa: PLC0415

    if screenshot:
        # A screenshot run never waits on a dialog: messages go to stderr.
        def answer(_kind, title, text, buttons):
            print(f"{title}: {text}", file=sys.stderr)
            return _first(buttons)

        messages.hook = answer
    settings = None
    if screenshot:
        # A fresh layout, and the planner's own settings left alone.
        import tempfile  # noqa: PLC0415

        from PySide6.QtCore import QSettings  # noqa: PLC0415

        scratch = tempfile.mkdtemp(prefix="aisite-screenshot-")
        settings = QSettings(os.path.join(scratch, "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    try:
        path = Path(project) if project else sample_project_path()
    except Exception as error:  # noqa: BLE001 - the window still opens, empty, and says why
        messages.tell(window, "critical", "Cannot create the sample project", str(error))
        path = None
    if screenshot:
        window.resize(1600, 1000)
        window.tabs.setCurrentIndex(1)
    window.show()
    if path is not None:
        window.open_project(str(path), prefer=None if project else SAMPLE_FIRST_SCENARIO)
    if screenshot:
        wait_for_result(window)
        for _ in range(5):
            app.processEvents()
        out = Path(screenshot)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(out))
        window.close()
        if not ok:
            print(f"aisite: could not write {out}", file=sys.stderr)
            return 1
        print(f"Saved {out}")
        return 0
    if os.environ.get("AISITE_MEASURE_STARTUP"):
        wait_for_result(window)
        print(f"startup_to_usable_ms {(time.perf_counter() - _T0) * 1000:.0f}", flush=True)
        window.close()
        return 0
    return app.exec()


def _first(buttons):
    """The first standard button in `buttons` (the answer a screenshot run gives)."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    for b in (QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No):
        if buttons & b:
            return b
    return QMessageBox.StandardButton.Ok
