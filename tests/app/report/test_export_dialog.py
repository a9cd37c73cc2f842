"""File > Export report... in the real window on a real project: the report is written
off the GUI thread with progress, holds the dashboard's figures, and Cancel writes nothing."""
from __future__ import annotations

import subprocess

from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result

SCENARIO = "Texas B200 training campus"


def _dialog(qtbot, window, tmp_path):
    sample = create_sample_project(tmp_path / "sample.aisite")
    window.open_project(str(sample), prefer=SCENARIO)
    wait_result(qtbot, window)
    window.act_report.trigger()
    from aisite.app.report.export_dialog import ExportReportDialog

    dialog = window.findChild(ExportReportDialog, "exportReportDialog")
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_export_pdf_from_the_menu_holds_the_dashboard_figures(qtbot, window, tmp_path):
    dialog = _dialog(qtbot, window, tmp_path)
    assert dialog.scenario.currentText() == SCENARIO  # the scenario on screen
    assert dialog.path.text().endswith(f"{SCENARIO}.pdf")
    out = tmp_path / "out" / "board pack.pdf"
    out.parent.mkdir()
    dialog.path.setText(str(out))
    dialog.compare.item(0).setCheckState(dialog.compare.item(0).checkState().Checked)
    progress = []
    window.tasks.progressed.connect(lambda lane, d, t: progress.append((lane, d, t)))
    dialog.export_button.click()
    assert dialog.progress.isVisible() and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert dialog.written == out and out.is_file()
    assert any(lane == "report" for lane, _d, _t in progress)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    for label, value in window.dashboard.card_texts().values():
        assert value in text, label
    assert "Comparison" in text
    assert "Report written to" in window.statusBar().currentMessage()


def test_cancel_stops_the_export_and_writes_nothing(qtbot, window, tmp_path):
    dialog = _dialog(qtbot, window, tmp_path)
    dialog.format.setCurrentIndex(1)  # HTML: charts as images, the slowest to paint
    out = tmp_path / "cancelled.html"
    dialog.path.setText(str(out))
    dialog.export_button.click()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not window.tasks.busy("report"), timeout=5_000)
    assert dialog.isVisible() and "Cancelled" in dialog.message.text()
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    assert dialog.export_button.isEnabled()


def test_bad_file_name_is_shown_next_to_the_input(qtbot, window, tmp_path):
    dialog = _dialog(qtbot, window, tmp_path)
    dialog.path.setText(str(tmp_path / "report.docx"))
    dialog.export_button.click()
    assert dialog.message.isVisible() and "unknown report format '.docx'" in dialog.message.text()
    assert not window.tasks.busy("report")
    dialog.path.setText(str(tmp_path / "no-folder" / "r.pdf"))
    dialog.export_button.click()
    assert "Save as: cannot write" in dialog.message.text()
    dialog.reject()
