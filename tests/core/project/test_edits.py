"""Edits: every operation applies, undoes and redoes exactly, each in its own transaction."""
import json

import pytest

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project import open_project
from aisite.core.project.edits import (
    AddAnalysis,
    AddCatalogueEntry,
    AddDeployment,
    AddPowerSource,
    AddScenario,
    AddSite,
    Compound,
    DeleteScenario,
    DeleteSite,
    DetachVariant,
    DuplicateAsVariant,
    DuplicateScenario,
    EditAnalysis,
    EditCatalogueEntry,
    MoveScenario,
    RemoveAnalysis,
    RemoveCatalogueEntry,
    RemoveRow,
    RemoveUncertainInput,
    RenameScenario,
    RenameSite,
    ReplaceDocument,
    ReplacePowerSource,
    SetField,
    SetProjectInfo,
    SetScenarioNotes,
    SetUncertainInput,
    SetWorkloadKind,
    UnsetField,
)
from aisite.core.project.store import EditConflict

from .conftest import content_rows, sample_docs, snapshot

TEXAS = "Texas B200 training campus"


def _ops(p):
    """One of each kind of edit, built against the project as it is when called."""
    yield lambda: AddScenario(dict(sample_docs()[0], name="Fresh"))
    yield lambda: DuplicateAsVariant(p, TEXAS, "More grid", {"power[0].mw": 400})
    yield lambda: DuplicateScenario(p, TEXAS, "Texas copy")
    yield lambda: RenameScenario(p, TEXAS, "Texas renamed")
    yield lambda: SetField(p, TEXAS, "deployments[0].count", 1000)
    yield lambda: SetField(p, f"{TEXAS}: grid two years late", "power[1].mw", 77)
    yield lambda: UnsetField(p, f"{TEXAS}: grid two years late", "schedule.grid_connection")
    yield lambda: UnsetField(p, TEXAS, "overrides")
    yield lambda: ReplaceDocument(p, TEXAS, dict(sample_docs()[1], name=TEXAS))
    yield lambda: DetachVariant(p, f"{TEXAS}: grid two years late")
    yield lambda: SetScenarioNotes(p, TEXAS, "notes \u00e9 'x'")
    yield lambda: AddSite("New site")
    yield lambda: RenameSite(p, p.sites()[0].id, "Renamed site")
    yield lambda: DeleteSite(p, p.sites()[0].id)
    yield lambda: MoveScenario(p, TEXAS, None)
    yield lambda: DeleteScenario(p, TEXAS)  # with variants, uncertain inputs and an analysis
    yield lambda: AddCatalogueEntry("chips", {"id": "my-chip", "tdp_w": 500})
    yield lambda: EditCatalogueEntry(p, "chips", "existing-chip", {"id": "existing-chip", "tdp_w": 1})
    yield lambda: RemoveCatalogueEntry(p, "chips", "existing-chip")
    yield lambda: SetUncertainInput(p, TEXAS, "power[0].mw", "triangular", {"low": 1, "mode": 2, "high": 3})
    yield lambda: SetUncertainInput(p, None, "finance.discount_rate", "uniform", {"low": 0.05, "high": 0.1})
    yield lambda: RemoveUncertainInput(p, TEXAS, "workload.mfu")
    yield lambda: AddAnalysis(p, "Sweep", "sweep", {"param": "power[0].mw", "values": [1, 2]}, TEXAS)
    yield lambda: EditAnalysis(p, "Existing", definition={"x": 2}, name="Renamed analysis")
    yield lambda: RemoveAnalysis(p, "Existing")
    yield lambda: SetProjectInfo(p, title="T\u00eftle", notes="n")
    yield lambda: Compound([AddSite("A"), AddSite("B")], "Add two sites")
    yield lambda: AddDeployment(p, TEXAS)
    yield lambda: AddPowerSource(p, f"{TEXAS}: grid two years late")
    yield lambda: RemoveRow(p, TEXAS, "power", 2)
    yield lambda: ReplacePowerSource(p, TEXAS, 2, "solar-pv")
    yield lambda: SetWorkloadKind(p, TEXAS, "inference")


def _prepare(p):
    p.do(AddCatalogueEntry("chips", {"id": "existing-chip", "tdp_w": 600}))
    p.do(AddAnalysis(p, "Existing", "tornado", {"x": 1}, TEXAS))


@pytest.mark.parametrize("index", range(32))
def test_each_operation_undoes_and_redoes_exactly(sample_project, index):
    p = sample_project
    _prepare(p)
    make = list(_ops(p))[index]
    before_rows, before = content_rows(p.path), snapshot(p)
    op = make()
    p.do(op)
    after_rows, after = content_rows(p.path), snapshot(p)
    assert after != before, op.description
    assert isinstance(op.description, str) and op.description
    p.history.undo()
    assert content_rows(p.path) == before_rows and snapshot(p) == before
    p.history.redo()
    assert content_rows(p.path) == after_rows and snapshot(p) == after
    p.history.undo()
    p.history.redo()
    assert content_rows(p.path) == after_rows
    # the file opens cleanly after the edit (checksums, tree and all)
    path = p.path
    p.close()
    with open_project(path) as again:
        assert snapshot(again) == after


def test_variants_inherit_and_override(sample_project):
    p = sample_project
    v = p.do(DuplicateAsVariant(p, TEXAS, "V"))
    assert p.overrides("V") == {}
    p.do(SetField(p, TEXAS, "power[0].mw", 321))
    assert p.effective_scenario("V")["power"][0]["mw"] == 321  # inherited
    p.do(SetField(p, "V", "power[0].mw", 500))
    p.do(SetField(p, TEXAS, "power[0].mw", 111))
    assert p.effective_scenario("V")["power"][0]["mw"] == 500  # overridden
    p.do(SetField(p, "V", "power", [{"source": "grid", "mw": 5}]))
    assert p.overrides("V") == {"power": [{"source": "grid", "mw": 5}]}  # the wider override replaces
    p.do(UnsetField(p, "V", "power"))
    assert p.effective_scenario("V")["power"][0]["mw"] == 111
    with pytest.raises(InputError, match="does not change"):
        p.do(UnsetField(p, "V", "power"))
    grandchild = p.do(DuplicateAsVariant(p, "V", "VV", {"finance.discount_rate": 0.2}))
    assert p.effective_scenario("VV")["name"] == "VV"
    assert p.effective_scenario("VV")["finance"]["discount_rate"] == 0.2
    assert [s.name for s in p.descendants(TEXAS)][-1] == "VV"
    assert v.scenario_id and grandchild.scenario_id


def test_bad_edits_change_nothing(sample_project):
    p = sample_project
    rows = content_rows(p.path)
    cases = [
        lambda: SetField(p, TEXAS, "power[9].mw", 1),
        lambda: SetField(p, TEXAS, "name", "x"),
        lambda: SetField(p, TEXAS, "format", "x"),
        lambda: SetField(p, TEXAS, "power[0].mw", object()),
        lambda: SetField(p, TEXAS, "power[0].mw", float("nan")),
        lambda: SetField(p, TEXAS, "power[0].mw", float("inf")),
        lambda: RenameScenario(p, TEXAS, "Nordic sovereign AI site"),
        lambda: RenameScenario(p, TEXAS, "two\nlines"),
        lambda: RenameScenario(p, TEXAS, "   "),
        lambda: DuplicateAsVariant(p, TEXAS, "W", {"power[8].mw": 1}),
        lambda: AddCatalogueEntry("gpus", {"id": "x"}),
        lambda: AddCatalogueEntry("chips", {"name": "no id"}),
        lambda: SetUncertainInput(p, TEXAS, "workload.mfu", "triangular", {"low": 3, "mode": 2, "high": 1}),
        lambda: SetUncertainInput(p, TEXAS, "workload.mfu", "weird", {}),
        lambda: AddAnalysis(p, "A", "nonsense", {}),
        lambda: DetachVariant(p, TEXAS),
        lambda: SetField(p, "No such scenario", "x", 1),
        lambda: Compound([AddSite("ok"), AddSite("ok")], "two with one name"),
    ]
    for make in cases:
        with pytest.raises(InputError):
            p.do(make())
    assert content_rows(p.path) == rows
    assert not p.history.can_redo


def test_slider_drags_merge_into_one_undo_step(sample_project):
    p = sample_project
    original = p.effective_scenario(TEXAS)["power"][0]["mw"]
    for mw in range(300, 320):
        p.history.do(SetField(p, TEXAS, "power[0].mw", mw), merge=True)
    assert p.effective_scenario(TEXAS)["power"][0]["mw"] == 319
    assert p.history.undo_text.startswith("Set power[0].mw = 319")
    p.history.undo()
    assert p.effective_scenario(TEXAS)["power"][0]["mw"] == original
    assert not p.history.can_undo or p.history.undo_text != "Set power[0].mw = 300"


def test_undo_refuses_when_rows_changed_underneath(sample_project):
    p = sample_project
    op = SetField(p, TEXAS, "power[0].mw", 1)
    op.apply(p)
    SetField(p, TEXAS, "power[0].mw", 2).apply(p)  # not through the history
    with pytest.raises(EditConflict):
        op.revert(p)
    assert p.effective_scenario(TEXAS)["power"][0]["mw"] == 2


def test_delete_and_undo_restore_ids_and_dependents(sample_project):
    p = sample_project
    _prepare(p)
    ids = {s.name: s.id for s in p.scenarios()}
    unc = p.uncertain_inputs(all_scenarios=True)
    p.do(DeleteScenario(p, TEXAS))
    assert TEXAS not in p.scenario_names() and not p.uncertain_inputs(all_scenarios=True)
    assert [a.name for a in p.analyses()] == []
    p.history.undo()
    assert {s.name: s.id for s in p.scenarios()} == ids
    assert p.uncertain_inputs(all_scenarios=True) == unc
    assert [a.name for a in p.analyses()] == ["Existing"]


def test_read_only_projects_refuse_edits(sample_project):
    path = sample_project.path
    sample_project.close()
    with open_project(path, read_only=True) as p:
        with pytest.raises(ProjectFileError, match="read-only"):
            p.do(SetField(p, TEXAS, "power[0].mw", 1))
        assert p.put_result(TEXAS, {"a": 1}) is False


def test_modified_time_moves_on_edits_only(sample_project):
    p = sample_project
    stamp = p.modified_at
    p.put_result(TEXAS, {"a": 1})
    assert p.modified_at == stamp  # storing a result is not an edit
    p.do(SetField(p, TEXAS, "power[0].mw", 1))
    assert p.modified_at > stamp


def test_listeners_hear_applies_and_reverts(sample_project):
    heard = []
    sample_project.listeners.append(lambda kind, payload: heard.append(kind))
    sample_project.do(SetField(sample_project, TEXAS, "power[0].mw", 1))
    sample_project.history.undo()
    assert heard == ["apply", "revert"]


def test_overrides_stored_as_json_text_not_code(sample_project):
    import sqlite3

    p = sample_project
    p.do(DuplicateAsVariant(p, TEXAS, "J", {"power[0].mw": 1}))
    conn = sqlite3.connect(f"file:{p.path}?mode=ro", uri=True)
    (text,) = conn.execute("SELECT overrides FROM scenarios WHERE name = 'J'").fetchone()
    conn.close()
    assert json.loads(text) == {"power[0].mw": 1}
