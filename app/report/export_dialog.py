"""File > Export report...: pick the scenario, the format (and paper), scenarios to compare
with, and the file; the report is built and written on the app's task runner (lane
"report") with a progress bar and Cancel, so the window stays responsive. A failure is
shown in the dialog, next to the file field; nothing partial is ever left on disk.
"""
from __future__ import annotations

import importlib
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aisite.app.report.export import default_paper
from aisite.app.tasks import TaskOutcome, TaskRunner

LANE = "report"
# (label, suffix, --summary)
FORMAT_CHOICES = [("PDF document", "pdf", False), ("Web page (HTML, self-contained)", "html", False),
                  ("Excel workbook", "xlsx", False), ("CSV: the hourly year", "csv", False),
                  ("CSV: key results", "csv", True)]
MAX_COMPARE = 5
# Loaded in the background while the planner fills in the dialog, so neither the GUI
# thread nor a Cancel right after Export waits for first-time imports (xlsxwriter alone
# takes a few tenths of a second), which nothing can interrupt.
WARM_MODULES = ("aisite.app.report.html", "aisite.app.report.pdf", "aisite.core.report.content", "aisite.core.report.csv_out",
                "aisite.core.report.excel", "xlsxwriter")


def _warm_imports() -> None:
    for name in WARM_MODULES:
        importlib.import_module(name)


def build_and_write(project_path: str, scenario: str, compare: list[str], out: str, fmt: str,
                    paper: str, summary: bool, progress) -> Path:
    """The whole export as one function of plain arguments (runs on a worker thread;
    the CLI does the same through app.report.report_cmd.build and export)."""
    from aisite.app.report.export import export
    from aisite.app.report.report_cmd import build

    report = build(project_path, scenario, compare, option="scenario", progress=progress)
    return export(report, out, fmt, paper=paper, summary=summary, progress=progress)


class ExportReportDialog(QDialog):
    def __init__(self, parent: QWidget | None, tasks: TaskRunner, project_path: str, scenarios: list[str],
                 current: str | None, start_dir: str):
        super().__init__(parent)
        self.setObjectName("exportReportDialog")
        self.setWindowTitle("Export report")
        self.tasks, self.project_path = tasks, project_path
        self.written: Path | None = None
        threading.Thread(target=_warm_imports, name="report-imports", daemon=True).start()
        self._generation = 0
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.scenario = QComboBox()
        self.scenario.setObjectName("reportScenario")
        self.scenario.addItems(scenarios)
        if current in scenarios:
            self.scenario.setCurrentText(current)
        form.addRow("Scenario:", self.scenario)
        self.format = QComboBox()
        self.format.setObjectName("reportFormat")
        for label, _suffix, _summary in FORMAT_CHOICES:
            self.format.addItem(label)
        form.addRow("Format:", self.format)
        self.paper = QComboBox()
        self.paper.setObjectName("reportPaper")
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText("Letter" if default_paper() == "letter" else "A4")
        form.addRow("Paper:", self.paper)
        self.compare = QListWidget()
        self.compare.setObjectName("reportCompare")
        self.compare.setToolTip(f"Tick up to {MAX_COMPARE} scenarios to add a comparison section (PDF, HTML, Excel)")
        self.compare.setMaximumHeight(120)
        form.addRow("Compare with:", self.compare)
        path_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("reportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow("Save as:", path_row)
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #D62728;")
        self.message.hide()
        outer.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("Writing the report… %p%")
        self.progress.hide()
        outer.addWidget(self.progress)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("reportExport")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("reportCancel")
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        outer.addWidget(self.buttons)
        self._start_dir = start_dir
        self.scenario.currentTextChanged.connect(self._scenario_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.textEdited.connect(lambda _t: self.message.hide())
        tasks.progressed.connect(self._on_progress)
        tasks.finished.connect(self._on_finished)
        self._scenarios = scenarios
        self._scenario_changed(self.scenario.currentText())
        self.resize(560, self.sizeHint().height())

    # ------------------------------------------------------------------ inputs
    def _choice(self) -> tuple[str, str, bool]:
        return FORMAT_CHOICES[self.format.currentIndex()]

    def _suggested_path(self) -> str:
        _label, suffix, summary = self._choice()
        stem = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in self.scenario.currentText()).strip()
        name = f"{stem or 'report'}{' key results' if summary else ''}.{suffix}"
        folder = Path(self.path.text()).parent if self.path.text() else Path(self._start_dir)
        return str(folder / name)

    def _scenario_changed(self, name: str) -> None:
        ticked = set(self.compare_names())
        self.compare.clear()
        for other in self._scenarios:
            if other == name:
                continue
            item = QListWidgetItem(other)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if other in ticked else Qt.CheckState.Unchecked)
            self.compare.addItem(item)
        self.path.setText(self._suggested_path())

    def _format_changed(self) -> None:
        _label, suffix, _summary = self._choice()
        self.paper.setEnabled(suffix == "pdf")
        self.compare.setEnabled(suffix in ("pdf", "html", "xlsx"))
        self.path.setText(self._suggested_path())

    def compare_names(self) -> list[str]:
        return [self.compare.item(i).text() for i in range(self.compare.count())
                if self.compare.item(i).checkState() == Qt.CheckState.Checked]

    def _browse(self) -> None:
        _label, suffix, _summary = self._choice()
        path, _ = QFileDialog.getSaveFileName(self, "Export report", self.path.text(), f"{_label} (*.{suffix})")
        if path:
            self.path.setText(path if path.lower().endswith("." + suffix) else f"{path}.{suffix}")

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self.tasks.busy(LANE)

    def start(self) -> None:
        from aisite.app.report.export import format_of
        from aisite.core.errors import InputError
        from aisite.core.report.atomic import check_writable

        _label, suffix, summary = self._choice()
        out = self.path.text().strip()
        compare = self.compare_names() if suffix in ("pdf", "html", "xlsx") else []
        try:
            if not out:
                raise InputError("Save as", "choose a file to write")
            check_writable(out, option="Save as")
            fmt = format_of(out, option="Save as")
            if fmt != suffix:
                raise InputError("Save as", f"the file name ends in .{fmt} but the format is {_label}")
            if len(compare) > MAX_COMPARE:
                raise InputError("Compare with", f"tick at most {MAX_COMPARE} scenarios, not {len(compare)}")
        except InputError as error:
            self.show_error(str(error))
            return
        self.message.hide()
        args = (self.project_path, self.scenario.currentText(), compare, out, suffix,
                self.paper.currentText().lower(), summary)
        self._set_running(True)
        self._generation = self.tasks.submit(LANE, lambda ctx: build_and_write(*args, progress=ctx))

    def cancel(self) -> None:
        """Cancel stops a running export (nothing is written); otherwise it closes."""
        if self.running:
            self.tasks.cancel(LANE)
        else:
            self.reject()

    def _set_running(self, running: bool) -> None:
        for w in (self.scenario, self.format, self.paper, self.compare, self.path, self.export_button):
            w.setEnabled(not running)
        if not running:
            self._format_changed_keep_path()
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)  # busy until the first progress report

    def _format_changed_keep_path(self) -> None:
        _label, suffix, _summary = self._choice()
        self.paper.setEnabled(suffix == "pdf")
        self.compare.setEnabled(suffix in ("pdf", "html", "xlsx"))

    def _on_progress(self, lane: str, done: int, total: int) -> None:
        if lane == LANE and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_finished(self, outcome: TaskOutcome) -> None:
        if outcome.lane != LANE:
            return
        self._set_running(False)
        self.progress.hide()
        if outcome.cancelled:
            self.show_error("Cancelled: no file was written.")
        elif outcome.error is not None:
            self.show_error(str(outcome.error))
        else:
            self.written = outcome.value
            self.accept()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API; closing also stops the export
        if self.running:
            self.tasks.cancel(LANE)
        try:
            self.tasks.progressed.disconnect(self._on_progress)
            self.tasks.finished.disconnect(self._on_finished)
        except (RuntimeError, TypeError):
            pass
        super().done(result)


def open_export_dialog(window) -> ExportReportDialog | None:
    """File > Export report... of the main window (None when no project is open)."""
    from aisite.app import messages

    doc = getattr(window, "document", None)
    if doc is None:
        messages.tell(window, "information", "Export report", "Open a project first.")
        return None
    names = doc.project.scenario_names()
    current = doc.project.scenario(window.scenario_id).name if window.scenario_id is not None else None
    dialog = ExportReportDialog(window, window.tasks, doc.path, names, current, window._start_dir())
    dialog.finished.connect(lambda _r: _flash_written(window, dialog))
    dialog.open()
    return dialog


def _flash_written(window, dialog: ExportReportDialog) -> None:
    if dialog.written is not None and hasattr(window, "_flash"):
        window._flash(f"Report written to {dialog.written}")


