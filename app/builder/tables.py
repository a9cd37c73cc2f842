"""The scenario's rows: IT deployments (accelerators in phases) and power sources, a table
each with its message label and an "add" button. Adding, removing and changing a power
source are core operations (core.project.edits.planning) with the core's defaults."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from aisite.app.builder.binder import FieldBinder
from aisite.app.builder.place import fill_combo
from aisite.app.fields import MessageLabel, NumberEdit
from aisite.core import units
from aisite.core.project.edits import AddDeployment, AddPowerSource, RemoveRow
from aisite.core.project.fieldpath import get_path, has_path
from aisite.core.scenario_defaults import DISPATCH_LABELS


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


class RowsSection(QGroupBox):
    """A table of the rows of one list of the scenario (`key`), rebuilt only when its
    rows or their components change; otherwise the numbers update in place (which keeps
    the focus and what the planner is typing)."""

    key = ""
    headers: list[str] = []
    stretch = 0
    fixed: dict[int, int] = {}

    def __init__(self, binder: FieldBinder, title: str, add_text: str, add_name: str):
        super().__init__(title)
        self.binder = binder
        self._shape = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.headers))
        self.table.setObjectName(f"{self.key}Table")
        self.table.setHorizontalHeaderLabels(self.headers)
        self._setup_table()
        layout.addWidget(self.table)
        binder.messages[self.key] = MessageLabel()
        layout.addWidget(binder.messages[self.key])
        row = QHBoxLayout()
        self.add_button = QPushButton(add_text)
        self.add_button.setObjectName(add_name)
        self.add_button.clicked.connect(self.add_row)
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)

    def _setup_table(self) -> None:
        table = self.table
        table.verticalHeader().setVisible(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in self.fixed.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(column, width)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setWordWrap(False)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _fit_table(self) -> None:
        """Rows tall enough for their editors; the table as tall as its rows (no scrolling)."""
        table = self.table
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

    def rows(self) -> list:
        return self.binder.doc.get(self.key) or []

    def shape(self) -> tuple:
        """What, when it changes, needs new row widgets (not just new numbers)."""
        document = self.binder.document
        return (repr(self._shape_of(self.rows())), id(self.binder.catalogue), document and document.read_only)

    def _shape_of(self, rows: list):  # pragma: no cover - abstract
        raise NotImplementedError

    def fill(self) -> None:
        binder = self.binder
        shape = self.shape()
        if shape == self._shape:
            for path, widget in binder.fields.items():
                if isinstance(widget, NumberEdit) and path.startswith(f"{self.key}[") \
                        and path not in binder.invalid:
                    widget.show_value(get_path(binder.doc, path) if has_path(binder.doc, path) else None)
            return
        self._shape = shape
        binder.drop_rows(self.key)
        self.table.clearContents()  # deletes the old cell editors
        self.table.setRowCount(0)
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self._fill_row(i, row, f"{self.key}[{i}]")
        self._fit_table()

    def forget_shape(self) -> None:
        self._shape = None

    def _fill_row(self, i: int, row: dict, base: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _number(self, i: int, column: int, path: str, value, **options) -> NumberEdit:
        edit = NumberEdit(path, **options)
        edit.show_value(value)
        self.binder.bind_cell(edit)
        self.table.setCellWidget(i, column, edit)
        return edit

    def _remove_button(self, i: int, column: int, name: str, tooltip: str = "") -> None:
        remove = QPushButton("Remove")
        remove.setObjectName(f"{name}{i}")
        if tooltip:
            remove.setToolTip(tooltip)
        remove.clicked.connect(lambda _c=False, n=i: self.remove_row(n))
        self.table.setCellWidget(i, column, remove)

    def add_row(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def remove_row(self, index: int) -> None:
        binder = self.binder
        binder.invalid = {p: m for p, m in binder.invalid.items() if not p.startswith(f"{self.key}[")}
        binder.push(RemoveRow(binder.project(), binder.scenario_id, self.key, index))


class DeploymentsSection(RowsSection):
    key = "deployments"
    headers = ["Chip and its key specs", "Count", "Server", "Servers / rack", "Start month", ""]
    stretch = 0
    fixed = {1: 90, 2: 240, 3: 100, 4: 90, 5: 80}

    def __init__(self, binder: FieldBinder):
        super().__init__(binder, "IT deployments (accelerators in phases)", "Add deployment", "addDeployment")

    def _shape_of(self, rows: list):
        return [(d.get("chip"), d.get("server")) for d in rows]

    def add_row(self) -> None:
        self.binder.push(AddDeployment(self.binder.project(), self.binder.scenario_id))

    def _fill_row(self, i: int, dep: dict, base: str) -> None:
        binder, cat = self.binder, self.binder.catalogue
        chip = binder.bind_choice(QComboBox(), f"{base}.chip")
        fill_combo(binder, chip, "chips", dep.get("chip"))
        row = binder.row_for("chips", dep.get("chip")) or {}
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
        self.table.setCellWidget(i, 0, cell)
        self._number(i, 1, f"{base}.count", dep.get("count"), integer=True, placeholder="accelerators")
        server = binder.bind_choice(QComboBox(), f"{base}.server", optional=True)
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
        self.table.setCellWidget(i, 2, server)
        self._number(i, 3, f"{base}.servers_per_rack", dep.get("servers_per_rack"), integer=True, optional=True,
                     placeholder="server default")
        self._number(i, 4, f"{base}.start_month", dep.get("start_month"), optional=True, placeholder="0")
        self._remove_button(i, 5, "removeDeployment", "Remove this deployment")


class PowerSection(RowsSection):
    key = "power"
    headers = ["Source", "MW", "MWh (storage)", "Dispatch · lead time", ""]
    stretch = 3
    fixed = {0: 250, 1: 100, 2: 110, 4: 80}

    def __init__(self, binder: FieldBinder):
        super().__init__(binder, "Power sources", "Add power source", "addPower")

    def _shape_of(self, rows: list):
        return [p.get("source") for p in rows]

    def add_row(self) -> None:
        self.binder.push(AddPowerSource(self.binder.project(), self.binder.scenario_id))

    def _fill_row(self, i: int, entry: dict, base: str) -> None:
        binder = self.binder
        source = binder.bind_choice(QComboBox(), f"{base}.source")
        fill_combo(binder, source, "power_sources", entry.get("source"))
        self.table.setCellWidget(i, 0, source)
        self._number(i, 1, f"{base}.mw", entry.get("mw"), placeholder="MW")
        row = binder.row_for("power_sources", entry.get("source")) or {}
        storage = row.get("kind") == "storage"
        mwh = self._number(i, 2, f"{base}.mwh", entry.get("mwh"), optional=True,
                           placeholder=f"{row.get('default_duration_h') or 4:g} h default" if storage else "n/a")
        mwh.setEnabled(storage)
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
            dispatch = binder.bind_choice(QComboBox(), f"{base}.dispatch")
            for mode, label in DISPATCH_LABELS.items():
                dispatch.addItem(label, mode)
            dispatch.setToolTip("Before grid: runs whenever renewables and the battery fall short "
                                "(merit order). Backup: runs only when grid import falls short, "
                                "e.g. a gas bridge kept once the grid is connected.")
            dispatch.setCurrentIndex(max(0, dispatch.findData(entry.get("dispatch", "merit"))))
            cell_layout.addWidget(dispatch)
            cell_layout.addWidget(info, 1)
            self.table.setCellWidget(i, 3, cell)
        else:
            self.table.setCellWidget(i, 3, info)
        self._remove_button(i, 4, "removePower")
