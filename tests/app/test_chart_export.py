"""Every chart can be copied to the clipboard and saved as PNG or SVG."""
from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from aisite.app.chart_export import copy_chart, save_chart
from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result


def test_dashboard_chart_copies_and_saves_as_png_and_svg(qtbot, window, tmp_path):
    window.open_project(str(create_sample_project(tmp_path / "s.aisite")), prefer="Texas B200 training campus")
    wait_result(qtbot, window)
    window.tabs.setCurrentWidget(window.dashboard)
    plot = window.dashboard.monthly.plot
    copy_chart(plot)
    assert not QApplication.clipboard().pixmap().isNull()
    png = save_chart(plot, str(tmp_path / "monthly.png"))
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 100
    svg = save_chart(plot, str(tmp_path / "monthly.svg"))
    text = svg.read_text(encoding="utf-8")
    title = plot.getPlotItem().titleLabel.text
    first_word = title.split()[0]
    assert "<svg" in text and "<rect" in text and first_word in text  # vector bars and the title
    assert plot.contextMenuPolicy().name == "CustomContextMenu"
