"""What every analysis view shares: a form (prefilled from core.analyses.DEFAULTS or the
stored definition), Run and Cancel, a progress bar, a status line, and a scrolling
results area. The AnalysesPanel runs the work on the task runner; a view only turns a
form into a definition and an answer into charts and tables."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aisite.app import theme
from aisite.app.chart_export import add_export_menu


def make_plot(name: str, title: str, x_label: str, y_label: str, height: int = 260) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setObjectName(name)
    plot.setMinimumHeight(height)
    theme.style_plot(plot, title, x_label, y_label)
    add_export_menu(plot)
    return plot


def make_table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMinimumHeight(180)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    """Rows of text; the table grows to show them all (the results area scrolls)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setMinimumHeight(min(600, max(120, rows_height + table.horizontalHeader().height() + 6)))


class AnalysisView(QWidget):
    """Subclasses set `kind`, fill `self.form` (a grid) and implement definition(),
    load_definition(d) and show_result(summary, arrays)."""

    kind = ""
    runRequested = Signal(object)  # self
    cancelRequested = Signal()
    applyRequested = Signal(object, str)  # (variant overrides, what it is)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName(f"analysis_{self.kind}")
        self.summary: dict | None = None
        self.arrays: dict = {}
        self.scenario_doc: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(4)
        outer.addLayout(self.form)
        bar = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName(f"run_{self.kind}")
        self.run_button.clicked.connect(lambda: self.runRequested.emit(self))
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"cancel_{self.kind}")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancelRequested.emit)
        self.progress = QProgressBar()
        self.progress.setObjectName(f"progress_{self.kind}")
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(260)
        self.progress.setMinimumWidth(60)
        self.status = QLabel("")
        self.status.setObjectName(f"status_{self.kind}")
        self.status.setWordWrap(True)
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress)
        bar.addWidget(self.status, 1)
        outer.addLayout(bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.results = QWidget()
        self.results_layout = QVBoxLayout(self.results)
        self.results_layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self.results)
        outer.addWidget(scroll, 1)
        self.build()
        for column in (1, 3):  # the two value columns of the form share the width
            self.form.setColumnStretch(column, 1)
        self.results_layout.addStretch(1)
        self.load_definition(self.defaults())

    # -- subclasses
    def build(self) -> None:
        raise NotImplementedError

    def defaults(self) -> dict:
        from aisite.core.analyses import defaults_for  # noqa: PLC0415

        return defaults_for(self.kind, self.scenario_doc)

    def definition(self) -> dict:
        raise NotImplementedError

    def load_definition(self, definition: dict) -> None:
        raise NotImplementedError

    def show_result(self, summary: dict, arrays: dict) -> None:
        raise NotImplementedError

    def set_scenario_doc(self, doc: dict | None) -> None:
        """The scenario the analysis runs on (defaults and pickers depend on it)."""
        self.scenario_doc = doc

    # -- state shown by the panel
    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.set_status("Running…", "info")

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {total:,}")

    def set_status(self, text: str, severity: str = "info") -> None:
        colour = theme.SEVERITY_COLOURS.get(severity, "")
        self.status.setStyleSheet(f"color: {colour};" if severity == "error" else "")
        self.status.setText(text)

    def add_field(self, row: int, col: int, label: str, widget: QWidget, tip: str = "") -> None:
        if isinstance(widget, QAbstractSpinBox):  # wide ranges must not widen the window
            widget.setMinimumWidth(70)
        if isinstance(widget, QComboBox):  # long item texts must not widen the window
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(8)
        lab = QLabel(label)
        lab.setBuddy(widget)
        if tip:
            lab.setToolTip(tip)
            widget.setToolTip(tip)
        self.form.addWidget(lab, row, col * 2)
        self.form.addWidget(widget, row, col * 2 + 1)
