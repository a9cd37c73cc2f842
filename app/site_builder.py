"""The site builder: region, deployments, cooling, power, workload, finance, schedule.

Every widget is bound to a field path of the scenario document (`deployments[0].count`).
As the planner types, the candidate document is validated by the core
(core.scenario.load_scenario); a problem is shown next to the field it names and
nothing is saved. A valid value is saved through the core edit API
(core.project.edits.SetField / UnsetField) via the ProjectDocument's undo stack.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.fields import FieldWithMessage, MessageLabel, NumberEdit, format_number, mark
from core import units
from core.catalogue import Catalogue
from core.errors import InputError
from core.project.edits import (
    AddDeployment,
    AddPowerSource,
    RemoveRow,
    ReplacePowerSource,
    SetField,
    SetWorkloadKind,
    UnsetField,
    check_edit,
    edited_document,
)
from core.project.fieldpath import format_path, get_path, has_path, is_within, parse_path
from core.scenario import OVERRIDE_BOUNDS, SCHEDULE_TASKS
from core.scenario_defaults import (
    DISPATCH_LABELS,
    FINANCE_FIELDS,
    OVERRIDE_LABELS,
    PRECISIONS,
    REQUIRED_WORKLOAD,
    WORKLOAD_FIELDS,
    WORKLOAD_KINDS,
)
from core.schedule import TASK_NAMES

COMMIT_DELAY_MS = 350  # a valid value is saved this long after the last keystroke


@lru_cache(maxsize=32)
def region_climate(region_id: str) -> tuple[float, float, float, str] | None:
    """(mean, 1% hottest-hour, max dry-bulb °C, profile kind) of a shipped region profile."""
    try:
        from core.profiles import load_region_profile  # noqa: PLC0415

        p = load_region_profile(region_id)
    except Exception:  # noqa: BLE001 - a region without a profile just shows no climate
        return None
    t = np.asarray(p.dry_bulb_c)
    return float(t.mean()), float(np.percentile(t, 99)), float(t.max()), p.kind


def chip_specs(row: dict, full: bool = False) -> str:
    """The specs a planner picks a chip by (`full`: with FP8 and memory bandwidth)."""
    fp8 = row.get("fp8_tflops")
    compute = f"{row.get('bf16_tflops', 0):,.0f} TFLOPS BF16"
    if full and fp8:
        compute += f" / {fp8:,.0f} FP8"
    memory = f"{row.get('memory_gb', 0):,.0f} GB" + (f" at {row.get('memory_tbps', 0):g} TB/s" if full else "")
    bits = [compute, memory, f"{row.get('tdp_w', 0):,.0f} W", units.money(row.get("price_usd"))]
    if row.get("export_class") not in (None, "", "unrestricted"):
        bits.append(f"export: {row['export_class']}")
    return " · ".join(bits)


class SiteBuilder(QWidget):
    """Edits one scenario. Signals `message(text)` for the status bar."""

    status = Signal(str)
    addScenarioRequested = Signal()
    problemsChanged = Signal(int)  # how many typed values are not saved (invalid)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("SiteBuilder")
        self.document = None
        self.scenario_id: int | None = None
        self.catalogue: Catalogue | None = None
        self.doc: dict = {}
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, MessageLabel] = {}  # path -> its own message label
        self.invalid: dict[str, str] = {}  # path -> message, for values typed but not saved
        self._pending: dict[str, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.commit_pending)
        self._loading = False
        self._build()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        # Shown when there is no scenario to edit.
        self.empty_page = QWidget()
        el = QVBoxLayout(self.empty_page)
        el.addStretch(1)
        self.empty_title = QLabel("No scenario selected")
        f = self.empty_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.empty_title.setFont(f)
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pages.addWidget(scroll)
        self.scroll = scroll
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(10)

        self.title = QLabel("No scenario selected")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.general_message = MessageLabel()
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.general_message)

        # Region and cooling, side by side.
        top = QHBoxLayout()
        region_box = QGroupBox("Region")
        rl = QVBoxLayout(region_box)
        self.region = QComboBox()
        self.region.setObjectName("field:region")
        self.region.activated.connect(lambda _i: self._choice("region", self.region))
        self.fields["region"] = self.region
        self.region_info = QLabel()
        self.region_info.setObjectName("regionInfo")
        self.region_info.setWordWrap(True)
        self.region_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.messages["region"] = MessageLabel()
        rl.addWidget(self.region)
        rl.addWidget(self.messages["region"])
        rl.addWidget(self.region_info)
        rl.addStretch(1)
        cooling_box = QGroupBox("Cooling")
        cl = QVBoxLayout(cooling_box)
        self.cooling = QComboBox()
        self.cooling.setObjectName("field:cooling")
        self.cooling.activated.connect(lambda _i: self._choice("cooling", self.cooling))
        self.fields["cooling"] = self.cooling
        self.cooling_info = QLabel()
        self.cooling_info.setWordWrap(True)
        self.messages["cooling"] = MessageLabel()
        cl.addWidget(self.cooling)
        cl.addWidget(self.messages["cooling"])
        cl.addWidget(self.cooling_info)
        cl.addStretch(1)
        top.addWidget(region_box, 3)
        top.addWidget(cooling_box, 2)
        lay.addLayout(top)

        # Deployments and power sources: a table each, its messages, an "add" button.
        dep_box, self.deployments, self.add_deployment = self._table_section(
            "IT deployments (accelerators in phases)", "deployments",
            ["Chip and its key specs", "Count", "Server", "Servers / rack", "Start month", ""],
            stretch=0, fixed={1: 90, 2: 240, 3: 100, 4: 90, 5: 80},
            add_text="Add deployment", add_name="addDeployment", on_add=self._add_deployment)
        lay.addWidget(dep_box)
        pow_box, self.power, self.add_power = self._table_section(
            "Power sources", "power", ["Source", "MW", "MWh (storage)", "Dispatch · lead time", ""],
            stretch=3, fixed={0: 250, 1: 100, 2: 110, 4: 80},
            add_text="Add power source", add_name="addPower", on_add=self._add_power)
        lay.addWidget(pow_box)

        # Workload, finance, overrides.
        grid = QGridLayout()
        grid.setSpacing(10)
        wl_box = QGroupBox("Workload")
        wl = QVBoxLayout(wl_box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.workload_kind = QComboBox()
        self.workload_kind.setObjectName("field:workload.kind")
        for kind, label in WORKLOAD_KINDS.items():
            self.workload_kind.addItem(label, kind)
        self.workload_kind.activated.connect(self._kind_changed)
        self.fields["workload.kind"] = self.workload_kind
        form.addRow("Kind", self.workload_kind)
        self.precision = QComboBox()
        self.precision.setObjectName("field:workload.precision")
        for precision, label in PRECISIONS.items():
            self.precision.addItem(label, precision)
        self.precision.activated.connect(lambda _i: self._choice("workload.precision", self.precision))
        self.fields["workload.precision"] = self.precision
        self.precision_label = QLabel("Precision")
        form.addRow(self.precision_label, self.precision)
        wl.addLayout(form)
        self.workload_pages = QStackedWidget()
        self._workload_page_index = {}
        for kind, fields in WORKLOAD_FIELDS.items():
            page = QWidget()
            pf = QFormLayout(page)
            pf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            pf.setContentsMargins(0, 0, 0, 0)
            for key, label, integer, hint in fields:
                path = f"workload.{key}"
                optional = (kind, key) not in REQUIRED_WORKLOAD
                edit = NumberEdit(path, integer=integer, optional=optional, placeholder=hint)
                edit.setObjectName(f"field:{path}:{kind}")
                pf.addRow(label, self._bind(edit, path, page_key=kind))
            self._workload_page_index[kind] = self.workload_pages.addWidget(page)
        wl.addWidget(self.workload_pages)
        wl.addStretch(1)
        grid.addWidget(wl_box, 0, 0)

        fin_box = QGroupBox("Finance")
        ff = QFormLayout(fin_box)
        ff.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, hint in FINANCE_FIELDS:
            ff.addRow(label, self._bind(NumberEdit(f"finance.{key}", optional=True, placeholder=hint), f"finance.{key}"))
        self.lease = QCheckBox("Lease the building (colocation)")
        self.lease.setToolTip("Pay a lease per kW instead of building the facility")
        self.lease.setObjectName("field:finance.lease")
        self.lease.clicked.connect(self._lease_changed)
        self.fields["finance.lease"] = self.lease
        ff.addRow(self.lease)
        grid.addWidget(fin_box, 0, 1)

        ovr_box = QGroupBox("Overrides")
        ovr_box.setToolTip("Each override replaces one derived quantity for the whole scenario; blank = derived")
        of = QFormLayout(ovr_box)
        of.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in OVERRIDE_BOUNDS:
            label, unit = OVERRIDE_LABELS.get(key, (key, ""))
            low, high, _ = OVERRIDE_BOUNDS[key]
            of.addRow(f"{label}" + (f" ({unit})" if unit and unit != "0–1" else ""),
                      self._bind(NumberEdit(f"overrides.{key}", optional=True, placeholder="derived",
                                            tooltip=f"Blank = derived by the engine; "
                                                    f"{format_number(low)} to {format_number(high)}"),
                                 f"overrides.{key}"))
        grid.addWidget(ovr_box, 0, 2)

        sch_box = QGroupBox("Schedule overrides (task durations in months; blank = estimated from the catalogue)")
        sg = QGridLayout(sch_box)
        for i, task in enumerate(SCHEDULE_TASKS):
            sg.addWidget(QLabel(TASK_NAMES[task]), (i // 4) * 2, i % 4)
            sg.addWidget(self._bind(NumberEdit(f"schedule.{task}", optional=True, placeholder="estimated"),
                                    f"schedule.{task}"), (i // 4) * 2 + 1, i % 4)
        grid.addWidget(sch_box, 1, 0, 1, 3)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        lay.addLayout(grid)
        lay.addStretch(1)

    def _table_section(self, title: str, key: str, headers: list[str], *, stretch: int, fixed: dict,
                       add_text: str, add_name: str, on_add):
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        table = QTableWidget(0, len(headers))
        table.setObjectName(f"{key}Table")
        table.setHorizontalHeaderLabels(headers)
        self._setup_table(table, stretch=stretch, fixed=fixed)
        layout.addWidget(table)
        self.messages[key] = MessageLabel()
        layout.addWidget(self.messages[key])
        row = QHBoxLayout()
        button = QPushButton(add_text)
        button.setObjectName(add_name)
        button.clicked.connect(on_add)
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box, table, button

    def _setup_table(self, table: QTableWidget, stretch: int, fixed: dict[int, int]) -> None:
        table.verticalHeader().setVisible(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in fixed.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(column, width)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setWordWrap(False)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _fit_table(self, table: QTableWidget) -> None:
        """Rows tall enough for their editors; the table as tall as its rows (no scrolling)."""
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 2
        for r in range(table.rowCount()):
            row_h = 26
            for c in range(table.columnCount()):
                w = table.cellWidget(r, c)
                if w is not None:
                    row_h = max(row_h, w.sizeHint().height() + 4)
            table.setRowHeight(r, row_h)
            height += row_h
        table.setFixedHeight(height)

    def _bind(self, edit: NumberEdit, path: str, page_key: str | None = None) -> QWidget:
        """Register a number field; returns the editor with its message under it."""
        key = path if page_key is None else f"{path}@{page_key}"
        self.fields[key] = edit
        edit.setProperty("baseTooltip", edit.toolTip())
        edit.edited.connect(self._typed)
        edit.committed.connect(self._committed)
        holder = FieldWithMessage(edit)
        self.messages[key] = holder.message
        return holder

    # ------------------------------------------------------------------ context
    def set_context(self, document, scenario_id: int | None, catalogue: Catalogue | None) -> None:
        """Show a scenario (None: nothing). Unsaved invalid text is dropped."""
        self._timer.stop()
        self._pending.clear()
        self.invalid.clear()
        self.document, self.scenario_id, self.catalogue = document, scenario_id, catalogue
        self._shape = None
        self.reload()

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.reload()

    def _project(self):
        return self.document.project if self.document is not None else None

    def reload(self) -> None:
        """Show the stored scenario (after an edit, undo or redo, or a new selection)."""
        project = self._project()
        editable = project is not None and self.scenario_id is not None
        if not editable:
            self.doc = {}
            self.pages.setCurrentWidget(self.empty_page)
            if project is None:
                self.empty_text.setText("Open a project (File ▸ Open) or create one (File ▸ New project).")
                self.add_first.hide()
            else:
                has_any = bool(project.scenarios())
                self.empty_text.setText(
                    "Choose a scenario in the project tree." if has_any else
                    "This project has no scenarios yet. Add one, then choose its region, chips, cooling, "
                    "power and workload here; the results follow every change.")
                self.add_first.setVisible(not project.read_only)
            return
        self.pages.setCurrentWidget(self.scroll)
        info = project.scenario(self.scenario_id)
        self.doc = project.effective_scenario(self.scenario_id)
        self.title.setText(info.name)
        if info.parent_id is not None:
            parent = project.scenario(info.parent_id).name
            n = len(project.overrides(info.id))
            self.subtitle.setText(f"Variant of “{parent}”: changes here are stored as this variant's own "
                                  f"values ({n} so far); everything else follows “{parent}”.")
        else:
            self.subtitle.setText(self.doc.get("description") or "Base scenario.")
        read_only = project.read_only
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        focused = QApplication.focusWidget()
        focus_path = focused.path if isinstance(focused, NumberEdit) and focused in self.fields.values() else None
        cursor = focused.cursorPosition() if focus_path else 0
        self._loading = True
        try:
            self._fill_choices()
            self._fill_tables()
            self._fill_fields()
        finally:
            self._loading = False
        if focus_path:
            widget = self._widget_for(focus_path)
            if widget is not None and widget is not focused:
                widget.setFocus()
                widget.setCursorPosition(cursor)
        for w in self.findChildren(QWidget):
            if isinstance(w, (NumberEdit, QComboBox, QCheckBox, QPushButton)):
                w.setEnabled(not read_only)
        self._mark_variant_values(project, info)
        self._show_messages(None)

    def _mark_variant_values(self, project, info) -> None:
        """In a variant, the fields it changes are bold (the rest follow the parent)."""
        own = [] if info.parent_id is None else list(project.overrides(info.id))
        for key, widget in self.fields.items():
            path = key.partition("@")[0]
            mine = any(is_within(path, o) or is_within(o, path) for o in own)
            font = widget.font()
            if font.bold() != mine:
                font.setBold(mine)
                widget.setFont(font)
            base_tip = widget.property("baseTooltip") or ""
            if mine and not widget.property("invalid"):
                widget.setToolTip("Changed in this variant" + (f"\n{base_tip}" if base_tip else ""))

    def _fill_choices(self) -> None:
        cat = self.catalogue
        self._fill_combo(self.region, cat.tables["regions"], self.doc.get("region"), "regions")
        self._fill_combo(self.cooling, cat.tables["cooling"], self.doc.get("cooling"), "cooling")
        self._update_region_info()
        self._update_cooling_info()

    def _row_combo(self, path: str, optional: bool = False) -> QComboBox:
        """A picker in a table row: named for tests, saved through _choice, registered as a field."""
        combo = QComboBox()
        combo.setObjectName(f"field:{path}")
        combo.activated.connect(lambda _i, c=combo, p=path: self._choice(p, c, optional=optional))
        self.fields[path] = combo
        return combo

    def _fill_combo(self, combo: QComboBox, table: dict, current, kind: str) -> None:
        combo.clear()
        user = self.catalogue.user_ids.get(kind, frozenset())
        for item_id, row in table.items():
            label = row.get("name") or item_id
            if item_id in user:
                label += "  (yours)"
            combo.addItem(label, item_id)
            combo.setItemData(combo.count() - 1, row.get("source") or "", Qt.ItemDataRole.ToolTipRole)
        if isinstance(current, dict):
            combo.addItem(f"{current.get('name', 'custom')} (defined in this scenario)", current)
            combo.setCurrentIndex(combo.count() - 1)
        else:
            index = combo.findData(current)
            if index < 0 and current is not None:
                combo.addItem(f"{current} (not in the catalogue)", current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)

    def _row_for(self, kind: str, value) -> dict | None:
        if isinstance(value, dict):
            base = self.catalogue.tables[kind].get(value.get("id"), {}) if value.get("id") else {}
            return {**base, **value}
        return self.catalogue.tables[kind].get(value)

    def _update_region_info(self) -> None:
        row = self._row_for("regions", self.doc.get("region"))
        if not row:
            self.region_info.setText("")
            return
        price = row.get("electricity_usd_per_mwh")
        carbon = row.get("grid_gco2_per_kwh")
        parts = [f"<b>Electricity</b> ${price:,.0f}/MWh" if price is not None else "",
                 f"<b>Grid carbon</b> {carbon:,.0f} gCO2/kWh" if carbon is not None else ""]
        climate = region_climate(str(row.get("profile") or row.get("id")))
        if climate:
            mean, p99, peak, kind = climate
            parts.append(f"<b>Climate</b> mean {mean:.1f} °C, hottest 1% of hours above {p99:.0f} °C, "
                         f"peak {peak:.0f} °C ({kind} typical year)")
        lo, mode, hi = (row.get("grid_queue_months_low"), row.get("grid_queue_months_mode"),
                        row.get("grid_queue_months_high"))
        if mode is not None:
            parts.append(f"<b>Grid queue</b> {lo:.0f}–{hi:.0f} months (most likely {mode:.0f})")
        extra = []
        if row.get("construction_cost_factor") is not None:
            extra.append(f"construction cost ×{row['construction_cost_factor']:.2f}")
        if row.get("export_tier") is not None:
            extra.append(f"export-control tier {row['export_tier']:.0f}")
        if extra:
            parts.append("<b>Also</b> " + ", ".join(extra))
        self.region_info.setText("<br>".join(p for p in parts if p))
        self.region.setToolTip(row.get("source") or "")

    def _update_cooling_info(self) -> None:
        row = self._row_for("cooling", self.doc.get("cooling"))
        if not row:
            self.cooling_info.setText("")
            return
        pue = f"PUE {row.get('pue_min', 0):.2f}" + (f"–{row['pue_max']:.2f}" if row.get("pue_max") else "")
        wue = row.get("wue_l_per_kwh_max")
        self.cooling_info.setText(
            f"<b>Up to</b> {row.get('max_kw_per_rack', 0):,.0f} kW per rack<br><b>{pue}</b> with ambient "
            f"temperature<br><b>Water</b> up to {wue or 0:g} L/kWh<br><b>Capex</b> "
            f"${row.get('capex_usd_per_kw', 0) or 0:,.0f}/kW")
        self.cooling.setToolTip(row.get("source") or "")

    def _table_shape(self):
        deps = self.doc.get("deployments") or []
        power = self.doc.get("power") or []
        return (repr([(d.get("chip"), d.get("server")) for d in deps]),
                repr([p.get("source") for p in power]), id(self.catalogue), self.document and self.document.read_only)

    def _fill_tables(self) -> None:
        shape = self._table_shape()
        if shape == getattr(self, "_shape", None):
            # Same rows and components: update the numbers in place (keeps focus and typing).
            for path, widget in self.fields.items():
                if isinstance(widget, NumberEdit) and path.startswith(("deployments[", "power[")) \
                        and path not in self.invalid:
                    widget.show_value(get_path(self.doc, path) if has_path(self.doc, path) else None)
            return
        self._shape = shape
        for path in [p for p in self.fields if p.startswith(("deployments[", "power["))]:
            del self.fields[path]
        cat = self.catalogue
        deps = self.doc.get("deployments") or []
        table = self.deployments
        for t in (self.deployments, self.power):
            t.clearContents()  # deletes the old cell editors
            t.setRowCount(0)
        table.setRowCount(len(deps))
        for i, dep in enumerate(deps):
            base = f"deployments[{i}]"
            chip = self._row_combo(f"{base}.chip")
            self._fill_combo(chip, cat.tables["chips"], dep.get("chip"), "chips")
            row = self._row_for("chips", dep.get("chip")) or {}
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(2, 2, 2, 2)
            cell_layout.setSpacing(1)
            cell_layout.addWidget(chip)
            specs = QLabel(chip_specs(row) if row else "")
            specs.setObjectName(f"specs{i}")
            specs.setToolTip((chip_specs(row, full=True) + "\nSource: " + (row.get("source") or "")) if row else "")
            specs.setProperty("cardTitle", "true")
            specs.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            cell_layout.addWidget(specs)
            table.setCellWidget(i, 0, cell)
            count = NumberEdit(f"{base}.count", integer=True, placeholder="accelerators")
            count.show_value(dep.get("count"))
            self._bind_cell(count)
            table.setCellWidget(i, 1, count)
            server = self._row_combo(f"{base}.server", optional=True)
            default_server = row.get("default_server")
            default_name = cat.tables["servers"].get(default_server, {}).get("name") if default_server else None
            server.addItem(f"Chip default ({default_name})" if default_name else "Custom (from fields)", None)
            for sid, srow in cat.tables["servers"].items():
                server.addItem(srow.get("name") or sid, sid)
            current = dep.get("server")
            if isinstance(current, dict):
                server.addItem(f"{current.get('name', 'custom server')} (defined here)", current)
                server.setCurrentIndex(server.count() - 1)
            else:
                server.setCurrentIndex(max(0, server.findData(current)) if current is not None else 0)
            table.setCellWidget(i, 2, server)
            per_rack = NumberEdit(f"{base}.servers_per_rack", integer=True, optional=True, placeholder="server default")
            per_rack.show_value(dep.get("servers_per_rack"))
            self._bind_cell(per_rack)
            table.setCellWidget(i, 3, per_rack)
            start = NumberEdit(f"{base}.start_month", optional=True, placeholder="0")
            start.show_value(dep.get("start_month"))
            self._bind_cell(start)
            table.setCellWidget(i, 4, start)
            remove = QPushButton("Remove")
            remove.setObjectName(f"removeDeployment{i}")
            remove.setToolTip("Remove this deployment")
            remove.clicked.connect(lambda _c=False, n=i: self._remove_row("deployments", n))
            table.setCellWidget(i, 5, remove)
        self._fit_table(table)

        power = self.doc.get("power") or []
        table = self.power
        table.setRowCount(len(power))
        for i, entry in enumerate(power):
            base = f"power[{i}]"
            source = self._row_combo(f"{base}.source")
            self._fill_combo(source, cat.tables["power_sources"], entry.get("source"), "power_sources")
            table.setCellWidget(i, 0, source)
            mw = NumberEdit(f"{base}.mw", placeholder="MW")
            mw.show_value(entry.get("mw"))
            self._bind_cell(mw)
            table.setCellWidget(i, 1, mw)
            row = self._row_for("power_sources", entry.get("source")) or {}
            mwh = NumberEdit(f"{base}.mwh", optional=True,
                             placeholder=f"{row.get('default_duration_h') or 4:g} h default" if row.get("kind") == "storage"
                             else "n/a")
            mwh.show_value(entry.get("mwh"))
            mwh.setEnabled(row.get("kind") == "storage")
            self._bind_cell(mwh)
            table.setCellWidget(i, 2, mwh)
            lead = (f"{row.get('lead_time_months_low', 0) or 0:.0f}–"
                    f"{row.get('lead_time_months_high', 0) or 0:.0f} months to build") if row else ""
            info = QLabel(f"{row.get('kind', '')} · {lead}" if row.get("kind") != "firm" else lead)
            info.setContentsMargins(4, 0, 4, 0)
            info.setToolTip(row.get("source") or "")
            if row.get("kind") == "firm":
                # A firm source runs in merit order (before grid import) or as backup.
                cell = QWidget()
                cell_layout = QHBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                dispatch = self._row_combo(f"{base}.dispatch")
                for mode, label in DISPATCH_LABELS.items():
                    dispatch.addItem(label, mode)
                dispatch.setToolTip("Before grid: runs whenever renewables and the battery fall short "
                                    "(merit order). Backup: runs only when grid import falls short, "
                                    "e.g. a gas bridge kept once the grid is connected.")
                dispatch.setCurrentIndex(max(0, dispatch.findData(entry.get("dispatch", "merit"))))
                cell_layout.addWidget(dispatch)
                cell_layout.addWidget(info, 1)
                table.setCellWidget(i, 3, cell)
            else:
                table.setCellWidget(i, 3, info)
            remove = QPushButton("Remove")
            remove.setObjectName(f"removePower{i}")
            remove.clicked.connect(lambda _c=False, n=i: self._remove_row("power", n))
            table.setCellWidget(i, 4, remove)
        self._fit_table(table)

    def _bind_cell(self, edit: NumberEdit) -> None:
        self.fields[edit.path] = edit
        edit.setProperty("baseTooltip", edit.toolTip())
        edit.edited.connect(self._typed)
        edit.committed.connect(self._committed)
        if edit.path in self.invalid:
            mark(edit, self.invalid[edit.path])

    def _fill_fields(self) -> None:
        wl = self.doc.get("workload") or {}
        kind = wl.get("kind", "training")
        self.workload_kind.setCurrentIndex(max(0, self.workload_kind.findData(kind)))
        self.workload_pages.setCurrentIndex(self._workload_page_index.get(kind, 0))
        self.precision.setCurrentIndex(max(0, self.precision.findData(wl.get("precision", "bf16"))))
        self.precision.setVisible(kind != "utilization")
        self.precision_label.setVisible(kind != "utilization")
        for key, widget in self.fields.items():
            if not isinstance(widget, NumberEdit):
                continue
            path, _, page = key.partition("@")
            if page and page != kind:
                continue
            if path.startswith(("deployments[", "power[")):
                continue  # filled with their tables
            if key in self.invalid or path in self.invalid:
                continue  # keep the planner's unsaved text and its message
            widget.show_value(get_path(self.doc, path) if has_path(self.doc, path) else None)
        self.lease.setChecked(bool((self.doc.get("finance") or {}).get("lease", False)))

    # ------------------------------------------------------------------ editing
    def _widget_for(self, path: str) -> QWidget | None:
        kind = (self.doc.get("workload") or {}).get("kind")
        for candidate in (f"{path}@{kind}", path):
            if candidate in self.fields:
                return self.fields[candidate]
        return None

    def _typed(self, path: str, _text: str) -> None:
        """Validate as the planner types; save after a pause if the value is good."""
        if self._loading:
            return
        self._pending[path] = _text
        if self._check(path) is None:
            self._timer.start()
        else:
            self._timer.stop()

    def _committed(self, path: str, _text: str) -> None:
        if self._loading or path not in self._pending:
            return
        self.commit_pending()

    def commit_pending(self) -> None:
        """Save every pending, valid typed value (one undo step each)."""
        self._timer.stop()
        for path in list(self._pending):
            self._pending.pop(path, None)
            self._save_typed(path)

    def _check(self, path: str):
        """Validate the typed value of `path`; returns (value, unset) or None if bad."""
        widget = self._widget_for(path)
        try:
            value = widget.value()
            unset = value is None
            check_edit(self.doc, edited_document(self.doc, path, value, unset=unset), path, self.catalogue,
                       self.document.project.folder)
        except InputError as error:
            self.invalid[path] = error.message if error.field == path else f"{error}"
            self._show_messages(error, typed=path)
            return None
        self.invalid.pop(path, None)
        self._show_messages(None)
        return value, unset

    def _save_typed(self, path: str) -> None:
        checked = self._check(path)
        if checked is None:
            self.status.emit(f"Not saved: {self.invalid.get(path, '')}")
            return
        value, unset = checked
        current = get_path(self.doc, path) if has_path(self.doc, path) else None
        if unset:
            if current is None:
                return
            self._push_unset(path)
        elif current != value:
            self._push_set(path, value, merge=True)

    def _choice(self, path: str, combo: QComboBox, optional: bool = False) -> None:
        """Save a picker's choice (the core checks it; a refused choice goes back to what
        is stored, with the engine's message next to it)."""
        if self._loading:
            return
        value = combo.currentData()
        source_row = re.fullmatch(r"power\[(\d+)\]\.source", path)
        current = get_path(self.doc, path) if has_path(self.doc, path) else None
        if optional and value is None:
            ok = current is None or self._push(UnsetField(self._project(), self.scenario_id, path))
        elif current == value:
            ok = True
        elif source_row:
            ok = self._push(ReplacePowerSource(self._project(), self.scenario_id, int(source_row.group(1)), value),
                            merge=True, typed=path)
        else:
            ok = self._push(SetField(self._project(), self.scenario_id, path, value), merge=True, typed=path)
        if not ok:
            for i in range(combo.count()):
                if combo.itemData(i) == current:
                    combo.setCurrentIndex(i)
                    break

    def _kind_changed(self, _index: int) -> None:
        kind = self.workload_kind.currentData()
        if (self.doc.get("workload") or {}).get("kind") != kind:
            self._push(SetWorkloadKind(self._project(), self.scenario_id, kind))

    def _lease_changed(self, checked: bool) -> None:
        if checked:
            self._push_set("finance.lease", True)
        elif has_path(self.doc, "finance.lease"):
            self._push_unset("finance.lease")

    def _add_deployment(self) -> None:
        self._push(AddDeployment(self._project(), self.scenario_id))

    def _add_power(self) -> None:
        self._push(AddPowerSource(self._project(), self.scenario_id))

    def _remove_row(self, key: str, index: int) -> None:
        self.invalid = {p: m for p, m in self.invalid.items() if not p.startswith(f"{key}[")}
        self._push(RemoveRow(self._project(), self.scenario_id, key, index))

    def _push_set(self, path: str, value, merge: bool = False) -> None:
        self._push(SetField(self.document.project, self.scenario_id, path, value), merge=merge)

    def _push_unset(self, path: str) -> None:
        self._push(UnsetField(self.document.project, self.scenario_id, path))

    def _push(self, op, merge: bool = False, typed: str | None = None) -> bool:
        """Save through the core; its refusal is shown next to the field it names."""
        try:
            self.document.push(op, merge=merge)
        except InputError as error:
            self._show_messages(error, typed=typed)
            self.status.emit(f"Not saved: {error}")
            return False
        return True

    # ------------------------------------------------------------------ messages
    def _show_messages(self, error: InputError | None, typed: str | None = None) -> None:
        """Clear every message, then show the standing ones (typed but invalid values)
        and `error` next to the field it names."""
        for label in self.messages.values():
            label.show_message(None)
        self.general_message.show_message(None)
        for w in self.fields.values():
            mark(w, None)
        self.problemsChanged.emit(len(self.invalid))
        shown = dict(self.invalid)
        if error is not None:
            target = typed if typed and (error.field == typed or not self._widget_for(error.field)) else error.field
            shown[target or ""] = error.message if target == error.field else str(error)
        for path, message in shown.items():
            self._show_at(path, message)

    def _show_at(self, path: str, message: str) -> None:
        widget = self._widget_for(path) if path else None
        if widget is None:
            # The nearest field or section the path belongs to.
            parts = parse_path(path) if path else ()
            while parts and widget is None:
                parts = parts[:-1]
                widget = self._widget_for(format_path(parts)) if parts else None
        if widget is not None:
            mark(widget, message)
        label = self._label_for(path)
        if label is not None:
            text = message
            if label is self.messages.get("deployments") or label is self.messages.get("power"):
                text = _row_message(path, message)
            label.show_message(text)
        else:
            self.general_message.show_message(f"{path}: {message}" if path else message)

    def _label_for(self, path: str) -> MessageLabel | None:
        kind = (self.doc.get("workload") or {}).get("kind")
        for candidate in (f"{path}@{kind}", path):
            if candidate in self.messages:
                return self.messages[candidate]
        for section in ("deployments", "power", "region", "cooling"):
            if path == section or path.startswith(section + "[") or path.startswith(section + "."):
                return self.messages[section]
        return None

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

    def show_derived(self, summary: dict | None) -> None:
        """Put the engine's values in the placeholders of blank optional fields
        ("derived 1.13"), so a planner sees what an override would replace."""
        kind = (self.doc.get("workload") or {}).get("kind")
        tasks = {t["id"]: t for t in (summary or {}).get("schedule", {}).get("tasks", [])}
        for key, widget in self.fields.items():
            if not isinstance(widget, NumberEdit):
                continue
            path, _, page = key.partition("@")
            if page and page != kind:
                continue
            if not hasattr(widget, "plain_placeholder"):
                widget.plain_placeholder = widget.placeholderText()
            text = widget.plain_placeholder
            if summary is not None and path in self.DERIVED:
                section, name, fmt = self.DERIVED[path]
                value = summary.get(section, {}).get(name)
                if value is not None:
                    text = ("derived " if path.startswith("overrides.") else "engine: ") + fmt.format(value)
            elif summary is not None and path.startswith("schedule.") and path[9:] in tasks:
                task = tasks[path[9:]]
                text = f"estimated {task['end_month'] - task['start_month']:.0f}"
            widget.setPlaceholderText(text)

    def has_problems(self) -> bool:
        return bool(self.invalid)

    def focus_field(self, path: str) -> bool:
        """Select the input a check or a message names (True if there is one)."""
        widget = self._widget_for(path)
        parts = parse_path(path) if path else ()
        while widget is None and parts:
            parts = parts[:-1]
            widget = self._widget_for(format_path(parts)) if parts else None
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


def _row_message(path: str, message: str) -> str:
    try:
        parts = parse_path(path)
    except InputError:
        return message
    if len(parts) == 1:
        return f"{str(parts[0]).capitalize()} {message}"
    if len(parts) >= 2 and isinstance(parts[1], int):
        what = "Deployment" if parts[0] == "deployments" else "Power source"
        field = ".".join(str(p) for p in parts[2:]) or "row"
        return f"{what} {parts[1] + 1}, {field.replace('_', ' ')}: {message}"
    return message
