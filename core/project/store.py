"""The open project: reads, journaled edits, cached results, "Save a copy as".

A ``Project`` is one SQLite file opened through SQLAlchemy. Rules it keeps:

* Nothing is written before the file has been validated (validate.py); WAL is
  switched on only after that, and an older file is migrated only after a backup.
* Every edit is one SQLite transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) in WAL
  mode with ``synchronous=FULL``: once ``apply`` returns, the edit survives a crash
  or a power cut; an edit cut short leaves the previous state.
* Edits are operations (core/project/edits.py). Each write an operation makes goes
  through ``_insert``/``_update``/``_delete``, which record the row before and after;
  undo and redo replay those row images, so they restore exactly what was there
  (same ids, same timestamps) and refuse if the rows are not as expected.
* Results are a cache tagged with the hash of their inputs. ``get_result`` gives
  None for a stale or damaged result: it is recomputed, never shown.

Thread safety: all access goes through one connection guarded by a re-entrant lock,
so a worker thread can store results while the GUI thread reads.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from sqlalchemy import create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from core.errors import InputError, ProjectFileError
from core.project import results as _results
from core.project import validate as _validate
from core.project.clock import now_iso
from core.project.fieldpath import apply_overrides
from core.project.history import UndoHistory
from core.project.json_io import dumps_summary, fsync_dir, profile_fingerprint, resolve_profiles
from core.project.locking import LockHolder, ProjectInUseError, ProjectLock
from core.project.schema import (
    APP_ID,
    CATALOGUE_KINDS,
    FORMAT_TAG,
    SCHEMA_VERSION,
    TABLES,
    Base,
    row_digest,
)
from core.version import __version__

MAX_NAME_LENGTH = 200


def check_name(name: Any, what: str = "name") -> str:
    """A name a planner can type and read back: non-empty, one line, not too long."""
    if not isinstance(name, str):
        raise InputError(what, f"must be text, got {type(name).__name__}")
    if not name.strip():
        raise InputError(what, "must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(what, f"is {len(name)} characters long; at most {MAX_NAME_LENGTH}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InputError(what, "must be one line, without control characters")
    return name


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    name: str
    parent_id: int | None
    site_id: int | None
    position: int
    notes: str
    created_at: str
    modified_at: str

    @property
    def is_variant(self) -> bool:
        return self.parent_id is not None


@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    notes: str
    position: int


@dataclass(frozen=True)
class CatalogueRow:
    id: int
    kind: str
    entry_id: str
    data: dict
    position: int
    modified_at: str


@dataclass(frozen=True)
class UncertainInputInfo:
    id: int
    scenario_id: int | None
    path: str
    distribution: str
    params: dict
    label: str
    position: int


@dataclass(frozen=True)
class AnalysisInfo:
    id: int
    name: str
    kind: str
    scenario_id: int | None
    definition: dict
    position: int
    created_at: str
    modified_at: str


@dataclass(frozen=True)
class Change:
    """One row before and after an edit (None: the row did not exist)."""

    table: str
    id: int
    before: dict | None
    after: dict | None


class EditConflict(InputError):
    """Undo/redo found the rows not as the edit left them."""

    def __init__(self, message: str):
        super().__init__("undo", message)


def _map_db_error(path: str, error: BaseException, *, reading: bool = False) -> InputError:
    text = str(getattr(error, "orig", error))
    if "decode" in text or "UTF-8" in text:
        return ProjectFileError(path, "is damaged: some of its text is unreadable; " + _validate.DAMAGED_HINT)
    if reading:
        if "malformed" in text or "not a database" in text or "corrupt" in text or "I/O" in text:
            return ProjectFileError(path, "is damaged: part of it cannot be read; " + _validate.DAMAGED_HINT)
        return ProjectFileError(path, f"could not be read: {_validate._short(text)}")
    if "disk is full" in text or "SQLITE_FULL" in text:
        return ProjectFileError(path, "the disk is full: the last edit was not saved (earlier edits are safe)")
    if "readonly" in text or "read-only" in text:
        return ProjectFileError(path, "can no longer be written (read-only file or folder): the last edit was not saved")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return ProjectFileError(path, f"is damaged: {text}; the last edit was not saved")
    if "locked" in text or "busy" in text:
        return ProjectFileError(path, "is busy in another program: the last edit was not saved; try again")
    if "UNIQUE constraint failed" in text:
        return InputError(text.split(":")[-1].strip(), "already exists")
    if "FOREIGN KEY constraint failed" in text:
        return InputError("project", "the edit would leave a reference to a missing item")
    if "CHECK constraint failed" in text:
        return InputError("project", f"the edit breaks a rule of the file format ({text.split(':')[-1].strip()})")
    return ProjectFileError(path, f"could not save the edit: {_validate._short(text)}")


def _make_engine(creator: Callable[[], sqlite3.Connection]) -> Engine:
    engine = create_engine("sqlite://", creator=creator, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001 - SQLAlchemy event signature
        conn.exec_driver_sql(conn.get_execution_options().get("aisite_begin", "BEGIN"))

    return engine


def _connect_file(path: str, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        params = {"immutable": "1"} if immutable else {"mode": "ro"}
        conn = sqlite3.connect(_validate.sqlite_uri(path, **params), uri=True,
                               isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only=ON")
    else:
        conn = sqlite3.connect(_validate.sqlite_uri(path, mode="rw"), uri=True,
                               isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA trusted_schema=OFF")
    return conn


class Project:
    """An open .aisite project. Use :func:`open_project` / :func:`create_project`."""

    def __init__(self) -> None:  # use open()/create()
        self.path: str = ""
        self.read_only = False
        self._engine: Engine | None = None
        self._lock: ProjectLock | None = None
        self._mutex = threading.RLock()
        self._conn: Connection | None = None
        self._conn_writes = False
        self._journal: list[Change] | None = None
        self._meta: dict = {}
        self._sidecars_before: set[str] = set()
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self.in_use_by: LockHolder | None = None
        self.damaged_results: list[str] = []
        self.listeners: list[Callable[[str, Any], None]] = []
        self.history = UndoHistory(self)

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | os.PathLike, *, read_only: bool = False) -> "Project":
        """Open a project. Raises ProjectFileError (ProjectInUseError when it is open
        for writing elsewhere: offer ``read_only=True``)."""
        from core.project import migrations  # noqa: PLC0415

        self = cls()
        self.path = str(path)
        self.read_only = read_only
        lock = ProjectLock(self.path)
        _validate.screen_header(self.path)  # cheap rejections before any sidecar exists
        if read_only:
            unlockable = False  # read-only folder or medium: nobody can be writing here
            try:
                lock.acquire()
                exclusive = True
            except ProjectInUseError as error:
                exclusive = False
                self.in_use_by = error.holder
            except ProjectFileError:
                exclusive = False
                unlockable = True
            try:
                info = _validate.inspect_file(self.path, exclusive=(exclusive or unlockable) and not lock.degraded)
            finally:
                lock.release()
            self._sidecars_before = {s for s in ("-wal", "-shm") if os.path.exists(self.path + s)}
            if info.schema_version < SCHEMA_VERSION:
                conn = migrations.migrated_in_memory(self.path, info.schema_version)
                self.migrated_from = info.schema_version
                self._engine = _make_engine(lambda: conn)
            else:
                immutable = unlockable and not _validate.wal_has_content(self.path)
                self._engine = _make_engine(lambda: _connect_file(self.path, read_only=True, immutable=immutable))
        else:
            lock.acquire()
            try:
                info = _validate.inspect_file(self.path, exclusive=not lock.degraded, recover=True)
                if info.schema_version < SCHEMA_VERSION:
                    self.backup_path = migrations.migrate_file(self.path, info.schema_version)
                    self.migrated_from = info.schema_version
                self._engine = _make_engine(lambda: _connect_file(self.path, read_only=False))
                with self._engine.connect() as conn:
                    raw = conn.connection.driver_connection
                    mode = raw.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raise ProjectFileError(self.path, "cannot use a write-ahead log here (network drive?); "
                                               "copy it to a local folder, or open it read-only")
                    raw.execute("PRAGMA synchronous=FULL")
            except (sqlite3.Error, DBAPIError) as error:
                if self._engine is not None:
                    self._engine.dispose()
                    self._engine = None
                lock.release()
                text = str(getattr(error, "orig", error))
                if "readonly" in text or "read-only" in text or "unable to open" in text:
                    raise ProjectFileError(self.path, "cannot be written (read-only file or folder); "
                                           "open it read-only, or copy it somewhere you can write") from None
                raise ProjectFileError(self.path, f"cannot be opened for editing: {_validate._short(text)}") from None
            except BaseException:
                if self._engine is not None:
                    self._engine.dispose()
                    self._engine = None
                lock.release()
                raise
            self._lock = lock
        try:
            self._load_meta()
        except DBAPIError as error:
            self.close()
            raise _map_db_error(self.path, error, reading=True) from None
        except BaseException:
            self.close()
            raise
        return self

    @classmethod
    def create(cls, path: str | os.PathLike, *, title: str = "") -> "Project":
        """Create a new, empty project file (atomically: all of it or nothing) and open it."""
        target = Path(path)
        if target.exists():
            raise ProjectFileError(str(target), "already exists; choose another name or delete it first")
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise ProjectFileError(str(target), f"folder {str(folder)!r} does not exist")
        lock = ProjectLock(target)
        try:
            lock.acquire()
        except ProjectInUseError:
            raise
        except ProjectFileError:
            raise ProjectFileError(str(target), "cannot be created: its folder is not writable") from None
        tmp = folder / f".{target.name}.{os.getpid()}.creating"
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                if os.path.exists(str(tmp) + suffix):
                    os.unlink(str(tmp) + suffix)
            initialise_file(str(tmp), title=title)
            if target.exists():
                raise ProjectFileError(str(target), "already exists; choose another name or delete it first")
            os.replace(tmp, target)
            fsync_dir(folder)
        except OSError as error:
            raise ProjectFileError(str(target), f"cannot create it: {error.strerror or error}") from None
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(str(tmp) + suffix)
                except OSError:
                    pass
            lock.release()
        return cls.open(target)

    def close(self) -> None:
        with self._mutex:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            elif self.read_only and self.path:
                self._tidy_readonly_sidecars()

    def _tidy_readonly_sidecars(self) -> None:
        """A read-only SQLite connection leaves empty -wal/-shm files behind; remove the
        ones this open created, if nobody else has the project open."""
        created = [s for s in ("-wal", "-shm") if s not in self._sidecars_before]
        if not created:
            return
        lock = ProjectLock(self.path)
        try:
            lock.acquire()
        except ProjectFileError:
            return
        try:
            wal = self.path + "-wal"
            if os.path.exists(wal) and os.path.getsize(wal) > 0:
                return
            for s in created:
                try:
                    os.unlink(self.path + s)
                except OSError:
                    pass
        finally:
            lock.release()

    @property
    def closed(self) -> bool:
        return self._engine is None

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("read-only" if self.read_only else "open")
        return f"<Project {self.path!r} {state}>"

    @property
    def lock_degraded(self) -> bool:
        return bool(self._lock and self._lock.degraded)

    # ------------------------------------------------------------------ metadata
    def _load_meta(self) -> None:
        with self._reading() as conn:
            row = conn.execute(select(TABLES["project_meta"])).mappings().one()
        self._meta = dict(row)

    @property
    def schema_version(self) -> int:
        return int(self._meta["schema_version"])

    @property
    def app_version(self) -> str:
        """The app version that last wrote the file."""
        return self._meta["app_version"]

    @property
    def created_app_version(self) -> str:
        return self._meta["created_app_version"]

    @property
    def created_at(self) -> str:
        return self._meta["created_at"]

    @property
    def modified_at(self) -> str:
        return self._meta["modified_at"]

    @property
    def title(self) -> str:
        return self._meta["title"]

    @property
    def notes(self) -> str:
        return self._meta["notes"]

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
                raise _map_db_error(self.path, error, reading=True) from None

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
                        finally:
                            self._conn = None
            except DBAPIError as error:
                self._load_meta_quietly()
                raise _map_db_error(self.path, error) from None
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

    # ------------------------------------------------------------------ edits
    def apply(self, op) -> Any:
        """Apply an operation (edits.py) in its own transaction; returns ``op``."""
        op.apply(self)
        return op

    def revert(self, op) -> Any:
        op.revert(self)
        return op

    def do(self, op) -> Any:
        """Apply an operation and put it on the undo history."""
        return self.history.do(op)

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
        """"fresh" (stored for the current inputs), "stale" (inputs changed) or "none"."""
        sid = self.scenario(ref).id
        header = self._result_header("scenario", sid)
        if header is None:
            return "none"
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

    def evaluate(self, ref: int | str, *, use_cache: bool = True, store: bool = True) -> _results.StoredResult:
        """The scenario's result: the stored one when fresh, else computed by the engine
        (core.evaluate) and stored. Raises the engine's InputError for a bad scenario."""
        from core.catalogue import load_catalogue  # noqa: PLC0415 - the engine is optional for storage
        from core.evaluate import evaluate as run  # noqa: PLC0415
        from core.scenario import load_scenario  # noqa: PLC0415

        info = self.scenario(ref)
        doc, user, wanted = self.evaluation_inputs(info.id)
        if use_cache:
            cached = self._get_result("scenario", info.id, wanted, True)
            if cached is not None:
                return cached
        scenario = load_scenario(doc, load_catalogue(user or None))
        t0 = time.perf_counter()
        result = run(scenario)
        ms = (time.perf_counter() - t0) * 1000.0
        hourly = dict(getattr(result, "hourly", None) or {})
        summary = json.loads(dumps_summary(result.summary))
        if store and not self.read_only:
            self._put_result("scenario", info.id, wanted, summary, hourly, ms)
        return _results.StoredResult(owner="scenario", owner_id=info.id, input_hash=wanted,
                                     app_version=__version__, computed_at=now_iso(), compute_ms=ms,
                                     summary=summary, arrays={k: _as_array(v) for k, v in hourly.items()})

    # ------------------------------------------------------------------ files
    def save_copy_as(self, dest: str | os.PathLike, *, include_results: bool = True) -> Path:
        """Write a consistent copy of the project to ``dest`` through SQLite's backup API.

        The copy is built beside ``dest`` and renamed into place, so ``dest`` is either
        the old file or the whole copy. This project stays open on its own file.
        """
        target = Path(dest)
        engine = self._require_open()
        if target.exists() and os.path.samefile(target, self.path):
            raise ProjectFileError(str(target), "is this project itself; choose another file name")
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise ProjectFileError(str(target), f"folder {str(folder)!r} does not exist")
        dest_lock = ProjectLock(target)
        dest_lock.acquire()  # refuses a file open in another copy
        tmp = folder / f".{target.name}.{os.getpid()}.saving"
        try:
            with self._mutex:
                raw = engine.raw_connection()
                try:
                    src = raw.driver_connection
                    out = sqlite3.connect(str(tmp), isolation_level=None)
                    try:
                        src.backup(out)
                        if not include_results:
                            out.execute("DELETE FROM result_arrays")
                            out.execute("DELETE FROM results")
                            out.execute("VACUUM")
                        out.execute("PRAGMA journal_mode=WAL")
                        out.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        out.close()
                finally:
                    raw.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            fsync_dir(folder)
        except (OSError, sqlite3.Error) as error:
            raise ProjectFileError(str(target), f"could not save the copy: {getattr(error, 'strerror', None) or error}") from None
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(str(tmp) + suffix)
                except OSError:
                    pass
            dest_lock.release()
        return target

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file (done anyway when the project closes)."""
        if self.read_only:
            return
        with self._mutex:
            raw = self._require_open().raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()


def _as_array(value: Any):
    import numpy as np  # noqa: PLC0415

    return np.asarray(value)


def initialise_file(path: str, *, title: str = "") -> None:
    """Write an empty current-schema project at ``path`` (which must not exist)."""
    engine = _make_engine(lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False))
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute(f"PRAGMA application_id={APP_ID}")
            raw.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            raw.execute("PRAGMA journal_mode=WAL")
            with conn.begin():
                Base.metadata.create_all(conn)
                stamp = now_iso()
                meta = {"id": 1, "format": FORMAT_TAG, "schema_version": SCHEMA_VERSION,
                        "created_app_version": __version__, "app_version": __version__,
                        "created_at": stamp, "modified_at": stamp, "title": title, "notes": ""}
                meta["digest"] = row_digest("project_meta", meta)
                conn.execute(insert(TABLES["project_meta"]).values(meta))
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())

