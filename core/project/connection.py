"""The SQLite connection under a project: how it is made, how its errors read, and
how an empty project file is written.

Every connection keeps the same safety settings: foreign keys on, cell size checks on,
and ``trusted_schema=OFF`` so that nothing stored in a file's schema can call a function.
"""
from __future__ import annotations

import os
import sqlite3
from typing import Callable

from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project import validate as _validate
from aisite.core.project.records import now_iso
from aisite.core.project.schema import APP_ID, FORMAT_TAG, SCHEMA_VERSION, TABLES, Base, row_digest
from aisite.core.version import __version__


def map_db_error(path: str, error: BaseException, *, reading: bool = False) -> InputError:
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


def make_engine(creator: Callable[[], sqlite3.Connection]) -> Engine:
    engine = create_engine("sqlite://", creator=creator, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001 - SQLAlchemy event signature
        conn.exec_driver_sql(conn.get_execution_options().get("aisite_begin", "BEGIN"))

    return engine


def connect_file(path: str, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
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


def initialise_file(path: str, *, title: str = "") -> None:
    """Write an empty current-schema project at ``path`` (which must not exist)."""
    engine = make_engine(lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False))
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

