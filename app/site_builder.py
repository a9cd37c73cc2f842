"""The site builder: region, deployments, cooling, power, workload, finance, schedule.

Section widgets (app.builder.place, .tables, .forms) over one field binder
(app.builder.binder): every input is bound to a field path of the scenario document
(`deployments[0].count`), checked as the planner types by the same core check the edit
applies, and saved as a core operation (core.project.edits) on the project's one undo
history. This widget lays the sections out, shows the stored scenario after every edit,
undo or selection, and the engine's values in the placeholders of blank fields.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aisite.app.builder.binder import FieldBinder
from aisite.app.builder.forms import FinanceSection, OverridesSection, ScheduleSection, WorkloadSection
from aisite.app.builder.place import ComponentSection, describe_cooling, describe_region
from aisite.app.builder.tables import DeploymentsSection, PowerSection
from aisite.app.fields import NumberEdit
from aisite.core.catalogue import Catalogue
from aisite.core.project.fieldpath import is_within

#: Blank optional fields show what the engine used instead, from the last result.
DERIVED = {
    "overrides.pue": ("energy", "pue_annual", "{:.2f}"),
    "overrides.it_w_per_chip": ("site", "it_w_per_accelerator", "{:,.0f}"),
    "overrides.grid_gco2_per_kwh": ("energy", "grid_gco2_per_kwh_mean", "{:,.0f}"),
    "overrides.electricity_usd_per_mwh": ("cost", "electricity_usd_per_mwh", "{:,.1f}"),
    "overrides.utilization": ("throughput", "utilization", "{:.2f}"),
    "overrides.goodput": ("throughput", "goodput", "{:.3f}"),
    "workload.mfu": ("throughput", "mfu", "{:.2f}"),
    "workload.goodput": ("throughput", "goodput", "{:.3f}"),
    "workload.utilization": ("throughput", "utilization", "{:.2f}"),
}


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.3)
    f.setBold(True)
    label.setFont(f)
    return label


class SiteBuilder(QWidget):
    """Edits one scenario. Signals `status(text)` for the status bar."""

    status = Signal(str)
    addScenarioRequested = Signal()
    problemsChanged = Signal(int)  # how many typed values are not saved (invalid)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("SiteBuilder")
        self.binder = FieldBinder(self)
        self.binder.status.connect(self.status)
        self.binder.problemsChanged.connect(self.problemsChanged)
        self._build()

    # ------------------------------------------------------------------ the binder's state
    @property
    def document(self):
        return self.binder.document

    @property
    def scenario_id(self) -> int | None:
        return self.binder.scenario_id

    @property
    def catalogue(self) -> Catalogue | None:
        return self.binder.catalogue

    @property
    def doc(self) -> dict:
        return self.binder.doc

    @property
    def fields(self) -> dict:
        return self.binder.fields

    @property
    def messages(self) -> dict:
        return self.binder.messages

    @property
    def invalid(self) -> dict:
        return self.binder.invalid

    @property
    def _pending(self) -> dict:
        return self.binder.pending

    def commit_pending(self) -> None:
        self.binder.commit_pending()

    def _widget_for(self, path: str) -> QWidget | None:
        return self.binder.widget_for(path)

    def _typed(self, path: str, text: str) -> None:
        self.binder.typed(path, text)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self._build_empty_page()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pages.addWidget(self.scroll)
        body = QWidget()
        self.scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(10)

        b = self.binder
        self.title = _heading("No scenario selected")
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.general_message = b.general_message
        for w in (self.title, self.subtitle, self.general_message):
            lay.addWidget(w)

        self.region_section = ComponentSection(b, "Region", "region", "regions", describe_region, "regionInfo")
        self.cooling_section = ComponentSection(b, "Cooling", "cooling", "cooling", describe_cooling)
        self.region, self.cooling = self.region_section.combo, self.cooling_section.combo
        top = QHBoxLayout()
        top.addWidget(self.region_section, 3)
        top.addWidget(self.cooling_section, 2)
        lay.addLayout(top)

        self.deployments_section = DeploymentsSection(b)
        self.power_section = PowerSection(b)
        self.deployments, self.add_deployment = self.deployments_section.table, self.deployments_section.add_button
        self.power, self.add_power = self.power_section.table, self.power_section.add_button
        lay.addWidget(self.deployments_section)
        lay.addWidget(self.power_section)

        self.workload_section = WorkloadSection(b)
        self.finance_section = FinanceSection(b)
        self.workload_kind, self.precision = self.workload_section.kind, self.workload_section.precision
        self.lease = self.finance_section.lease
        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.workload_section, 0, 0)
        grid.addWidget(self.finance_section, 0, 1)
        grid.addWidget(OverridesSection(b), 0, 2)
        grid.addWidget(ScheduleSection(b), 1, 0, 1, 3)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        lay.addLayout(grid)
        lay.addStretch(1)
        self._filled = (self.region_section, self.cooling_section, self.deployments_section, self.power_section,
                        self.workload_section, self.finance_section)

    def _build_empty_page(self) -> None:
        """Shown when there is no scenario to edit."""
        self.empty_page = QWidget()
        el = QVBoxLayout(self.empty_page)
        el.addStretch(1)
        self.empty_title = _heading("No scenario selected")
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.add_first = QPushButton("Add a scenario")
        self.add_first.setObjectName("addFirstScenario")
        self.add_first.clicked.connect(self.addScenarioRequested)
        for w in (self.empty_title, self.empty_text):
            w.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            el.addWidget(w)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_first)
        row.addStretch(1)
        el.addLayout(row)
        el.addStretch(2)
        self.pages.addWidget(self.empty_page)

    # ------------------------------------------------------------------ context
    def set_context(self, document, scenario_id: int | None, catalogue: Catalogue | None) -> None:
        """Show a scenario (None: nothing). Unsaved invalid text is dropped."""
        b = self.binder
        b.timer.stop()
        b.pending.clear()
        b.invalid.clear()
        b.document, b.scenario_id, b.catalogue = document, scenario_id, catalogue
        for section in (self.deployments_section, self.power_section):
            section.forget_shape()
        self.reload()

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.binder.catalogue = catalogue
        self.reload()

    def reload(self) -> None:
        """Show the stored scenario (after an edit, undo or redo, or a new selection)."""
        b = self.binder
        project = b.project()
        if project is None or b.scenario_id is None:
            b.doc = {}
            self.pages.setCurrentWidget(self.empty_page)
            if project is None:
                self.empty_text.setText("Open a project (File ▸ Open) or create one (File ▸ New project).")
                self.add_first.hide()
            else:
                self.empty_text.setText(
                    "Choose a scenario in the project tree." if project.scenarios() else
                    "This project has no scenarios yet. Add one, then choose its region, chips, cooling, "
                    "power and workload here; the results follow every change.")
                self.add_first.setVisible(not project.read_only)
            return
        self.pages.setCurrentWidget(self.scroll)
        info = project.scenario(b.scenario_id)
        b.doc = project.effective_scenario(b.scenario_id)
        self.title.setText(info.name)
        if info.parent_id is not None:
            parent = project.scenario(info.parent_id).name
            n = len(project.overrides(info.id))
            self.subtitle.setText(f"Variant of “{parent}”: changes here are stored as this variant's own "
                                  f"values ({n} so far); everything else follows “{parent}”.")
        else:
            self.subtitle.setText(b.doc.get("description") or "Base scenario.")
        focused = QApplication.focusWidget()
        focus_path = focused.path if isinstance(focused, NumberEdit) and focused in b.fields.values() else None
        cursor = focused.cursorPosition() if focus_path else 0
        b.loading = True
        try:
            for section in self._filled:
                section.fill()
            b.show_numbers()
        finally:
            b.loading = False
        if focus_path:
            widget = b.widget_for(focus_path)
            if widget is not None and widget is not focused:
                widget.setFocus()
                widget.setCursorPosition(cursor)
        for w in self.findChildren(QWidget):
            if isinstance(w, (NumberEdit, QComboBox, QCheckBox, QPushButton)):
                w.setEnabled(not project.read_only)
        self._mark_variant_values(project, info)
        b.show_messages(None)

    def _mark_variant_values(self, project, info) -> None:
        """In a variant, the fields it changes are bold (the rest follow the parent)."""
        own = [] if info.parent_id is None else list(project.overrides(info.id))
        for key, widget in self.binder.fields.items():
            path = key.partition("@")[0]
            mine = any(is_within(path, o) or is_within(o, path) for o in own)
            font = widget.font()
            if font.bold() != mine:
                font.setBold(mine)
                widget.setFont(font)
            base_tip = widget.property("baseTooltip") or ""
            if mine and not widget.property("invalid"):
                widget.setToolTip("Changed in this variant" + (f"\n{base_tip}" if base_tip else ""))

    # ------------------------------------------------------------------ results and focus
    def show_derived(self, summary: dict | None) -> None:
        """Put the engine's values in the placeholders of blank optional fields
        ("derived 1.13"), so a planner sees what an override would replace."""
        kind = self.binder.workload_kind()
        tasks = {t["id"]: t for t in (summary or {}).get("schedule", {}).get("tasks", [])}
        for key, widget in self.binder.fields.items():
            if not isinstance(widget, NumberEdit):
                continue
            path, _, page = key.partition("@")
            if page and page != kind:
                continue
            if not hasattr(widget, "plain_placeholder"):
                widget.plain_placeholder = widget.placeholderText()
            text = widget.plain_placeholder
            if summary is not None and path in DERIVED:
                section, name, fmt = DERIVED[path]
                value = summary.get(section, {}).get(name)
                if value is not None:
                    text = ("derived " if path.startswith("overrides.") else "engine: ") + fmt.format(value)
            elif summary is not None and path.startswith("schedule.") and path[9:] in tasks:
                task = tasks[path[9:]]
                text = f"estimated {task['end_month'] - task['start_month']:.0f}"
            widget.setPlaceholderText(text)

    def has_problems(self) -> bool:
        return bool(self.binder.invalid)

    def focus_field(self, path: str) -> bool:
        """Select the input a check or a message names (True if there is one)."""
        widget = self.binder.nearest_widget(path)
        if widget is None:
            first = path.split("[")[0].split(".")[0]
            widget = {"deployments": self.deployments, "power": self.power}.get(first)
        if widget is None:
            return False
        self.scroll.ensureWidgetVisible(widget, 40, 40)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, NumberEdit):
            widget.selectAll()
        return True
