"""app/boolguard.py keeps True/False/None alive through the binding's reference loss.

The loss itself is measured and printed (run with -s): when it reads 0 on a new
PySide6/pyqtgraph, the guard can go.
"""
from __future__ import annotations

import json
import sys

from app import boolguard
from core.evaluate import evaluate_dict
from core.paths import samples_dir


def test_guard_keeps_singletons_alive_through_redraws(qtbot, window):
    result = evaluate_dict(json.loads((samples_dir() / "texas-training-campus.json").read_text()))
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    dashboard.show_result(result)
    qtbot.wait(10)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for week in range(1, 21):
        dashboard.week.setValue(week)
        dashboard._clear_charts()
        dashboard.show_result(result)
        qtbot.wait(1)
    after = sys.getrefcount(True), sys.getrefcount(None)

    def change(a, b):  # net of the guard's top-ups (whole multiples of MARGIN)
        d = (b - a) % boolguard.MARGIN
        return d - boolguard.MARGIN if d > boolguard.MARGIN // 2 else d

    print(f"\nreference change over 20 redraws: True {change(before[0], after[0]):+d}, "
          f"None {change(before[1], after[1]):+d}")
    if boolguard._NEEDED:
        boolguard.top_up()
        for value in (True, False, None):
            assert sys.getrefcount(value) > boolguard.MARGIN // 2
