"""One field binder for the whole site builder: every input is bound to a field path of
the scenario document (`deployments[0].count`), and this is the only place that checks,
saves and reports on them.

As the planner types, the edit is checked with the core's own check (core.project.edits
check_edit, the one SetField applies), so a problem is shown next to the field it names
and nothing is saved; a valid value is saved after a short pause, or on Enter, as a core
operation on the project's one undo history. Choices (pickers, buttons) are core
operations too; if the core refuses one, its message appears next to the field.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from aisite.app.fields import FieldWithMessage, MessageLabel, NumberEdit, mark
from aisite.core.catalogue import Catalogue
from aisite.core.errors import InputError
from aisite.core.project.edits import ReplacePowerSource, SetField, UnsetField, check_edit, edited_document
from aisite.core.project.fieldpath import format_path, get_path, has_path, parse_path

COMMIT_DELAY_MS = 350  # a valid value is saved this long after the last keystroke
#: Sections whose rows share one message label (the label names the row and field).
ROW_SECTIONS = {"deployments": "Deployment", "power": "Power source"}


class FieldBinder(QObject):
    """Signals `status(text)` for the status bar and `problemsChanged(n)`: how many typed
    values are not saved because they are invalid."""

    status = Signal(str)
    problemsChanged = Signal(int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.document = None
        self.scenario_id: int | None = None
        self.catalogue: Catalogue | None = None
        self.doc: dict = {}
        self.fields: dict[str, QWidget] = {}  # path (or path@workload kind) -> its input
        self.messages: dict[str, MessageLabel] = {}  # path -> its own message label
        self.invalid: dict[str, str] = {}  # path -> message, for values typed but not saved
        self.pending: dict[str, str] = {}
        self.general_message = MessageLabel()
        self.loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.commit_pending)

    # ------------------------------------------------------------------ context
    def project(self):
        return self.document.project if self.document is not None else None

    def row_for(self, kind: str, value) -> dict | None:
        """The catalogue row a field refers to (an inline component over its base row)."""
        if isinstance(value, dict):
            base = self.catalogue.tables[kind].get(value.get("id"), {}) if value.get("id") else {}
            return {**base, **value}
        return self.catalogue.tables[kind].get(value)

    def workload_kind(self) -> str | None:
        return (self.doc.get("workload") or {}).get("kind")

    # ------------------------------------------------------------------ binding
    def bind(self, edit: NumberEdit, path: str, page_key: str | None = None) -> QWidget:
        """Register a number field; returns the editor with its message under it."""
        key = path if page_key is None else f"{path}@{page_key}"
        self.fields[key] = edit
        self._connect(edit)
        holder = FieldWithMessage(edit)
        self.messages[key] = holder.message
        return holder

    def bind_cell(self, edit: NumberEdit) -> None:
        """Register a number field in a table row (its message goes to the table's label)."""
        self.fields[edit.path] = edit
        self._connect(edit)
        if edit.path in self.invalid:
            mark(edit, self.invalid[edit.path])

    def _connect(self, edit: NumberEdit) -> None:
        edit.setProperty("baseTooltip", edit.toolTip())
        edit.edited.connect(self.typed)
        edit.committed.connect(self.committed)

    def bind_choice(self, combo: QComboBox, path: str, optional: bool = False) -> QComboBox:
        """Register a picker: named for tests, saved through `choose`."""
        combo.setObjectName(f"field:{path}")
        combo.activated.connect(lambda _i, c=combo, p=path: self.choose(p, c, optional=optional))
        self.fields[path] = combo
        return combo

    def drop_rows(self, *sections: str) -> None:
        """Forget the inputs of table rows about to be rebuilt."""
        for path in [p for p in self.fields if p.startswith(tuple(f"{s}[" for s in sections))]:
            del self.fields[path]

    def widget_for(self, path: str) -> QWidget | None:
        for candidate in (f"{path}@{self.workload_kind()}", path):
            if candidate in self.fields:
                return self.fields[candidate]
        return None

    def nearest_widget(self, path: str) -> QWidget | None:
        """The input for `path`, or for the nearest field it lies within."""
        widget = self.widget_for(path) if path else None
        parts = parse_path(path) if path and widget is None else ()
        while widget is None and parts:
            parts = parts[:-1]
            widget = self.widget_for(format_path(parts)) if parts else None
        return widget

    def show_numbers(self) -> None:
        """Put the stored values in the number fields outside the tables (those of the
        workload kind shown); a field holding unsaved invalid text keeps it."""
        kind = self.workload_kind() or "training"
        for key, widget in self.fields.items():
            if not isinstance(widget, NumberEdit):
                continue
            path, _, page = key.partition("@")
            if page and page != kind:
                continue
            if path.startswith(tuple(f"{s}[" for s in ROW_SECTIONS)):
                continue  # filled with their tables
            if key in self.invalid or path in self.invalid:
                continue  # keep the planner's unsaved text and its message
            widget.show_value(get_path(self.doc, path) if has_path(self.doc, path) else None)

    # ------------------------------------------------------------------ typing
    def typed(self, path: str, text: str) -> None:
        """Check as the planner types; save after a pause if the value is good."""
        if self.loading:
            return
        self.pending[path] = text
        if self.check(path) is None:
            self.timer.stop()
        else:
            self.timer.start()

    def committed(self, path: str, _text: str) -> None:
        if self.loading or path not in self.pending:
            return
        self.commit_pending()

    def commit_pending(self) -> None:
        """Save every pending, valid typed value (one undo step each)."""
        self.timer.stop()
        for path in list(self.pending):
            self.pending.pop(path, None)
            self._save_typed(path)

    def check(self, path: str):
        """Check the typed value of `path` as the core will; (value, unset) or None if bad."""
        widget = self.widget_for(path)
        try:
            value = widget.value()
            unset = value is None
            check_edit(self.doc, edited_document(self.doc, path, value, unset=unset), path, self.catalogue,
                       self.document.project.folder)
        except InputError as error:
            self.invalid[path] = error.message if error.field == path else f"{error}"
            self.show_messages(error, typed=path)
            return None
        self.invalid.pop(path, None)
        self.show_messages(None)
        return value, unset

    def _save_typed(self, path: str) -> None:
        checked = self.check(path)
        if checked is None:
            self.status.emit(f"Not saved: {self.invalid.get(path, '')}")
            return
        value, unset = checked
        current = get_path(self.doc, path) if has_path(self.doc, path) else None
        if unset:
            if current is not None:
                self.push_unset(path)
        elif current != value:
            self.push_set(path, value, merge=True)

    # ------------------------------------------------------------------ choices and saving
    def choose(self, path: str, combo: QComboBox, optional: bool = False) -> None:
        """Save a picker's choice (the core checks it; a refused choice goes back to what
        is stored, with the engine's message next to it)."""
        if self.loading:
            return
        value = combo.currentData()
        source_row = re.fullmatch(r"power\[(\d+)\]\.source", path)
        current = get_path(self.doc, path) if has_path(self.doc, path) else None
        if optional and value is None:
            ok = current is None or self.push(UnsetField(self.project(), self.scenario_id, path))
        elif current == value:
            ok = True
        elif source_row:
            ok = self.push(ReplacePowerSource(self.project(), self.scenario_id, int(source_row.group(1)), value),
                           merge=True, typed=path)
        else:
            # Arrowing through a list is one undo step.
            ok = self.push(SetField(self.project(), self.scenario_id, path, value), merge=True, typed=path)
        if not ok:
            for i in range(combo.count()):
                if combo.itemData(i) == current:
                    combo.setCurrentIndex(i)
                    break

    def push_set(self, path: str, value, merge: bool = False) -> bool:
        return self.push(SetField(self.project(), self.scenario_id, path, value), merge=merge)

    def push_unset(self, path: str) -> bool:
        return self.push(UnsetField(self.project(), self.scenario_id, path))

    def push(self, op, merge: bool = False, typed: str | None = None) -> bool:
        """Save through the core; its refusal is shown next to the field it names."""
        try:
            self.document.push(op, merge=merge)
        except InputError as error:
            self.show_messages(error, typed=typed)
            self.status.emit(f"Not saved: {error}")
            return False
        return True

    # ------------------------------------------------------------------ messages
    def show_messages(self, error: InputError | None, typed: str | None = None) -> None:
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
            target = typed if typed and (error.field == typed or not self.widget_for(error.field)) else error.field
            shown[target or ""] = error.message if target == error.field else str(error)
        for path, message in shown.items():
            self._show_at(path, message)

    def _show_at(self, path: str, message: str) -> None:
        widget = self.nearest_widget(path) if path else None
        if widget is not None:
            mark(widget, message)
        label = self._label_for(path)
        if label is not None:
            first = path.split("[")[0]
            label.show_message(row_message(path, message) if label is self.messages.get(first)
                               and first in ROW_SECTIONS else message)
        else:
            self.general_message.show_message(f"{path}: {message}" if path else message)

    def _label_for(self, path: str) -> MessageLabel | None:
        for candidate in (f"{path}@{self.workload_kind()}", path):
            if candidate in self.messages:
                return self.messages[candidate]
        for section in (*ROW_SECTIONS, "region", "cooling"):
            if path == section or path.startswith(section + "[") or path.startswith(section + "."):
                return self.messages[section]
        return None


def row_message(path: str, message: str) -> str:
    """A message for a table's shared label, naming the row and field."""
    try:
        parts = parse_path(path)
    except InputError:
        return message
    if len(parts) == 1:
        return f"{str(parts[0]).capitalize()} {message}"
    if len(parts) >= 2 and isinstance(parts[1], int):
        field = ".".join(str(p) for p in parts[2:]) or "row"
        return f"{ROW_SECTIONS.get(parts[0], parts[0])} {parts[1] + 1}, {field.replace('_', ' ')}: {message}"
    return message
