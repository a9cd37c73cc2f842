"""Newer, corrupt, foreign and damaged files: one clear error, and the file left as it was."""
import os
import random
import sqlite3
import struct

import numpy as np
import pytest

from aisite.core.errors import ProjectFileError
from aisite.core.project import create_project, create_sample_project, open_project
from aisite.core.stored_results import evaluate_stored
from aisite.core.project.edits import AddAnalysis, AddCatalogueEntry, SetUncertainInput

from .conftest import sha256, snapshot

TEXAS = "Texas B200 training campus"


def _listing(folder):
    return sorted(os.listdir(folder))


def _assert_refused(path, *, read_only=False, match=None):
    folder = os.path.dirname(path)
    before_hash, before_files = sha256(path), _listing(folder)
    with pytest.raises(ProjectFileError) as info:
        open_project(path, read_only=read_only)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path) + ": ")
    if match:
        assert match in message, message
    assert sha256(path) == before_hash
    assert _listing(folder) == before_files  # no -wal, -shm or .lock left behind
    return message


@pytest.fixture(scope="module")
def real_project(tmp_path_factory):
    """A real project: sample scenarios, variants, own catalogue, analyses, a stored result."""
    folder = tmp_path_factory.mktemp("real")
    path = create_sample_project(folder / "real.aisite")
    with open_project(path) as p:
        p.do(AddCatalogueEntry("chips", {"id": "my-chip", "name": "Mine \u00e9", "tdp_w": 800}))
        p.do(AddAnalysis(p, "Grid sweep", "sweep", {"param": "power[0].mw", "values": [1, 2]}, TEXAS))
        p.do(SetUncertainInput(p, None, "finance.discount_rate", "uniform", {"low": 0.05, "high": 0.1}))
        evaluate_stored(p, TEXAS)
        p.put_result("Nordic sovereign AI site", {"k": 1}, {"a": np.arange(300.0), "b": np.zeros(50)})
        expected = snapshot(p)
        results = {TEXAS: p.get_result(TEXAS), "Nordic sovereign AI site": p.get_result("Nordic sovereign AI site")}
    assert not os.path.exists(str(path) + "-wal")
    return path, path.read_bytes(), expected, results


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_version_is_refused_untouched(tmp_path, read_only):
    path = tmp_path / "newer.aisite"
    with create_project(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("UPDATE project_meta SET schema_version = 3, app_version = '0.9.0'")
    conn.commit()
    conn.close()
    message = _assert_refused(path, read_only=read_only, match="newer version")
    assert "AI Site Planner 0.9.0" in message and "file format 3" in message


@pytest.mark.parametrize("read_only", [False, True])
def test_truncated_file_is_refused_untouched(tmp_path, real_project, read_only):
    _, data, _, _ = real_project
    for cut in (len(data) // 2, len(data) - 4096, 4096 * 3 + 100, 60, 100):
        path = tmp_path / f"cut{cut}.aisite"
        path.write_bytes(data[:cut])
        _assert_refused(path, read_only=read_only, match="damaged")


@pytest.mark.parametrize("content,expect", [
    (b"", "is empty"),
    (b"hello, this is a planning note\n" * 20, "text file"),
    (b'{"format": "aisite.scenario/1", "name": "x"}\n', "JSON text file"),
    (bytes(random.Random(7).getrandbits(8) for _ in range(20000)), "not an AI Site Planner project"),
    (b"PK\x03\x04" + b"\x00" * 500, "ZIP"),
    (b"SQLite format 3\x00" + bytes(random.Random(3).getrandbits(8) for _ in range(8000)), "damaged"),
])
def test_not_a_project_is_refused_untouched(tmp_path, content, expect):
    path = tmp_path / "x.aisite"
    path.write_bytes(content)
    _assert_refused(path, match=expect)
    _assert_refused(path, read_only=True, match=expect)


@pytest.mark.parametrize("wal", [False, True])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, wal):
    path = tmp_path / "other.aisite"
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('hi')")
    conn.commit()
    conn.close()
    _assert_refused(path, match="another program")
    _assert_refused(path, read_only=True, match="another program")


def test_our_app_id_but_wrong_tables_is_damaged(tmp_path):
    path = tmp_path / "odd.aisite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1095324500")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    _assert_refused(path, match="damaged")


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(ProjectFileError, match="is a folder"):
        open_project(tmp_path)
    with pytest.raises(ProjectFileError, match="no such file"):
        open_project(tmp_path / "missing.aisite")
    assert _listing(tmp_path) == []


def _mutations(data: bytes, n_flips=200, n_blocks=50, n_cuts=30, n_pages=20):
    rng = random.Random(20240501)
    page = struct.unpack(">H", data[16:18])[0]
    for _ in range(n_flips):
        i = rng.randrange(len(data))
        yield f"flip@{i}", i, data[:i] + bytes([data[i] ^ rng.randrange(1, 256)]) + data[i + 1:]
    for _ in range(n_blocks):
        i = rng.randrange(len(data) - 16)
        yield f"block@{i}", i, data[:i] + bytes(rng.getrandbits(8) for _ in range(16)) + data[i + 16:]
    for _ in range(n_cuts):
        i = rng.randrange(len(data))
        yield f"cut@{i}", i, data[:i]
    for _ in range(n_pages):
        k = rng.randrange(len(data) // page)
        yield f"zero-page{k}", k * page, data[:k * page] + bytes(page) + data[(k + 1) * page:]


def test_byte_level_mutations_never_give_wrong_data_or_change_the_file(tmp_path, real_project):
    """300 mutations of a real project. Each one either gives one clear ProjectFileError,
    or (a byte SQLite does not use: free space, an unused header field) opens with exactly
    the original contents. Stored results are the originals or are not shown. In every
    case the file's bytes are unchanged and nothing is left beside it."""
    _, data, expected, results = real_project
    outcomes = {"refused": 0, "opened": 0, "result not shown": 0}
    path = tmp_path / "m.aisite"
    for label, offset, mutated in _mutations(data):
        if mutated == data:
            continue
        path.write_bytes(mutated)
        before = sha256(path)
        try:
            project = open_project(path)
        except ProjectFileError as error:
            text = str(error)
            assert "\n" not in text and text.startswith(str(path) + ": "), (label, text)
            outcomes["refused"] += 1
        else:
            try:
                assert snapshot(project) == expected, label
                for name, original in results.items():
                    got = project.get_result(name)
                    outcomes["result not shown"] += got is None
                    assert got is None or (got.summary == original.summary and all(
                        np.array_equal(got.arrays[k], v, equal_nan=True) for k, v in original.arrays.items())), label
            finally:
                project.close()
            outcomes["opened"] += 1
            if offset in (18, 19):  # journal-mode bytes: a valid file switched back to WAL
                continue
        assert sha256(path) == before, label
        assert _listing(tmp_path) == ["m.aisite"], (label, _listing(tmp_path))
    # Most of a project's bytes are compressed result arrays: damage there means the
    # result is recomputed (not shown); damage to the planner's own rows stops the open.
    assert outcomes["refused"] + outcomes["opened"] == 300, outcomes
    assert outcomes["refused"] >= 30 and outcomes["result not shown"] >= 50, outcomes


def test_damage_inside_the_planners_rows_is_always_refused(tmp_path):
    """Bytes inside stored scenario documents and names: SQLite cannot notice a changed
    digit, the row checksums must. The file is vacuumed first, so every copy of the text
    in it is live data."""
    from .conftest import sample_docs
    from aisite.core.project.edits import import_documents
    from aisite.core.project.json_io import dumps_stored

    path = tmp_path / "small.aisite"
    with create_project(path) as p:
        import_documents(p, [(d, "x.json") for d in sample_docs()])
        texts = [dumps_stored(d).encode() for d in sample_docs()]
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    data = path.read_bytes()
    spans = [(data.index(t), len(t)) for t in texts]
    rng = random.Random(11)
    target = tmp_path / "t.aisite"
    for _ in range(60):
        start, length = spans[rng.randrange(len(spans))]
        i = start + rng.randrange(length)
        mutated = bytearray(data)
        mutated[i] = ord(rng.choice("0123456789abcxyz")) if data[i] != ord("7") else ord("8")
        if bytes(mutated) == data:
            continue
        target.write_bytes(bytes(mutated))
        message = _assert_refused(target)
        assert "damaged" in message
