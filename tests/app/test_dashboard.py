"""The dashboard follows each new result: legends included, relabelled in place."""
from __future__ import annotations

import json

from aisite.core.evaluate import evaluate_dict
from aisite.core.paths import samples_dir


def result(name):
    return evaluate_dict(json.loads((samples_dir() / f"{name}.json").read_text()))


def legend_texts(box):
    return [label.text for _, label in box.legend.items]


def test_legends_follow_the_latest_result(qtbot, window):
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    texas, nordic = result("texas-training-campus"), result("nordic-sovereign-site")
    dashboard.show_result(texas)
    first = dashboard.pue.legend.items[0][1]
    assert legend_texts(dashboard.pue)[-1] == f"Annual PUE {texas.summary['energy']['pue_annual']:.2f}"
    dashboard.show_result(nordic)
    assert legend_texts(dashboard.pue)[-1] == f"Annual PUE {nordic.summary['energy']['pue_annual']:.2f}"
    assert dashboard.pue.legend.items[0][1] is first  # relabelled, not rebuilt
    # A different mix of sources rebuilds the monthly legend with the new names.
    assert "Wind" in legend_texts(dashboard.monthly) and "Solar" not in legend_texts(dashboard.monthly)
    dashboard.show_result(texas)
    assert "Solar" in legend_texts(dashboard.monthly) and "Wind" not in legend_texts(dashboard.monthly)
