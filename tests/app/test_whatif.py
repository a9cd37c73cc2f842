"""The What-if tab on a real sample project: levers recompute, deltas read right, Keep and Reset."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from aisite.core.project import create_sample_project
from tests.app.conftest import wait_result

SCENARIO = "Texas B200 training campus"


@pytest.fixture
def opened(qtbot, window, tmp_path):
    path = create_sample_project(tmp_path / "sample.aisite")
    window.open_project(str(path), prefer=SCENARIO)
    wait_result(qtbot, window)
    window.tabs.setCurrentWidget(window.whatif)
    panel = window.whatif
    qtbot.waitUntil(lambda: "tco2e_per_year_location" in panel.delta_texts(), timeout=10_000)
    return window, panel


def wait_whatif(qtbot, panel):
    ev = panel.evaluator
    qtbot.waitUntil(lambda: not ev.busy and ev.last is not None and ev.last.generation == ev.generation,
                    timeout=10_000)


def test_dragging_solar_lowers_grid_carbon_and_the_delta_says_so(qtbot, opened):
    window, panel = opened
    saved = window.dashboard.result.summary["energy"]["tco2e_per_year_location"]
    slider = panel.rows["solar_mw"].slider
    start = slider.value()
    slider.setFocus()
    for _ in range(10):  # a drag: many small moves, each recomputing (coalesced)
        qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert slider.value() > start
    assert panel.rows["solar_mw"].spin.value() > 200
    wait_whatif(qtbot, panel)
    now = panel.result.summary["energy"]["tco2e_per_year_location"]
    assert now < saved
    value, delta, verdict = panel.delta_texts()["tco2e_per_year_location"]
    assert delta.startswith("-") and "kt CO2e" in delta and "%" in delta
    assert verdict == "better"
    assert panel.delta_texts()["capex_usd"][2] == "worse"
    # nothing was saved
    assert window.document.project.effective_scenario(SCENARIO)["power"][1]["mw"] == 200


def test_keep_as_variant_is_one_undo_step_and_reset_returns_to_saved(qtbot, opened):
    window, panel = opened
    project = window.document.project
    before = len(project.scenarios())
    panel.rows["solar_mw"].spin.setValue(350)
    panel.rows["battery_mwh"].spin.setValue(800)
    wait_whatif(qtbot, panel)
    assert panel.changes() == {"power[1].mw": 350, "power[2].mwh": 800}
    qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert len(project.scenarios()) == before + 1
    kept = project.scenarios()[-1]
    assert kept.is_variant and project.overrides(kept.id) == {"power[1].mw": 350, "power[2].mwh": 800}
    wait_result(qtbot, window)
    assert window.scenario_id == kept.id  # the new variant is shown, with deltas against its parent available
    assert panel.against.findData("parent") >= 0
    panel.against.setCurrentIndex(panel.against.findData("parent"))
    panel.against.activated.emit(panel.against.currentIndex())
    qtbot.waitUntil(lambda: panel.parent_summary is not None, timeout=10_000)
    panel._refresh_cards()
    assert panel.delta_texts()["tco2e_per_year_location"][2] == "better"

    window.undo()
    assert len(project.scenarios()) == before

    window.tree.select_scenario(project.scenario(SCENARIO).id)
    wait_result(qtbot, window)
    panel.rows["grid_mw"].spin.setValue(300)
    wait_whatif(qtbot, panel)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert panel.rows["grid_mw"].spin.value() == 250
    assert panel.changes() == {}
    assert all(v[2] == "same" for v in panel.delta_texts().values())


def test_a_lever_that_adds_a_source_keeps_as_a_new_power_entry(qtbot, opened):
    window, panel = opened
    project = window.document.project
    panel.rows["wind_mw"].spin.setValue(100)
    wait_whatif(qtbot, panel)
    assert panel.delta_texts()["carbon_free_fraction"][2] == "better"
    new_id = panel.keep_as_variant()
    doc = project.effective_scenario(new_id)
    assert {"source": "wind-onshore", "mw": 100} in doc["power"]
