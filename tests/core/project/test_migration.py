"""An older file (a real format-1 fixture) is migrated forward after a backup; the schema
we write matches the frozen SQL that migrations produce."""
import os
import sqlite3

import pytest
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from aisite.core.errors import ProjectFileError
from aisite.core.project import SCHEMA_VERSION, create_project, open_project
from aisite.core.project import migrations
from aisite.core.project.edits import SetField

from .conftest import FIXTURES, sha256

FIXTURE = FIXTURES / "project_v1.aisite"
NORDIC = "Dave's \"Nordic\" site; DROP TABLE scenarios;--"


def _schema(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY name").fetchall()
        return [(t, n, tn, " ".join((sql or "").split())) for t, n, tn, sql in rows]
    finally:
        conn.close()


def test_fixture_is_a_real_format_1_file():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("project_v1")) == ["project_v1.aisite"]
    conn = sqlite3.connect(f"file:{FIXTURE}?immutable=1", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "sites" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_old_file_is_migrated_and_its_backup_kept(v1_copy):
    original = sha256(v1_copy)
    with open_project(v1_copy) as p:
        assert p.migrated_from == 1 and p.schema_version == SCHEMA_VERSION
        backup = p.backup_path
        assert backup.name == "old project.format1-backup.aisite" and backup.parent == v1_copy.parent
        # everything the planner had is there, in the new shape
        assert p.scenario_names() == ["Texas B200 campus", "Texas, grid 2 years late", NORDIC,
                                      "Unsited \u6771\u4eac"]
        assert [s.name for s in p.sites()] == ["Texas", "Nordic"]  # free text became site rows
        sites = {s.id: s.name for s in p.sites()}
        assert {s.name: sites.get(s.site_id) for s in p.scenarios()} == {
            "Texas B200 campus": "Texas", "Texas, grid 2 years late": "Texas", NORDIC: "Nordic",
            "Unsited \u6771\u4eac": None}
        variant = p.effective_scenario("Texas, grid 2 years late")
        assert variant["schedule"] == {"grid_connection": 66} and variant["power"][3]["mw"] == 200
        assert p.effective_scenario(NORDIC)["deployments"][0]["chip"] == "my-chip-\u03b2"
        assert p.user_catalogue()["chips"][0]["name"] == "M\u00f8nster \u2018\u03b2\u2019 accelerator"
        assert p.analysis("Grid size sweep").definition["values"] == [150, 250, 350]
        assert p.created_app_version == "0.0.9" and p.created_at == "2025-03-01T09:00:00Z"
        # the old result is kept but stale (it was made by another version): never shown
        assert p.result_status("Texas B200 campus") == "stale" and p.get_result("Texas B200 campus") is None
        # its arrays were given checksums on the way
        conn = sqlite3.connect(f"file:{v1_copy}?mode=ro", uri=True)
        arrays = conn.execute("SELECT name, codec, nbytes, length(sha256) FROM result_arrays ORDER BY id").fetchall()
        conn.close()
        assert arrays == [("it_mw", "raw", 192, 64), ("counts", "raw", 24, 64)]
        p.do(SetField(p, "Texas B200 campus", "power[0].mw", 300))  # and it is editable
    assert sha256(backup) == original  # the backup is the file as it was, byte for byte
    with open_project(v1_copy) as again:
        assert again.migrated_from is None  # once is enough
        assert again.effective_scenario("Texas B200 campus")["power"][0]["mw"] == 300
    with open_project(backup, read_only=True) as old:
        assert old.migrated_from == 1  # the backup still reads (migrated in memory)


def test_migrated_schema_is_the_schema_new_files_get(v1_copy, tmp_path):
    open_project(v1_copy).close()
    create_project(tmp_path / "fresh.aisite").close()
    assert _schema(v1_copy) == _schema(tmp_path / "fresh.aisite")


def test_frozen_migration_sql_matches_the_orm_models():
    from aisite.core.project.schema import Base

    frozen = [" ".join(s.split()) for s in migrations._statements(migrations.V2_DDL)]
    current = []
    for table in Base.metadata.sorted_tables:
        current.append(" ".join(str(CreateTable(table).compile(dialect=sqlite_dialect.dialect())).split()))
        for index in table.indexes:
            current.append(" ".join(str(CreateIndex(index).compile(dialect=sqlite_dialect.dialect())).split()))
    assert frozen == current, "schema.py changed: bump SCHEMA_VERSION and add a migration step"


def test_read_only_open_of_an_old_file_migrates_in_memory_only(v1_copy):
    before = sha256(v1_copy)
    with open_project(v1_copy, read_only=True) as p:
        assert p.migrated_from == 1 and len(p.scenarios()) == 4
    assert sha256(v1_copy) == before
    assert sorted(os.listdir(v1_copy.parent)) == ["old project.aisite"]


def test_failed_migration_leaves_the_file_untouched(v1_copy, monkeypatch):
    before = sha256(v1_copy)
    real = migrations.STEPS[1]

    def half_then_fail(conn):
        real(conn)
        raise migrations.MigrationError("simulated failure after every step ran")

    monkeypatch.setitem(migrations.STEPS, 1, half_then_fail)
    with pytest.raises(ProjectFileError) as info:
        open_project(v1_copy)
    message = str(info.value)
    assert "could not be upgraded" in message and "it was not changed" in message and "\n" not in message
    assert sha256(v1_copy) == before
    files = sorted(os.listdir(v1_copy.parent))
    assert files == ["old project.aisite", "old project.format1-backup.aisite"]
    monkeypatch.setitem(migrations.STEPS, 1, real)
    with open_project(v1_copy) as p:  # a later open succeeds, with a second backup
        assert p.backup_path.name == "old project.format1-backup-2.aisite"


def test_fixture_script_rebuilds_an_equivalent_file(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_v1_fixture", FIXTURES / "make_v1_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "rebuilt.aisite")
    def dump(path):
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)  # nothing created beside it
        out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in migrations.V1_TABLES}
        conn.close()
        return out
    assert dump(rebuilt) == dump(FIXTURE)
