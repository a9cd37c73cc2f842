"""What SQLite can recover opens: a checkpoint cut short by a full disk (or a kill)
leaves page 1 saying the file is larger than it is, with the write-ahead log beside it
holding every committed page. Such a file opens with every committed edit, read-only
and for editing; ``aisite new`` on a full disk says so in one line."""
import os
import signal
import struct
import subprocess
import sys
import textwrap

import pytest

from aisite.core.errors import ProjectFileError
from aisite.core.project import create_project, open_project
from aisite.core.project.edits import AddCatalogueEntry

from .conftest import PYTHON, ROOT, child_env, sha256

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses RLIMIT_FSIZE")

# A child that commits edits that grow the file, then runs out of room while checkpointing:
# RLIMIT_FSIZE at the file's current size stands in for a full disk (writes past it fail).
FULL_DISK_CHECKPOINT = textwrap.dedent("""
    import os, resource, signal, sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddCatalogueEntry
    p = open_project(sys.argv[1])
    p.checkpoint()
    for i in range(int(sys.argv[2])):
        p.do(AddCatalogueEntry("chips", {"id": f"c{i}", "name": "x" * 3000, "tdp_w": 700 + i}))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    size = os.path.getsize(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
    try:
        p.checkpoint()
    except Exception as error:
        print("checkpoint failed:", type(error).__name__, flush=True)
    os._exit(0)   # the planner's app died with the disk full: no clean close
""")


def _header_pages(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(100)
    page_size = struct.unpack(">H", head[16:18])[0]
    return struct.unpack(">I", head[28:32])[0] * page_size, os.path.getsize(path)


@pytest.fixture
def cut_short(tmp_path):
    path = str(tmp_path / "full.aisite")
    create_project(path).close()
    run = subprocess.run([PYTHON, "-c", FULL_DISK_CHECKPOINT, path, "40"], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    claimed, actual = _header_pages(path)
    assert claimed > actual, "the checkpoint was not cut short: the test does not reproduce the defect"
    assert os.path.getsize(path + "-wal") > 0
    return path


@pytest.mark.parametrize("read_only", [True, False])
def test_checkpoint_cut_short_by_a_full_disk_opens_with_every_committed_edit(cut_short, read_only):
    with open_project(cut_short, read_only=read_only) as p:
        ids = [r.entry_id for r in p.catalogue_entries("chips")]
        assert ids == [f"c{i}" for i in range(40)]
        assert p.catalogue_entry("chips", "c39").data["tdp_w"] == 739
    if not read_only:  # closing the editor finished the checkpoint: the file is whole again
        claimed, actual = _header_pages(cut_short)
        assert claimed == actual
        assert not os.path.exists(cut_short + "-wal")
        with open_project(cut_short) as p:
            assert len(p.catalogue_entries("chips")) == 40


def test_read_only_open_of_a_cut_short_file_changes_nothing(cut_short):
    before = sha256(cut_short), sha256(cut_short + "-wal")
    with open_project(cut_short, read_only=True) as p:
        assert len(p.catalogue_entries("chips")) == 40
    assert (sha256(cut_short), sha256(cut_short + "-wal")) == before


def test_a_cut_short_file_without_its_log_is_still_refused(cut_short):
    os.unlink(cut_short + "-wal")
    for suffix in ("-shm",):
        if os.path.exists(cut_short + suffix):
            os.unlink(cut_short + suffix)
    with pytest.raises(ProjectFileError, match="cut short"):
        open_project(cut_short)


NEW_ON_FULL_DISK = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, resource.RLIM_INFINITY))
    from aisite.app.cli import main
    sys.exit(main(["new", sys.argv[1]]))
""")


def test_new_project_on_a_full_disk_is_one_clear_line(tmp_path):
    target = tmp_path / "p.aisite"
    run = subprocess.run([PYTHON, "-c", NEW_ON_FULL_DISK, str(target)], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith(f"aisite new: {target}: ") and "disk is full" in lines[0]
    assert os.listdir(tmp_path) == []  # nothing half-made left behind


def test_new_project_in_a_missing_folder_names_the_planners_file(tmp_path):
    target = tmp_path / "nonexistent" / "p.aisite"
    run = subprocess.run([sys.executable, "-m", "aisite.app.cli", "new", str(target)], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.startswith(f"aisite new: {target}: ") and "does not exist" in run.stderr
    assert ".building" not in run.stderr and ".creating" not in run.stderr
