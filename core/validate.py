"""Small readers for planner input that name the field when something is wrong.

Messages follow one pattern: `<field path>: <what is wrong>, got <value>`.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from core.errors import InputError

_MISSING = object()


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
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
