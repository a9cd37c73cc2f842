"""The open project: one SQLite file, its lifecycle, and "Save a copy as".

A ``Project`` is one SQLite file opened through SQLAlchemy. Its jobs live in modules
of their own; this class joins them:

* opening.py: the checks before anything is written, the lock, creating a file;
* connection.py: the SQLite connection and what its errors mean to a planner;
* journal.py: one transaction per edit, journaled row writes for undo and redo;
* queries.py: reading scenarios, sites, catalogue rows, uncertain inputs, analyses;
* results_cache.py: results stored under the hash of their inputs.

Every edit is one SQLite transaction in WAL mode with ``synchronous=FULL``: once
``apply`` returns, the edit survives a crash or a power cut; an edit cut short leaves
the previous state. The store keeps results but never runs the engine
(core.stored_results joins the two).

Thread safety: all access goes through one connection guarded by a re-entrant lock,
so a worker thread can store results while the GUI thread reads.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from aisite.core.errors import ProjectFileError, ProjectFileWarning
from aisite.core.project import opening as _opening
from aisite.core.project.connection import initialise_file, map_db_error  # noqa: F401 (re-exported)
from aisite.core.project.history import UndoHistory
from aisite.core.project.journal import Journal
from aisite.core.project.json_io import fsync_dir, remove_with_sidecars
from aisite.core.project.locking import LockHolder, ProjectLock
from aisite.core.project.queries import Queries
from aisite.core.project.records import (  # noqa: F401 (re-exported: edits and tests use them from here)
    MAX_NAME_LENGTH,
    AnalysisInfo,
    CatalogueRow,
    Change,
    EditConflict,
    ScenarioInfo,
    SiteInfo,
    UncertainInputInfo,
    check_name,
    now_iso,
)
from aisite.core.project.results_cache import ResultsCache
from aisite.core.project.schema import TABLES


class Project(Journal, Queries, ResultsCache):
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
        self.wal_damage = None  # a WalDamage when the write-ahead log was found damaged
        self.listeners: list[Callable[[str, Any], None]] = []
        self.history = UndoHistory(self)

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | os.PathLike, *, read_only: bool = False,
             accept_log_damage: bool = False) -> "Project":
        """Open a project. Raises ProjectFileError (ProjectInUseError when it is open
        for writing elsewhere: offer ``read_only=True``).

        A damaged write-ahead log opens read-only whatever was asked, with
        ``wal_damage`` saying how many saved edits were lost and where the log's bytes
        were kept (a ProjectFileWarning says so too); ``accept_log_damage`` opens the
        intact part for editing."""
        self = cls()
        self.path = str(path)
        opened = _opening.open_file(self.path, read_only=read_only, accept_log_damage=accept_log_damage)
        self.read_only = opened.read_only
        self.wal_damage = opened.wal_damage
        if self.wal_damage is not None:
            warnings.warn(ProjectFileWarning(self.path, self.wal_damage.describe() if self.read_only else
                                             self.wal_damage.describe().split("; it is open")[0]), stacklevel=2)
        self._engine, self._lock = opened.engine, opened.lock
        self.in_use_by = opened.in_use_by
        self.migrated_from, self.backup_path = opened.migrated_from, opened.backup_path
        self._sidecars_before = opened.sidecars_before
        try:
            self._load_meta()
        except DBAPIError as error:
            self.close()
            raise map_db_error(self.path, error, reading=True) from None
        except BaseException:
            self.close()
            raise
        return self

    @classmethod
    def create(cls, path: str | os.PathLike, *, title: str = "") -> "Project":
        """Create a new, empty project file (atomically: all of it or nothing) and open it."""
        target = Path(path)
        _opening.create_file(target, title=title)
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
                _opening.tidy_read_only_sidecars(self.path, self._sidecars_before)

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
            remove_with_sidecars(tmp)
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

