"""A damaged write-ahead log is reported, never silently rolled back: the count of saved
edits that cannot be recovered, the log's bytes kept beside the project, the intact part
open read-only until the planner accepts the loss."""
import os
import random
import shutil
import subprocess
import sys
import textwrap

import pytest

from aisite.core.errors import ProjectFileError, ProjectFileWarning
from aisite.core.project import create_project, open_project
from aisite.core.project.edits import AddCatalogueEntry
from aisite.core.project.wal import scan

from .conftest import PYTHON, ROOT, child_env, sha256

EDITS = 30
PAGE = 4096

WRITE_AND_DIE = textwrap.dedent("""
    import os, sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddCatalogueEntry
    p = open_project(sys.argv[1])
    for i in range(int(sys.argv[2])):
        p.do(AddCatalogueEntry("chips", {"id": f"c{i}", "name": "n", "tdp_w": 700 + i}))
    os._exit(0)   # killed: every edit is in the log, none checkpointed
""")


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A project whose 30 committed edits are all still in its write-ahead log."""
    folder = tmp_path_factory.mktemp("wal")
    path = str(folder / "w.aisite")
    create_project(path).close()
    subprocess.run([PYTHON, "-c", WRITE_AND_DIE, path, str(EDITS)], cwd=ROOT, env=child_env(), check=True,
                   timeout=120)
    return path


def _copy(logged, tmp_path) -> str:
    target = str(tmp_path / "w.aisite")
    shutil.copyfile(logged, target)
    shutil.copyfile(logged + "-wal", target + "-wal")
    return target


def _flip(path: str, offset: int) -> None:
    with open(path + "-wal", "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x5A]))


def _frame_offset(frame: int, within: int = 100) -> int:
    return 32 + frame * (24 + PAGE) + 24 + within


def test_an_intact_log_is_not_damage(logged, tmp_path):
    path = _copy(logged, tmp_path)
    assert scan(path + "-wal") is None
    with open_project(path, read_only=True) as p:
        assert p.wal_damage is None and len(p.catalogue_entries()) == EDITS


def test_an_unfinished_last_transaction_is_not_damage(logged, tmp_path):
    path = _copy(logged, tmp_path)
    size = os.path.getsize(path + "-wal")
    with open(path + "-wal", "r+b") as handle:  # the last frame cut in half: a crash mid-commit
        handle.truncate(size - PAGE // 2)
    assert scan(path + "-wal") is None


def test_damaged_log_is_reported_kept_and_opened_read_only(logged, tmp_path):
    path = _copy(logged, tmp_path)
    _flip(path, _frame_offset(20))
    before = sha256(path), sha256(path + "-wal")
    damaged_bytes = open(path + "-wal", "rb").read()
    with pytest.warns(ProjectFileWarning, match="cannot be recovered"):
        p = open_project(path)  # asked for editing
    with p:
        assert p.read_only
        damage = p.wal_damage
        shown = len(p.catalogue_entries())
        assert damage.lost_commits >= 1 and damage.intact_commits == shown
        assert shown + damage.lost_commits == EDITS  # every committed edit is accounted for
        assert open(damage.kept_as, "rb").read() == damaged_bytes
        with pytest.raises(ProjectFileError, match=f"{damage.lost_commits} saved edits"):
            p.do(AddCatalogueEntry("chips", {"id": "new", "name": "n", "tdp_w": 1}))
    assert (sha256(path), sha256(path + "-wal")) == before  # nothing written


def test_accepting_the_loss_opens_the_intact_part_for_editing(logged, tmp_path):
    path = _copy(logged, tmp_path)
    _flip(path, _frame_offset(40))
    with pytest.warns(ProjectFileWarning):
        with open_project(path, read_only=True) as p:
            intact = len(p.catalogue_entries())
            kept = p.wal_damage.kept_as
    with pytest.warns(ProjectFileWarning):
        p = open_project(path, accept_log_damage=True)
    with p:
        assert not p.read_only and len(p.catalogue_entries()) == intact
        p.do(AddCatalogueEntry("chips", {"id": "after", "name": "n", "tdp_w": 1}))
    with open_project(path) as p:
        assert p.wal_damage is None and len(p.catalogue_entries()) == intact + 1
    assert os.path.exists(kept)  # the damaged log's bytes outlive the recovery


def test_every_damaged_frame_before_the_last_commit_is_reported(logged, tmp_path):
    frames = (os.path.getsize(logged + "-wal") - 32) // (24 + PAGE)
    rng = random.Random(13)
    for trial in range(25):
        path = _copy(logged, tmp_path)
        for leftover in (path + "-wal.damaged",):
            if os.path.exists(leftover):
                os.unlink(leftover)
        frame = rng.randrange(0, frames - 3)
        _flip(path, 32 + frame * (24 + PAGE) + rng.choice([8, 13, 20, 24 + rng.randrange(PAGE)]))
        with pytest.warns(ProjectFileWarning):
            with open_project(path, read_only=True) as p:
                assert p.wal_damage is not None, (trial, frame)
                assert len(p.catalogue_entries()) + p.wal_damage.lost_commits == EDITS


def test_cli_says_so_in_one_line(logged, tmp_path):
    path = _copy(logged, tmp_path)
    _flip(path, _frame_offset(10))
    run = subprocess.run([sys.executable, "-m", "aisite.app.cli", "list", path], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aisite list: warning: {path}: its write-ahead log is damaged")
    assert "w.aisite-wal.damaged" in lines[0]
