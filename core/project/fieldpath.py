"""Field paths into a scenario document: ``deployments[0].count``, ``power[1].mw``.

Grammar: a path is a key followed by ``.key`` or ``[index]`` steps. A key is a
name of letters, digits, ``_`` and ``-`` (not starting with a digit or ``-``), or
a JSON string in brackets for any other key: ``overrides["odd key"]``.
Indexes are non-negative integers. The same syntax as ``aisite sweep --param``.
"""
from __future__ import annotations

import copy
import json
import re
from typing import Any, Iterable

from aisite.core.errors import InputError

Part = str | int

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_INDEX = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r'\[("(?:[^"\\]|\\.)*")\]')


def parse_path(path: str) -> tuple[Part, ...]:
    """The steps of a path, or an InputError naming the path."""
    if not isinstance(path, str) or not path:
        raise InputError(str(path), "a field path must be a non-empty text like deployments[0].count")
    parts: list[Part] = []
    pos = 0
    first = True
    while pos < len(path):
        if path[pos] == "[":
            m = _INDEX.match(path, pos)
            if m:
                if first:
                    raise InputError(path, "a field path starts with a field name, not an index")
                text = m.group(1)
                if len(text) > 1 and text[0] == "0":
                    raise InputError(path, f"index [{text}] has a leading zero")
                parts.append(int(text))
                pos = m.end()
                first = False
                continue
            m = _QUOTED.match(path, pos)
            if m:
                try:
                    parts.append(json.loads(m.group(1)))
                except ValueError:
                    raise InputError(path, f"bad quoted key at position {pos}") from None
                pos = m.end()
                first = False
                continue
            raise InputError(path, f"expected [number] or [\"key\"] at position {pos}")
        if not first:
            if path[pos] != ".":
                raise InputError(path, f"expected '.' or '[' at position {pos}")
            pos += 1
        m = _NAME.match(path, pos)
        if not m:
            raise InputError(path, f"expected a field name at position {pos}")
        parts.append(m.group(0))
        pos = m.end()
        first = False
    return tuple(parts)


def format_path(parts: Iterable[Part]) -> str:
    out = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _NAME.fullmatch(part):
            out.append(part if i == 0 else "." + part)
        else:
            out.append("[" + json.dumps(part, ensure_ascii=False) + "]")
    return "".join(out)


def normalise_path(path: str) -> str:
    return format_path(parse_path(path))


def _step(node: Any, part: Part, path: str, done: tuple[Part, ...]) -> Any:
    where = format_path(done) or "the scenario"
    if isinstance(part, int):
        if not isinstance(node, list):
            raise InputError(path, f"{where} is not a list")
        if part >= len(node):
            raise InputError(path, f"{where} has {len(node)} item(s); there is no [{part}]")
        return node[part]
    if not isinstance(node, dict):
        raise InputError(path, f"{where} is not an object with fields")
    if part not in node:
        raise InputError(path, f"{where} has no field {part!r}")
    return node[part]


def get_path(doc: Any, path: str) -> Any:
    parts = parse_path(path)
    node = doc
    for i, part in enumerate(parts):
        node = _step(node, part, path, parts[:i])
    return node


def has_path(doc: Any, path: str) -> bool:
    try:
        get_path(doc, path)
        return True
    except InputError:
        return False


def set_path(doc: Any, path: str, value: Any) -> None:
    """Set in place. Missing fields of objects are created (``overrides.pue``); a list
    index must exist, or equal the list's length to append."""
    parts = parse_path(path)
    node = doc
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(part, str) and isinstance(node, dict) and part not in node:
            if isinstance(nxt, int):
                raise InputError(path, f"{format_path(parts[:i + 1])} does not exist")
            node[part] = {}
        node = _step(node, part, path, parts[:i])
    last = parts[-1]
    where = format_path(parts[:-1]) or "the scenario"
    if isinstance(last, int):
        if not isinstance(node, list):
            raise InputError(path, f"{where} is not a list")
        if last == len(node):
            node.append(value)
        elif last < len(node):
            node[last] = value
        else:
            raise InputError(path, f"{where} has {len(node)} item(s); there is no [{last}]")
    else:
        if not isinstance(node, dict):
            raise InputError(path, f"{where} is not an object with fields")
        node[last] = value


def unset_path(doc: Any, path: str) -> None:
    """Remove a field of an object or an item of a list, in place."""
    parts = parse_path(path)
    node = doc
    for i, part in enumerate(parts[:-1]):
        node = _step(node, part, path, parts[:i])
    _step(node, parts[-1], path, parts[:-1])  # raises if missing
    del node[parts[-1]]


def is_within(path: str, prefix: str) -> bool:
    """True when ``path`` is ``prefix`` or lies inside it (``power[1].mw`` in ``power``)."""
    p, q = parse_path(path), parse_path(prefix)
    return p[: len(q)] == q


def apply_overrides(doc: dict, overrides: dict[str, Any], *, who: str = "variant") -> dict:
    """A deep copy of ``doc`` with each override set, in the order they were made."""
    out = copy.deepcopy(doc)
    for path, value in overrides.items():
        try:
            set_path(out, path, copy.deepcopy(value))
        except InputError as error:
            raise InputError(path, f"{who} overrides this field, but {error.message}") from None
    return out
