"""Copy a chart to the clipboard, or save it as PNG or SVG: a right-click menu on any
pyqtgraph PlotWidget (the dashboard's, the analyses', the comparison's)."""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu


def copy_chart(widget: pg.PlotWidget) -> None:
    QApplication.clipboard().setPixmap(widget.grab())


def save_chart(widget: pg.PlotWidget, path: str) -> Path:
    """PNG (what is on screen) or SVG (vector, by the file's suffix)."""
    target = Path(path)
    if target.suffix.lower() == ".svg":
        # Qt's own SVG painter on the chart's scene: vectors, and it handles every item
        # (pyqtgraph's SVG exporter fails on bar charts)
        from PySide6.QtCore import QRect, QSize  # noqa: PLC0415
        from PySide6.QtGui import QPainter  # noqa: PLC0415
        from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415

        generator = QSvgGenerator()
        generator.setFileName(str(target))
        generator.setSize(QSize(widget.width(), widget.height()))
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle(_title(widget))
        painter = QPainter(generator)
        try:
            widget.render(painter)
        finally:
            painter.end()
        if not target.exists():
            raise OSError(f"cannot write {target}")
    else:
        if target.suffix.lower() != ".png":
            target = target.with_suffix(".png")
        if not widget.grab().save(str(target), "PNG"):
            raise OSError(f"cannot write {target}")
    return target


def _title(widget: pg.PlotWidget) -> str:
    text = widget.getPlotItem().titleLabel.text or widget.objectName() or "chart"
    return "".join(c if c.isalnum() or c in " -_" else " " for c in text).strip().replace("  ", " ") or "chart"


def add_export_menu(widget: pg.PlotWidget) -> None:
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    widget.customContextMenuRequested.connect(lambda pos: _menu(widget, pos))


def _menu(widget: pg.PlotWidget, pos) -> None:
    menu = QMenu(widget)
    menu.addAction("Copy chart", lambda: copy_chart(widget))
    menu.addAction("Save chart as PNG…", lambda: _save_dialog(widget, "png"))
    menu.addAction("Save chart as SVG…", lambda: _save_dialog(widget, "svg"))
    menu.exec(widget.mapToGlobal(pos))


def _save_dialog(widget: pg.PlotWidget, kind: str) -> None:
    from aisite.app import messages  # noqa: PLC0415

    filters = "PNG image (*.png)" if kind == "png" else "SVG drawing (*.svg)"
    path, _ = QFileDialog.getSaveFileName(widget, "Save chart", str(Path.home() / f"{_title(widget)}.{kind}"), filters)
    if not path:
        return
    if not path.lower().endswith(f".{kind}"):
        path += f".{kind}"
    try:
        save_chart(widget, path)
    except OSError as error:
        messages.tell(widget.window(), "critical", "Cannot save the chart", str(error))
