"""Creating, copying and sharing project files."""
import os
import sqlite3
import threading

import numpy as np
import pytest

from aisite.core.errors import ProjectFileError
from aisite.core.project import ProjectInUseError, create_project, create_sample_project, open_project
from aisite.core.stored_results import evaluate_stored
from aisite.core.project.edits import SetField

from .conftest import sha256, snapshot

TEXAS = "Texas B200 training campus"


def test_new_file_is_a_wal_project_with_our_header(tmp_path):
    path = tmp_path / "new.aisite"
    with create_project(path, title="T") as p:
        assert p.title == "T" and p.scenarios() == [] and p.schema_version == 2
        assert os.path.exists(str(path) + ".lock")
    head = path.read_bytes()[:100]
    assert head[18:20] == b"\x02\x02"  # WAL
    assert head[68:72] == b"AIST" and int.from_bytes(head[60:64], "big") == 2
    assert sorted(os.listdir(tmp_path)) == ["new.aisite"]  # closed: no -wal, -shm or lock left
    with pytest.raises(ProjectFileError, match="already exists"):
        create_project(path)


def test_save_a_copy_through_the_backup_api(sample_project, tmp_path):
    p = sample_project
    evaluate_stored(p, TEXAS)
    p.do(SetField(p, TEXAS, "power[0].mw", 333))  # still in the write-ahead log
    copy = p.save_copy_as(tmp_path / "copy \u00e9.aisite")
    p.do(SetField(p, TEXAS, "power[0].mw", 444))  # the original goes on by itself
    with open_project(copy) as c:
        assert c.effective_scenario(TEXAS)["power"][0]["mw"] == 333
        assert c.get_result(TEXAS) is None  # stale: made before the 333 edit
        c.history.clear()
    small = p.save_copy_as(tmp_path / "to send.aisite", include_results=False)
    with open_project(small, read_only=True) as s:
        assert snapshot(s) == snapshot(p)
    conn = sqlite3.connect(f"file:{small}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM result_arrays").fetchone()[0] == 0
    conn.close()
    # replacing an existing file is atomic; a file open elsewhere is refused; itself is refused
    again = p.save_copy_as(copy)
    assert again == copy
    with open_project(copy):
        with pytest.raises(ProjectInUseError):
            p.save_copy_as(copy)
    with pytest.raises(ProjectFileError, match="this project itself"):
        p.save_copy_as(p.path)
    assert not [f for f in os.listdir(tmp_path) if f.endswith((".saving", ".tmp"))]


def test_sample_project_is_built_from_the_shipped_samples(tmp_path):
    from aisite.core.paths import samples_dir

    path = create_sample_project(tmp_path / "sample.aisite")
    with open_project(path, read_only=True) as p:
        bases = [s for s in p.scenarios() if not s.is_variant]
        assert len(bases) == len(list(samples_dir().glob("*.json"))) >= 3
        assert all(s.site_id is not None for s in bases)
        assert any(s.is_variant for s in p.scenarios())
        for s in p.scenarios():  # every scenario in the sample evaluates
            assert evaluate_stored(p, s.id, store=False).summary["throughput"]["accelerators"] > 0
    with pytest.raises(ProjectFileError, match="already exists"):
        create_sample_project(path)
    assert sorted(os.listdir(tmp_path)) == ["sample.aisite"]


def test_worker_thread_stores_results_while_the_gui_thread_edits(sample_project):
    p = sample_project
    errors = []

    def worker():
        try:
            for i in range(30):
                p.put_result(TEXAS, {"i": i}, {"x": np.full(8760, float(i))})
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    t = threading.Thread(target=worker)
    t.start()
    for mw in range(30):
        p.do(SetField(p, "Nordic sovereign AI site", "power[0].mw", mw))
        p.scenarios()
    t.join()
    assert not errors
    assert p.get_result(TEXAS).summary == {"i": 29}


def test_closed_project_says_so(sample_project):
    sample_project.close()
    with pytest.raises(ProjectFileError, match="is closed"):
        sample_project.scenarios()
    sample_project.close()  # twice is fine


def test_reopen_keeps_everything_and_does_not_rewrite(sample_project):
    path = sample_project.path
    before = snapshot(sample_project)
    sample_project.close()
    digest = sha256(path)
    for read_only in (False, True, False):
        with open_project(path, read_only=read_only) as p:
            assert snapshot(p) == before
    assert sha256(path) == digest  # opening and reading write nothing
    assert sorted(os.listdir(os.path.dirname(path))) == ["sample.aisite"]


def test_read_only_open_of_a_write_protected_file_leaves_nothing_beside_it(sample_project):
    """A file chmod 0444 in a writable folder: SQLite would make -wal/-shm files it may not
    delete afterwards (it cannot write the file). Nothing is made, while open or after.
    (Tests run as root, where chmod does not stop writes: the files appearing while open
    is what a non-root planner is left with after close.)"""
    path = sample_project.path
    before = snapshot(sample_project)
    sample_project.close()
    digest = sha256(path)
    os.chmod(path, 0o444)
    try:
        with open_project(path, read_only=True) as p:
            assert snapshot(p) == before
            assert sorted(os.listdir(os.path.dirname(path))) == ["sample.aisite"]
        assert sorted(os.listdir(os.path.dirname(path))) == ["sample.aisite"]
        assert sha256(path) == digest
    finally:
        os.chmod(path, 0o644)


def test_read_only_open_from_a_folder_where_no_lock_can_be_made(sample_project, monkeypatch):
    """A project on a read-only medium: it opens read-only and creates nothing beside it."""
    from aisite.core.project import locking, opening

    path = sample_project.path
    before = snapshot(sample_project)
    sample_project.close()

    def refuse(self):
        raise ProjectFileError(self.project_path, "cannot write in its folder (Read-only file system); open it read-only")

    monkeypatch.setattr(locking.ProjectLock, "acquire", refuse)
    monkeypatch.setattr(opening, "folder_is_writable", lambda path: False)
    with open_project(path, read_only=True) as p:
        assert snapshot(p) == before
        assert sorted(os.listdir(os.path.dirname(path))) == ["sample.aisite"]
    with pytest.raises(ProjectFileError, match="open it read-only"):
        open_project(path)
