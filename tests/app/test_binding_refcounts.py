"""The Qt binding we install must not drop references to True/False/None.

PySide6 6.12.0 with pyqtgraph 0.14 on Python 3.11 releases references to the bool
singletons it never took whenever plot items are added and removed; after a few
dashboard redraws CPython aborts ("Fatal Python error: bool_dealloc"). pyproject.toml
excludes that release; this test fails if a binding with the bug is installed again.
"""
from __future__ import annotations

import json
import sys

from aisite.core.evaluate import evaluate_dict
from aisite.core.paths import samples_dir


def test_dashboard_redraws_keep_bool_references(qtbot, window):
    result = evaluate_dict(json.loads((samples_dir() / "texas-training-campus.json").read_text()))
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    dashboard.show_result(result)
    qtbot.wait(10)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for week in range(1, 11):
        dashboard.week.setValue(week)
        dashboard._clear_charts()
        dashboard.show_result(result)
        qtbot.wait(1)
    after = sys.getrefcount(True), sys.getrefcount(False)
    # Counts wander a little as objects come and go; the bug lost hundreds per redraw.
    assert after[0] >= before[0] - 50 and after[1] >= before[1] - 50, (before, after)
