"""Transactions and journaled row writes of a project (a mixin of store.Project).

Every edit is one SQLite transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``). Each write an
operation makes goes through ``_insert``/``_update``/``_delete``, which record the row
before and after; undo and redo replay those row images (``_replay``), so they restore
exactly what was there and refuse if the rows are not as expected.

Before each commit the writer checks that it still holds the project lock (its lock
file is still the one it locked): a lock file deleted or replaced while the project is
open could let a second copy open it for editing, so the edit is refused instead.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project.connection import map_db_error
from aisite.core.project.records import Change, EditConflict, now_iso
from aisite.core.project.schema import TABLES, row_digest
from aisite.core.version import __version__


class Journal:
    """Transactions, the meta row's stamp, and row writes that record what they change."""

    # ------------------------------------------------------------------ transactions
    def _require_open(self) -> Engine:
        if self._engine is None:
            raise ProjectFileError(self.path, "is closed")
        return self._engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read transaction (or the transaction already under way on this thread)."""
        with self._mutex:
            if self._conn is not None:
                yield self._conn
                return
            engine = self._require_open()
            try:
                with engine.connect() as conn:
                    conn.execution_options(aisite_begin="BEGIN")
                    with conn.begin():
                        self._conn, self._conn_writes = conn, False
                        try:
                            yield conn
                        finally:
                            self._conn = None
            except DBAPIError as error:
                raise map_db_error(self.path, error, reading=True) from None

    @contextmanager
    def _writing(self, *, touch: bool = True) -> Iterator[Connection]:
        """One transaction for one edit (nested calls join the outer one). ``touch``
        stamps the project's modified time (not for storing results: a cache)."""
        with self._mutex:
            if self._conn is not None:
                if not self._conn_writes:
                    raise RuntimeError("a write cannot start inside a read")
                yield self._conn
                return
            engine = self._require_open()
            if self.read_only:
                damage = getattr(self, "wal_damage", None)
                if damage is not None:
                    raise ProjectFileError(self.path, damage.describe())
                raise ProjectFileError(self.path, "is open read-only; reopen it for editing to make changes")
            try:
                with engine.connect() as conn:
                    conn.execution_options(aisite_begin="BEGIN IMMEDIATE")
                    with conn.begin():
                        self._conn, self._conn_writes = conn, True
                        try:
                            yield conn
                            if touch:
                                self._touch_meta(conn)
                            if self._lock is not None:
                                self._lock.verify()  # still the only writer: else roll back
                        finally:
                            self._conn = None
            except DBAPIError as error:
                self._load_meta_quietly()
                raise map_db_error(self.path, error) from None
            except BaseException:
                self._load_meta_quietly()
                raise

    def _load_meta_quietly(self) -> None:
        try:
            self._load_meta()
        except Exception:  # noqa: BLE001 - best effort after a failed write
            pass

    def _touch_meta(self, conn: Connection, **changes: Any) -> None:
        meta = dict(self._meta)
        meta.update(changes)
        meta["modified_at"] = now_iso()
        meta["app_version"] = __version__
        meta["digest"] = row_digest("project_meta", meta)
        conn.execute(update(TABLES["project_meta"]).where(TABLES["project_meta"].c.id == 1)
                     .values({k: v for k, v in meta.items() if k != "id"}))
        self._meta = meta

    def _emit(self, kind: str, payload: Any) -> None:
        for listener in list(self.listeners):
            listener(kind, payload)

    # ------------------------------------------------------------------ journaled row writes
    def _row(self, table: str, row_id: int) -> dict | None:
        t = TABLES[table]
        with self._reading() as conn:
            row = conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
        return dict(row) if row is not None else None

    def _record(self, change: Change) -> None:
        if self._journal is not None:
            self._journal.append(change)

    def _insert(self, table: str, values: Mapping[str, Any]) -> int:
        t = TABLES[table]
        conn = self._conn
        assert conn is not None and self._conn_writes, "writes happen inside _writing()"
        row = dict(values)
        if row.get("id") is None:
            row["id"] = int(conn.execute(select(func.coalesce(func.max(t.c.id), 0) + 1)).scalar_one())
        for column in t.columns:
            if column.name not in row and column.name != "digest":
                default = column.default.arg if column.default is not None else None
                row[column.name] = default() if callable(default) else default
        row["digest"] = row_digest(table, row)
        conn.execute(insert(t).values(row))
        self._record(Change(table, row["id"], None, row))
        return row["id"]

    def _update(self, table: str, row_id: int, **changes: Any) -> dict:
        t = TABLES[table]
        conn = self._conn
        assert conn is not None and self._conn_writes, "writes happen inside _writing()"
        before = self._row(table, row_id)
        if before is None:
            raise InputError(table, f"no row {row_id}")
        after = {**before, **changes}
        after["digest"] = row_digest(table, after)
        if after == before:
            return after
        conn.execute(update(t).where(t.c.id == row_id).values({k: v for k, v in after.items() if k != "id"}))
        self._record(Change(table, row_id, before, after))
        return after

    def _delete(self, table: str, row_id: int) -> dict:
        t = TABLES[table]
        conn = self._conn
        assert conn is not None and self._conn_writes, "writes happen inside _writing()"
        before = self._row(table, row_id)
        if before is None:
            raise InputError(table, f"no row {row_id}")
        conn.execute(delete(t).where(t.c.id == row_id))
        self._record(Change(table, row_id, before, None))
        return before

    def _replay(self, changes: Iterable[Change], *, forward: bool) -> None:
        """Put rows back to the images of an edit (redo: forward, undo: backward)."""
        conn = self._conn
        assert conn is not None
        seq = list(changes) if forward else list(reversed(list(changes)))
        for ch in seq:
            expect, target = (ch.before, ch.after) if forward else (ch.after, ch.before)
            t = TABLES[ch.table]
            current = self._row(ch.table, ch.id)
            if current != expect:
                raise EditConflict(
                    f"cannot {'redo' if forward else 'undo'}: the project changed since that edit "
                    f"({ch.table} row {ch.id})")
            if target is None:
                conn.execute(delete(t).where(t.c.id == ch.id))
            elif expect is None:
                conn.execute(insert(t).values(target))
            else:
                conn.execute(update(t).where(t.c.id == ch.id)
                             .values({k: v for k, v in target.items() if k != "id"}))

    @contextmanager
    def _journaling(self) -> Iterator[list[Change]]:
        outer = self._journal
        journal: list[Change] = []
        self._journal = journal
        try:
            yield journal
        finally:
            self._journal = outer
            if outer is not None:
                outer.extend(journal)

