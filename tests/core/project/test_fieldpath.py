"""Field paths like deployments[0].count and power[1].mw."""
import pytest

from aisite.core.errors import InputError
from aisite.core.project.fieldpath import (
    apply_overrides,
    format_path,
    get_path,
    is_within,
    parse_path,
    set_path,
    unset_path,
)


def test_parse_and_format():
    assert parse_path("deployments[0].count") == ("deployments", 0, "count")
    assert parse_path("power[12].mw") == ("power", 12, "mw")
    assert parse_path('overrides["odd key.x"]') == ("overrides", "odd key.x")
    assert format_path(("uncertain", "schedule.grid_connection", "low")) == 'uncertain["schedule.grid_connection"].low'
    for text in ["a", "a.b-c", "a[3][4].b", 'x["\\u00e9 \\"q\\""]']:
        assert format_path(parse_path(text)) == text or parse_path(format_path(parse_path(text))) == parse_path(text)


@pytest.mark.parametrize("bad", ["", "[0]", "a.", "a..b", "a[x]", "a[01]", "a[-1]", "1a", "a b", "a[0", 'a["x]'])
def test_bad_paths_name_the_path(bad):
    with pytest.raises(InputError) as info:
        parse_path(bad)
    assert info.value.field == bad


def test_get_set_unset():
    doc = {"power": [{"source": "grid", "mw": 250}], "finance": {}}
    assert get_path(doc, "power[0].mw") == 250
    set_path(doc, "power[0].mw", 300)
    set_path(doc, "overrides.pue", 1.2)  # a missing object is created
    set_path(doc, "power[1]", {"source": "solar-pv", "mw": 5})  # append at the end
    assert doc["power"][0]["mw"] == 300 and doc["overrides"] == {"pue": 1.2} and len(doc["power"]) == 2
    unset_path(doc, "power[1]")
    assert len(doc["power"]) == 1
    with pytest.raises(InputError, match="no \\[5\\]"):
        set_path(doc, "power[5].mw", 1)
    with pytest.raises(InputError, match="has no field 'x'"):
        get_path(doc, "finance.x")
    with pytest.raises(InputError, match="not a list"):
        get_path(doc, "finance[0]")


def test_overrides_apply_in_order_and_report_the_path():
    base = {"power": [{"mw": 1}, {"mw": 2}]}
    out = apply_overrides(base, {"power": [{"mw": 9}], "power[0].mw": 10})
    assert out == {"power": [{"mw": 10}]} and base == {"power": [{"mw": 1}, {"mw": 2}]}
    with pytest.raises(InputError) as info:
        apply_overrides(base, {"power[3].mw": 1}, who="variant 'V'")
    assert info.value.field == "power[3].mw" and "variant 'V'" in info.value.message


def test_is_within():
    assert is_within("power[1].mw", "power")
    assert is_within("power[1].mw", "power[1]")
    assert not is_within("power[1].mw", "power[0]")
    assert not is_within("powerx", "power")
