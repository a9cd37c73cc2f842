"""Write a report in any format, whole or not at all, with progress and cancel.

`export(report, path)` is what File > Export report... and `aisite report` both call.
PDF and HTML need a Qt GUI application (for fonts and painting); `ensure_qt()` makes
one, offscreen when the machine has no display.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

from aisite.core.errors import InputError
from aisite.core.report.atomic import write_atomically
from aisite.core.report.model import Report

FORMATS = {"pdf": "PDF", "html": "HTML", "xlsx": "Excel workbook", "csv": "CSV"}
Progress = Callable[[int, int], object]


def format_of(path: str, fmt: str | None = None, *, option: str = "--out") -> str:
    """The format asked for: `fmt`, else the file's suffix; an InputError if unknown."""
    wanted = (fmt or Path(path).suffix.lstrip(".")).lower()
    if wanted == "htm":
        wanted = "html"
    if wanted not in FORMATS:
        shown = f"'.{wanted}'" if wanted else "no suffix"
        raise InputError("--format" if fmt else option,
                         f"unknown report format {shown}; use .pdf, .html, .xlsx or .csv")
    return wanted


def default_paper() -> str:
    """Letter where the locale's country uses it, else A4."""
    from PySide6.QtCore import QLocale

    letter = {QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
              QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia}
    return "letter" if QLocale().territory() in letter else "a4"


def ensure_qt():
    """A QGuiApplication for painting (an existing one, or a new offscreen one when
    there is no display)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    return app


def export(report: Report, path: str, fmt: str | None = None, *, paper: str | None = None,
           summary: bool = False, progress: Progress | None = None) -> Path:
    """Write `report` to `path` in `fmt` (default: from the suffix). A temporary file is
    renamed into place at the end, so a failure or Cancel leaves no partial file."""
    kind = format_of(path, fmt)

    def write(tmp: str) -> None:
        if kind == "pdf":
            from aisite.app.report.pdf import write_pdf

            ensure_qt()
            write_pdf(report, tmp, paper=paper or default_paper(), progress=progress)
        elif kind == "html":
            from aisite.app.report.html import write_html

            ensure_qt()
            write_html(report, tmp, progress)
        elif kind == "xlsx":
            from aisite.core.report.excel import write_excel

            write_excel(report, tmp, progress)
        else:
            from aisite.core.report.csv_out import write_csv

            write_csv(report, tmp, summary=summary)

    return write_atomically(path, write)
