"""The shape of every edit: a reversible operation and the record of what it changed.

Every operation is a plain object with ``apply(project)``, ``revert(project)`` and a
``description`` a planner can read in an Edit menu ("Rename scenario 'A' to 'B'").
``apply`` and ``revert`` return an :class:`Effects`: which parts of the project
changed (the tree, scenario values, the catalogue, analyses, results), so a window,
a CLI or a script refreshes exactly what the edit made stale.

How undo is exact: the first ``apply`` runs the operation's logic and the project
records every row it wrote, before and after (store.Project._insert/_update/_delete).
``revert`` puts the "before" images back, a later ``apply`` (redo) the "after"
images, each in one transaction, and both first check that the rows are exactly as
the edit left them (EditConflict otherwise), so an out-of-step undo stack can never
scramble a project.

This module imports nothing from the store: the store holds the undo history
(core.project.history), which holds operations, so the store must not be needed here.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable

#: Columns of a scenario row that place and name it in the project tree.
_TREE_COLUMNS = frozenset({"name", "parent_id", "site_id", "position", "notes"})
#: Columns that hold the scenario's values (what the builder shows and the engine reads).
_VALUE_COLUMNS = frozenset({"document", "overrides"})
_TABLE_AREAS = {"sites": "tree", "catalogue_entries": "catalogue", "analyses": "analyses",
                "uncertain_inputs": "analyses", "results": "results", "result_arrays": "results",
                "project_meta": "project"}


@dataclass(frozen=True)
class Effects:
    """What an edit (or its undo) changed, for the views that show it.

    ``scenarios``: ids of scenarios whose values changed (document or a variant's
    overrides; scenarios added or deleted too); their variants' effective values
    changed with them, and a view listing what a variant changes must redraw it.
    ``tree``: the tree's structure: scenarios or sites added, deleted, renamed, moved.
    """

    tree: bool = False
    scenarios: frozenset[int] = frozenset()
    catalogue: bool = False
    analyses: bool = False
    results: bool = False
    project: bool = False

    def __or__(self, other: "Effects") -> "Effects":
        return Effects(self.tree or other.tree, self.scenarios | other.scenarios,
                       self.catalogue or other.catalogue, self.analyses or other.analyses,
                       self.results or other.results, self.project or other.project)

    @property
    def anything(self) -> bool:
        return any(dataclasses.astuple(self))

    def touches_scenario(self, project, scenario_id: int | None) -> bool:
        """True if the values of ``scenario_id`` may have changed: it or one of its
        parents was edited, or the catalogue it is evaluated against."""
        if scenario_id is None:
            return False
        if self.catalogue:
            return True
        sid: int | None = scenario_id
        seen: set[int] = set()
        while sid is not None and sid not in seen:
            if sid in self.scenarios:
                return True
            seen.add(sid)
            try:
                sid = project.scenario(sid).parent_id
            except Exception:  # noqa: BLE001 - a scenario the edit deleted: nothing to show
                return False
        return False

    @classmethod
    def of_changes(cls, changes: Iterable[Any]) -> "Effects":
        """Read the record off the rows an edit wrote (``Change(table, id, before, after)``)."""
        areas: set[str] = set()
        scenarios: set[int] = set()
        for ch in changes:
            if ch.table == "scenarios":
                if ch.before is None or ch.after is None:
                    areas.add("tree")
                    scenarios.add(ch.id)
                    continue
                changed = {k for k in ch.after if ch.before.get(k) != ch.after.get(k)}
                if changed & _TREE_COLUMNS:
                    areas.add("tree")
                if changed & _VALUE_COLUMNS:
                    scenarios.add(ch.id)
            elif ch.table in _TABLE_AREAS:
                areas.add(_TABLE_AREAS[ch.table])
        return cls(tree="tree" in areas, scenarios=frozenset(scenarios), catalogue="catalogue" in areas,
                   analyses="analyses" in areas, results="results" in areas, project="project" in areas)


class Operation:
    """Base class. Subclasses implement ``_do(project)`` with the project's row writes."""

    description = "Edit"
    #: Operations with equal, non-None merge keys merge into one undo step (slider drags).
    merge_key: Any = None

    def __init__(self) -> None:
        self._changes: list | None = None

    @property
    def applied_once(self) -> bool:
        return self._changes is not None

    @property
    def effects(self) -> Effects:
        """What this edit changes (the same for apply and revert)."""
        return Effects.of_changes(self._changes or ())

    def apply(self, project) -> Effects:
        """Do (first time) or redo the edit, in one transaction."""
        if self._changes is None:
            with project._writing():
                with project._journaling() as journal:
                    self._do(project)
                changes = list(journal)
            self._changes = changes
        else:
            with project._writing():
                project._replay(self._changes, forward=True)
        project._emit("apply", self)
        return self.effects

    def revert(self, project) -> Effects:
        """Undo the edit, in one transaction."""
        if self._changes is None:
            raise RuntimeError(f"{self.description!r} was never applied")
        with project._writing():
            project._replay(self._changes, forward=False)
        project._emit("revert", self)
        return self.effects

    def merge(self, later: "Operation") -> bool:
        """Fold an applied ``later`` edit into this one (same merge key); True if merged."""
        if (self.merge_key is None or later.merge_key != self.merge_key
                or self._changes is None or later._changes is None):
            return False
        combined: dict[tuple[str, int], Any] = {}
        for ch in self._changes + later._changes:
            key = (ch.table, ch.id)
            if key in combined:
                ch = dataclasses.replace(ch, before=combined.pop(key).before)
            combined[key] = ch
        self._changes = [c for c in combined.values() if c.before != c.after]
        self.description = later.description
        return True

    @property
    def changed_nothing(self) -> bool:
        return self._changes is not None and not self._changes

    def _do(self, project) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.description}>"


class Compound(Operation):
    """Several edits as one undo step and one transaction (an import of many files)."""

    def __init__(self, ops: Iterable[Operation], description: str):
        super().__init__()
        self.ops = list(ops)
        self.description = description

    def _do(self, project) -> None:
        for op in self.ops:
            op._do(project)
