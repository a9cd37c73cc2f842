"""The builder's edits as core operations, without Qt: the defaults a planner gets, what a
new power source keeps, the engine's refusal with its field message, the record of what
changed, and the one undo history."""
import pytest

from aisite.core.errors import InputError
from aisite.core.project.edits import (
    AddCatalogueEntry,
    AddDeployment,
    AddPowerSource,
    AddScenario,
    RemoveCatalogueEntry,
    RemoveRow,
    RenameScenario,
    ReplacePowerSource,
    SetField,
    SetWorkloadKind,
    UnsetField,
)
from aisite.core.project.store import EditConflict
from aisite.core.scenario_defaults import DEFAULT_CHIP, NEW_DEPLOYMENT_COUNT, PHASE_GAP_MONTHS, POWER_SOURCE_ORDER

from .conftest import sample_docs, snapshot

TEXAS = "Texas B200 training campus"
LATE = f"{TEXAS}: grid two years late"


def _doc(p, name=TEXAS):
    return p.effective_scenario(name)


def test_add_deployment_is_a_later_phase_of_the_last_chip(sample_project):
    p = sample_project
    before = _doc(p)["deployments"]
    p.do(AddDeployment(p, TEXAS))
    after = _doc(p)["deployments"]
    assert after[:-1] == before
    latest = max(float(d.get("start_month", 0)) for d in before)
    last_chip = before[-1]["chip"]
    expected_chip = last_chip if isinstance(last_chip, str) else DEFAULT_CHIP
    assert after[-1] == {"chip": expected_chip, "count": NEW_DEPLOYMENT_COUNT,
                         "start_month": latest + PHASE_GAP_MONTHS}
    # A catalogue chip is carried on to the next phase.
    p.do(AddDeployment(p, TEXAS))
    assert _doc(p)["deployments"][-1]["chip"] == expected_chip
    assert _doc(p)["deployments"][-1]["start_month"] == latest + 2 * PHASE_GAP_MONTHS
    p.history.undo()
    p.history.undo()
    assert _doc(p)["deployments"] == before


def test_add_power_source_takes_the_first_unused_source_in_the_preferred_order(sample_project):
    p = sample_project
    power = _doc(p)["power"]
    used = {e["source"] for e in power}
    expected = next(s for s in POWER_SOURCE_ORDER if s not in used)
    p.do(AddPowerSource(p, TEXAS))
    added = _doc(p)["power"][-1]
    assert added == {"source": expected, "mw": max(e["mw"] for e in power)}
    # A scenario with the grid only gets solar next, sized like its grid connection.
    doc = dict(sample_docs()[0], name="Grid only", power=[{"source": "grid", "mw": 80}])
    p.do(AddScenario(doc))
    p.do(AddPowerSource(p, "Grid only"))
    assert _doc(p, "Grid only")["power"][-1] == {"source": "solar-pv", "mw": 80}


def test_add_power_source_on_a_variant_is_stored_as_its_override(sample_project):
    p = sample_project
    base_power = _doc(p)["power"]
    p.do(AddPowerSource(p, LATE, source="smr", mw=50))
    assert _doc(p, LATE)["power"][-1] == {"source": "smr", "mw": 50}
    assert _doc(p)["power"] == base_power, "the base scenario is untouched"
    assert "power" in p.overrides(p.scenario(LATE).id)


def test_replace_power_source_keeps_what_the_new_source_takes(sample_project):
    p = sample_project
    power = _doc(p)["power"]
    battery = next(i for i, e in enumerate(power) if e["source"] == "battery")
    gas = next(i for i, e in enumerate(power) if e.get("dispatch") == "backup")
    assert "mwh" in power[battery]
    # Storage -> variable: the MWh goes (the engine refuses MWh on solar), the MW stays.
    p.do(ReplacePowerSource(p, TEXAS, battery, "solar-pv"))
    assert _doc(p)["power"][battery] == {"source": "solar-pv", "mw": power[battery]["mw"]}
    # Firm -> firm keeps its dispatch; firm -> storage drops it.
    p.do(ReplacePowerSource(p, TEXAS, gas, "smr"))
    assert _doc(p)["power"][gas] == {**power[gas], "source": "smr"}
    p.do(ReplacePowerSource(p, TEXAS, gas, "battery"))
    assert _doc(p)["power"][gas] == {"source": "battery", "mw": power[gas]["mw"]}
    with pytest.raises(InputError) as err:
        p.do(ReplacePowerSource(p, TEXAS, 99, "grid"))
    assert err.value.field == "power[99].source"


def test_replacing_a_source_twice_in_a_row_is_one_undo_step(sample_project):
    p = sample_project
    before = _doc(p)["power"]
    depth = p.history.undo_count
    for source in ("smr", "fuel-cell", "gas-engine"):
        p.history.do(ReplacePowerSource(p, TEXAS, 3, source), merge=True)
    assert p.history.undo_count == depth + 1
    p.history.undo()
    assert _doc(p)["power"] == before


def test_switching_the_workload_kind_keeps_the_model(sample_project):
    p = sample_project
    training = _doc(p)["workload"]
    p.do(SetWorkloadKind(p, TEXAS, "inference"))
    inference = _doc(p)["workload"]
    assert inference["kind"] == "inference"
    for key in ("params", "active_params", "precision"):
        assert inference[key] == training[key]
    assert "tokens" not in inference, "inference does not take training tokens"
    assert inference["batch"] == 32
    p.do(SetWorkloadKind(p, TEXAS, "utilization"))
    assert _doc(p)["workload"] == {"kind": "utilization", "utilization": 0.7}
    with pytest.raises(InputError) as err:
        SetWorkloadKind(p, TEXAS, "mining")
    assert err.value.field == "workload.kind"


def test_remove_row(sample_project):
    p = sample_project
    power = _doc(p)["power"]
    p.do(RemoveRow(p, TEXAS, "power", 1))
    assert _doc(p)["power"] == power[:1] + power[2:]
    with pytest.raises(InputError) as err:
        p.do(RemoveRow(p, TEXAS, "power", 10))
    assert err.value.field == "power[10]"


@pytest.mark.parametrize("scenario", [TEXAS, LATE])
@pytest.mark.parametrize("path, value, message", [
    ("overrides.pue", 0.5, "must be at least 1, got 0.5"),
    ("deployments[0].count", -5, "must be a positive integer, got -5"),
    ("power[1].mwh", 10, "applies only to storage; solar-pv is variable"),
    ("workload.params", "abc", "must be a number, got 'abc'"),
])
def test_set_field_refuses_what_the_engine_refuses_with_its_message(sample_project, scenario, path, value,
                                                                    message):
    p = sample_project
    before = snapshot(p)
    with pytest.raises(InputError) as err:
        p.do(SetField(p, scenario, path, value))
    assert (err.value.field, err.value.message) == (path, message)
    assert snapshot(p) == before, "nothing is written"
    assert not p.history.can_undo


def test_unset_field_refuses_removing_a_required_field(sample_project):
    p = sample_project
    with pytest.raises(InputError) as err:
        p.do(UnsetField(p, TEXAS, "workload.params"))
    assert err.value.field == "workload.params"


def test_a_scenario_broken_elsewhere_can_still_be_edited(sample_project):
    """A component removed from the project's catalogue leaves a scenario the engine
    refuses; the planner can still change its other fields (and fix it)."""
    p = sample_project
    from aisite.core.catalogue import load_catalogue

    b200 = load_catalogue().tables["chips"]["nvidia-b200"]
    p.do(AddCatalogueEntry("chips", {**b200, "id": "my-chip", "name": "Mine"}))
    p.do(SetField(p, TEXAS, "deployments[0].chip", "my-chip"))
    p.do(RemoveCatalogueEntry(p, "chips", "my-chip"))
    p.do(SetField(p, TEXAS, "power[0].mw", 260))
    assert _doc(p)["power"][0]["mw"] == 260
    with pytest.raises(InputError) as err:  # the broken field itself only takes a good value
        p.do(SetField(p, TEXAS, "deployments[0].chip", "no-such-chip"))
    assert err.value.field == "deployments[0].chip"
    p.do(SetField(p, TEXAS, "deployments[0].chip", "nvidia-b200"))


def test_effects_name_what_changed(sample_project):
    p = sample_project
    texas, late = p.scenario(TEXAS).id, p.scenario(LATE).id
    variant_edit = p.do(SetField(p, LATE, "power[0].mw", 300)).effects
    assert variant_edit.scenarios == {late} and not variant_edit.tree and not variant_edit.catalogue
    base_edit = p.do(SetField(p, TEXAS, "power[0].mw", 260)).effects
    assert base_edit.touches_scenario(p, late), "a variant follows its base"
    assert not variant_edit.touches_scenario(p, texas)
    rename = p.do(RenameScenario(p, TEXAS, "Texas")).effects
    assert rename.tree
    catalogue = p.do(AddCatalogueEntry("chips", {"id": "c2", "tdp_w": 500})).effects
    assert catalogue.catalogue and not catalogue.scenarios
    assert p.history.undo() is not None  # undo reports the same record
    seen = []
    p.history.listeners.append(lambda kind, op, effects: seen.append((kind, effects)))
    p.history.undo()
    assert seen == [("undo", rename)]


def test_one_history_tells_its_listeners_and_survives_a_conflict(sample_project):
    p = sample_project
    events = []
    p.history.listeners.append(lambda kind, op, effects: events.append(kind))
    p.do(SetField(p, TEXAS, "power[0].mw", 260))
    SetField(p, TEXAS, "power[0].mw", 270).apply(p)  # behind the history's back
    with pytest.raises(EditConflict):
        p.history.undo()
    assert p.history.can_undo and p.history.undo_text.startswith("Set power[0].mw = 260")
    assert events == ["do"]
