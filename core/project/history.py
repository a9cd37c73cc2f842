"""The project's one undo history: a linear stack of applied operations.

Scripts, the CLI and the desktop app all use this one (``Project.history``); the app's
Undo/Redo actions, their texts and enabled state follow it through ``listeners``.
"""
from __future__ import annotations

from typing import Callable

from aisite.core.project.operation import Effects, Operation

#: ``listener(kind, op, effects)`` with kind "do", "undo", "redo" or "clear".
HistoryListener = Callable[[str, "Operation | None", Effects], None]


class UndoHistory:
    """Apply, undo and redo operations on one project, with merging of repeated edits."""

    def __init__(self, project, limit: int = 500):
        self.project = project
        self.limit = limit
        self._done: list[Operation] = []
        self._undone: list[Operation] = []
        self._mergeable: set[int] = set()  # id() of done ops pushed with merge=True
        self.listeners: list[HistoryListener] = []

    def do(self, op: Operation, *, merge: bool = False) -> Operation:
        """Apply ``op`` (it raises, and nothing changes, if the core refuses it).
        With ``merge`` it joins the last step when that was also a merging edit with
        the same merge key (typing into one field is one undo step). An edit that
        changed nothing is not a step."""
        effects = op.apply(self.project)
        top = self._done[-1] if self._done else None
        if merge and top is not None and id(top) in self._mergeable and top.merge(op):
            if top.changed_nothing:
                self._drop_top()
        elif not op.changed_nothing:
            self._done.append(op)
            if merge:
                self._mergeable.add(id(op))
            for old in self._done[:-self.limit]:
                self._mergeable.discard(id(old))
            del self._done[:-self.limit]
        self._undone.clear()
        self._notify("do", op, effects)
        return op

    def undo(self) -> Operation | None:
        """Revert the last step; EditConflict (and the history unchanged) if the rows
        are no longer as that edit left them."""
        if not self._done:
            return None
        op = self._done[-1]
        effects = op.revert(self.project)
        self._drop_top()
        self._undone.append(op)
        self._notify("undo", op, effects)
        return op

    def redo(self) -> Operation | None:
        if not self._undone:
            return None
        op = self._undone[-1]
        effects = op.apply(self.project)
        self._done.append(self._undone.pop())
        self._notify("redo", op, effects)
        return op

    def _drop_top(self) -> None:
        self._mergeable.discard(id(self._done.pop()))

    def _notify(self, kind: str, op: Operation | None, effects: Effects) -> None:
        for listener in list(self.listeners):
            listener(kind, op, effects)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_count(self) -> int:
        """How many steps can be undone (what a QUndoStack calls its index)."""
        return len(self._done)

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._mergeable.clear()
        self._notify("clear", None, Effects())
