"""Moving older project files forward, one schema version at a time.

A file from an older version is migrated when it is opened for editing:

1. the file has already been validated (validate.py) and this process holds its lock;
2. a backup copy is written beside it, ``NAME.format1-backup.aisite`` (a byte copy,
   or SQLite's backup API when a write-ahead log holds part of the file), fsynced,
   renamed into place;
3. every step from the file's version to SCHEMA_VERSION runs in **one** transaction
   with raw SQL frozen here (a migration must not change when the ORM models do);
   foreign keys are checked before COMMIT; any error rolls everything back and the
   file is as it was;
4. only then is the file switched to WAL.

A file opened read-only is migrated in memory instead; the file is not touched.

Version history:

* 1 (AI Site Planner 0.0.x): no sites table (a scenario had a free-text
  ``site_name``), no uncertain inputs, no row digests, arrays stored raw without a
  checksum or codec, no project title/notes.
* 2 (0.1.0): sites as rows, uncertain_inputs, row digests, array sha256 + codec,
  results for analyses, project title/notes and the version that created the file.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Callable

from aisite.core.errors import ProjectFileError
from aisite.core.project import validate as _validate
from aisite.core.project.json_io import fsync_dir
from aisite.core.project.records import now_iso
from aisite.core.project.schema import CATALOGUE_KINDS, FORMAT_TAG, SCHEMA_VERSION, row_digest
from aisite.core.version import __version__

#: The current schema as SQL, frozen. tests/core/project checks that it matches the
#: ORM mappings in schema.py; a change there needs a new version and a new step here.
V2_DDL = """
CREATE TABLE catalogue_entries (
    id INTEGER NOT NULL,
    kind VARCHAR(32) NOT NULL,
    entry_id TEXT NOT NULL,
    data TEXT NOT NULL,
    position INTEGER NOT NULL,
    modified_at VARCHAR(32) NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_catalogue_kind_entry UNIQUE (kind, entry_id),
    CONSTRAINT catalogue_kind CHECK (kind IN ('chips', 'servers', 'network', 'cooling', 'power_sources', 'regions'))
);

CREATE TABLE project_meta (
    id INTEGER NOT NULL,
    format VARCHAR(32) NOT NULL,
    schema_version INTEGER NOT NULL,
    created_app_version VARCHAR(32) NOT NULL,
    app_version VARCHAR(32) NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    modified_at VARCHAR(32) NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT single_row CHECK (id = 1)
);

CREATE TABLE sites (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    position INTEGER NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (name)
);

CREATE TABLE scenarios (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    site_id INTEGER,
    parent_id INTEGER,
    document TEXT,
    overrides TEXT,
    notes TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    modified_at VARCHAR(32) NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT base_or_variant CHECK ((parent_id IS NULL AND document IS NOT NULL AND overrides IS NULL) OR (parent_id IS NOT NULL AND document IS NULL AND overrides IS NOT NULL)),
    CONSTRAINT not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
    UNIQUE (name),
    FOREIGN KEY(site_id) REFERENCES sites (id),
    FOREIGN KEY(parent_id) REFERENCES scenarios (id)
);

CREATE INDEX ix_scenarios_parent ON scenarios (parent_id);

CREATE TABLE analyses (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    scenario_id INTEGER,
    definition TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    modified_at VARCHAR(32) NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT analysis_kind CHECK (kind IN ('sweep', 'sweep2d', 'tornado', 'montecarlo', 'size', 'optimize', 'compare')),
    UNIQUE (name),
    FOREIGN KEY(scenario_id) REFERENCES scenarios (id)
);

CREATE TABLE uncertain_inputs (
    id INTEGER NOT NULL,
    scenario_id INTEGER,
    path TEXT NOT NULL,
    distribution VARCHAR(16) NOT NULL,
    params TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_uncertain_scenario_path UNIQUE (scenario_id, path),
    CONSTRAINT distribution_kind CHECK (distribution IN ('uniform', 'triangular', 'normal', 'lognormal', 'pert', 'discrete')),
    FOREIGN KEY(scenario_id) REFERENCES scenarios (id)
);

CREATE TABLE results (
    id INTEGER NOT NULL,
    scenario_id INTEGER,
    analysis_id INTEGER,
    input_hash VARCHAR(64) NOT NULL,
    app_version VARCHAR(32) NOT NULL,
    summary TEXT NOT NULL,
    computed_at VARCHAR(32) NOT NULL,
    compute_ms DOUBLE,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT one_owner CHECK ((scenario_id IS NULL) <> (analysis_id IS NULL)),
    UNIQUE (scenario_id),
    FOREIGN KEY(scenario_id) REFERENCES scenarios (id) ON DELETE CASCADE,
    UNIQUE (analysis_id),
    FOREIGN KEY(analysis_id) REFERENCES analyses (id) ON DELETE CASCADE
);

CREATE TABLE result_arrays (
    id INTEGER NOT NULL,
    result_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    dtype VARCHAR(8) NOT NULL,
    shape TEXT NOT NULL,
    codec VARCHAR(8) NOT NULL,
    nbytes INTEGER NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    data BLOB NOT NULL,
    digest VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_result_array_name UNIQUE (result_id, name),
    CONSTRAINT array_codec CHECK (codec IN ('raw', 'zlib')),
    FOREIGN KEY(result_id) REFERENCES results (id) ON DELETE CASCADE
);
"""

V1_TABLES = ("project_meta", "catalogue_entries", "scenarios", "analyses", "results", "result_arrays")


def _statements(ddl: str) -> list[str]:
    return [s.strip() for s in ddl.split(";") if s.strip()]


def _now() -> str:
    return now_iso()


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    row = dict(row)
    row["digest"] = row_digest(table, row)
    cols = list(row)
    conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                 [row[c] for c in cols])


class MigrationError(Exception):
    pass


def _step_1_to_2(conn: sqlite3.Connection) -> None:
    for table in V1_TABLES:
        conn.execute(f"ALTER TABLE {table} RENAME TO v1_{table}")
    for statement in _statements(V2_DDL):
        conn.execute(statement)

    meta = conn.execute("SELECT schema_version, app_version, created_at, modified_at FROM v1_project_meta").fetchall()
    if len(meta) != 1:
        raise MigrationError("its project information row is missing")
    _, old_app, created_at, modified_at = meta[0]
    _insert(conn, "project_meta", {
        "id": 1, "format": FORMAT_TAG, "schema_version": 2, "created_app_version": str(old_app),
        "app_version": __version__, "created_at": str(created_at), "modified_at": _now(),
        "title": "", "notes": ""})

    rows = conn.execute("SELECT id, kind, entry_id, data FROM v1_catalogue_entries ORDER BY id").fetchall()
    for position, (rid, kind, entry_id, data) in enumerate(rows):
        if kind not in CATALOGUE_KINDS:
            raise MigrationError(f"catalogue entry {entry_id!r} has an unknown kind {kind!r}")
        _insert(conn, "catalogue_entries", {"id": rid, "kind": kind, "entry_id": entry_id, "data": data,
                                            "position": position, "modified_at": str(modified_at)})

    site_ids: dict[str, int] = {}
    names = conn.execute(
        "SELECT trim(site_name) AS s, min(id) FROM v1_scenarios WHERE trim(coalesce(site_name, '')) <> '' "
        "GROUP BY s ORDER BY min(id)").fetchall()
    for position, (name, _) in enumerate(names):
        site_ids[name] = position + 1
        _insert(conn, "sites", {"id": position + 1, "name": name, "notes": "", "position": position})

    rows = conn.execute("SELECT id, name, site_name, parent_id, document, overrides, position, created_at, "
                        "modified_at FROM v1_scenarios ORDER BY id").fetchall()
    for rid, name, site_name, parent_id, document, overrides, position, created, modified in rows:
        site = site_ids.get((site_name or "").strip())
        _insert(conn, "scenarios", {
            "id": rid, "name": name, "site_id": site, "parent_id": parent_id, "document": document,
            "overrides": overrides, "notes": "", "position": position, "created_at": created,
            "modified_at": modified})

    rows = conn.execute("SELECT id, name, kind, scenario_id, definition, created_at FROM v1_analyses "
                        "ORDER BY id").fetchall()
    for position, (rid, name, kind, scenario_id, definition, created) in enumerate(rows):
        _insert(conn, "analyses", {"id": rid, "name": name, "kind": kind, "scenario_id": scenario_id,
                                   "definition": definition, "position": position, "created_at": created,
                                   "modified_at": created})

    rows = conn.execute("SELECT id, scenario_id, input_hash, app_version, summary, computed_at "
                        "FROM v1_results ORDER BY id").fetchall()
    for rid, scenario_id, input_hash, app_version, summary, computed_at in rows:
        _insert(conn, "results", {"id": rid, "scenario_id": scenario_id, "analysis_id": None,
                                  "input_hash": input_hash, "app_version": app_version, "summary": summary,
                                  "computed_at": computed_at, "compute_ms": None})

    cursor = conn.execute("SELECT id, result_id, name, dtype, shape, data FROM v1_result_arrays ORDER BY id")
    for rid, result_id, name, dtype, shape, data in cursor.fetchall():
        raw = bytes(data)
        if not isinstance(dtype, str) or not _validate_dtype(dtype):
            continue  # a cache: an array that cannot be trusted is simply recomputed
        _insert(conn, "result_arrays", {
            "id": rid, "result_id": result_id, "name": name, "dtype": dtype, "shape": shape,
            "codec": "raw", "nbytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest(), "data": raw})

    for table in reversed(V1_TABLES):
        conn.execute(f"DROP TABLE v1_{table}")
    conn.execute("PRAGMA user_version=2")


def _validate_dtype(dtype: str) -> bool:
    from aisite.core.project.results import _DTYPE  # noqa: PLC0415

    return bool(_DTYPE.fullmatch(dtype))


#: STEPS[v] moves a file from version v to v + 1.
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _step_1_to_2}


def migrate_connection(conn: sqlite3.Connection, from_version: int) -> None:
    """Run every step up to SCHEMA_VERSION in one transaction (or none of them)."""
    conn.isolation_level = None
    conn.execute("PRAGMA foreign_keys=OFF")  # tables are rebuilt; checked before COMMIT
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(from_version, SCHEMA_VERSION):
            STEPS[version](conn)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise MigrationError(f"a row of {problems[0][0]} points at a missing row")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


def backup_path_for(path: str | os.PathLike, version: int) -> Path:
    p = Path(path)
    stem = p.name[: -len(p.suffix)] if p.suffix else p.name
    suffix = p.suffix or ".aisite"
    candidate = p.with_name(f"{stem}.format{version}-backup{suffix}")
    i = 2
    while candidate.exists():
        candidate = p.with_name(f"{stem}.format{version}-backup-{i}{suffix}")
        i += 1
    return candidate


def write_backup(path: str, version: int) -> Path:
    """Copy the file beside itself before it is upgraded; returns the copy's path."""
    target = backup_path_for(path, version)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if _validate.wal_has_content(path):
            src = _validate.connect_readonly(path, immutable=False)
            out = sqlite3.connect(str(tmp))
            try:
                src.backup(out)
            finally:
                out.close()
                src.close()
        else:
            shutil.copyfile(path, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except (OSError, sqlite3.Error) as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ProjectFileError(path, f"is from an older version and needs upgrading, but no backup copy could be "
                               f"written beside it ({getattr(error, 'strerror', None) or error}); it was not "
                               "changed") from None
    return target


def migrate_file(path: str, from_version: int) -> Path:
    """Back up, then upgrade the file in place in one transaction. Returns the backup path."""
    backup = write_backup(path, from_version)
    try:
        conn = sqlite3.connect(_validate.sqlite_uri(path, mode="rw"), uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise ProjectFileError(path, f"cannot be opened for upgrading: {error}") from None
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        migrate_connection(conn, from_version)
    except (sqlite3.Error, MigrationError, ValueError, TypeError) as error:
        raise ProjectFileError(
            path, f"could not be upgraded from file format {from_version}: {error}; it was not changed "
            f"(a copy is at {backup.name})") from None
    finally:
        conn.close()
    return backup


def migrated_in_memory(path: str, from_version: int) -> sqlite3.Connection:
    """A read-only, in-memory upgraded copy of an older file (the file is not touched)."""
    src = _validate.connect_readonly(path, immutable=False)
    mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        src.backup(mem)
    finally:
        src.close()
    try:
        migrate_connection(mem, from_version)
    except (sqlite3.Error, MigrationError, ValueError, TypeError) as error:
        mem.close()
        raise ProjectFileError(path, f"could not be read (upgrading from file format {from_version} failed: "
                               f"{error})") from None
    mem.execute("PRAGMA foreign_keys=ON")
    mem.execute("PRAGMA query_only=ON")
    return mem
