"""The lock cannot be fooled: readers never stand in a writer's way, a lock file planted
as a link (or holding someone's data) is refused and left untouched, and a lock file
deleted or replaced while a project is open never lets two writers both commit."""
import os
import subprocess
import sys
import textwrap

import pytest

from aisite.core.errors import ProjectFileError
from aisite.core.project import ProjectInUseError, open_project
from aisite.core.project.edits import SetProjectInfo
from aisite.core.project.locking import lock_path

from .conftest import PYTHON, ROOT, child_env, sha256

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links and processes")

READER = textwrap.dedent("""
    import sys
    from aisite.core.project import open_project
    print("start", flush=True)
    for i in range(int(sys.argv[2])):
        with open_project(sys.argv[1], read_only=True) as p:
            p.scenario_names()
    print("done", flush=True)
""")


def test_read_only_opens_never_refuse_an_edit_open(sample_project):
    path = sample_project.path
    sample_project.close()
    reader = subprocess.Popen([PYTHON, "-c", READER, path, "200"], cwd=ROOT, env=child_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "start"
    edit_opens = refused = 0
    try:
        while reader.poll() is None:
            try:
                with open_project(path) as p:
                    p.do(SetProjectInfo(p, title=f"t{edit_opens}"))
                edit_opens += 1
            except ProjectInUseError:
                refused += 1
    finally:
        out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert "done" in out
    assert edit_opens > 5 and refused == 0
    with open_project(path, read_only=True) as p:
        assert p.title == f"t{edit_opens - 1}"


def test_read_only_open_reports_the_writer_without_locking(sample_project):
    path = sample_project.path  # open for editing in this process
    with open_project(path, read_only=True) as viewer:
        assert viewer.in_use_by is not None and viewer.in_use_by.pid == os.getpid()
    sample_project.do(SetProjectInfo(sample_project, title="still editable"))


@pytest.mark.parametrize("read_only", [False, True])
def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(sample_project, tmp_path, read_only):
    path = sample_project.path
    sample_project.close()
    victim = tmp_path / "precious.txt"
    victim.write_text("the planner's notes\n")
    os.symlink(victim, lock_path(path))
    before = sha256(victim)
    if read_only:  # a reader never touches the lock file at all
        with open_project(path, read_only=True) as p:
            assert p.scenario_names()
    else:
        with pytest.raises(ProjectFileError, match="lock file .* is a link"):
            open_project(path)
    assert sha256(victim) == before and os.path.islink(lock_path(path))


def test_a_lock_file_holding_someone_elses_data_is_never_truncated(sample_project, tmp_path):
    path = sample_project.path
    sample_project.close()
    lock_path(path).write_text("not a lock: somebody's data\n")
    before = sha256(lock_path(path))
    with pytest.raises(ProjectFileError, match="not a lock this app made"):
        open_project(path)
    assert sha256(lock_path(path)) == before
    os.unlink(lock_path(path))
    other = tmp_path / "other.txt"
    other.write_text("{}")
    os.link(other, lock_path(path))  # a hard link to another file
    with pytest.raises(ProjectFileError, match="linked to another file"):
        open_project(path)
    assert other.read_text() == "{}"


def test_a_stale_lock_file_from_a_crash_is_reused(sample_project):
    path = sample_project.path
    sample_project.close()
    lock_path(path).write_text('{"pid": 999999, "host": "gone", "user": "x", "app_version": "0", "since": ""}')
    with open_project(path) as p:
        p.do(SetProjectInfo(p, title="after a crash"))


SECOND_WRITER = textwrap.dedent("""
    import sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import SetProjectInfo
    with open_project(sys.argv[1]) as p:
        p.do(SetProjectInfo(p, title="second writer"))
    print("committed", flush=True)
""")


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_removed_lock_file_never_lets_two_writers_both_commit(sample_project, how):
    path = sample_project.path
    sample_project.do(SetProjectInfo(sample_project, title="first writer"))
    if how == "deleted":
        os.unlink(lock_path(path))  # a clean-up tool removed it
    else:
        tmp = str(lock_path(path)) + ".new"
        with open(tmp, "w") as handle:
            handle.write("{}")
        os.replace(tmp, lock_path(path))
    second = subprocess.run([PYTHON, "-c", SECOND_WRITER, path], cwd=ROOT, env=child_env(),
                            capture_output=True, text=True, timeout=120)
    if second.returncode == 0:  # the other copy got in and committed ...
        assert "committed" in second.stdout
    with pytest.raises(ProjectFileError, match="lock file .* removed or replaced"):
        sample_project.do(SetProjectInfo(sample_project, title="first writer again"))  # ... this one cannot
    sample_project.close()
    with open_project(path, read_only=True) as p:
        assert p.title == ("second writer" if second.returncode == 0 else "first writer")


def test_cli_list_through_a_planted_link_leaves_the_target_alone(sample_project, tmp_path):
    path = sample_project.path
    sample_project.close()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.symlink(victim, lock_path(path))
    run = subprocess.run([sys.executable, "-m", "aisite.app.cli", "list", path], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert victim.read_text() == "keep me"
