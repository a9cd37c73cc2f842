import pytest

from aisite.core.errors import InputError
from aisite.core.explore.uncertain import default_inputs, default_rows, resolve_inputs, uncertain_inputs
from aisite.core.schedule import duration_ranges
from aisite.core.scenario import load_scenario
from tests.core.explore.helpers import texas


def test_scenario_section_is_validated():
    doc = texas()
    doc["uncertain"] = {"schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 36, "high": 72},
                        "workload.mfu": {"dist": "uniform", "low": 0.3, "high": 0.5}}
    inputs = uncertain_inputs(doc)
    assert [u.path for u in inputs] == ["schedule.grid_connection", "workload.mfu"]
    assert inputs[0].base == 42 and inputs[1].base == 0.4
    # the engine still accepts the file
    load_scenario(doc)


@pytest.mark.parametrize("section, message", [
    ({"schedule.grid_connection": {"dist": "triangular", "low": 24, "mode": 24, "high": 12}},
     "uncertain.schedule.grid_connection.high: must be at least low (24), got 12"),
    ({"power[7].mw": {"dist": "uniform", "low": 1, "high": 2}}, "uncertain.power[7].mw: "),
    ({"workload.mfu": {"dist": "uniform", "low": 0.3, "high": 1.5}},
     "uncertain.workload.mfu.high: the scenario does not accept 1.5 here (workload.mfu: must be at most 1"),
    ({"finance.nonsense": {"dist": "uniform", "low": 0, "high": 1}}, "uncertain.finance.nonsense"),
])
def test_bad_sections_name_the_field(section, message):
    doc = texas()
    doc["uncertain"] = section
    with pytest.raises(InputError) as error:
        uncertain_inputs(doc)
    assert str(error.value).startswith(message)


def test_defaults_use_the_catalogue_lead_times():
    doc = texas()
    scenario = load_scenario(doc)
    ranges = duration_ranges(scenario)
    inputs = {u.path: u for u in default_inputs(doc)}
    grid = inputs["schedule.grid_connection"].dist
    assert (grid.low, grid.mode, grid.high) == ranges["grid_connection"] == (24, 42, 72)  # regions.csv us-texas
    assert "schedule.electrical_equipment" in inputs       # transformers and switchgear
    assert "schedule.accelerator_delivery" in inputs
    price = inputs["deployments[0].chip.price_usd"].dist
    assert price.mode == 40000 and price.low < 40000 < price.high
    assert inputs["overrides.utilization"].dist.high <= 1.0
    assert inputs["cooling.pue_min"].dist.low >= 1.0
    for key in ("overrides.electricity_usd_per_mwh", "workload.mfu"):
        assert key in inputs


def test_defaults_are_sourced():
    for row in default_rows():
        assert row["source"].strip(), row["key"]
        assert row["year"].strip()


def test_resolve_modes():
    doc = texas()
    doc["uncertain"] = {"workload.mfu": {"dist": "uniform", "low": 0.3, "high": 0.5}}
    assert [u.path for u in resolve_inputs(doc)] == ["workload.mfu"]
    added = resolve_inputs(doc, defaults="add")
    assert added[0].path == "workload.mfu" and len(added) > 5
    assert sum(u.path == "workload.mfu" for u in added) == 1
    doc.pop("uncertain")
    with pytest.raises(InputError):
        resolve_inputs(doc, defaults="none")


def test_a_new_uncertain_input_starts_from_the_shipped_range_in_any_distribution():
    from aisite.core.distributions import parse_distribution
    from aisite.core.explore.uncertain import check_entry, suggested_distribution

    doc = texas()
    shipped = {u.path: u.dist for u in default_inputs(doc)}["schedule.permitting"]
    tri = suggested_distribution(doc, "schedule.permitting")
    assert (tri["low"], tri["mode"], tri["high"]) == (shipped.low, shipped.mode, shipped.high)
    for kind in ("uniform", "normal", "lognormal"):
        spec = suggested_distribution(doc, "schedule.permitting", kind)
        dist = parse_distribution(spec, "x")  # what the form offers, the core accepts
        assert (dist.dist, dist.low, dist.high) == (kind, shipped.low, shipped.high)
        check_entry(doc, "schedule.permitting", spec)
    normal = suggested_distribution(doc, "schedule.permitting", "normal")
    assert 2 * 2.3263 * normal["sd"] == pytest.approx(shipped.high - shipped.low, rel=1e-3)  # P1..P99 wide
    # no shipped range: a spread either side of the scenario's own value
    rate = suggested_distribution(doc, "finance.discount_rate")
    assert rate["mode"] > 0 and rate["low"] == pytest.approx(rate["mode"] * 0.8)
    assert rate["high"] == pytest.approx(rate["mode"] * 1.2)


def test_check_entry_refuses_what_a_run_would():
    from aisite.core.explore.uncertain import check_entry

    with pytest.raises(InputError, match=r"uncertain.workload.mfu.high: the scenario does not accept 1.5"):
        check_entry(texas(), "workload.mfu", {"dist": "uniform", "low": 0.3, "high": 1.5})
