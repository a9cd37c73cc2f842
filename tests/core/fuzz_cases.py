"""Generators of hostile input, shared by the Hypothesis tests (tests/core/test_fuzz.py,
which drive them with ``st.randoms()`` so failures shrink and replay) and the long run
(tools/fuzz_hardening.py, which drives them with ``random.Random(seed)``).

Each generator takes a ``random.Random`` and returns the damaged thing; each checker
raises AssertionError describing what went wrong (a traceback, a changed byte, a
message on more than one line).
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import random
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.json"))

# ---------------------------------------------------------------- scenario documents

HOSTILE_VALUES = [
    0, -1, 1, 2**31, 2**63, -(2**63), 10**20, 10**400, 10**5000,
    0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e308, -1e308, 1.7976931348623157e308,
    float("nan"), float("inf"), float("-inf"), 0.5, 1.0000000001, 99.999,
    "", " ", "x" * 10_000, "\ud800", "\udfff lone", "\x1b[2J\x1b[31mred", "line\nbreak", "\x00nul", "\u202eevil",
    "nvidia-h100-sxm", "grid", "training", "NaN", "1e999", "-1", "../../etc/passwd", "/dev/zero",
    [], {}, [[]], {"": None}, None, True, False, [1, 2, 3], {"dist": "normal", "mean": 1, "sd": -1},
]


def sample_documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in SAMPLES]


def _paths(node, prefix=()):
    """Every path into a JSON document (containers and leaves)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _hostile(rnd: random.Random):
    pick = rnd.random()
    if pick < 0.6:
        return copy.deepcopy(rnd.choice(HOSTILE_VALUES))
    if pick < 0.75:
        return rnd.choice([-1, 1]) * 10 ** rnd.uniform(-330, 308)
    if pick < 0.85:
        return rnd.randint(-(10**rnd.randint(1, 60)), 10**rnd.randint(1, 60))
    if pick < 0.95:
        return "".join(chr(rnd.choice([rnd.randint(0, 0x7F), rnd.randint(0x80, 0xFFFF), rnd.randint(0xD800, 0xDFFF),
                                        rnd.randint(0x10000, 0x10FFFF)])) for _ in range(rnd.randint(0, 12)))
    depth = rnd.randint(1, 50)
    value: object = 1
    for _ in range(depth):
        value = [value] if rnd.random() < 0.5 else {"k": value}
    return value


def mutate_scenario(rnd: random.Random, doc: dict | None = None) -> dict:
    """A sample scenario with 1 to 4 fields replaced, removed, added or retyped."""
    doc = copy.deepcopy(doc if doc is not None else rnd.choice(sample_documents()))
    for _ in range(rnd.randint(1, 4)):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = rnd.choice(paths)
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        action = rnd.random()
        current = parent[last]
        if action < 0.45 and isinstance(current, (int, float)) and not isinstance(current, bool) \
                and abs(current) < 1e300:
            # plausible but extreme: the model must still give finite, clean figures
            factor = rnd.choice([0, 1e-9, 1e-6, 1e-3, 0.1, 0.5, 0.999, 1.001, 2, 10, 1e3, 1e6])
            parent[last] = type(current)(current * factor) if isinstance(current, float) else int(current * factor)
        elif action < 0.65:
            parent[last] = _hostile(rnd)
        elif action < 0.8:
            if isinstance(parent, dict):
                del parent[last]
            else:
                parent.pop(last)
        elif action < 0.9 and isinstance(parent, dict):
            parent[rnd.choice(["extra", "\x1b", "", "count", "mw", "utilization", "id"])] = _hostile(rnd)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = [parent[last]] if rnd.random() < 0.5 else {"value": parent[last]}
    return doc


def scenario_text(rnd: random.Random) -> bytes:
    """A scenario file's bytes, damaged as text: byte flips, cuts, huge numbers, deep nesting."""
    doc = mutate_scenario(rnd) if rnd.random() < 0.5 else rnd.choice(sample_documents())
    try:
        text = json.dumps(doc, ensure_ascii=rnd.random() < 0.5).encode("utf-8", "surrogatepass")
    except ValueError:  # an integer too long to print: write the digits ourselves
        text = json.dumps(rnd.choice(sample_documents())).replace('"count": ', '"count": ' + "9" * 5000 + ", \"_\": ",
                                                                  1).encode()
    data = bytearray(text)
    kind = rnd.random()
    if kind < 0.3 and data:
        for _ in range(rnd.randint(1, 6)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
    elif kind < 0.45:
        del data[rnd.randrange(len(data) + 1):]
    elif kind < 0.55:
        data = bytearray(b"[" * rnd.randint(1000, 200_000))
    elif kind < 0.65:
        data = bytearray(b"\xef\xbb\xbf") + data
    elif kind < 0.75:
        data = bytearray(data.replace(b'"count": ', b'"count": ' + str(rnd.choice([10**400, 1e30])).encode() + b", \"_\": ", 1))
    return bytes(data)


def check_evaluation(doc) -> str:
    """Evaluate a document: a finite, JSON-safe summary that prints on any terminal, or
    an InputError. Anything else is a failure. Returns "ok" or "refused"."""
    from aisite.core.errors import InputError
    from aisite.core.evaluate import evaluate_dict
    from aisite.core.report_text import summary_table
    from aisite.core.validate import terminal_safe

    try:
        result = evaluate_dict(doc, with_hourly=False)
    except InputError as error:
        line = terminal_safe(error)
        assert "\n" not in line and line, repr(error)
        return "refused"
    text = json.dumps(result.summary, allow_nan=False)
    for value in _numbers(result.summary):
        assert math.isfinite(value) and (value == 0 or abs(value) >= 1e-9), value
    summary_table(result.summary).encode("utf-8", "backslashreplace")
    assert text
    return "ok"


def _numbers(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _numbers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _numbers(value)
    elif isinstance(node, float):
        yield node


# ---------------------------------------------------------------- project files

def build_reference_project(folder: Path) -> Path:
    """A real project with everything in it: scenarios, variants, own catalogue,
    an analysis, uncertain inputs and stored results; checkpointed (no log)."""
    from aisite.core.project import create_sample_project, open_project
    from aisite.core.project.edits import AddAnalysis, AddCatalogueEntry, SetUncertainInput
    from aisite.core.stored_results import evaluate_stored

    path = create_sample_project(folder / "reference.aisite")
    with open_project(path) as p:
        base = next(s.name for s in p.scenarios() if not s.is_variant)
        p.do(AddCatalogueEntry("chips", {"id": "my-chip", "name": "Mine \u00e9", "tdp_w": 800}))
        p.do(AddAnalysis(p, "Grid sweep", "sweep", {"param": "power[0].mw", "values": [1, 2]}, base))
        p.do(SetUncertainInput(p, None, "finance.discount_rate", "uniform", {"low": 0.05, "high": 0.1}))
        evaluate_stored(p, base)
    return path


def damage_bytes(rnd: random.Random, data: bytes) -> bytes:
    """A project file's bytes, damaged the ways disks, tools and people damage files."""
    out = bytearray(data)
    page = struct.unpack(">H", data[16:18])[0] or 4096
    pages = max(1, len(data) // page)
    kind = rnd.randrange(9)
    if kind == 0:  # scattered byte flips
        for _ in range(rnd.randint(1, 16)):
            out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    elif kind == 1:  # a whole page zeroed
        p = rnd.randrange(pages)
        out[p * page:(p + 1) * page] = bytes(page)
    elif kind == 2:  # a page of random bytes
        p = rnd.randrange(pages)
        out[p * page:(p + 1) * page] = rnd.randbytes(page)
    elif kind == 3:  # cut short, anywhere
        del out[rnd.randrange(len(out)):]
    elif kind == 4:  # garbage appended
        out += rnd.randbytes(rnd.choice([1, 100, page, 3 * page]))
    elif kind == 5:  # two pages swapped
        a, b = rnd.randrange(pages), rnd.randrange(pages)
        pa, pb = bytes(out[a * page:(a + 1) * page]), bytes(out[b * page:(b + 1) * page])
        out[a * page:(a + 1) * page], out[b * page:(b + 1) * page] = pb, pa
    elif kind == 6:  # a header field changed (size, versions, schema cookie, app id, ...)
        offset = rnd.choice([18, 19, 20, 21, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 92, 96])
        out[offset:offset + 4] = rnd.randbytes(4)
    elif kind == 7:  # bytes flipped inside page 1 (the schema)
        for _ in range(rnd.randint(1, 4)):
            out[rnd.randrange(100, min(page, len(out)))] ^= 0xFF
    else:  # a run of bytes overwritten in the middle of a page
        start = rnd.randrange(len(out))
        out[start:start + rnd.randint(1, 64)] = rnd.randbytes(rnd.randint(1, 64))
    return bytes(out)


def sha256(path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"


def check_damaged_project(path: Path) -> str:
    """Open a damaged project read-only and for editing. Each open either refuses with
    one ProjectFileError line naming the file, or opens and reads everything (stale or
    damaged results are recomputed, never a traceback). A refused open, and any
    read-only open, changes no byte and leaves nothing beside the file.
    Returns "opened", "refused" or "opened read-only"."""
    from aisite.core.errors import InputError, ProjectFileError
    from aisite.core.project import open_project

    folder = path.parent
    before = sha256(path), sorted(os.listdir(folder))
    outcome = []
    for read_only in (True, False):
        try:
            with open_project(path, read_only=read_only) as p:
                _read_everything(p)
                outcome.append("opened" if not p.read_only or read_only else "opened read-only")
        except ProjectFileError as error:
            text = str(error)
            assert "\n" not in text and text.startswith(str(path) + ": "), text
            assert (sha256(path), sorted(os.listdir(folder))) == before, f"changed by a refused open: {text}"
            outcome.append("refused")
            continue
        except InputError as error:  # a stored document that no longer reads: named, not a crash
            outcome.append("refused")
            assert "\n" not in str(error)
        if read_only:
            assert sha256(path) == before[0], "a read-only open changed the file"
    return outcome[-1] if len(set(outcome)) == 1 else "/".join(outcome)


def _read_everything(p) -> None:
    from aisite.core.errors import InputError

    p.title, p.notes, p.sites(), p.catalogue_entries(), p.analyses()
    p.uncertain_inputs(all_scenarios=True)
    for s in p.scenarios():
        try:
            p.effective_scenario(s.id, with_uncertain=True)
            p.result_status(s.id)
            p.get_result(s.id)
        except InputError:
            pass  # a variant that no longer fits its parent: a planner's problem, named
