"""The results cache of a project (a mixin of store.Project).

Results are a cache tagged with the hash of their inputs. ``get_result`` gives None
for a stale or damaged result: it is recomputed, never shown. Storing a result is its
own transaction and never part of undo. Running the engine is not this module's job
(see core.stored_results): the store keeps results, it does not compute them.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from aisite.core.errors import ProjectFileError
from aisite.core.project import results as _results
from aisite.core.project.json_io import dumps_summary, profile_fingerprint
from aisite.core.project.records import now_iso
from aisite.core.project.schema import TABLES, row_digest
from aisite.core.version import __version__


class ResultsCache:
    """Input hashes, and stored results read and written by owner (scenario or analysis)."""

    # ------------------------------------------------------------------ results
    def evaluation_inputs(self, ref: int | str) -> tuple[dict, dict[str, list[dict]], str]:
        """(document ready for the engine, user catalogue, input hash) of a scenario."""
        doc = self.effective_scenario(ref, resolve_files=True)
        user = self.user_catalogue()
        files = profile_fingerprint(doc)
        return doc, user, _results.input_hash(doc, user, extra={"profile_files": files} if files else None)

    def input_hash(self, ref: int | str) -> str:
        """The hash a fresh result of this scenario carries."""
        return self.evaluation_inputs(ref)[2]

    def analysis_input_hash(self, ref: int | str) -> str:
        a = self.analysis(ref)
        scen = self.effective_scenario(a.scenario_id) if a.scenario_id is not None else None
        unc = [(u.scenario_id, u.path, u.distribution, u.params) for u in self.uncertain_inputs(all_scenarios=True)]
        return _results.input_hash(scen or {}, self.user_catalogue(),
                                   extra={"analysis": {"kind": a.kind, "definition": a.definition},
                                          "uncertain_inputs": unc})

    def _result_header(self, owner: str, owner_id: int) -> dict | None:
        t = TABLES["results"]
        col = t.c.scenario_id if owner == "scenario" else t.c.analysis_id
        with self._reading() as conn:
            row = conn.execute(select(t).where(col == owner_id)).mappings().first()
        return dict(row) if row is not None else None

    def result_status(self, ref: int | str) -> str:
        """"fresh" (stored for the current inputs), "stale" (inputs changed), "none", or
        "damaged" (the stored result cannot be read: it is recomputed when needed)."""
        sid = self.scenario(ref).id
        try:
            header = self._result_header("scenario", sid)
        except ProjectFileError:
            self.damaged_results.append(f"scenario {sid}")
            return "damaged"
        if header is None:
            return "none"
        if row_digest("results", header) != header["digest"]:
            self.damaged_results.append(f"scenario {sid}")
            return "damaged"
        return "fresh" if header["input_hash"] == self.input_hash(sid) else "stale"

    def get_result(self, ref: int | str, *, arrays: bool | Iterable[str] = True,
                   input_hash: str | None = None) -> _results.StoredResult | None:
        """The stored result of a scenario when it matches the current inputs, else None."""
        sid = self.scenario(ref).id
        wanted = input_hash or self.input_hash(sid)
        return self._get_result("scenario", sid, wanted, arrays)

    def get_analysis_result(self, ref: int | str, *, arrays: bool | Iterable[str] = True
                            ) -> _results.StoredResult | None:
        a = self.analysis(ref)
        return self._get_result("analysis", a.id, self.analysis_input_hash(a.id), arrays)

    def _get_result(self, owner: str, owner_id: int, wanted: str,
                    arrays: bool | Iterable[str]) -> _results.StoredResult | None:
        label = f"{owner} {owner_id}"
        self._require_open()
        try:
            return self._read_result(owner, owner_id, wanted, arrays, label)
        except (DBAPIError, ProjectFileError):
            # the result tables are a cache: unreadable pages mean "recompute", not "stop"
            self.damaged_results.append(label)
            return None

    def _read_result(self, owner: str, owner_id: int, wanted: str, arrays: bool | Iterable[str],
                     label: str) -> _results.StoredResult | None:
        with self._reading() as conn:
            header = self._result_header(owner, owner_id)
            if header is None or header["input_hash"] != wanted:
                return None
            if row_digest("results", header) != header["digest"]:
                self.damaged_results.append(label)
                return None
            try:
                summary = json.loads(header["summary"])
            except ValueError:
                self.damaged_results.append(label)
                return None
            stored = _results.StoredResult(
                owner=owner, owner_id=owner_id, input_hash=header["input_hash"],
                app_version=header["app_version"], computed_at=header["computed_at"],
                compute_ms=header["compute_ms"], summary=summary)
            if arrays is False:
                return stored
            try:
                stored.arrays = self._load_arrays(conn, header["id"], None if arrays is True else list(arrays))
            except _results.BadArray:
                self.damaged_results.append(label)
                return None
        return stored

    def load_result_arrays(self, ref: int | str, names: Iterable[str] | None = None) -> dict:
        """Arrays of a scenario's fresh result ({} when there is none)."""
        result = self.get_result(ref, arrays=list(names) if names is not None else True)
        return result.arrays if result is not None else {}

    def _load_arrays(self, conn: Connection, result_id: int, names: list[str] | None) -> dict:
        t = TABLES["result_arrays"]
        stmt = select(t).where(t.c.result_id == result_id)
        if names is not None:
            stmt = stmt.where(t.c.name.in_(names))
        out = {}
        try:
            rows = conn.execute(stmt.order_by(t.c.id)).mappings().all()
        except DBAPIError:
            raise _results.BadArray("its pages cannot be read") from None
        for row in rows:
            if row_digest("result_arrays", row) != row["digest"]:
                raise _results.BadArray("header does not match its checksum")
            out[row["name"]] = _results.decode_array(row["dtype"], row["shape"], row["codec"],
                                                     row["nbytes"], row["sha256"], row["data"])
        return out

    def put_result(self, ref: int | str, summary: Mapping[str, Any], arrays: Mapping[str, Any] | None = None,
                   *, input_hash: str | None = None, compute_ms: float | None = None) -> bool:
        """Store a scenario's result (replacing the old one) in its own transaction.

        Pass the ``input_hash`` taken *before* computing, so a result computed while
        the scenario was being edited is stored as stale, not as fresh. Returns False
        (stores nothing) for a read-only project.
        """
        sid = self.scenario(ref).id
        wanted = input_hash or self.input_hash(sid)
        return self._put_result("scenario", sid, wanted, summary, arrays or {}, compute_ms)

    def put_analysis_result(self, ref: int | str, summary: Mapping[str, Any],
                            arrays: Mapping[str, Any] | None = None, *, input_hash: str | None = None,
                            compute_ms: float | None = None) -> bool:
        a = self.analysis(ref)
        wanted = input_hash or self.analysis_input_hash(a.id)
        return self._put_result("analysis", a.id, wanted, summary, arrays or {}, compute_ms)

    def _put_result(self, owner: str, owner_id: int, wanted: str, summary: Mapping[str, Any],
                    arrays: Mapping[str, Any], compute_ms: float | None) -> bool:
        if self.read_only:
            return False
        encoded = [_results.encode_array(str(name), value) for name, value in arrays.items()]
        summary_text = dumps_summary(dict(summary))
        t, ta = TABLES["results"], TABLES["result_arrays"]
        with self._writing(touch=False) as conn:
            col = t.c.scenario_id if owner == "scenario" else t.c.analysis_id
            old = conn.execute(select(t.c.id).where(col == owner_id)).scalar()
            if old is not None:
                conn.execute(delete(ta).where(ta.c.result_id == old))
                conn.execute(delete(t).where(t.c.id == old))
            rid = int(conn.execute(select(func.coalesce(func.max(t.c.id), 0) + 1)).scalar_one())
            row = {"id": rid, "scenario_id": owner_id if owner == "scenario" else None,
                   "analysis_id": owner_id if owner == "analysis" else None,
                   "input_hash": wanted, "app_version": __version__, "summary": summary_text,
                   "computed_at": now_iso(), "compute_ms": None if compute_ms is None else float(compute_ms)}
            row["digest"] = row_digest("results", row)
            conn.execute(insert(t).values(row))
            next_id = int(conn.execute(select(func.coalesce(func.max(ta.c.id), 0) + 1)).scalar_one())
            rows = []
            for i, enc in enumerate(encoded):
                arow = {"id": next_id + i, "result_id": rid, "name": enc.name, "dtype": enc.dtype,
                        "shape": enc.shape, "codec": enc.codec, "nbytes": enc.nbytes, "sha256": enc.sha256,
                        "data": enc.data}
                arow["digest"] = row_digest("result_arrays", arow)
                rows.append(arow)
            if rows:
                conn.execute(insert(ta), rows)
        self._emit("result", (owner, owner_id))
        return True

    def clear_results(self) -> int:
        """Drop every stored result (they are recomputed when needed)."""
        t = TABLES["results"]
        with self._writing(touch=False) as conn:
            n = conn.execute(select(func.count()).select_from(t)).scalar_one()
            conn.execute(delete(TABLES["result_arrays"]))
            conn.execute(delete(t))
        return int(n)

