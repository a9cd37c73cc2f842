"""The rest of the window: the catalogue editor, About box, remembered layout,
recent files, Save a copy as, the dark palette, variants in the builder."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from aisite.core.kernels import BACKEND
from aisite.core.project import open_project
from aisite.core.version import __version__
from tests.app.conftest import wait_result
from tests.app.helpers import choose, field, type_into


def test_catalogue_user_component_through_the_dialog(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "cat.aisite"))
    win.tree.add_scenario()
    browser = win.browser
    browser.kind.setCurrentIndex(browser.kind.findData("chips"))
    qtbot.keyClicks(browser.search, "b200")
    shown = {browser.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3) for r in range(browser.proxy.rowCount())}
    assert "nvidia-b200" in shown and "nvidia-h100-sxm" not in shown
    browser.select("nvidia-b200")
    assert "Source:" in browser.details.toPlainText()
    assert "(estimate)" in browser.details.toHtml()
    qtbot.mouseClick(browser.add_button, Qt.MouseButton.LeftButton)
    dialog = browser.dialog
    assert dialog.isVisible()
    ident = dialog.findChild(QLineEdit, "entry:id")
    assert ident.text() == "my-nvidia-b200"
    type_into(qtbot, ident, "b200-negotiated", enter=False)
    type_into(qtbot, dialog.findChild(QLineEdit, "entry:name"), "B200 at our negotiated price", enter=False)
    price = dialog.findChild(QLineEdit, "entry:price_usd")
    type_into(qtbot, price, "abc", enter=False)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "must be a number" in dialog.message.text()
    assert win.document.project.catalogue_entries() == []
    type_into(qtbot, price, "31k", enter=False)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    entry = win.document.project.catalogue_entry("chips", "b200-negotiated")
    assert entry is not None and entry.data["price_usd"] == 31000
    browser.search.clear()
    browser.select("b200-negotiated")
    assert browser.selected_id() == "b200-negotiated"
    assert browser.table.model().index(browser.table.currentIndex().row(), 0).data().endswith("(yours)")
    assert browser.edit_button.isEnabled() and browser.remove_button.isEnabled()
    # The builder offers it, marked as the planner's own, and the results use it.
    chip = field(win, "deployments[0].chip")
    assert chip.itemText(chip.findData("b200-negotiated")).endswith("(yours)")
    choose(qtbot, chip, "b200-negotiated")
    wait_result(qtbot, win)
    capex = win.dashboard.result.summary["cost"]["capex_breakdown_usd"]["accelerators"]
    assert capex == 1024 * 31000
    # Edit it: the results follow.
    qtbot.mouseClick(browser.edit_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, browser.dialog.findChild(QLineEdit, "entry:price_usd"), "29000", enter=False)
    qtbot.mouseClick(browser.dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    wait_result(qtbot, win)
    assert win.dashboard.result.summary["cost"]["capex_breakdown_usd"]["accelerators"] == 1024 * 29000
    win.act_undo.trigger()
    wait_result(qtbot, win)
    assert win.dashboard.result.summary["cost"]["capex_breakdown_usd"]["accelerators"] == 1024 * 31000


def test_about_box_names_version_backend_and_sources(window, message_boxes):
    window.about()
    kind, title, text = message_boxes.shown[-1]
    assert kind == "information" and "About" in title
    assert __version__ in text and BACKEND in text
    assert "data/README.md" in text and "TMYx" in text


def test_layout_and_recent_files_are_remembered(qtbot, window, tmp_path, settings):
    win = window
    path = tmp_path / "layout.aisite"
    win.new_project(str(path))
    win.tree.add_scenario()
    win.catalogue_dock.hide()
    win.tabs.setCurrentIndex(1)
    win.dashboard.week.setValue(3)
    win.resize(796, 543)  # within the 800-pixel offscreen screen, which restoreGeometry clamps to
    win.close()
    from aisite.app.main_window import MainWindow

    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.size().width(), again.size().height()) == (796, 543)
    assert not again.catalogue_dock.isVisible()
    assert again.tabs.currentIndex() == 1
    assert again.dashboard.week.value() == 3
    assert again.recent_files()[0] == str(path)
    again._fill_recent()
    actions = [a for a in again.recent_menu.actions() if a.toolTip() == str(path)]
    actions[0].trigger()
    assert again.document is not None and again.document.path == str(path)
    assert again.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    again.close()


def test_save_a_copy_keeps_working_on_the_original(qtbot, window, tmp_path):
    win = window
    original = tmp_path / "original.aisite"
    win.new_project(str(original))
    win.tree.add_scenario()
    copy = tmp_path / "copy.aisite"
    assert win.save_copy(str(copy))
    type_into(qtbot, field(win, "deployments[0].count"), "999")
    assert win.document.path == str(original)
    with open_project(copy, read_only=True) as other:
        assert other.effective_scenario(other.scenarios()[0].id)["deployments"][0]["count"] == 1024


def test_variant_edits_are_stored_as_its_own_values(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "variant.aisite"))
    base = win.tree.add_scenario()
    variant = win.tree.add_variant()
    assert win.scenario_id == variant
    assert "Variant of" in win.builder.subtitle.text()
    choose(qtbot, win.builder.region, "norway")
    type_into(qtbot, field(win, "power[0].mw"), "25")
    project = win.document.project
    assert project.overrides(variant) == {"region": "norway", "power[0].mw": 25}
    assert project.effective_scenario(base)["region"] == "us-virginia"
    assert field(win, "power[0].mw").font().bold()  # the variant's own values stand out
    assert not field(win, "deployments[0].count").font().bold()
    # An edit to the base reaches the variant where it does not override.
    win.tree.select_scenario(base)
    type_into(qtbot, field(win, "deployments[0].count"), "2048")
    assert project.effective_scenario(variant)["deployments"][0]["count"] == 2048


def test_dark_palette_redraws_charts(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "dark.aisite"))
    win.tree.add_scenario()
    wait_result(qtbot, win)
    win.tabs.setCurrentIndex(1)
    win.act_dark.setChecked(True)
    image = win.dashboard.dispatch.plot.grab().toImage()
    assert image.pixelColor(5, 5).lightness() < 100
    win.act_dark.setChecked(False)
    image = win.dashboard.dispatch.plot.grab().toImage()
    assert image.pixelColor(5, 5).lightness() > 150


def test_blank_fields_show_what_the_engine_used(qtbot, window, tmp_path):
    win = window
    win.new_project(str(tmp_path / "derived.aisite"))
    win.tree.add_scenario()
    wait_result(qtbot, win)
    summary = win.dashboard.result.summary
    assert field(win, "overrides.pue").placeholderText() == f"derived {summary['energy']['pue_annual']:.2f}"
    permitting = next(t for t in summary["schedule"]["tasks"] if t["id"] == "permitting")
    expected = permitting["end_month"] - permitting["start_month"]
    assert field(win, "schedule.permitting").placeholderText() == f"estimated {expected:.0f}"
    card = win.dashboard.cards["pue_annual"]
    assert card.toolTip().startswith("energy.pue_annual = ")


def test_week_picker_jumps_to_the_peak_week(qtbot, window, tmp_path):
    import numpy as np

    win = window
    win.new_project(str(tmp_path / "week.aisite"))
    win.tree.add_scenario()
    wait_result(qtbot, win)
    win.tabs.setCurrentIndex(1)
    qtbot.mouseClick(win.dashboard.peak_week, Qt.MouseButton.LeftButton)
    hourly = win.dashboard.result.hourly["facility_mw"]
    assert win.dashboard.week.value() == int(np.argmax(hourly)) // 168 + 1
    assert not win.dashboard.short_week.isVisible()  # no unserved energy here
