"""Profile paths a scenario names must be regular files of bounded size: a FIFO or a
device (/dev/zero) is refused where it is set (SetField, import even with --no-check)
and where it is read or hashed (aisite list, evaluate), never read, never a hang. A
project path that is a FIFO is refused before it is opened."""
import json
import os
import subprocess
import sys

import pytest

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project import open_project
from aisite.core.project.edits import SetField, import_documents
from aisite.core.project.schema import row_digest
from aisite.core.stored_results import evaluate_stored

from .conftest import ROOT, child_env, sample_docs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero")
TEXAS = "Texas B200 training campus"


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "hours.csv"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_set_field_refuses_a_fifo_or_device_profile(sample_project, fifo, kind):
    target = fifo if kind == "fifo" else "/dev/zero"
    with pytest.raises(InputError) as info:
        SetField(sample_project, TEXAS, "profiles.solar_cf", target)
    assert info.value.field == "profiles.solar_cf"
    assert ("named pipe" if kind == "fifo" else "a device") in info.value.message
    with pytest.raises(InputError, match="not a regular file"):
        SetField(sample_project, TEXAS, "profiles", {"wind_cf": target})


def test_import_without_checks_still_refuses_a_device_profile(sample_project, tmp_path):
    doc = dict(sample_docs()[0], name="Imported", profiles={"solar_cf": "/dev/zero"})
    with pytest.raises(InputError, match="profiles.solar_cf: is a device"):
        import_documents(sample_project, [(doc, str(tmp_path / "x.json"))], validate=False)
    assert "Imported" not in sample_project.scenario_names()


def _plant_profile(project, name, target):
    """What an older version (or another tool) could have stored: a profile path to a
    FIFO or a device, with a stored result, bypassing today's checks."""
    evaluate_stored(project, name)
    sid = project.scenario(name).id
    row = project._row("scenarios", sid)
    doc = json.loads(row["document"])
    doc["profiles"] = {"solar_cf": target}
    with project._writing() as conn:
        from sqlalchemy import update

        from aisite.core.project.schema import TABLES

        row = dict(row, document=json.dumps(doc))
        row["digest"] = row_digest("scenarios", row)
        conn.execute(update(TABLES["scenarios"]).where(TABLES["scenarios"].c.id == sid)
                     .values({k: v for k, v in row.items() if k != "id"}))


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_list_and_evaluate_never_read_a_fifo_or_device(sample_project, fifo, kind):
    path = sample_project.path
    _plant_profile(sample_project, TEXAS, fifo if kind == "fifo" else "/dev/zero")
    sample_project.close()
    cap = "import resource; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
    for args, status in ((["list", path], 0), (["evaluate", path, "--scenario", TEXAS, "--json"], 2)):
        run = subprocess.run([sys.executable, "-c", cap + "import sys; from aisite.app.cli import main; "
                              "sys.exit(main(sys.argv[1:]))", *args],
                             cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60)
        assert run.returncode == status, run.stderr
        assert "Traceback" not in run.stderr
        if status == 2:
            assert run.stderr.count("\n") == 1 and "profiles.solar_cf" in run.stderr
            assert "not a regular file" in run.stderr or "must be a .csv file" in run.stderr


def test_a_fifo_named_like_a_project_never_hangs(tmp_path):
    path = tmp_path / "p.aisite"
    os.mkfifo(path)
    for read_only in (True, False):
        with pytest.raises(ProjectFileError, match="named pipe"):
            open_project(path, read_only=read_only)
    for args in (["list", str(path)], ["evaluate", str(path), "--scenario", "x"]):
        run = subprocess.run([sys.executable, "-m", "aisite.app.cli", *args], cwd=ROOT, env=child_env(),
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and "named pipe" in run.stderr


def test_a_fifo_scenario_file_never_hangs(tmp_path):
    path = tmp_path / "s.json"
    os.mkfifo(path)
    run = subprocess.run([sys.executable, "-m", "aisite.app.cli", "evaluate", str(path)], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "named pipe" in run.stderr
