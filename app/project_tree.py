"""The project tree: sites, their scenarios, and each scenario's variants.

Add, duplicate as variant, duplicate, rename (F2 or double-click), delete; every
change is a core edit operation pushed on the document's undo stack.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aisite.app import messages
from aisite.core.errors import InputError
from aisite.core.project.edits import (
    AddScenario,
    AddSite,
    DeleteScenario,
    DeleteSite,
    DuplicateAsVariant,
    DuplicateScenario,
    MoveScenario,
    RenameScenario,
    RenameSite,
    unique_name,
)

ROLE = Qt.ItemDataRole.UserRole

#: A small, valid starting point for a new scenario (the planner edits it in the builder).
STARTER_SCENARIO = {
    "format": "aisite.scenario/1",
    "name": "New scenario",
    "region": "us-virginia",
    "deployments": [{"chip": "nvidia-h100-sxm", "count": 1024, "start_month": 0}],
    "cooling": "air",
    "power": [{"source": "grid", "mw": 20}],
    "workload": {"kind": "utilization", "utilization": 0.7},
}


def scenario_tooltip(project, info) -> str:
    """A base scenario says so; a variant lists the fields it changes (the first 12)."""
    if info.parent_id is None:
        return "Base scenario"
    overrides = project.overrides(info.id)
    return f"Variant: {len(overrides)} changed field(s)\n" + "\n".join(
        f"  {k} = {v}" for k, v in list(overrides.items())[:12])


class ProjectTree(QWidget):
    """Emits `scenarioSelected(id or None)` when the current scenario changes."""

    scenarioSelected = Signal(object)
    status = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ProjectTree")
        self.document = None
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget()
        self.tree.setObjectName("projectTree")
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemChanged.connect(self._item_renamed)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.actions: dict[str, QAction] = {}
        for key, text, tip, shortcut, slot in (
            ("add", "Add scenario", "Add a new base scenario", "Ctrl+Shift+N", self.add_scenario),
            ("variant", "Variant", "Duplicate the selected scenario as a variant (stores only what changes)",
             "Ctrl+D", self.add_variant),
            ("copy", "Copy", "Duplicate the selected scenario as an independent copy", "", self.duplicate),
            ("site", "Add site", "Add a site to group scenarios", "", self.add_site),
            ("rename", "Rename", "Rename the selected item", "F2", self.start_rename),
            ("delete", "Delete", "Delete the selected item", QKeySequence(QKeySequence.StandardKey.Delete),
             self.delete_selected),
        ):
            action = QAction(text, self)
            action.setToolTip(tip)
            action.setObjectName(f"tree_{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions[key] = action
            if key in ("add", "variant", "site", "delete"):
                button = QToolButton()
                button.setDefaultAction(action)
                button.setObjectName(f"treeButton_{key}")
                buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.tree)

    # ------------------------------------------------------------------ filling
    def set_document(self, document) -> None:
        self.document = document
        self.refresh()

    def current_scenario_id(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        kind, ident = item.data(0, ROLE)
        return ident if kind == "scenario" else None

    def current_site_id(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        kind, ident = item.data(0, ROLE)
        return ident if kind == "site" else None

    def refresh(self, select: int | None = None) -> None:
        """Rebuild from the project, keeping (or setting) the selection."""
        keep = select if select is not None else self.current_scenario_id()
        self._filling = True
        self.tree.clear()
        selected_item = None
        if self.document is None:
            self._filling = False
            self._update_actions()
            return
        project = self.document.project
        editable = not project.read_only
        scenarios = project.scenarios()
        by_parent: dict[int | None, list] = {}
        for s in scenarios:
            by_parent.setdefault(s.parent_id, []).append(s)
        site_items = {}
        for site in project.sites():
            item = QTreeWidgetItem([site.name])
            item.setData(0, ROLE, ("site", site.id))
            item.setToolTip(0, f"Site: {site.name}")
            f = item.font(0)
            f.setBold(True)
            item.setFont(0, f)
            if editable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.tree.addTopLevelItem(item)
            site_items[site.id] = item

        def add(parent_item, info):
            nonlocal selected_item
            item = QTreeWidgetItem([info.name])
            item.setData(0, ROLE, ("scenario", info.id))
            item.setToolTip(0, scenario_tooltip(project, info))
            if info.parent_id is not None:
                f = item.font(0)
                f.setItalic(True)
                item.setFont(0, f)
            if editable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if parent_item is None:
                self.tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            if info.id == keep:
                selected_item = item
            for child in by_parent.get(info.id, []):
                add(item, child)

        for info in by_parent.get(None, []):
            add(site_items.get(info.site_id), info)
        self.tree.expandAll()
        self._filling = False
        if selected_item is None and scenarios:
            first = by_parent.get(None, scenarios)[0].id
            selected_item = self._find("scenario", first)
        if selected_item is not None:
            self.tree.setCurrentItem(selected_item)
        self._update_actions()
        if selected_item is None or self.current_scenario_id() != keep:
            self.scenarioSelected.emit(self.current_scenario_id())

    def update_scenarios(self, scenario_ids) -> None:
        """Redraw what the items of these scenarios show about their values (a variant's
        tooltip lists the fields it changes) after an edit of those values."""
        if self.document is None:
            return
        project = self.document.project
        for sid in scenario_ids:
            item = self._find("scenario", sid)
            if item is not None:
                item.setToolTip(0, scenario_tooltip(project, project.scenario(sid)))

    def _find(self, kind: str, ident: int) -> QTreeWidgetItem | None:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item.data(0, ROLE) == (kind, ident):
                return item
            stack += [item.child(i) for i in range(item.childCount())]
        return None

    def select_scenario(self, scenario_id: int) -> None:
        item = self._find("scenario", scenario_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _current_changed(self, current, _previous) -> None:
        if self._filling:
            return
        self._update_actions()
        self.scenarioSelected.emit(self.current_scenario_id())

    def _update_actions(self) -> None:
        editable = self.document is not None and not self.document.read_only
        has_scenario = self.current_scenario_id() is not None
        has_item = self.tree.currentItem() is not None
        self.actions["add"].setEnabled(editable)
        self.actions["site"].setEnabled(editable)
        self.actions["variant"].setEnabled(editable and has_scenario)
        self.actions["copy"].setEnabled(editable and has_scenario)
        self.actions["rename"].setEnabled(editable and has_item)
        self.actions["delete"].setEnabled(editable and has_item)

    # ------------------------------------------------------------------ edits
    def _push(self, op) -> bool:
        try:
            self.document.push(op)
        except InputError as error:
            messages.tell(self, "warning", "Cannot do that", str(error.message if error.field in
                                                                   ("name", "site", "scenario") else error))
            return False
        self.status.emit(op.description)
        return True

    def add_scenario(self) -> int | None:
        project = self.document.project
        doc = dict(STARTER_SCENARIO)
        name = unique_name(project, "New scenario")
        doc["name"] = name
        op = AddScenario(doc, name, site_id=self._site_for_new())
        if self._push(op):
            self.refresh(select=op.scenario_id)
            return op.scenario_id
        return None

    def _site_for_new(self) -> int | None:
        site = self.current_site_id()
        if site is not None:
            return site
        sid = self.current_scenario_id()
        if sid is None:
            return None
        project = self.document.project
        info = project.scenario(sid)
        while info.parent_id is not None:
            info = project.scenario(info.parent_id)
        return info.site_id

    def add_variant(self) -> int | None:
        sid = self.current_scenario_id()
        if sid is None:
            return None
        op = DuplicateAsVariant(self.document.project, sid)
        if self._push(op):
            self.refresh(select=op.scenario_id)
            return op.scenario_id
        return None

    def duplicate(self) -> int | None:
        sid = self.current_scenario_id()
        if sid is None:
            return None
        op = DuplicateScenario(self.document.project, sid)
        if self._push(op):
            self.refresh(select=op.scenario_id)
            return op.scenario_id
        return None

    def add_site(self) -> int | None:
        names = {s.name for s in self.document.project.sites()}
        name, i = "New site", 2
        while name in names:
            name, i = f"New site ({i})", i + 1
        op = AddSite(name)
        if self._push(op):
            sid = self.current_scenario_id()
            self.refresh()
            item = self._find("site", op.site_id)
            if item is not None and sid is None:
                self.tree.setCurrentItem(item)
            return op.site_id
        return None

    def move_to_site(self, scenario_id: int, site_id: int | None) -> None:
        if self._push(MoveScenario(self.document.project, scenario_id, site_id)):
            self.refresh(select=scenario_id)

    def start_rename(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, 0)

    def _item_renamed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling or self.document is None:
            return
        kind, ident = item.data(0, ROLE)
        new = item.text(0)
        project = self.document.project
        try:
            old = project.scenario(ident).name if kind == "scenario" else project.site(ident).name
            if new == old:
                return
            op = (RenameScenario(project, ident, new) if kind == "scenario" else RenameSite(project, ident, new))
        except InputError as error:
            messages.tell(self, "warning", "Cannot rename", error.message)
            self.refresh()
            return
        self._push(op)
        self.refresh(select=ident if kind == "scenario" else None)

    def delete_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        kind, ident = item.data(0, ROLE)
        project = self.document.project
        op = DeleteScenario(project, ident) if kind == "scenario" else DeleteSite(project, ident)
        answer = messages.ask(self, "Delete", f"{op.description}?\n\nYou can undo this with Edit ▸ Undo.",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                              QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._push(op):
            self.refresh()

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        for key in ("add", "variant", "copy", "site", "rename", "delete"):
            menu.addAction(self.actions[key])
        sid = self.current_scenario_id()
        if sid is not None and self.document is not None and not self.document.read_only:
            info = self.document.project.scenario(sid)
            if info.parent_id is None:
                sites = self.document.project.sites()
                move = menu.addMenu("Move to site")
                none = move.addAction("(no site)")
                none.triggered.connect(lambda: self.move_to_site(sid, None))
                for site in sites:
                    act = move.addAction(site.name)
                    act.triggered.connect(lambda _c=False, s=site.id: self.move_to_site(sid, s))
        menu.exec(self.tree.viewport().mapToGlobal(pos))
