"""Hourly profiles: derivation functions, shipped files, planner imports, reproducibility."""
from __future__ import annotations

import csv
import filecmp
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aisite.core import profiles as P
from aisite.core.errors import InputError
from aisite.core.paths import data_dir

REPO = Path(__file__).resolve().parents[2]


def regions() -> dict[str, dict]:
    with open(data_dir() / "regions.csv", newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


# ---------------------------------------------------------------- derivation functions


def test_wet_bulb_stull_known_points():
    # Stull (2011): T = 20 C, RH = 50 % gives Tw = 13.7 C.
    assert P.wet_bulb_stull(20.0, 50.0) == pytest.approx(13.7, abs=0.05)
    # Saturated air: wet bulb = dry bulb (to the fit's accuracy), never above it.
    assert P.wet_bulb_stull(25.0, 99.0) == pytest.approx(25.0, abs=0.3)
    assert P.wet_bulb_stull(np.array([30.0, 40.0]), np.array([100.0, 10.0])).tolist() <= [30.0, 40.0]
    # Hot, dry desert air: 40 C, 10 %. By hand: e = 0.10 x 7.38 kPa = 0.738 kPa, and
    # es(Tw) - 0.0674 kPa/K x (40 - Tw) = 0.738 solves to Tw ~ 18.8 C at sea level.
    assert P.wet_bulb_stull(40.0, 10.0) == pytest.approx(18.8, abs=0.5)


def test_solar_position_noon():
    # Solar noon near 12:00 local standard time at the time-zone meridian, sun high in June.
    hours = np.arange(171 * 24 + 1, 172 * 24 + 1)  # 21 June
    _e, _n, up, _e0 = P.solar_position(45.0, 15.0, 1, hours)
    assert int(np.argmax(up)) in (11, 12)  # hour ending 12:00 or 13:00
    assert math.degrees(math.asin(up.max())) == pytest.approx(90 - 45 + 23.44, abs=1.0)
    assert up[0] < 0  # midnight


def test_grid_carbon_shape_mean_and_dip():
    solar = np.zeros(P.HOURS)
    solar[np.arange(P.HOURS) % 24 == 12] = 0.8
    grid = P.grid_carbon_shape(solar, 379.0)
    assert grid.mean() == pytest.approx(379.0, abs=1e-9)
    assert np.allclose(np.round(grid, 2), grid, rtol=0, atol=1e-9)  # two decimals
    day = grid[:24]
    assert day[12] < day[3] < day[18]  # dips at midday, peaks in the evening


# ---------------------------------------------------------------- shipped profiles


@pytest.mark.parametrize("region_id", sorted(regions()))
def test_shipped_profile(region_id):
    path = data_dir() / "profiles" / f"{region_id}.csv"
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["hour_of_year", *P.COLUMNS]
    assert len(rows) == P.HOURS + 1
    assert [int(r[0]) for r in rows[1:]] == list(range(1, P.HOURS + 1))

    prof = P.load_region_profile(region_id)
    assert prof.name == region_id and prof.kind == regions()[region_id]["profile_kind"]
    for col, (lo, hi) in P.COLUMNS.items():
        arr = prof.column(col)
        assert arr.dtype == np.float64 and arr.shape == (P.HOURS,)
        assert np.all((arr >= lo) & (arr <= hi)), col
    assert np.all(prof.wet_bulb_c <= prof.dry_bulb_c)
    assert -5 < prof.dry_bulb_c.mean() < 32
    assert 0.08 <= prof.solar_cf.mean() <= 0.30
    assert 0.01 <= prof.wind_cf.mean() <= 0.45
    # Local midnight is dark everywhere.
    assert not prof.solar_cf[np.arange(P.HOURS) % 24 == 0].any()
    # Grid carbon mean is the regions.csv figure.
    assert prof.grid_gco2_per_kwh.mean() == pytest.approx(
        float(regions()[region_id]["grid_gco2_per_kwh"]), abs=1e-6
    )


def test_shipped_profiles_plausible_across_regions():
    t = {r: P.load_region_profile(r).dry_bulb_c.mean() for r in regions()}
    assert t["singapore"] > t["us-texas"] > t["us-virginia"] > t["sweden"]
    assert t["uae"] > t["germany"] and t["sweden"] < 9
    solar = {r: P.load_region_profile(r).solar_cf.mean() for r in regions()}
    assert solar["saudi-arabia"] > solar["germany"] > solar["norway"]
    assert 0.21 <= solar["us-texas"] <= 0.27  # US utility PV 23-24 % (facts.md s4)


def test_load_region_profile_cached_and_read_only():
    a = P.load_region_profile("sweden")
    assert P.load_region_profile("sweden") is a
    with pytest.raises(ValueError):
        a.solar_cf[0] = 1.0
    with pytest.raises(InputError, match="no hourly profile for 'atlantis'"):
        P.load_region_profile("atlantis")


def test_with_grid_mean():
    prof = P.load_region_profile("us-texas").with_grid_mean(100.0)
    assert prof.grid_gco2_per_kwh.mean() == pytest.approx(100.0)


# ---------------------------------------------------------------- planner imports


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def test_load_profile_csv_columns(tmp_path):
    rows = [f"{h},{0.5 if 10 <= h % 24 <= 14 else 0},{20 + h % 5}" for h in range(1, P.HOURS + 1)]
    cols = P.load_profile_csv(write_csv(tmp_path / "mine.csv", "hour_of_year,Solar_CF,dry_bulb_c", rows))
    assert set(cols) == {"solar_cf", "dry_bulb_c"}
    assert cols["solar_cf"].shape == (P.HOURS,) and cols["solar_cf"].max() == 0.5
    assert cols["dry_bulb_c"][0] == 21.0


def test_load_profile_csv_single_column_and_headerless(tmp_path):
    vals = [str(300 + (h % 24)) for h in range(P.HOURS)]
    cols = P.load_profile_csv(write_csv(tmp_path / "co2.csv", "my_grid_series", vals))
    assert list(cols) == ["value"] and cols["value"][1] == 301
    (tmp_path / "bare.csv").write_text("\n".join(vals) + "\n")
    assert P.load_profile_csv(tmp_path / "bare.csv")["value"][23] == 323


def test_load_profile_csv_semicolon_decimal_comma(tmp_path):
    rows = [f"{h};0,25" for h in range(1, P.HOURS + 1)]
    cols = P.load_profile_csv(write_csv(tmp_path / "eu.csv", "hour_of_year;wind_cf", rows))
    assert cols["wind_cf"][0] == 0.25


def test_load_profile_csv_bad_value_names_row_and_column(tmp_path):
    rows = ["0.1"] * P.HOURS
    rows[15] = "abc"  # data row 16 = line 17 (the header is line 1)
    path = write_csv(tmp_path / "myfile.csv", "solar_cf", rows)
    with pytest.raises(InputError) as err:
        P.load_profile_csv(path)
    assert str(err.value) == "myfile.csv row 17, solar_cf: must be a number between 0 and 1, got 'abc'"
    rows[15] = "1.5"
    with pytest.raises(InputError, match=r"myfile.csv row 17, solar_cf: .* got '1.5'"):
        P.load_profile_csv(write_csv(tmp_path / "myfile.csv", "solar_cf", rows))


def test_load_profile_csv_wrong_length_and_hours(tmp_path):
    path = write_csv(tmp_path / "short.csv", "wind_cf", ["0.3"] * 8700)
    with pytest.raises(InputError) as err:
        P.load_profile_csv(path)
    assert str(err.value) == "short.csv: has 8,700 rows; a typical year needs 8,760"
    rows = [f"{h},0.3" for h in range(1, P.HOURS + 1)]
    rows[99] = "7,0.3"
    with pytest.raises(InputError, match=r"hours.csv row 101, hour_of_year: must be 100"):
        P.load_profile_csv(write_csv(tmp_path / "hours.csv", "hour_of_year,wind_cf", rows))
    with pytest.raises(InputError, match="needs a column named"):
        P.load_profile_csv(write_csv(tmp_path / "two.csv", "a,b", ["1,2"] * P.HOURS))


EPW_HEADER = [
    "LOCATION,Testville,ST,USA,TMYx,999999,38.98,-77.49,-5.0,88.4",
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,test file",
    "COMMENTS 2,written by the test",
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
]


def synthetic_weather(seed=1):
    rng = np.random.default_rng(seed)
    h = np.arange(P.HOURS)
    t = np.round(12 + 10 * np.sin(2 * np.pi * (h / 8760 - 0.3)) + 5 * np.sin(2 * np.pi * (h % 24 - 9) / 24), 1)
    rh = np.round(np.clip(70 - 2 * (t - 12) + rng.normal(0, 5, P.HOURS), 10, 100))
    td = np.round(P.dew_point_magnus(t, rh), 1)
    _e, _n, up, _e0 = P.solar_position(38.98, -77.49, -5)
    ghi = np.round(np.clip(800 * up, 0, None))
    dhi = np.round(0.3 * ghi)
    dni = np.round(np.where(up > 0.1, (ghi - dhi) / np.maximum(up, 0.1), 0))
    ws = np.round(rng.weibull(2.0, P.HOURS) * 5.0, 1)
    return t, td, rh, ghi, dni, dhi, ws


def write_epw(path: Path, weather, leap=False, corrupt_line=None, missing_at=None) -> Path:
    t, td, rh, ghi, dni, dhi, ws = weather
    lines = list(EPW_HEADER)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    i = 0
    for month, nd in enumerate(days, start=1):
        for day in range(1, nd + 1):
            for hour in range(1, 25):
                j = min(i, P.HOURS - 1)
                if not (month == 2 and day == 29):
                    i += 1
                f = ["2001", str(month), str(day), str(hour), "60", "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9",
                     f"{t[j]:.1f}", f"{td[j]:.1f}", f"{rh[j]:.0f}", "101325", "0", "0", "300",
                     f"{ghi[j]:.0f}", f"{dni[j]:.0f}", f"{dhi[j]:.0f}", "0", "0", "0", "0", "180",
                     f"{ws[j]:.1f}", "5", "5", "20.0", "77777", "9", "999999999", "10", "0.1", "0", "88",
                     "0.2", "0", "1"]
                if missing_at is not None and j == missing_at and not (month == 2 and day == 29):
                    f[6] = "99.9"
                lines.append(",".join(f))
    if corrupt_line is not None:
        parts = lines[corrupt_line - 1].split(",")
        parts[13] = "lots"
        lines[corrupt_line - 1] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_load_epw_matches_derivation(tmp_path):
    w = synthetic_weather()
    prof = P.load_epw(write_epw(tmp_path / "test.epw", w), grid_gco2_per_kwh=379.0)
    t, _td, rh, ghi, dni, dhi, ws = w
    ref = P.derive_profile("x", "imported", t, rh, ghi, dni, dhi, ws, 38.98, -77.49, -5, 379.0, elevation_m=88.4)
    assert prof.name == "Testville" and prof.kind == "imported"
    for col in P.COLUMNS:
        np.testing.assert_allclose(prof.column(col), ref.column(col), err_msg=col)
    assert prof.grid_gco2_per_kwh.mean() == pytest.approx(379.0)
    assert 0.05 < prof.solar_cf.mean() < 0.4
    unit = P.load_epw(tmp_path / "test.epw")
    assert unit.grid_gco2_per_kwh.mean() == pytest.approx(1.0)


def test_load_epw_leap_year_and_missing_values(tmp_path):
    w = synthetic_weather()
    base = P.load_epw(write_epw(tmp_path / "a.epw", w))
    leap = P.load_epw(write_epw(tmp_path / "leap.epw", w, leap=True))
    np.testing.assert_array_equal(base.dry_bulb_c, leap.dry_bulb_c)
    gap = P.load_epw(write_epw(tmp_path / "gap.epw", w, missing_at=500))
    assert gap.dry_bulb_c[500] == pytest.approx((w[0][499] + w[0][501]) / 2, abs=0.01)


def test_load_epw_errors(tmp_path):
    w = synthetic_weather()
    path = write_epw(tmp_path / "bad.epw", w, corrupt_line=8 + 17)
    with pytest.raises(InputError) as err:
        P.load_epw(path)
    assert str(err.value) == "bad.epw row 25, ghi: must be a number, got 'lots'"
    lines = (tmp_path / "bad.epw").read_text().splitlines()
    (tmp_path / "short.epw").write_text("\n".join(EPW_HEADER + lines[40:140]) + "\n")
    with pytest.raises(InputError, match="short.epw: has 100 hourly rows; a typical year needs 8,760"):
        P.load_epw(tmp_path / "short.epw")
    (tmp_path / "not.epw").write_text("hello,world\n")
    with pytest.raises(InputError, match="not.epw: is not an EPW weather file"):
        P.load_epw(tmp_path / "not.epw")


# ---------------------------------------------------------------- reproducibility


def weather_dir() -> Path | None:
    for cand in (Path("/work/shared/data/weather"), REPO.parent / "shared" / "data" / "weather"):
        if (cand / "sweden.csv").is_file():
            return cand
    return None


@pytest.mark.skipif(weather_dir() is None, reason="shared typical-year weather not present")
def test_build_script_reproduces_committed_profiles(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_profiles.py"), "--weather-dir", str(weather_dir()),
         "--out-dir", str(tmp_path), "--only", "sweden", "ireland", "--quiet"],
        check=True, cwd=REPO,
    )
    for rid in ("sweden", "ireland"):  # one measured, one synthetic
        assert filecmp.cmp(tmp_path / f"{rid}.csv", data_dir() / "profiles" / f"{rid}.csv", shallow=False), rid
