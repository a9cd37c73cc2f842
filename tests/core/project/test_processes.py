"""Other processes: a file in use is detected; a process killed mid-write loses nothing
that was committed; a killed process leaves no stale lock."""
import json
import os
import signal
import subprocess
import textwrap

import pytest

from aisite.core.project import ProjectInUseError, holder_of, open_project
from aisite.core.project.edits import SetField

from .conftest import PYTHON, ROOT, child_env, sample_docs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")

HOLD = textwrap.dedent("""
    import sys
    from aisite.core.project import open_project
    p = open_project(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    p.close()
""")

WRITER = textwrap.dedent("""
    import json, sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddScenario, SetField
    doc = json.loads(sys.argv[2])
    p = open_project(sys.argv[1])
    for i in range(100000):
        if i % 2 == 0:
            p.do(AddScenario(dict(doc, name=f"s{i}")))
        else:
            p.do(SetField(p, f"s{i - 1}", "power[0].mw", i))
        print(i, flush=True)
""")


def _spawn(code, *args):
    return subprocess.Popen([PYTHON, "-c", code, *args], cwd=ROOT, env=child_env(), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_second_process_is_told_the_file_is_in_use(sample_project):
    path = sample_project.path
    sample_project.close()
    child = _spawn(HOLD, path)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(ProjectInUseError) as info:
            open_project(path)
        message = str(info.value)
        assert f"process {child.pid}" in message and "open it read-only" in message
        assert info.value.holder.pid == child.pid
        assert holder_of(path).pid == child.pid
        # the offer: read-only works while the other copy edits
        with open_project(path, read_only=True) as ro:
            assert ro.in_use_by.pid == child.pid
            assert "Texas B200 training campus" in ro.scenario_names()
        # the command line says so in one line, exit status 2; reading commands still work
        cli = [PYTHON, "-m", "aisite.app.cli"]
        doc = ROOT / "data" / "samples" / "texas-training-campus.json"
        run = subprocess.run([*cli, "import", path, str(doc), "--rename"], cwd=ROOT, env=child_env(),
                             capture_output=True, text=True)
        assert run.returncode == 2, run.stderr
        assert run.stderr.count("\n") == 1 and "open in another copy of AI Site Planner" in run.stderr
        listed = subprocess.run([*cli, "list", path, "--json"], cwd=ROOT, env=child_env(),
                                capture_output=True, text=True)
        assert listed.returncode == 0 and json.loads(listed.stdout)["in_use_by"]["pid"] == child.pid
    finally:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait(timeout=30)
    with open_project(path) as again:  # free once the other copy closes it
        assert again.in_use_by is None
    assert not os.path.exists(path + ".lock")


def test_killed_holder_leaves_no_stale_lock(sample_project):
    path = sample_project.path
    sample_project.close()
    child = _spawn(HOLD, path)
    assert child.stdout.readline().strip() == "ready"
    with pytest.raises(ProjectInUseError):
        open_project(path)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with open_project(path) as p:  # the OS released the lock with the process
        assert p.scenario_names()


@pytest.mark.parametrize("kill_after", [25, 61])
def test_sigkill_in_the_middle_of_many_writes_keeps_every_committed_edit(tmp_path, kill_after):
    from aisite.core.project import create_project

    path = str(tmp_path / "crash.aisite")
    create_project(path).close()
    doc = sample_docs()[0]
    child = _spawn(WRITER, path, json.dumps(doc))
    last = -1
    try:
        while last < kill_after:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            last = int(line)
        os.kill(child.pid, signal.SIGKILL)  # while it is writing the next edits
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert os.path.getsize(path + "-wal") > 0  # the crash left work in the log
    with open_project(path) as p:
        names = set(p.scenario_names())
        for i in range(0, last + 1, 2):  # every edit the child saw committed is there
            assert f"s{i}" in names
            if i + 1 <= last:
                assert p.effective_scenario(f"s{i}")["power"][0]["mw"] == i + 1
        # and at most the one in flight after that
        assert len(names) in (len(range(0, last + 1, 2)), len(range(0, last + 1, 2)) + 1)
        p.do(SetField(p, "s0", "power[0].mw", 1))  # and it can be edited on


CRASH_ROLLBACK = textwrap.dedent("""
    import os, sqlite3, sys
    c = sqlite3.connect(sys.argv[1], isolation_level=None)
    c.execute("PRAGMA cache_size=1")  # spill changed pages into the file before COMMIT
    c.execute("BEGIN")
    c.execute("UPDATE scenarios SET notes = ? ", ("x" * 3000,))
    c.execute("DELETE FROM sites")
    for i in range(300):
        c.execute("INSERT INTO catalogue_entries (kind, entry_id, data, position, modified_at, digest) "
                  "VALUES ('chips', ?, '{}', 0, '', '')", (f"junk{i}" + "y" * 2000,))
    os.kill(os.getpid(), 9)
""")


def test_hot_rollback_journal_is_recovered_before_validation(sample_project):
    """A project in rollback-journal mode (older files, other tools) whose writer died
    mid-transaction: opening for editing rolls the journal back first."""
    import sqlite3

    from .conftest import snapshot

    p = sample_project
    expected = snapshot(p)
    path = p.path
    p.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    conn.close()
    run = subprocess.run([PYTHON, "-c", CRASH_ROLLBACK, path], cwd=ROOT, env=child_env(), capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    assert os.path.getsize(path + "-journal") > 0
    with pytest.raises(Exception) as info:
        open_project(path, read_only=True)
    assert "open it for editing once" in str(info.value)
    with open_project(path) as again:
        assert snapshot(again) == expected
    assert not os.path.exists(path + "-journal")
