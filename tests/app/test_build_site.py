"""Build a site from an empty project through the widgets; the dashboard shows what
`aisite evaluate` prints for the exported scenario; reopening finds it all again."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from aisite.app.cli import main as aisite
from aisite.core.units import key_figure_rows
from tests.app.conftest import wait_result
from tests.app.helpers import choose, field, type_into


def build(qtbot, win, tmp_path):
    path = tmp_path / "built.aisite"
    assert win.new_project(str(path))
    assert win.tree.tree.topLevelItemCount() == 0
    qtbot.mouseClick(win.tree.findChild(QToolButton, "treeButton_add"), Qt.MouseButton.LeftButton)
    assert win.scenario_id is not None
    b = win.builder
    choose(qtbot, b.region, "us-texas")
    choose(qtbot, b.cooling, "direct-liquid")
    choose(qtbot, field(win, "deployments[0].chip"), "nvidia-b200")
    type_into(qtbot, field(win, "deployments[0].count"), "16,384")
    qtbot.mouseClick(b.add_deployment, Qt.MouseButton.LeftButton)
    choose(qtbot, field(win, "deployments[1].chip"), "nvidia-gb200")
    type_into(qtbot, field(win, "deployments[1].count"), "8192")
    type_into(qtbot, field(win, "deployments[1].start_month"), "9")
    type_into(qtbot, field(win, "power[0].mw"), "150")
    qtbot.mouseClick(b.add_power, Qt.MouseButton.LeftButton)
    choose(qtbot, field(win, "power[1].source"), "solar-pv")
    type_into(qtbot, field(win, "power[1].mw"), "120")
    qtbot.mouseClick(b.add_power, Qt.MouseButton.LeftButton)
    choose(qtbot, field(win, "power[2].source"), "battery")
    type_into(qtbot, field(win, "power[2].mw"), "50")
    type_into(qtbot, field(win, "power[2].mwh"), "200")
    choose(qtbot, b.workload_kind, "training")
    type_into(qtbot, field(win, "workload.params"), "405B")
    type_into(qtbot, field(win, "workload.tokens"), "15.6T")
    choose(qtbot, b.precision, "fp8")
    type_into(qtbot, field(win, "finance.discount_rate"), "9%")
    type_into(qtbot, field(win, "schedule.grid_connection"), "48")
    type_into(qtbot, field(win, "overrides.grid_gco2_per_kwh"), "300")
    return path


def test_build_site_from_empty_project(qtbot, window, tmp_path, capsys):
    win = window
    path = build(qtbot, win, tmp_path)
    doc = win.document.project.effective_scenario(win.scenario_id)
    assert doc["region"] == "us-texas" and doc["cooling"] == "direct-liquid"
    assert [(d["chip"], d["count"]) for d in doc["deployments"]] == [("nvidia-b200", 16384), ("nvidia-gb200", 8192)]
    assert doc["deployments"][1]["start_month"] == 9
    assert [(p["source"], p["mw"]) for p in doc["power"]] == [("grid", 150), ("solar-pv", 120), ("battery", 50)]
    assert doc["power"][2]["mwh"] == 200
    assert doc["workload"] == {"kind": "training", "params": 405e9, "tokens": 15.6e12, "precision": "fp8"}
    assert doc["finance"]["discount_rate"] == 0.09
    assert doc["schedule"] == {"grid_connection": 48}
    assert doc["overrides"] == {"grid_gco2_per_kwh": 300}

    wait_result(qtbot, win)
    shown = win.dashboard.card_texts()
    exported = tmp_path / "exported.json"
    assert win.export_scenario(str(exported))
    capsys.readouterr()
    assert aisite(["evaluate", str(exported), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    rows = key_figure_rows(cli)
    assert len(rows) == len(shown) > 10
    assert [(label, value) for _, label, value in rows] == list(shown.values())
    # The project's stored scenario gives the same numbers as the exported file.
    assert aisite(["evaluate", str(path), "--scenario", win.document.project.scenario(win.scenario_id).name,
                   "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert key_figure_rows(stored) == rows
    assert win.checks.list.topLevelItemCount() >= 1
    assert "Recomputed in" in win.compute_label.text()
    assert "cython" in win.backend_label.text() or "python" in win.backend_label.text()


def test_reopen_finds_everything_as_it_was(qtbot, window, tmp_path, settings, message_boxes):
    win = window
    path = build(qtbot, win, tmp_path)
    qtbot.mouseClick(win.tree.findChild(QToolButton, "treeButton_variant"), Qt.MouseButton.LeftButton)
    type_into(qtbot, field(win, "deployments[0].count"), "20000")
    project = win.document.project
    before = {s.name: project.effective_scenario(s.id) for s in project.scenarios()}
    names = [s.name for s in project.scenarios()]
    wait_result(qtbot, win)
    cards = win.dashboard.card_texts()
    win.close()
    assert win.document is None

    from aisite.app.main_window import MainWindow

    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert again.open_project(str(path))
    project = again.document.project
    assert [s.name for s in project.scenarios()] == names
    assert {s.name: project.effective_scenario(s.id) for s in project.scenarios()} == before
    variant = project.scenario(names[1])
    assert variant.parent_id == project.scenario(names[0]).id
    assert project.overrides(variant.id) == {"deployments[0].count": 20000}
    again.tree.select_scenario(variant.id)
    assert field(again, "deployments[0].count").text() == "20000"
    assert field(again, "workload.params").text() == "405B"
    wait_result(qtbot, again)
    assert again.dashboard.card_texts() == cards
    assert str(path) in again.recent_files()[0]
    again.close()


def test_check_click_selects_the_offending_input(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "checks.aisite"))
    win.tree.add_scenario()
    choose(qtbot, field(win, "deployments[0].chip"), "nvidia-gb200")  # ~130 kW racks on air cooling
    wait_result(qtbot, win)
    codes = [c["code"] for c in win.checks.checks]
    assert "rack_over_cooling_limit" in codes
    items = [win.checks.list.topLevelItem(i) for i in range(win.checks.list.topLevelItemCount())]
    item = next(i for i in items if i.text(1) == "rack_over_cooling_limit")
    rect = win.checks.list.visualItemRect(item)
    win.tabs.setCurrentIndex(1)
    qtbot.mouseClick(win.checks.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.tabs.currentWidget() is win.builder
    target = item.text(3)
    assert target
    focused = win.builder._widget_for(target)
    assert focused is not None and focused.hasFocus()


def test_remove_rows_and_screens(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "rows.aisite"))
    win.tree.add_scenario()
    qtbot.mouseClick(win.builder.add_deployment, Qt.MouseButton.LeftButton)
    assert len(win.document.project.effective_scenario(win.scenario_id)["deployments"]) == 2
    qtbot.mouseClick(win.builder.deployments.findChild(QPushButton, "removeDeployment0"), Qt.MouseButton.LeftButton)
    assert len(win.document.project.effective_scenario(win.scenario_id)["deployments"]) == 1
    # The last deployment cannot go: the message says why and nothing is saved.
    qtbot.mouseClick(win.builder.deployments.findChild(QPushButton, "removeDeployment0"), Qt.MouseButton.LeftButton)
    assert len(win.document.project.effective_scenario(win.scenario_id)["deployments"]) == 1
    assert not win.builder.messages["deployments"].isHidden()
    assert win.builder.messages["deployments"].text() == "Deployments must have at least one entry"


def test_a_scenario_that_cannot_be_evaluated_shows_why(qtbot, window, tmp_path):
    """Removing the planner's own chip that a scenario uses: the dashboard says why
    instead of showing old numbers, and the check list names the field."""
    win = window
    win.new_project(str(tmp_path / "broken.aisite"))
    win.tree.add_scenario()
    entry = {"id": "my-chip", "name": "My chip", "bf16_tflops": 1000.0, "memory_gb": 96.0, "memory_tbps": 4.0,
             "tdp_w": 700.0, "price_usd": 20000.0, "default_server": "hgx-h100-8gpu"}
    assert win.browser.save_entry("chips", entry) is None
    choose(qtbot, field(win, "deployments[0].chip"), "my-chip")
    wait_result(qtbot, win)
    assert win.dashboard.cards["accelerators"].value.text() == "1,024"
    win.browser.kind.setCurrentIndex(win.browser.kind.findData("chips"))
    win.browser.select("my-chip")
    win.browser.remove_selected()  # the message hook answers Yes
    wait_result(qtbot, win)
    assert win.dashboard.result is None
    assert win.dashboard.cards["accelerators"].value.text() == "–"
    assert "unknown chip 'my-chip'" in win.dashboard.banner.text()
    first = win.checks.list.topLevelItem(0)
    assert first.text(0) == "Error" and first.text(3) == "deployments[0].chip"
    win.act_undo.trigger()
    wait_result(qtbot, win)
    assert win.dashboard.banner.isHidden()
    assert win.dashboard.cards["accelerators"].value.text() == "1,024"


def test_empty_project_offers_a_first_scenario(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "empty.aisite"))
    assert win.builder.pages.currentWidget() is win.builder.empty_page
    assert win.checks.list.topLevelItem(0).text(2) == "No scenario selected."
    qtbot.mouseClick(win.builder.add_first, Qt.MouseButton.LeftButton)
    assert win.scenario_id is not None
    assert win.builder.pages.currentWidget() is win.builder.scroll
    wait_result(qtbot, win)
    assert win.dashboard.content.isVisibleTo(win.dashboard)
