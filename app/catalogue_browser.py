"""The catalogue browser: shipped components with specs and sources, searchable, plus
the planner's own components (stored in the project, marked "yours"), which can be
added, edited and removed through the core edit API."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aisite.app import messages
from aisite.app.fields import MessageLabel, format_number, parse_number
from aisite.core.catalogue import KIND_LABEL, KINDS, TEXT_COLUMNS, Catalogue
from aisite.core.errors import InputError
from aisite.core.project.edits import AddCatalogueEntry, EditCatalogueEntry, RemoveCatalogueEntry

KIND_TITLES = {"chips": "Chips (accelerators)", "servers": "Servers", "network": "Network fabrics",
               "cooling": "Cooling", "power_sources": "Power sources", "regions": "Regions"}
SHOWN_COLUMNS = {
    "chips": ["name", "vendor", "bf16_tflops", "fp8_tflops", "memory_gb", "memory_tbps", "tdp_w", "price_usd",
              "export_class"],
    "servers": ["name", "chips_per_server", "overhead_w", "price_usd", "servers_per_rack"],
    "network": ["name", "usd_per_accelerator", "w_per_accelerator", "scaling_loss_per_doubling"],
    "cooling": ["name", "max_kw_per_rack", "pue_min", "pue_max", "wue_l_per_kwh_max", "capex_usd_per_kw"],
    "power_sources": ["name", "kind", "capex_usd_per_kw", "fuel_usd_per_mwh", "gco2_per_kwh",
                      "lead_time_months_mode"],
    "regions": ["name", "country", "electricity_usd_per_mwh", "grid_gco2_per_kwh", "grid_queue_months_mode",
                "construction_cost_factor"],
}
SKIP_IN_EDITOR = {"source", "year", "estimated"}


def _header(column: str) -> str:
    return column.replace("_", " ").replace("usd", "$").replace("gco2", "gCO2").replace(" w", " W") \
        .replace("tflops", "TFLOPS").replace("gb", "GB").replace("tbps", "TB/s").replace("mw", "MW")


class _Filter(QSortFilterProxyModel):
    """Matches the search words against every column (all words must match)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []

    def set_search(self, text: str) -> None:
        self.words = [w.lower() for w in text.split()]
        self.invalidate()

    def filterAcceptsRow(self, row, parent):  # noqa: N802 - Qt API
        if not self.words:
            return True
        model = self.sourceModel()
        haystack = " ".join(str(model.index(row, c, parent).data(Qt.ItemDataRole.UserRole + 1) or "")
                            for c in range(model.columnCount()))
        return all(w in haystack.lower() for w in self.words)

    def lessThan(self, left, right):  # noqa: N802 - Qt API
        a, b = left.data(Qt.ItemDataRole.UserRole + 2), right.data(Qt.ItemDataRole.UserRole + 2)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return str(left.data() or "") < str(right.data() or "")


class CatalogueBrowser(QWidget):
    status = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CatalogueBrowser")
        self.document = None
        self.catalogue: Catalogue | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("catalogueKind")
        for kind in KINDS:
            self.kind.addItem(KIND_TITLES[kind], kind)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.kind, 1)
        layout.addLayout(top)
        self.search = QLineEdit()
        self.search.setObjectName("catalogueSearch")
        self.search.setPlaceholderText("Search (name, vendor, any value)…")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = QStandardItemModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setObjectName("catalogueTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.table.doubleClicked.connect(lambda *_: self.edit_selected())
        split.addWidget(self.table)
        self.details = QTextBrowser()
        self.details.setObjectName("catalogueDetails")
        self.details.setOpenExternalLinks(False)
        split.addWidget(self.details)
        split.setSizes([300, 200])
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add my own…")
        self.add_button.setObjectName("catalogueAdd")
        self.add_button.setToolTip("Add a component of your own (starts from the selected one); stored in the project")
        self.add_button.clicked.connect(self.add_from_selected)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("catalogueEdit")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("catalogueRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.dialog: CatalogueEntryDialog | None = None

    def set_context(self, document, catalogue: Catalogue) -> None:
        self.document, self.catalogue = document, catalogue
        self.refresh()

    def current_kind(self) -> str:
        return self.kind.currentData()

    def refresh(self) -> None:
        kind = self.current_kind()
        self.model.clear()
        if self.catalogue is None:
            return
        columns = SHOWN_COLUMNS[kind]
        self.model.setHorizontalHeaderLabels(["id"] + [_header(c) for c in columns] + ["source"])
        user = self.catalogue.user_ids.get(kind, frozenset())
        for item_id, row in self.catalogue.tables[kind].items():
            items = []
            for col in ["id", *columns, "source"]:
                value = row.get(col)
                shown = format_number(value) if isinstance(value, float) else ("" if value is None else str(value))
                if col == "id" and item_id in user:
                    shown = f"{item_id}  (yours)"
                it = QStandardItem(shown)
                it.setData(" ".join(str(v) for v in row.values() if v is not None) if col == "id" else shown,
                           Qt.ItemDataRole.UserRole + 1)
                it.setData(value, Qt.ItemDataRole.UserRole + 2)
                it.setData(item_id, Qt.ItemDataRole.UserRole + 3)
                if col == "source":
                    it.setToolTip(str(value or ""))
                if item_id in user:
                    it.setForeground(QBrush(QColor("#1565C0")))
                    f = it.font()
                    f.setBold(col == "id")
                    it.setFont(f)
                items.append(it)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.sortByColumn(self.table.horizontalHeader().sortIndicatorSection(),
                                self.table.horizontalHeader().sortIndicatorOrder())
        for c in range(self.model.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 220))
        self._show_details()

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole + 3)

    def select(self, item_id: str) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3) == item_id:
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                return

    def _is_user(self, item_id: str | None) -> bool:
        return bool(item_id) and item_id in self.catalogue.user_ids.get(self.current_kind(), frozenset()) \
            and self.document is not None \
            and self.document.project.catalogue_entry(self.current_kind(), item_id) is not None

    def _show_details(self) -> None:
        item_id = self.selected_id()
        editable = self.document is not None and not self.document.read_only
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and self._is_user(item_id))
        self.remove_button.setEnabled(editable and self._is_user(item_id))
        # The table can still show a row the catalogue has just lost (an undone "add my
        # own"), while the model is being refilled.
        row = self.catalogue.tables[self.current_kind()].get(item_id) if (
            item_id is not None and self.catalogue is not None) else None
        if row is None:
            self.details.setHtml("<p>Select a component to see all its fields and where the numbers come "
                                 "from. Estimated values are marked.</p>")
            return
        estimated = set(str(row.get("estimated") or "").split(";"))
        mine = self._is_user(item_id)
        rows = []
        for key, value in row.items():
            if key in ("source", "estimated"):
                continue
            shown = format_number(value) if isinstance(value, float) else ("" if value is None else str(value))
            mark = " <i>(estimate)</i>" if key in estimated else ""
            rows.append(f"<tr><td><b>{_header(key)}</b></td><td>{shown}{mark}</td></tr>")
        source = row.get("source") or ("your own entry, stored in this project" if mine else "not given")
        yours = ' <span style="color:#1565C0">(yours)</span>' if mine else ""
        self.details.setHtml(
            f"<h3>{row.get('name', item_id)}{yours}</h3>"
            f"<table cellspacing=4>{''.join(rows)}</table><p><b>Source:</b> {source}</p>")

    # ------------------------------------------------------------------ editing
    def add_from_selected(self) -> None:
        kind = self.current_kind()
        base = dict(self.catalogue.tables[kind].get(self.selected_id() or "", {}))
        if not base and self.catalogue.tables[kind]:
            base = dict(next(iter(self.catalogue.tables[kind].values())))
        base = {k: v for k, v in base.items() if k not in SKIP_IN_EDITOR}
        base["id"] = f"my-{base.get('id', kind)}"
        base["name"] = f"{base.get('name', kind)} (mine)"
        self._open_dialog(kind, base, None)

    def edit_selected(self) -> None:
        item_id = self.selected_id()
        if not self._is_user(item_id):
            return
        entry = self.document.project.catalogue_entry(self.current_kind(), item_id)
        self._open_dialog(self.current_kind(), dict(entry.data), item_id)

    def _open_dialog(self, kind: str, data: dict, editing: str | None) -> None:
        self.dialog = CatalogueEntryDialog(kind, data, self)
        self.dialog.setWindowTitle(f"{'Edit' if editing else 'Add'} your own {KIND_LABEL[kind]}")

        def accept(values: dict) -> str | None:
            return self.save_entry(kind, values, editing)

        self.dialog.saver = accept
        self.dialog.open()

    def save_entry(self, kind: str, data: dict, editing: str | None = None) -> str | None:
        """Add (or edit) a user entry; returns an error message, or None when saved."""
        project = self.document.project
        try:
            op = (EditCatalogueEntry(project, kind, editing, data) if editing
                  else AddCatalogueEntry(kind, data))
            self.document.push(op)
        except InputError as error:
            return str(error)
        self.status.emit(op.description)
        return None

    def remove_selected(self) -> None:
        item_id = self.selected_id()
        if not self._is_user(item_id):
            return
        answer = messages.ask(self, "Remove component",
                              f"Remove your {KIND_LABEL[self.current_kind()]} {item_id!r} from the project? "
                              "Scenarios that use it will show an error until you choose another.",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                              QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.document.push(RemoveCatalogueEntry(self.document.project, self.current_kind(), item_id))
            except InputError as error:
                messages.tell(self, "warning", "Cannot remove", str(error))


class CatalogueEntryDialog(QDialog):
    """A form over every field of a component; numbers as planners type them."""

    def __init__(self, kind: str, data: dict, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.saver = None
        self.setObjectName("catalogueEntryDialog")
        self.setModal(True)
        self.resize(460, 560)
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        form = QFormLayout(body)
        self.edits: dict[str, QLineEdit] = {}
        self.numeric: dict[str, bool] = {}
        keys = ["id", "name"] + [k for k in data if k not in ("id", "name") and k not in SKIP_IN_EDITOR]
        for key in keys:
            value = data.get(key)
            edit = QLineEdit(format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool)
                             else ("" if value is None else str(value)))
            edit.setObjectName(f"entry:{key}")
            self.numeric[key] = key not in TEXT_COLUMNS
            form.addRow(_header(key), edit)
            self.edits[key] = edit
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.message = MessageLabel()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def values(self) -> dict:
        out = {}
        for key, edit in self.edits.items():
            text = edit.text().strip()
            if not text:
                continue
            out[key] = parse_number(text, f"{self.kind}.{key}") if self.numeric[key] else text
        return out

    def _save(self) -> None:
        try:
            values = self.values()
        except InputError as error:
            self.message.show_message(str(error))
            return
        problem = self.saver(values) if self.saver else None
        if problem:
            self.message.show_message(problem)
            return
        self.accept()
