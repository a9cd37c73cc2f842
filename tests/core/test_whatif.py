"""aisite.core.whatif: lever values, the changes they make, and better/worse verdicts."""
from __future__ import annotations

import json

from aisite.core.catalogue import load_catalogue
from aisite.core.evaluate import evaluate
from aisite.core.paths import data_dir
from aisite.core.scenario import load_scenario
from aisite.core import whatif


def _sample(name):
    return json.loads((data_dir() / "samples" / f"{name}.json").read_text())


def test_lever_values_read_the_engine_defaults():
    cat = load_catalogue()
    v = whatif.lever_values(_sample("texas-training-campus"), cat)
    assert v["solar_mw"] == 200 and v["battery_mwh"] == 400 and v["wind_mw"] == 0
    assert v["price"] == cat.tables["regions"]["us-texas"]["electricity_usd_per_mwh"]
    assert "mfu" not in whatif.lever_values(_sample("inference-fleet-virginia"), cat)


def test_changes_set_existing_entries_and_append_new_sources():
    cat = load_catalogue()
    doc = _sample("inference-fleet-virginia")
    values = whatif.lever_values(doc, cat)
    values.update(solar_mw=100, battery_mw=20, battery_mwh=80, grid_mw=60)
    ch = whatif.changes(doc, values, cat)
    n = len(doc["power"])
    assert ch == {"power[0].mw": 60, f"power[{n}]": {"source": "solar-pv", "mw": 100},
                  f"power[{n + 1}]": {"source": "battery", "mw": 20, "mwh": 80}}
    assert whatif.changes(doc, whatif.lever_values(doc, cat), cat) == {}
    load_scenario(whatif.apply(doc, values, cat), cat)  # the engine accepts it


def test_deltas_say_better_and_worse_in_planners_units():
    cat = load_catalogue()
    doc = _sample("texas-training-campus")
    base = evaluate(load_scenario(doc, cat)).summary
    values = whatif.lever_values(doc, cat)
    values["solar_mw"] = 300
    new = evaluate(load_scenario(whatif.apply(doc, values, cat), cat)).summary
    d = whatif.figure_deltas(base, new)
    assert d["tco2e_per_year_location"].verdict == "better"
    assert d["tco2e_per_year_location"].text.startswith("-") and "kt CO2e" in d["tco2e_per_year_location"].text
    assert d["capex_usd"].verdict == "worse" and d["capex_usd"].text.startswith("+$")
    assert d["carbon_free_fraction"].text.split()[1] == "pts"
    assert d["accelerators"].verdict == "same"
    assert whatif.figure_deltas(base, base)["capex_usd"].text == "no change"
