"""Opening and creating project files: the checks that run before anything is written.

Rules kept here:

* Nothing is written before the file has been validated (validate.py); WAL is
  switched on only after that, and an older file is migrated only after a backup.
* A read-only open can always happen beside a copy that is editing the file.
* A new file is built under a temporary name and renamed into place: all of it or nothing.
"""
from __future__ import annotations

import os
import stat
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from aisite.core.errors import ProjectFileError
from aisite.core.project import migrations
from aisite.core.project import validate as _validate
from aisite.core.project.connection import connect_file, initialise_file, make_engine
from aisite.core.project.json_io import fsync_dir, remove_with_sidecars
from aisite.core.project.locking import LockHolder, ProjectInUseError, ProjectLock, peek_holder
from aisite.core.project.schema import SCHEMA_VERSION
from aisite.core.project.wal import WalDamage, keep_copy, scan_twice

SIDECARS = ("-wal", "-shm")


@dataclass
class OpenedFile:
    """What opening a file gives the store: a checked engine, and the lock when editing."""

    engine: Engine
    lock: ProjectLock | None = None
    in_use_by: LockHolder | None = None
    migrated_from: int | None = None
    backup_path: Path | None = None
    sidecars_before: set[str] = field(default_factory=set)
    read_only: bool = False
    wal_damage: WalDamage | None = None


def open_file(path: str, *, read_only: bool, accept_log_damage: bool = False) -> OpenedFile:
    """Check a project file and connect to it. Raises ProjectFileError
    (ProjectInUseError when it is open for writing elsewhere).

    A damaged write-ahead log (committed edits SQLite would silently drop) is copied
    beside the project and the intact part opened read-only, even when editing was
    asked for, until the planner accepts the loss (``accept_log_damage``)."""
    header = _validate.screen_header(path)  # cheap rejections before any sidecar exists
    damage = _log_damage(path, header.page_size)
    if damage is not None and (read_only or not accept_log_damage):
        opened = _open_read_only(path)
        opened.wal_damage = damage
        return opened
    opened = _open_read_only(path) if read_only else _open_for_editing(path)
    opened.wal_damage = damage
    return opened


def _log_damage(path: str, page_size: int) -> WalDamage | None:
    wal = path + "-wal"
    damage = scan_twice(wal, page_size)
    if damage is None:
        return None
    try:
        kept = keep_copy(wal)
    except OSError as error:
        raise ProjectFileError(path, f"its write-ahead log is damaged ({damage.lost_commits} saved edits "
                               f"cannot be recovered) and could not be copied aside "
                               f"({error.strerror or error}); it was not opened, so nothing is lost") from None
    return WalDamage(damage.lost_commits, damage.intact_commits, damage.wal_bytes, kept)


def _open_read_only(path: str) -> OpenedFile:
    """Never takes the writer's lock: a planner opening the file for editing meanwhile
    must not be refused because someone only looks at it."""
    in_use_by = peek_holder(path)
    folder_writable = folder_is_writable(path)
    info = _inspect_unlocked(path)
    opened_before = {s for s in SIDECARS if os.path.exists(path + s)}
    if info.schema_version < SCHEMA_VERSION:
        conn = migrations.migrated_in_memory(path, info.schema_version)
        return OpenedFile(make_engine(lambda: conn), in_use_by=in_use_by, read_only=True,
                          migrated_from=info.schema_version, sidecars_before=opened_before)
    # read-only folder or medium, or a file nobody may write with no log beside it: nobody
    # can be writing it, so nothing need be created (SQLite would leave empty -wal/-shm
    # files beside a file it cannot write, as it may not delete them on close)
    immutable = ((not folder_writable and not _validate.wal_has_content(path))
                 or (not opened_before and write_protected(path)))
    engine = make_engine(lambda: connect_file(path, read_only=True, immutable=immutable))
    return OpenedFile(engine, in_use_by=in_use_by, sidecars_before=opened_before, read_only=True)


def write_protected(path: str) -> bool:
    """Whether the file's permissions let nobody write it (a planner's read-only copy):
    no write bit for owner, group or others."""
    try:
        return not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    except OSError:
        return False


def folder_is_writable(path: str) -> bool:
    """Whether files can be made beside ``path`` (False on a read-only medium)."""
    return os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)


def _inspect_unlocked(path: str) -> _validate.FileInfo:
    """Validate without the lock. With no log to replay the file is read as it is on
    disk (``immutable``: nothing is created beside it, a refused file is left exactly as
    it was); if a writer changed it meanwhile, the check is made again through SQLite's
    own locking before the file is called damaged."""
    if _validate.wal_has_content(path):
        return _validate.inspect_file(path, exclusive=False)
    before = _fingerprint(path)
    try:
        return _validate.inspect_file(path, exclusive=True)
    except ProjectFileError:
        if _fingerprint(path) == before and not _validate.wal_has_content(path):
            raise
        return _validate.inspect_file(path, exclusive=False)


def _fingerprint(path: str) -> tuple:
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _open_for_editing(path: str) -> OpenedFile:
    lock = ProjectLock(path)
    lock.acquire()
    engine = None
    opened = None
    try:
        info = _validate.inspect_file(path, exclusive=not lock.degraded, recover=True)
        migrated_from = backup = None
        if info.schema_version < SCHEMA_VERSION:
            backup = migrations.migrate_file(path, info.schema_version)
            migrated_from = info.schema_version
        engine = make_engine(lambda: connect_file(path, read_only=False))
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            mode = raw.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ProjectFileError(path, "cannot use a write-ahead log here (network drive?); "
                                       "copy it to a local folder, or open it read-only")
            raw.execute("PRAGMA synchronous=FULL")
        opened = OpenedFile(engine, lock=lock, migrated_from=migrated_from, backup_path=backup)
        return opened
    except (sqlite3.Error, DBAPIError) as error:
        text = str(getattr(error, "orig", error))
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise ProjectFileError(path, "cannot be written (read-only file or folder); "
                                   "open it read-only, or copy it somewhere you can write") from None
        raise ProjectFileError(path, f"cannot be opened for editing: {_validate._short(text)}") from None
    finally:
        if opened is None:
            if engine is not None:
                engine.dispose()
            lock.release()


def create_file(target: Path, *, title: str = "") -> None:
    """Write a new, empty project file at ``target`` (atomically: all of it or nothing)."""
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
        remove_with_sidecars(tmp)
        initialise_file(str(tmp), title=title)
        if target.exists():
            raise ProjectFileError(str(target), "already exists; choose another name or delete it first")
        os.replace(tmp, target)
        fsync_dir(folder)
    except OSError as error:
        raise ProjectFileError(str(target), f"cannot create it: {error.strerror or error}") from None
    except sqlite3.Error as error:
        text = str(error)
        if "full" in text or "disk I/O" in text:
            raise ProjectFileError(str(target), "cannot create it: the disk is full (or the file too large); "
                                   "free some space and try again") from None
        raise ProjectFileError(str(target), f"cannot create it: {_validate._short(text)}") from None
    finally:
        remove_with_sidecars(tmp)
        lock.release()


def tidy_read_only_sidecars(path: str, sidecars_before: set[str]) -> None:
    """A read-only SQLite connection leaves empty -wal/-shm files behind. Let SQLite
    remove them the way it does for its last connection: a brief read-write connection,
    closed at once, deletes them only if no other connection (in any process) has the
    file open and the log is empty; it takes SQLite's locks, never the writer's lock.
    A log with content (a writer's, or a damaged one kept for the planner) is left alone."""
    created = [s for s in SIDECARS if s not in sidecars_before]
    if not created or _validate.wal_has_content(path) or not os.path.exists(path + "-shm"):
        return
    try:
        conn = sqlite3.connect(_validate.sqlite_uri(path, mode="rw"), uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            conn.execute("PRAGMA busy_timeout=0")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # busy or read-only: the files stay, harmless
