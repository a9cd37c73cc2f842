"""Nothing planted in a project runs: a file whose schema holds anything the app did not
create (a trigger, a view, another table, index or column) is refused before any write,
read-only or for editing, and left byte for byte as it was."""
import os
import sqlite3

import pytest

from aisite.core.errors import ProjectFileError
from aisite.core.project import open_project

from .conftest import sha256

PLANTS = {
    "trigger": "CREATE TRIGGER wipe AFTER UPDATE ON project_meta BEGIN "
               "DELETE FROM uncertain_inputs; UPDATE scenarios SET notes = 'pwned'; END",
    "view": "CREATE VIEW everything AS SELECT * FROM scenarios",
    "table": "CREATE TABLE extra (x)",
    "index": "CREATE INDEX ix_extra ON scenarios (notes)",
    "column": "ALTER TABLE sites ADD COLUMN extra TEXT",
    "computed column": "ALTER TABLE sites ADD COLUMN twice TEXT GENERATED ALWAYS AS (name || name) VIRTUAL",
    "temp-named trigger on insert": "CREATE TRIGGER t2 BEFORE INSERT ON scenarios BEGIN SELECT 1; END",
}


def _plant(path, sql):
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


@pytest.mark.parametrize("what", sorted(PLANTS))
@pytest.mark.parametrize("read_only", [False, True])
def test_planted_schema_objects_are_refused_before_any_write(sample_project, what, read_only):
    path = sample_project.path
    sample_project.close()
    _plant(path, PLANTS[what])
    before, listing = sha256(path), sorted(os.listdir(os.path.dirname(path)))
    with pytest.raises(ProjectFileError, match="did not create") as info:
        open_project(path, read_only=read_only)
    assert "\n" not in str(info.value) and "nothing in it ran" in str(info.value)
    assert sha256(path) == before
    assert sorted(os.listdir(os.path.dirname(path))) == listing


def test_sqlite_statistics_are_not_foreign(sample_project):
    path = sample_project.path
    names = sample_project.scenario_names()
    sample_project.close()
    _plant(path, "ANALYZE")
    with open_project(path) as p:
        assert p.scenario_names() == names
