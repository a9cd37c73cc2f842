"""Deciding whether a file is a project this copy can open, without changing it.

Two stages, both read-only:

1. ``screen_header``: plain Python reads the first 100 bytes and the size. It turns
   away an empty file, a text file, random bytes, a truncated file and another
   program's SQLite database (wrong ``application_id``) before SQLite ever sees
   them, and reads the schema version from ``user_version``.
2. ``inspect_file``: SQLite opens the file with ``immutable=1`` when this process
   holds the project lock and there is no write-ahead log to replay (nothing is
   created beside the file), or ``mode=ro`` otherwise. It runs SQLite's
   ``integrity_check``, checks foreign keys, the meta row, and for the
   current schema every content row's digest, JSON and the scenario tree.

Only after this passes does the store open the file for writing, switch it to WAL,
or migrate it. Every failure is one ``ProjectFileError`` with one line a planner can
act on; the file is left as it was.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from aisite.core.errors import ProjectFileError
from aisite.core.validate import file_kind
from aisite.core.project.schema import (
    APP_ID,
    CACHE_TABLES,
    CATALOGUE_KINDS,
    CONTENT_TABLES,
    FORMAT_TAG,
    OLDEST_SUPPORTED_VERSION,
    SCHEMA_VERSION,
    TABLES,
    digest_columns,
    row_digest,
)
from aisite.core.version import __version__

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Tables each schema version has (user tables, excluding sqlite_*).
EXPECTED_TABLES = {
    1: {"project_meta", "catalogue_entries", "scenarios", "analyses", "results", "result_arrays"},
    2: set(CONTENT_TABLES) | set(CACHE_TABLES),
}
#: Schema objects each version has besides its tables: (type, name, table). Anything
#: else in sqlite_master (a trigger, a view, another table or index) was put there by
#: another program; a trigger would run on the next edit, so such a file is refused.
EXPECTED_INDEXES = {
    1: {("index", f"sqlite_autoindex_{t}_1", t)
        for t in ("analyses", "catalogue_entries", "result_arrays", "results", "scenarios")},
    2: {("index", f"sqlite_autoindex_{t}_1", t)
        for t in ("analyses", "catalogue_entries", "result_arrays", "results", "scenarios", "sites",
                  "uncertain_inputs")}
    | {("index", "sqlite_autoindex_results_2", "results"), ("index", "ix_scenarios_parent", "scenarios")},
}
#: SQLite's own bookkeeping tables (ANALYZE statistics, AUTOINCREMENT counters): data, never run.
SQLITE_INTERNAL_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
FOREIGN_HINT = ("it was not opened, so nothing in it ran and nothing was written; "
                "open a backup copy, or a copy saved earlier")
#: Above this size only the content tables' b-trees are checked at open; result_arrays
#: (large, a cache) is then checked row by row when read instead.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
QUICK_CHECK_SKIP = {"result_arrays"}

DAMAGED_HINT = "it was not changed; open a backup copy, or a copy saved earlier"


@dataclass(frozen=True)
class HeaderInfo:
    size: int
    page_size: int
    wal_mode: bool
    user_version: int


@dataclass(frozen=True)
class FileInfo:
    path: str
    schema_version: int
    app_version: str  # the app version that last wrote the file
    created_app_version: str
    size: int


def _describe_foreign(head: bytes) -> str:
    if not head:
        return "is empty (0 bytes), not an AI Site Planner project"
    sample = head[:512]
    try:
        sample.decode("utf-8")
        if b"\x00" not in sample:
            stripped = sample.lstrip()
            if stripped[:1] in (b"{", b"["):
                return ("is a JSON text file, not an AI Site Planner project "
                        "(to add a scenario file to a project, use aisite import)")
            return "is a text file, not an AI Site Planner project"
    except UnicodeDecodeError:
        pass
    if head.startswith(b"PK\x03\x04"):
        return "is a ZIP archive (an Excel or Word file?), not an AI Site Planner project"
    if head.startswith(b"%PDF"):
        return "is a PDF document, not an AI Site Planner project"
    return "is not an AI Site Planner project (unrecognised contents)"


def screen_header(path: str | os.PathLike) -> HeaderInfo:
    """Stage 1: size and the 100-byte SQLite header, in plain Python."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ProjectFileError(str(p), "no such file") from None
    except OSError as error:
        raise ProjectFileError(str(p), f"cannot read it: {error.strerror or error}") from None
    if p.is_dir():
        raise ProjectFileError(str(p), "is a folder, not a project file")
    if not stat.S_ISREG(st.st_mode):
        # a FIFO or a device would block or never end: refuse before opening it
        raise ProjectFileError(str(p), f"is {file_kind(st.st_mode)}, not a project file")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProjectFileError(str(p), "is not a regular file, not a project file")
            head = os.read(fd, 4096)
        finally:
            os.close(fd)
    except OSError as error:
        raise ProjectFileError(str(p), f"cannot read it: {error.strerror or error}") from None
    size = st.st_size
    if not head.startswith(SQLITE_MAGIC):
        raise ProjectFileError(str(p), _describe_foreign(head))
    if len(head) < 100:
        raise ProjectFileError(str(p), f"is damaged: cut short at {size} bytes; {DAMAGED_HINT}")
    (page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if page_size == 1 else page_size
    write_v, read_v = head[18], head[19]
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise ProjectFileError(str(p), f"is damaged: its header is not valid (page size {page_size}); {DAMAGED_HINT}")
    if read_v > 2 or write_v > 2 or read_v == 0 or write_v == 0 or head[21:24] != b"\x40\x20\x20":
        raise ProjectFileError(str(p), f"is damaged: its header is not valid; {DAMAGED_HINT}")
    (app_id,) = struct.unpack(">I", head[68:72])
    if app_id != APP_ID:
        raise ProjectFileError(
            str(p), "is an SQLite database from another program, not an AI Site Planner project"
        )
    # A checkpoint cut short (a full disk, a kill) can leave page 1 saying the file is
    # larger than it is yet; the write-ahead log beside it still holds every committed
    # page, and SQLite replays it. Judge such a file by what SQLite reads, not its header.
    if wal_has_content(p):
        (user_version,) = struct.unpack(">i", head[60:64])
        return HeaderInfo(size=size, page_size=page_size, wal_mode=(read_v == 2), user_version=user_version)
    if size % page_size:
        raise ProjectFileError(
            str(p), f"is damaged: cut short or padded ({size} bytes is not a whole number of "
            f"{page_size}-byte pages); {DAMAGED_HINT}")
    change_counter, header_pages = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    if valid_for == change_counter and header_pages and header_pages * page_size > size:
        raise ProjectFileError(
            str(p), f"is damaged: cut short ({size} bytes; its header says "
            f"{header_pages * page_size}); {DAMAGED_HINT}")
    (user_version,) = struct.unpack(">i", head[60:64])
    return HeaderInfo(size=size, page_size=page_size, wal_mode=(read_v == 2), user_version=user_version)



def sqlite_uri(path: str | os.PathLike, **params: str) -> str:
    uri = Path(path).resolve().as_uri()
    if params:
        uri += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return uri


def wal_has_content(path: str | os.PathLike) -> bool:
    wal = Path(str(path) + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def hot_journal(path: str | os.PathLike) -> bool:
    """A rollback journal left by a program that stopped mid-write (not our WAL files)."""
    try:
        return Path(str(path) + "-journal").stat().st_size > 0
    except OSError:
        return False


def recover_hot_journal(path: str) -> None:
    """Let SQLite roll a hot journal back to the last committed state. Only called with
    the project lock held, after the header screen: it is SQLite's own crash recovery."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise damaged(path, error) from None


def connect_readonly(path: str | os.PathLike, *, immutable: bool) -> sqlite3.Connection:
    """A read-only connection. ``immutable`` creates nothing beside the file; use it
    only when no one else can be writing (this process holds the project lock)."""
    params = {"immutable": "1"} if immutable else {"mode": "ro"}
    conn = sqlite3.connect(sqlite_uri(path, **params), uri=True, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA query_only=ON")
    return conn


def damaged(path: str, error: BaseException) -> ProjectFileError:
    text = str(error) or type(error).__name__
    if "decode" in text or "UTF-8" in text:
        what = "some of its text is unreadable"
    elif "file is not a database" in text or "file is encrypted" in text:
        what = "its pages are not readable"
    elif "malformed" in text or "corrupt" in text:
        what = "its database structure is broken"
    elif "disk I/O" in text or "short read" in text:
        what = "it could not be read completely (cut short?)"
    elif "unable to open" in text:
        return ProjectFileError(path, f"cannot open it ({text})")
    else:
        what = _short(text)
    return ProjectFileError(path, f"is damaged: {what}; {DAMAGED_HINT}")


def _newer_message(path: str, version: int, conn: sqlite3.Connection | None) -> ProjectFileError:
    writer = ""
    if conn is not None:
        try:
            row = conn.execute("SELECT app_version FROM project_meta").fetchone()
            if row and isinstance(row[0], str) and len(row[0]) < 40:
                writer = f"AI Site Planner {row[0]}, "
        except sqlite3.Error:
            pass
    return ProjectFileError(
        path,
        f"was saved by a newer version ({writer}file format {version}); this is version "
        f"{__version__}, which reads file formats up to {SCHEMA_VERSION}: open it with a newer "
        f"version of AI Site Planner",
    )


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {r[0] for r in rows}


def _foreign_schema(conn: sqlite3.Connection, version: int) -> str | None:
    """What the file's schema holds that this app did not create, or None."""
    expected = {("table", t, t) for t in EXPECTED_TABLES[version]} | EXPECTED_INDEXES[version]
    rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY rowid").fetchall()
    for type_, name, table in rows:
        if type_ in ("trigger", "view"):
            return f"a {type_} ({_short(str(name))!r})"
        if type_ == "table" and name in SQLITE_INTERNAL_TABLES:
            continue
        if (type_, name, table) not in expected:
            return f"an extra {type_} ({_short(str(name))!r})"
    if version == SCHEMA_VERSION:
        for table in sorted(EXPECTED_TABLES[version]):
            cols = conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
            names = [c[1] for c in cols]
            if any(c[6] for c in cols):  # hidden or generated columns are computed, not stored
                return f"a computed column in {table}"
            if names != [c.name for c in TABLES[table].columns]:
                return f"columns of {table} it did not create"
    return None


def _structure_check(conn: sqlite3.Connection, tables: set[str], path: str, size: int) -> None:
    """SQLite's own consistency check: b-trees, free pages, and every index against its
    table (``PRAGMA integrity_check``). Files up to FULL_CHECK_MAX_BYTES are checked
    whole (a 200-scenario project with results: ~17 MB, ~6 ms warm); larger ones check
    the content tables and result headers (SQLite >= 3.33 takes a table name) and leave
    the big result_arrays table to the per-row checksums when results are read."""
    if size <= FULL_CHECK_MAX_BYTES:
        results = conn.execute("PRAGMA integrity_check(20)").fetchall()
    else:
        try:
            results = []
            for table in sorted(tables - QUICK_CHECK_SKIP) + ["sqlite_schema"]:
                results += conn.execute(f'PRAGMA integrity_check("{table}")').fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" not in str(error):
                raise
            results = conn.execute("PRAGMA quick_check(20)").fetchall()
    problems = [str(r[0]).replace("*** in database main ***", "").strip() for r in results if r[0] != "ok"]
    if problems:
        raise ProjectFileError(path, f"is damaged: its structure is broken ({_short(problems[0])}); {DAMAGED_HINT}")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 100 else text[:97] + "..."


class _Bad(Exception):
    pass


def _json_object(text, what: str) -> dict:
    if not isinstance(text, str):
        raise _Bad(f"{what} is not text")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise _Bad(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise _Bad(f"{what} is not a JSON object")
    return value


def verify_content(conn: sqlite3.Connection) -> None:
    """Every content row's digest, JSON columns and the scenario tree (schema 2).

    Raises _Bad with a short description of the first problem found.
    """
    for table in CONTENT_TABLES:
        cols = digest_columns(table)
        rows = conn.execute(f"SELECT {', '.join(cols)}, digest FROM {table}").fetchall()
        for row in rows:
            values = dict(zip(cols, row[:-1]))
            if row_digest(table, values, cols) != row[-1]:
                raise _Bad(f"a row of {table} does not match its checksum (id {values.get('id')!r})")
            if table == "catalogue_entries":
                if values["kind"] not in CATALOGUE_KINDS:
                    raise _Bad("a catalogue entry has an unknown kind")
                data = _json_object(values["data"], "a catalogue entry")
                if data.get("id") != values["entry_id"]:
                    raise _Bad("a catalogue entry's id does not match its data")
            elif table == "scenarios":
                if values["document"] is not None:
                    _json_object(values["document"], f"scenario {values['name']!r}")
                if values["overrides"] is not None:
                    _json_object(values["overrides"], f"scenario {values['name']!r} overrides")
            elif table == "uncertain_inputs":
                _json_object(values["params"], "an uncertain input")
            elif table == "analyses":
                _json_object(values["definition"], f"analysis {values['name']!r}")
    meta = conn.execute("SELECT count(*) FROM project_meta").fetchone()[0]
    if meta != 1:
        raise _Bad("its project information row is missing")
    parents = dict(conn.execute("SELECT id, parent_id FROM scenarios").fetchall())
    for start in parents:
        seen = set()
        node = start
        while node is not None:
            if node in seen:
                raise _Bad("its scenario tree has a loop")
            seen.add(node)
            if node not in parents:
                raise _Bad("a variant's parent scenario is missing")
            node = parents[node]


def inspect_file(path: str | os.PathLike, *, exclusive: bool, recover: bool = False) -> FileInfo:
    """Stage 1 and 2. ``exclusive``: this process holds the project lock. ``recover``:
    it is being opened for editing, so a hot rollback journal may be rolled back first."""
    path = str(path)
    header = screen_header(path)
    if hot_journal(path):
        if not (exclusive and recover):
            raise ProjectFileError(path, "was being saved when its program stopped; open it for editing "
                                         "once to recover the last saved state")
        recover_hot_journal(path)
    if header.user_version > SCHEMA_VERSION:
        conn = None
        try:
            conn = connect_readonly(path, immutable=exclusive and not wal_has_content(path))
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error:
            version = header.user_version
        try:
            raise _newer_message(path, version, conn)
        finally:
            if conn is not None:
                conn.close()
    try:
        conn = connect_readonly(path, immutable=exclusive and not wal_has_content(path))
    except sqlite3.Error as error:
        raise damaged(path, error) from None
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APP_ID:
                raise ProjectFileError(
                    path, "is an SQLite database from another program, not an AI Site Planner project")
            if version > SCHEMA_VERSION:
                raise _newer_message(path, version, conn)
            if version < OLDEST_SUPPORTED_VERSION:
                raise ProjectFileError(
                    path, f"is not a complete AI Site Planner project (file format {version})")
            tables = _tables(conn)
            missing = EXPECTED_TABLES[version] - tables
            if missing:
                raise ProjectFileError(
                    path, f"is damaged: table {sorted(missing)[0]} is missing; {DAMAGED_HINT}")
            foreign = _foreign_schema(conn, version)
            if foreign:
                raise ProjectFileError(
                    path, f"holds {foreign} that AI Site Planner did not create; {FOREIGN_HINT}")
            _structure_check(conn, tables, path, header.size)
            bad_fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if bad_fk:
                raise ProjectFileError(
                    path, f"is damaged: a row of {bad_fk[0][0]} points at a missing row; {DAMAGED_HINT}")
            meta = conn.execute(
                "SELECT * FROM project_meta").fetchall()
            names = [d[0] for d in conn.execute("SELECT * FROM project_meta LIMIT 0").description]
            if len(meta) != 1:
                raise ProjectFileError(path, f"is damaged: its project information is missing; {DAMAGED_HINT}")
            info = dict(zip(names, meta[0]))
            if info.get("schema_version") != version:
                raise ProjectFileError(
                    path, f"is damaged: its file format number is inconsistent; {DAMAGED_HINT}")
            if version >= 2 and info.get("format") != FORMAT_TAG:
                raise ProjectFileError(path, f"is damaged: its format tag is wrong; {DAMAGED_HINT}")
            if version == SCHEMA_VERSION:
                try:
                    verify_content(conn)
                except _Bad as problem:
                    raise ProjectFileError(path, f"is damaged: {problem}; {DAMAGED_HINT}") from None
            app_version = info.get("app_version")
            created = info.get("created_app_version", app_version)
            return FileInfo(path=path, schema_version=version,
                            app_version=str(app_version), created_app_version=str(created),
                            size=header.size)
        except ProjectFileError:
            raise
        except sqlite3.Error as error:
            raise damaged(path, error) from None
        except UnicodeError:
            raise ProjectFileError(path, f"is damaged: some of its text is unreadable; {DAMAGED_HINT}") from None
        except (ValueError, TypeError, KeyError, OverflowError, MemoryError, RecursionError) as error:
            raise ProjectFileError(path, f"is damaged: unreadable contents ({type(error).__name__}); "
                                   f"{DAMAGED_HINT}") from None
    finally:
        conn.close()
