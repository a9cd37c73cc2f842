"""Small editors for scenario fields: numbers as planners type them, with a message
slot beside each field.

`parse_number("405B") == 4.05e11`, `parse_number("32,768") == 32768`; the text shown
for a stored number is the inverse (`format_number(4.05e11) == "405B"`). Parsing
errors are InputErrors naming the field, like the core's.
"""
from __future__ import annotations

import math
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from aisite.app import theme
from aisite.core.errors import InputError

_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15}
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([kKMBGTP]?)\s*$")


def parse_number(text: str, field: str, *, integer: bool = False) -> float | int:
    cleaned = text.replace(",", "").replace("_", "").replace("\u202f", "").strip()
    if cleaned.endswith("%"):
        m = _NUMBER.match(cleaned[:-1])
        scale = 0.01
    else:
        m = _NUMBER.match(cleaned)
        scale = 1.0
    if not m:
        raise InputError(field, f"must be a number, got {text.strip()!r}")
    value = float(m.group(1)) * _SUFFIX.get(m.group(2), 1.0) * scale
    if not math.isfinite(value):
        raise InputError(field, f"must be a finite number, got {text.strip()!r}")
    if integer:
        if value != int(value):
            raise InputError(field, f"must be a whole number, got {text.strip()!r}")
        return int(value)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def format_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    if abs(v) >= 1e6:
        for limit, suffix in ((1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M")):
            if abs(v) >= limit:
                scaled = v / limit
                text = f"{scaled:.6g}"
                if float(text) * limit == v or abs(float(text) * limit - v) <= abs(v) * 1e-12:
                    return f"{text}{suffix}"
                return f"{v:.10g}"
    if v.is_integer():
        return str(int(v))
    return f"{v:.10g}"


class NumberEdit(QLineEdit):
    """A line edit bound to one scenario path. Emits `edited(path, text)` as the user
    types and `committed(path, text)` when they press Enter or leave the field."""

    edited = Signal(str, str)
    committed = Signal(str, str)

    def __init__(self, path: str, *, integer: bool = False, optional: bool = False,
                 placeholder: str = "", tooltip: str = "", parent=None):
        super().__init__(parent)
        self.path, self.integer, self.optional = path, integer, optional
        self.setObjectName(f"field:{path}")
        self.setPlaceholderText(placeholder)
        if tooltip:
            self.setToolTip(tooltip)
        self.textEdited.connect(lambda text: self.edited.emit(self.path, text))
        self.editingFinished.connect(lambda: self.committed.emit(self.path, self.text()))

    def value(self):
        """The typed value (None when blank and optional); InputError when unreadable."""
        if not self.text().strip():
            if self.optional:
                return None
            raise InputError(self.path, "is required")
        return parse_number(self.text(), self.path, integer=self.integer)

    def show_value(self, value) -> None:
        try:
            if self.text().strip() and value is not None and self.value() == value:
                return  # keep what the planner typed ("32,768") when it means the same
        except InputError:
            pass
        self.setText(format_number(value))


def mark(widget: QWidget, message: str | None) -> None:
    """Red border and tooltip on a widget with a problem (None clears it)."""
    if message:
        widget.setProperty("invalid", True)
        widget.setStyleSheet(f"border: 1.5px solid {theme.ERROR_TEXT}; border-radius: 3px;")
        widget.setToolTip(message)
    else:
        if widget.property("invalid"):
            widget.setStyleSheet("")
            widget.setToolTip(widget.property("baseTooltip") or "")
        widget.setProperty("invalid", False)


class MessageLabel(QLabel):
    """The message shown next to a field (hidden when there is none)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {theme.ERROR_TEXT};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str | None) -> None:
        if text:
            self.setText(text)
            self.show()
        else:
            self.clear()
            self.hide()


class FieldWithMessage(QWidget):
    """An editor with its message directly under it (for form layouts)."""

    def __init__(self, editor: QWidget, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.editor = editor
        self.message = MessageLabel()
        layout.addWidget(editor)
        layout.addWidget(self.message)
