"""Edit the project's title and notes."""
from __future__ import annotations

from aisite.core.errors import InputError
from aisite.core.project.operation import Effects, Operation
from aisite.core.project.store import Project


class SetProjectInfo(Operation):
    """Title and notes of the project (kept in the project's one metadata row)."""

    def __init__(self, project: Project, *, title: str | None = None, notes: str | None = None):
        super().__init__()
        self.new = {k: v for k, v in (("title", title), ("notes", notes)) if v is not None}
        for key, value in self.new.items():
            if not isinstance(value, str):
                raise InputError(key, "must be text")
        self.old: dict[str, str] | None = None
        self.merge_key = ("project-info", tuple(sorted(self.new)))
        self.description = "Edit project " + " and ".join(sorted(self.new)) if self.new else "Edit project"

    # The metadata row is written by the store itself (with the file's digest), not
    # journaled, so this edit keeps its own before and after.
    def apply(self, project: Project) -> Effects:
        with project._writing() as conn:
            if self.old is None:
                self.old = {k: project._meta[k] for k in self.new}
            project._touch_meta(conn, **self.new)
        self._changes = []
        project._emit("apply", self)
        return self.effects

    def revert(self, project: Project) -> Effects:
        if self.old is None:
            raise RuntimeError("never applied")
        with project._writing() as conn:
            project._touch_meta(conn, **self.old)
        project._emit("revert", self)
        return self.effects

    @property
    def effects(self) -> Effects:
        return Effects(project=True)

    @property
    def changed_nothing(self) -> bool:
        return self.old is not None and self.old == self.new

    def merge(self, later: Operation) -> bool:
        if isinstance(later, SetProjectInfo) and later.merge_key == self.merge_key and self.old is not None:
            self.new = later.new
            return True
        return False
