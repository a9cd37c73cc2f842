"""A planner's own hourly data in a scenario: CSV columns and EPW weather files."""
import json

import numpy as np
import pytest

from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.scenario import load_scenario, read_scenario_file, resolve_profiles
from tests.core.engine_helpers import small_site
from tests.core.test_profiles import synthetic_weather, write_epw


def test_csv_column_replaces_the_regions_profile(tmp_path):
    csv = tmp_path / "solar.csv"
    csv.write_text("solar_cf\n" + "\n".join(["0.5"] * 8760) + "\n")
    data = small_site(power=[{"source": "grid", "mw": 10}, {"source": "solar-pv", "mw": 4}],
                      profiles={"solar_cf": str(csv)})
    result = evaluate_dict(data)
    assert result.summary["energy"]["solar_mwh"] == pytest.approx(4 * 0.5 * 8760)
    assert result.summary["site"]["profile_kind"] == "imported"


def test_relative_paths_are_found_beside_the_scenario_file(tmp_path):
    (tmp_path / "carbon.csv").write_text("\n".join(["100"] * 8760))
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(small_site(profiles={"grid_gco2_per_kwh": "carbon.csv"})))
    e = evaluate_dict(resolve_profiles(read_scenario_file(scenario), tmp_path)).summary["energy"]
    assert e["tco2e_per_year_location"] == pytest.approx(e["grid_import_mwh"] * 0.1)


def test_epw_weather_file_drives_pue(tmp_path):
    weather = synthetic_weather()
    epw = write_epw(tmp_path / "site.epw", weather)
    data = small_site(cooling="air", profiles={"weather": str(epw)})
    result = evaluate_dict(data)
    np.testing.assert_allclose(result.hourly["ambient_c"], weather[0], atol=0.05)


@pytest.mark.parametrize("profiles,expected", [
    ({"solar_cf": "nope.csv"}, "profiles.solar_cf: file not found"),
    ({"weather": "x.csv"}, "profiles.weather: must be a .epw file"),
    ({"sun": "x.csv"}, "profiles.sun: unknown field"),
])
def test_bad_profile_references(profiles, expected):
    with pytest.raises(InputError) as info:
        load_scenario(small_site(profiles=profiles))
    assert str(info.value).startswith(expected)
