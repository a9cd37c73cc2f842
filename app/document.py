"""The open project as the GUI sees it: core.project's Project and its one undo history.

Every edit is a core operation (core.project.edits). `ProjectDocument.push(op)`
applies it through the project's own history (core.project.history: one SQLite
transaction, committed at once, one undo step), the same history a script or the CLI
uses; the app keeps no undo stack of its own. The GUI never writes to the file any
other way.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from aisite.core.errors import InputError
from aisite.core.project import Project
from aisite.core.project.edits import Effects, Operation
from aisite.core.project.wal import WalDamage


class ProjectDocument(QObject):
    """Signals: `changed(op, effects)` after any edit, undo or redo, with the record of
    what it changed (core.project.operation.Effects) for the views to refresh;
    `historyChanged()` when what Undo and Redo would do changes; `failed(message)` when
    an undo or redo cannot be done (the history is left as it was)."""

    changed = Signal(object, object)
    historyChanged = Signal()
    failed = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.history = project.history
        self.history.listeners.append(self._history_event)

    @property
    def path(self) -> str:
        return self.project.path

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    @property
    def log_damage(self) -> WalDamage | None:
        """What a damaged write-ahead log lost (None when the log was intact)."""
        return self.project.wal_damage

    def push(self, op: Operation, *, merge: bool = False) -> Operation:
        """Apply `op` now (InputError if the core refuses it; nothing is saved then)
        and make it one undo step. With `merge`, it folds into the previous step when
        that was a merging edit of the same field (typing into one field)."""
        return self.history.do(op, merge=merge)

    def undo(self) -> Operation | None:
        return self._step(self.history.undo)

    def redo(self) -> Operation | None:
        return self._step(self.history.redo)

    def _step(self, step) -> Operation | None:
        try:
            return step()
        except InputError as error:
            self.failed.emit(str(error))
            return None

    def _history_event(self, kind: str, op: Operation | None, effects: Effects) -> None:
        if op is not None and not (kind == "do" and op.changed_nothing):
            self.changed.emit(op, effects)
        self.historyChanged.emit()

    def close(self) -> None:
        if self._history_event in self.history.listeners:
            self.history.listeners.remove(self._history_event)
        self.history.clear()
        self.project.close()
