"""Colours and chart styling that read well in light and dark palettes.

Series colours are fixed (a planner learns that grid is grey and solar is amber);
backgrounds, text and axes follow the application palette, so the charts match a
dark or light desktop.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from aisite.app.colours import (  # noqa: F401 - the series colours live there, re-exported here
    CATEGORY_COLOURS,
    CRITICAL,
    ERROR_TEXT,
    NORMAL_TASK,
    SEVERITY_COLOURS,
    SUPPLY_COLOURS,
)


def palette() -> QPalette:
    app = QApplication.instance()
    return app.palette() if app is not None else QPalette()


def is_dark() -> bool:
    pal = palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def background() -> QColor:
    return palette().color(QPalette.ColorRole.Base)


def foreground() -> QColor:
    return palette().color(QPalette.ColorRole.Text)


def load_line() -> QColor:
    """The facility-load line drawn over stacked supply: text colour, so it contrasts."""
    return foreground()


def style_plot(widget: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    """Palette-matched background, title and axis labels with units."""
    fg = foreground()
    widget.setBackground(background())
    item = widget.getPlotItem()
    item.setTitle(title, color=fg.name(), size="11pt")
    for name, label in (("bottom", x_label), ("left", y_label)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(fg))
        axis.setTextPen(pg.mkPen(fg))
        axis.setLabel(label, color=fg.name())
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setMenuEnabled(False)


def style_legend(legend: pg.LegendItem) -> None:
    fg = foreground()
    bg = QColor(background())
    bg.setAlpha(200)
    legend.setLabelTextColor(fg)
    legend.setBrush(pg.mkBrush(bg))
    legend.setPen(pg.mkPen(QColor(fg.red(), fg.green(), fg.blue(), 80)))


def brush(colour: str, alpha: int = 255):
    c = QColor(colour)
    c.setAlpha(alpha)
    return pg.mkBrush(c)


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (View > Dark palette; tests render both)."""
    pal = QPalette()
    window, base, text = QColor(37, 39, 43), QColor(27, 29, 32), QColor(222, 224, 228)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, window)
        pal.setColor(group, QPalette.ColorRole.WindowText, text)
        pal.setColor(group, QPalette.ColorRole.Base, base)
        pal.setColor(group, QPalette.ColorRole.AlternateBase, QColor(45, 47, 52))
        pal.setColor(group, QPalette.ColorRole.Text, text)
        pal.setColor(group, QPalette.ColorRole.Button, QColor(50, 52, 57))
        pal.setColor(group, QPalette.ColorRole.ButtonText, text)
        pal.setColor(group, QPalette.ColorRole.Highlight, QColor(61, 122, 196))
        pal.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(50, 52, 57))
        pal.setColor(group, QPalette.ColorRole.ToolTipText, text)
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(140, 142, 148))
        pal.setColor(group, QPalette.ColorRole.Link, QColor(110, 170, 240))
    disabled = QColor(120, 122, 128)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(50, 52, 57))
    return pal
