"""Small readers for planner input that name the field when something is wrong.

Messages follow one pattern: `<field path>: <what is wrong>, got <value>`.
"""
from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any, Mapping

from aisite.core.errors import InputError

_MISSING = object()
#: No scenario quantity is anywhere near this; larger integers are refused before any
#: float conversion (which would overflow).
MAX_MAGNITUDE = 10**30
#: Non-zero numbers smaller than this in size are noise or a trap (subnormals): refused
#: in inputs, shown as 0 in results.
TINY = 1e-9


def _digits(value: int) -> str:
    # int -> str is itself limited to 4,300 digits; bit_length gives the size cheaply
    return f"about {int(abs(value).bit_length() * 0.30103) + 1:,}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57]) + "..."
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_MAGNITUDE:
        return f"an integer of {_digits(value)} digits"  # str() refuses past 4,300 digits
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return str(value).replace("True", "true").replace("False", "false") if isinstance(value, bool) else str(value)


def require_mapping(value: Any, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise InputError(path, f"must be an object, got {_show(value)}")
    return value


def require_list(value: Any, path: str, *, non_empty: bool = False) -> list:
    if not isinstance(value, list):
        raise InputError(path, f"must be a list, got {_show(value)}")
    if non_empty and not value:
        raise InputError(path, "must have at least one entry")
    return value


def number(data: Mapping, key: str, path: str, *, default: Any = _MISSING,
           minimum: float | None = None, maximum: float | None = None,
           exclusive_minimum: bool = False, integer: bool = False,
           allow_none: bool = False) -> float | None:
    """A finite number from data[key], within bounds; `path` names it in messages."""
    field = f"{path}.{key}" if path else key
    if key not in data or (data[key] is None and allow_none):
        if key in data and allow_none:
            return None
        if default is _MISSING:
            raise InputError(field, "is required")
        return default
    value = data[key]
    kind = "a positive integer" if integer and exclusive_minimum and minimum == 0 else (
        "an integer" if integer else "a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field, f"must be {kind}, got {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(field, f"must be a finite number, got {_show(value)}")
    if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
        # a 400-digit integer: too large for any field, and for a float
        raise InputError(field, f"is far too large ({_digits(value)} digits); " +
                         (f"at most {maximum:g}" if maximum is not None else "not a physical quantity"))
    if value != 0 and abs(value) < TINY:
        # 5e-324 as a utilisation: finite, but dividing by it makes costs infinite
        raise InputError(field, f"must be 0 or at least {TINY:g} in size, got {value!r}")
    if integer and float(value) != int(value):
        raise InputError(field, f"must be {kind}, got {_show(value)}")
    if minimum is not None:
        if exclusive_minimum and value <= minimum:
            if integer and minimum == 0:
                raise InputError(field, f"must be a positive integer, got {_show(value)}")
            raise InputError(field, f"must be greater than {minimum:g}, got {_show(value)}")
        if not exclusive_minimum and value < minimum:
            raise InputError(field, f"must be at least {minimum:g}, got {_show(value)}")
    if maximum is not None and value > maximum:
        raise InputError(field, f"must be at most {maximum:g}, got {_show(value)}")
    return int(value) if integer else float(value)


def text(data: Mapping, key: str, path: str, *, default: Any = _MISSING,
         choices: tuple[str, ...] | None = None) -> str:
    field = f"{path}.{key}" if path else key
    if key not in data:
        if default is _MISSING:
            raise InputError(field, "is required")
        return default
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, f"must be a non-empty string, got {_show(value)}")
    if choices is not None and value not in choices:
        raise InputError(field, f"must be one of {', '.join(choices)}, got {_show(value)}")
    return value


def reject_unknown(data: Mapping, allowed: set[str] | frozenset[str], path: str) -> None:
    """Unknown keys are almost always typos; say so instead of silently ignoring them."""
    import difflib

    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            field = f"{path}.{key}" if path else str(key)
            raise InputError(field, f"unknown field{hint}")


#: Planners' profile files (hourly CSV, EPW weather): a year of hours is well under a
#: megabyte; anything past this is not a profile, and is never read whole.
MAX_PROFILE_BYTES = 64 * 1024 * 1024
#: Scenario files (JSON): a large scenario is tens of kilobytes.
MAX_SCENARIO_BYTES = 16 * 1024 * 1024


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in a planner's words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size_text(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e6 else f"{n:,} bytes"


def _where(path: Any, field: str) -> str:
    # name the file unless the field already is its name
    return "" if str(path) == field else f": {path}"


def regular_file(path: str | os.PathLike, field: str, *, max_bytes: int, must_exist: bool = True) -> bool:
    """Check, without opening it, that ``path`` names a regular file of at most
    ``max_bytes`` (a FIFO, a device such as /dev/zero or a huge file would hang or
    exhaust memory when read). False when it does not exist and ``must_exist`` is off."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if must_exist:
            raise InputError(field, f"file not found{_where(path, field)}") from None
        return False
    except (OSError, ValueError) as error:
        raise InputError(field, f"cannot be read: {getattr(error, 'strerror', None) or error}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(field, f"is {file_kind(st.st_mode)}, not a regular file{_where(path, field)}")
    if st.st_size > max_bytes:
        raise InputError(field, f"is {_size_text(st.st_size)}; at most {_size_text(max_bytes)}{_where(path, field)}")
    return True


def read_limited(path: str | os.PathLike, field: str, *, max_bytes: int) -> bytes:
    """A regular file's bytes, never more than ``max_bytes``: opened without waiting (a
    FIFO cannot hang the read), checked to be a regular file once open, read in bounded
    chunks so a file that grows meanwhile still stops at the limit."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(field, f"file not found{_where(path, field)}") from None
    except IsADirectoryError:
        raise InputError(field, f"is a folder, not a regular file{_where(path, field)}") from None
    except (OSError, ValueError) as error:
        raise InputError(field, f"cannot be read: {getattr(error, 'strerror', None) or error}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(field, f"is {file_kind(st.st_mode)}, not a regular file{_where(path, field)}")
        if st.st_size > max_bytes:
            raise InputError(field, f"is {_size_text(st.st_size)}; at most {_size_text(max_bytes)}{_where(path, field)}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputError(field, f"is larger than {_size_text(max_bytes)}{_where(path, field)}")
        return b"".join(chunks)
    except OSError as error:
        raise InputError(field, f"cannot be read: {error.strerror or error}") from None
    finally:
        os.close(fd)


def profile_path(value: Any, field: str, folder: str | os.PathLike | None, *, must_exist: bool) -> None:
    """A ``profiles`` entry: a file name that, if it exists (relative names from
    ``folder``), is a regular file of bounded size."""
    if not isinstance(value, str) or not value:
        return
    target = Path(value)
    if not target.is_absolute() and folder is not None:
        target = Path(folder) / target
    regular_file(target, field, max_bytes=MAX_PROFILE_BYTES, must_exist=must_exist)


def profile_paths_in(field_path: str, value: Any, folder: str | os.PathLike | None) -> None:
    """Profile files named by a value set at ``field_path`` of a scenario (the whole
    document "", "profiles" or "profiles.KEY"): each must be a regular file of bounded
    size where it exists. A missing file is left to the engine's check (it may be
    copied in later); a FIFO or a device is refused here, where it is set."""
    if field_path in ("", "scenario"):
        value = value.get("profiles") if isinstance(value, Mapping) else None
        field_path = "profiles"
    if field_path == "profiles":
        if isinstance(value, Mapping):
            for key, item in value.items():
                profile_path(item, f"profiles.{key}", folder, must_exist=False)
    elif field_path.startswith("profiles."):
        profile_path(value, field_path, folder, must_exist=False)


def clean_result(value: Any, path: str = "") -> Any:
    """A result summary fit to show and store: floating-point noise (|x| < TINY, such as
    -3.6e-14 MWh of grid import at a site with no grid) becomes 0.0, and a number that
    is not finite raises InputError naming the result key (the inputs were beyond what
    the model can compute), instead of reaching the screen or the JSON output."""
    if isinstance(value, dict):
        return {k: clean_result(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_result(v, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(value, float) or (type(value).__module__ == "numpy" and hasattr(value, "dtype")
                                    and getattr(value.dtype, "kind", "") == "f" and getattr(value, "ndim", 1) == 0):
        x = float(value)
        if not math.isfinite(x):
            raise InputError("scenario", f"gives a result that is not a finite number ({path} = {_show(x)}); "
                                         f"some inputs are beyond what the model can compute")
        return 0.0 if abs(x) < TINY else value
    return value


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def terminal_safe(text: Any) -> str:
    """Text a planner typed, fit for one line of a terminal: control characters (escape
    codes, newlines, bidirectional overrides) are shown as escapes, never acted on."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if code < 32 or 127 <= code < 160:
            out.append(_ESCAPES.get(ch, f"\\x{code:02x}"))
        elif code in (0x2028, 0x2029) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code == 0x200E \
                or code == 0x200F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
