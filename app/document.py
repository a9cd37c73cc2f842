"""The open project as the GUI sees it: core.project's Project plus a QUndoStack.

Every edit is a core operation (core.project.edits). `ProjectDocument.push(op)`
applies it through the core (one SQLite transaction, committed at once) and puts a
QUndoCommand on the stack whose undo/redo call the operation's revert/apply. The GUI
never writes to the file any other way.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.errors import InputError
from core.project import Project
from core.project.edits import Operation

_MERGE_ID = 0x41495354  # one id for every mergeable command; the ops decide (merge_key)


class OperationCommand(QUndoCommand):
    """One core operation as one undo step."""

    def __init__(self, document: "ProjectDocument", op: Operation, mergeable: bool = False):
        super().__init__(op.description)
        self.document, self.op, self.mergeable = document, op, mergeable
        self._first = True  # applied already by push()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.document._run(self.op, forward=True)

    def undo(self) -> None:
        self.document._run(self.op, forward=False)

    def id(self) -> int:  # noqa: A003 - Qt API
        return _MERGE_ID if self.mergeable and self.op.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, OperationCommand) or not (self.mergeable and other.mergeable):
            return False
        if not self.op.merge(other.op):
            return False
        self.setText(self.op.description)
        if self.op.changed_nothing:
            self.setObsolete(True)
        return True


class ProjectDocument(QObject):
    """Signals: `changed(op)` after any edit, undo or redo; `failed(message)` when an
    undo or redo cannot be done (the stack is left as it was)."""

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(500)

    @property
    def path(self) -> str:
        return self.project.path

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    def push(self, op: Operation, *, merge: bool = False) -> Operation:
        """Apply `op` now (InputError if the core refuses it; nothing is saved then)
        and make it one undo step. With `merge`, it folds into the previous step when
        that was a merging edit of the same field (typing into one field)."""
        self.project.apply(op)
        if op.changed_nothing:
            return op
        self.stack.push(OperationCommand(self, op, merge))
        self.changed.emit(op)
        return op

    def begin_macro(self, text: str) -> None:
        self.stack.beginMacro(text)

    def end_macro(self) -> None:
        self.stack.endMacro()

    def _run(self, op: Operation, *, forward: bool) -> None:
        try:
            if forward:
                self.project.apply(op)
            else:
                self.project.revert(op)
        except InputError as error:
            self.failed.emit(str(error))
            return
        self.changed.emit(op)

    def close(self) -> None:
        self.stack.clear()
        self.project.close()
