"""The checks list: the engine's checks of the current scenario (code, severity,
message). Activating one asks the builder to select the input it names."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from aisite.app import theme

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class ChecksPanel(QWidget):
    fieldActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ChecksPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.list = QTreeWidget()
        self.list.setObjectName("checksList")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Severity", "Check", "Message", "Input"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setWordWrap(True)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.list.itemClicked.connect(self._activated)
        self.list.itemActivated.connect(self._activated)
        layout.addWidget(self.list)
        self.checks: list[dict] = []

    def show_checks(self, checks: list[dict] | None, problem: str | None = None) -> None:
        """The engine's checks (None: no scenario); `problem` is a validation message shown first."""
        self.list.clear()
        if checks is None and problem is None:
            self.checks = []
            self.list.addTopLevelItem(QTreeWidgetItem(["", "", "No scenario selected.", ""]))
            return
        self.checks = list(checks or [])
        rows = []
        if problem:
            rows.append({"code": "invalid_input", "severity": "error", "message": problem,
                         "field": problem.split(":")[0] if ":" in problem else ""})
        rows += sorted(self.checks, key=lambda c: SEVERITY_ORDER.get(c.get("severity"), 3))
        for check in rows:
            item = QTreeWidgetItem([check.get("severity", "").capitalize(), check.get("code", ""),
                                    check.get("message", ""), check.get("field") or ""])
            colour = QColor(theme.SEVERITY_COLOURS.get(check.get("severity"), "#888888"))
            item.setForeground(0, QBrush(colour))
            item.setToolTip(2, check.get("message", ""))
            item.setData(0, Qt.ItemDataRole.UserRole, check.get("field") or "")
            self.list.addTopLevelItem(item)
        if not rows and problem is None:
            item = QTreeWidgetItem(["OK", "", "No checks raised: the site passes every check.", ""])
            item.setForeground(0, QBrush(QColor("#2E7D32")))
            self.list.addTopLevelItem(item)

    def count(self) -> int:
        return len(self.checks)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        field = item.data(0, Qt.ItemDataRole.UserRole)
        if field:
            self.fieldActivated.emit(field)
