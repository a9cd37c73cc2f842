import pytest

from aisite.core.errors import InputError
from aisite.core.explore import paths as P
from aisite.core.scenario import load_scenario
from tests.core.explore.helpers import texas


def test_get_and_set_written_numbers():
    doc = texas()
    assert P.get_number(doc, "power[1].mw") == 200
    assert P.get_number(doc, "deployments[0].count") == 32768
    changed = P.with_number(doc, "power[1].mw", 350)
    assert changed["power"][1]["mw"] == 350
    assert doc["power"][1]["mw"] == 200  # the original is untouched


def test_defaults_the_file_leaves_out():
    doc = texas()
    assert P.get_number(doc, "finance.discount_rate") == 0.08
    assert P.get_number(doc, "schedule.grid_connection") == 42  # us-texas mode
    assert P.get_number(doc, "overrides.pue") is None            # derived, not set
    assert P.get_number(doc, "workload.mfu") == 0.40


def test_setting_a_catalogue_field_makes_an_inline_override():
    doc = texas()
    assert P.get_number(doc, "deployments[0].chip.price_usd") == 40000
    changed = P.with_number(doc, "deployments[0].chip.price_usd", 30000)
    assert changed["deployments"][0]["chip"] == {"id": "nvidia-b200", "price_usd": 30000}
    scenario = load_scenario(changed)
    assert scenario.deployments[0].chip["price_usd"] == 30000
    assert scenario.deployments[0].chip["tdp_w"] == load_scenario(doc).deployments[0].chip["tdp_w"]
    changed = P.with_number(doc, "cooling.pue_min", 1.2)
    assert load_scenario(changed).cooling["pue_min"] == 1.2


def test_overrides_and_schedule_are_created():
    doc = texas()
    doc.pop("schedule", None)
    changed = P.with_number(doc, "schedule.grid_connection", 60)
    assert changed["schedule"] == {"grid_connection": 60}
    assert P.with_number(doc, "overrides.pue", 1.3)["overrides"]["pue"] == 1.3


@pytest.mark.parametrize("path, fragment", [
    ("power[9].mw", "there is no [9]"),
    ("power[1].mww", "power[1] has no number 'mww'; did you mean 'mw'?"),
    ("finance.discount", "did you mean 'discount_rate'?"),
    ("schedule.digging", "not a schedule task"),
    ("overrides.colour", "not an override"),
    ("power[1]..mw", "not a valid path"),
    ("[0].mw", "not a valid path"),
    ("region", "not a number"),
])
def test_unknown_paths_are_clear_errors(path, fragment):
    with pytest.raises(InputError) as error:
        P.check_numeric(texas(), path)
    assert fragment in str(error.value)
    assert "\n" not in str(error.value)


def test_normalise():
    assert P.normalise(" power[1].mw ") == "power[1].mw"
    assert P.parse("deployments[0].chip.price_usd") == ("deployments", 0, "chip", "price_usd")
