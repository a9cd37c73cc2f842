"""JSON in and out of a project: scenario files, stored text, atomic writes.

A scenario is stored as the planner's own JSON object (key order, ints and floats
as given), so JSON -> project -> JSON gives back the same object.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from aisite.core.errors import InputError
from aisite.core.validate import MAX_PROFILE_BYTES, profile_paths_in, read_limited  # noqa: F401 (re-exported)
from aisite.core.scenario import read_scenario_file, resolve_profiles  # noqa: F401 (re-exported)

SCENARIO_FORMAT = "aisite.scenario/1"


def dumps_stored(obj: Any) -> str:
    """Compact JSON for a column. Key order is kept (it is the planner's)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def loads_stored(text: str) -> Any:
    return json.loads(text)


def canonical(obj: Any) -> str:
    """Deterministic JSON for hashing: sorted keys, no spaces."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True,
                      default=_jsonable_default)


def dumps_export(obj: Any) -> str:
    """The text of an exported scenario file: indented, UTF-8, newline at the end."""
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=True) + "\n"


def _jsonable_default(value: Any) -> Any:
    """numpy scalars and arrays in a result summary become plain JSON values."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None:
        if isinstance(value, np.ndarray):
            return value.tolist()
        if isinstance(value, np.generic):
            return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps_summary(summary: Any) -> str:
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"), allow_nan=True,
                      default=_jsonable_default)


def check_scenario_document(doc: Any, where: str) -> dict:
    """The minimal shape every stored scenario has: a JSON object tagged aisite.scenario/1.

    The engine (core.scenario.load_scenario) checks the rest when asked to.
    """
    if not isinstance(doc, dict):
        raise InputError(where, f"a scenario file holds one JSON object, got {type(doc).__name__}")
    fmt = doc.get("format")
    if fmt != SCENARIO_FORMAT:
        got = "no format field" if "format" not in doc else f"format {fmt!r}"
        raise InputError(where, f"not an {SCENARIO_FORMAT} scenario ({got})")
    name = doc.get("name")
    if "name" in doc and (not isinstance(name, str) or not name.strip()):
        raise InputError(where, "name: must be a non-empty text")
    return doc


def read_scenario_json(path: str | os.PathLike) -> dict:
    """A scenario file's JSON object exactly as written (core.scenario.read_scenario_file),
    checked to be an aisite.scenario/1 document."""
    return check_scenario_document(read_scenario_file(path), str(path))


def profile_fingerprint(doc: dict) -> dict[str, str] | None:
    """sha256 of each profile file a (resolved) document refers to, for result hashes."""
    profiles = doc.get("profiles") if isinstance(doc, dict) else None
    if not isinstance(profiles, dict) or not profiles:
        return None
    out = {}
    for key, value in sorted(profiles.items()):
        try:
            data = read_limited(str(value), f"profiles.{key}", max_bytes=MAX_PROFILE_BYTES)
        except InputError as error:
            # never read what is not a bounded regular file; evaluating says why
            out[key] = "unreadable: " + ("missing" if "not found" in error.message else error.message)
            continue
        out[key] = hashlib.sha256(data).hexdigest()
    return out


def remove_with_sidecars(path: str | os.PathLike) -> None:
    """Delete a scratch database file and the journal files SQLite may have left beside
    it; a file that is not there is fine."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(os.fspath(path) + suffix)
        except OSError:
            pass


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write a whole file or nothing: temp file beside it, fsync, rename over."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(target), f"folder {str(folder)!r} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise InputError(str(target), f"cannot write here: {error.strerror or error}") from None
    try:
        _match_permissions(fd, target)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(folder)
    except OSError as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(str(target), f"cannot write: {error.strerror or error}") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _match_permissions(fd: int, target: Path) -> None:
    """mkstemp makes 0600 files; give the new file the old file's mode, or the usual one."""
    if os.name != "posix":
        return
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass


def is_finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
