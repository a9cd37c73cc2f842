"""Reading what a project holds (a mixin of store.Project): scenarios and their
effective documents, sites, the planner's catalogue, uncertain inputs, analyses."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project.fieldpath import apply_overrides
from aisite.core.project.json_io import resolve_profiles
from aisite.core.project.records import AnalysisInfo, CatalogueRow, ScenarioInfo, SiteInfo, UncertainInputInfo
from aisite.core.project.schema import CATALOGUE_KINDS, TABLES


class Queries:
    """Read-only questions about the project's content."""

    # ------------------------------------------------------------------ scenario reads
    _SCENARIO_COLS = ("id", "name", "parent_id", "site_id", "position", "notes", "created_at", "modified_at")

    def scenarios(self) -> list[ScenarioInfo]:
        """Every scenario, parents before their variants, then by position."""
        t = TABLES["scenarios"]
        with self._reading() as conn:
            rows = conn.execute(select(*[t.c[c] for c in self._SCENARIO_COLS])
                                .order_by(t.c.position, t.c.id)).all()
        infos = [ScenarioInfo(*r) for r in rows]
        by_parent: dict[int | None, list[ScenarioInfo]] = {}
        for info in infos:
            by_parent.setdefault(info.parent_id, []).append(info)
        ordered: list[ScenarioInfo] = []

        def walk(parent: int | None) -> None:
            for info in by_parent.get(parent, []):
                ordered.append(info)
                walk(info.id)

        walk(None)
        return ordered

    def scenario_names(self) -> list[str]:
        return [s.name for s in self.scenarios()]

    def scenario(self, ref: int | str | ScenarioInfo, *, field: str = "scenario") -> ScenarioInfo:
        """A scenario by id or exact name; InputError listing the names there are."""
        if isinstance(ref, ScenarioInfo):
            ref = ref.id
        t = TABLES["scenarios"]
        cols = [t.c[c] for c in self._SCENARIO_COLS]
        with self._reading() as conn:
            if isinstance(ref, bool) or not isinstance(ref, (int, str)):
                raise InputError(field, f"expected a scenario name or id, got {type(ref).__name__}")
            if isinstance(ref, int):
                row = conn.execute(select(*cols).where(t.c.id == ref)).first()
            else:
                row = conn.execute(select(*cols).where(t.c.name == ref)).first()
        if row is None:
            names = self.scenario_names()
            listing = ", ".join(repr(n) for n in names[:20]) + (", ..." if len(names) > 20 else "")
            there = f"; scenarios in the project: {listing}" if names else "; the project has no scenarios"
            raise InputError(field, f"no scenario {ref!r}{there}")
        return ScenarioInfo(*row)

    def children(self, ref: int | str) -> list[ScenarioInfo]:
        sid = self.scenario(ref).id
        return [s for s in self.scenarios() if s.parent_id == sid]

    def descendants(self, ref: int | str) -> list[ScenarioInfo]:
        sid = self.scenario(ref).id
        out: list[ScenarioInfo] = []
        all_s = self.scenarios()
        frontier = {sid}
        while frontier:
            nxt = [s for s in all_s if s.parent_id in frontier]
            out += nxt
            frontier = {s.id for s in nxt}
        return out

    def _scenario_payload(self, sid: int) -> tuple[str, int | None, Any, Any]:
        t = TABLES["scenarios"]
        with self._reading() as conn:
            row = conn.execute(select(t.c.name, t.c.parent_id, t.c.document, t.c.overrides)
                               .where(t.c.id == sid)).first()
        if row is None:
            raise InputError("scenario", f"no scenario with id {sid}")
        return row[0], row[1], row[2], row[3]

    def stored_document(self, ref: int | str) -> dict | None:
        """A base scenario's document as stored (None for a variant)."""
        _, _, doc, _ = self._scenario_payload(self.scenario(ref).id)
        return json.loads(doc) if doc is not None else None

    def overrides(self, ref: int | str) -> dict:
        """A variant's own overrides, ``{"path": value}`` in the order made ({} for a base)."""
        _, _, _, ovr = self._scenario_payload(self.scenario(ref).id)
        return json.loads(ovr) if ovr is not None else {}

    def effective_scenario(self, ref: int | str | ScenarioInfo, *, with_uncertain: bool = False,
                           resolve_files: bool = False) -> dict:
        """The scenario's whole ``aisite.scenario/1`` document: a base as stored; a variant
        is its parent's effective document with its overrides applied and its own name.

        ``with_uncertain``: the ``uncertain`` section also holds the project's uncertain
        inputs (see effective_uncertain). ``resolve_files``: relative ``profiles`` paths
        become absolute from the project's folder (for evaluating).
        """
        doc = self._effective(ref)
        if with_uncertain:
            merged = self.effective_uncertain(ref, _doc=doc)
            if merged:
                doc["uncertain"] = merged
        if resolve_files:
            doc = resolve_profiles(doc, self.folder)
        return doc

    @property
    def folder(self) -> Path:
        return Path(self.path).resolve().parent

    def effective_uncertain(self, ref: int | str, *, _doc: dict | None = None) -> dict:
        """Uncertain inputs for a scenario, ``{path: {"dist": ..., ...}}``: the project-wide
        ones, then the scenario's own rows, then its document's ``uncertain`` section (later
        ones win for the same path)."""
        sid = self.scenario(ref).id
        doc = _doc if _doc is not None else self._effective(sid)
        merged: dict = {}
        rows = self.uncertain_inputs(sid)
        for row in sorted(rows, key=lambda u: (u.scenario_id is not None, u.position, u.id)):
            merged[row.path] = {"dist": row.distribution, **row.params}
        own = doc.get("uncertain")
        if isinstance(own, dict):
            merged.update(own)
        return merged

    def _effective(self, ref: int | str | ScenarioInfo) -> dict:
        sid = self.scenario(ref).id
        chain: list[tuple[str, Any, Any]] = []
        seen = set()
        node: int | None = sid
        with self._reading():
            while node is not None:
                if node in seen:
                    raise ProjectFileError(self.path, "is damaged: its scenario tree has a loop")
                seen.add(node)
                name, parent, doc, ovr = self._scenario_payload(node)
                chain.append((name, doc, ovr))
                node = parent
        name, doc, _ = chain[-1]
        result = json.loads(doc)
        for name, _, ovr in reversed(chain[:-1]):
            result = apply_overrides(result, json.loads(ovr), who=f"variant {name!r}")
            result["name"] = name
        return result

    def export_scenario(self, ref: int | str) -> dict:
        return self.effective_scenario(ref)

    # ------------------------------------------------------------------ other reads
    def sites(self) -> list[SiteInfo]:
        t = TABLES["sites"]
        with self._reading() as conn:
            rows = conn.execute(select(t.c.id, t.c.name, t.c.notes, t.c.position)
                                .order_by(t.c.position, t.c.id)).all()
        return [SiteInfo(*r) for r in rows]

    def site(self, ref: int | str, *, field: str = "site") -> SiteInfo:
        for s in self.sites():
            if (isinstance(ref, int) and not isinstance(ref, bool) and s.id == ref) or s.name == ref:
                return s
        names = ", ".join(repr(s.name) for s in self.sites()) or "none"
        raise InputError(field, f"no site {ref!r}; sites in the project: {names}")

    def catalogue_entries(self, kind: str | None = None) -> list[CatalogueRow]:
        t = TABLES["catalogue_entries"]
        stmt = select(t.c.id, t.c.kind, t.c.entry_id, t.c.data, t.c.position, t.c.modified_at)
        if kind is not None:
            if kind not in CATALOGUE_KINDS:
                raise InputError("kind", f"unknown component kind {kind!r}; expected one of {', '.join(CATALOGUE_KINDS)}")
            stmt = stmt.where(t.c.kind == kind)
        with self._reading() as conn:
            rows = conn.execute(stmt.order_by(t.c.kind, t.c.position, t.c.id)).all()
        return [CatalogueRow(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    def catalogue_entry(self, kind: str, entry_id: str) -> CatalogueRow | None:
        for row in self.catalogue_entries(kind):
            if row.entry_id == entry_id:
                return row
        return None

    def user_catalogue(self) -> dict[str, list[dict]]:
        """The project's own catalogue rows by kind, for core.catalogue.load_catalogue."""
        out: dict[str, list[dict]] = {}
        for row in self.catalogue_entries():
            out.setdefault(row.kind, []).append(row.data)
        return out

    def uncertain_inputs(self, scenario: int | str | None = None, *, include_project: bool = True,
                         all_scenarios: bool = False) -> list[UncertainInputInfo]:
        """Uncertain inputs of one scenario (plus project-wide ones), or all of them."""
        t = TABLES["uncertain_inputs"]
        stmt = select(t.c.id, t.c.scenario_id, t.c.path, t.c.distribution, t.c.params, t.c.label, t.c.position)
        if not all_scenarios:
            sid = self.scenario(scenario).id if scenario is not None else None
            cond = t.c.scenario_id.is_(None) if sid is None else (
                (t.c.scenario_id == sid) | t.c.scenario_id.is_(None) if include_project else t.c.scenario_id == sid)
            stmt = stmt.where(cond)
        with self._reading() as conn:
            rows = conn.execute(stmt.order_by(t.c.position, t.c.id)).all()
        return [UncertainInputInfo(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]

    def analyses(self) -> list[AnalysisInfo]:
        t = TABLES["analyses"]
        with self._reading() as conn:
            rows = conn.execute(select(t.c.id, t.c.name, t.c.kind, t.c.scenario_id, t.c.definition,
                                       t.c.position, t.c.created_at, t.c.modified_at)
                                .order_by(t.c.position, t.c.id)).all()
        return [AnalysisInfo(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows]

    def analysis(self, ref: int | str, *, field: str = "analysis") -> AnalysisInfo:
        for a in self.analyses():
            if (isinstance(ref, int) and not isinstance(ref, bool) and a.id == ref) or a.name == ref:
                return a
        names = ", ".join(repr(a.name) for a in self.analyses()) or "none"
        raise InputError(field, f"no analysis {ref!r}; analyses in the project: {names}")

