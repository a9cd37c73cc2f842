"""The solar (pvlib) and wind (turbine catalogue, air density, shear) models behind the
profiles' solar_cf and wind_cf columns."""
from __future__ import annotations

import numpy as np
import pytest

from aisite.core import profiles as P
from aisite.core import solar_pv, wind_power

HOURS = P.HOURS


def clear_texas_year():
    """A cloudless year at Dallas: Haurwitz clear-sky GHI, 80 % of it direct."""
    _e, _n, up, _e0 = P.solar_position(32.9, -97.0, -6)
    cz = np.clip(up, 0.0, None)
    ghi = np.where(cz > 0.0, 1098.0 * cz * np.exp(-0.057 / np.maximum(cz, 1e-6)), 0.0)
    dhi = 0.2 * ghi
    dni = np.where(cz > 0.05, (ghi - dhi) / np.maximum(cz, 0.05), 0.0)
    return ghi, dni, dhi


def test_solar_zero_in_the_dark_and_never_above_the_inverter_rating():
    zeros = np.zeros(HOURS)
    dark = solar_pv.simulate(zeros, zeros, zeros, np.full(HOURS, 10.0), np.ones(HOURS), 40.0, -75.0, -5)
    assert not dark.ac_per_mw.any()
    ghi, dni, dhi = clear_texas_year()
    cold = solar_pv.simulate(ghi * 1.3, dni * 1.3, dhi * 1.3, np.full(HOURS, -20.0), np.full(HOURS, 5.0),
                             32.9, -97.0, -6)
    assert cold.ac_per_mw.max() == pytest.approx(1.0) and cold.ac_per_mw.min() == 0.0
    assert cold.clipped_mwh > 0  # a DC/AC ratio of 1.2 clips on cold, bright hours


def test_solar_losses_multiply_to_the_output():
    """Each named step is one factor: GHI x (1 + each step) x DC/AC = AC energy."""
    ghi, dni, dhi = clear_texas_year()
    r = solar_pv.simulate(ghi, dni, dhi, np.full(HOURS, 25.0), np.full(HOURS, 3.0), 32.9, -97.0, -6, 170.0)
    product = np.prod([1.0 + v for v in r.losses().values()])
    # 1 kWh/m2 on 1 MW DC of STC-rated modules is 1 MWh.
    assert r.ghi_kwh_m2 * solar_pv.DEFAULTS.dc_ac_ratio * product == pytest.approx(r.ac_mwh, rel=1e-9)
    losses = r.losses()
    assert 0.15 < losses["transposition"] < 0.45  # a tracker sees more than a flat plate
    assert -0.03 < losses["angle_of_incidence"] < 0.0
    assert losses["system"] == pytest.approx(-0.1408, abs=1e-4)  # PVWatts' 14.08 %
    assert -0.06 < losses["inverter"] < -0.03


def test_solar_hotter_air_gives_less():
    ghi, dni, dhi = clear_texas_year()
    wind = np.full(HOURS, 2.0)
    mild = solar_pv.simulate(ghi, dni, dhi, np.full(HOURS, 10.0), wind, 32.9, -97.0, -6).ac_mwh
    hot = solar_pv.simulate(ghi, dni, dhi, np.full(HOURS, 40.0), wind, 32.9, -97.0, -6).ac_mwh
    assert hot < mild * 0.93  # about -0.37 %/degC on the cell


def test_sunrise_hour_takes_the_sun_when_it_is_up():
    """In a sunrise hour the geometry is taken in the part of the hour after sunrise."""
    times = solar_pv.sun_times(59.6, 17.95, 1, 40.0)  # Stockholm
    minutes = np.asarray(times.minute) + np.asarray(times.second) / 60.0
    assert np.isclose(minutes, 30.0).mean() > 0.9  # most hours: mid-hour
    assert (minutes > 31).any() and (minutes < 29).any()  # sunrise later, sunset earlier


def test_air_density_at_sea_level_and_in_riyadh():
    _t, p0, rho0 = wind_power.hub_conditions(np.array([15.0 + 0.0065 * 98.0]), 0.0, 100.0)
    # Standard atmosphere at 100 m: ~1.213 kg/m3.
    assert rho0[0] == pytest.approx(1.213, abs=0.003)
    _t, _p, rho = wind_power.hub_conditions(np.array([35.0]), 624.5, 110.0)
    assert rho[0] == pytest.approx(1.05, abs=0.02)  # hot and high: about 14 % thinner


def test_density_correction_follows_iec():
    """Thin air reads the published curve at v x (rho / 1.225)^(1/3); rated power stays rated."""
    t = wind_power.default_turbine()
    speeds_10m = np.array([4.0, 6.0, 15.0])
    shear = 1.0 / 7.0
    sea = wind_power.capacity_factor(speeds_10m, np.full(3, 15.0), 0.0, shear_alpha=shear, losses=0.0)
    high = wind_power.capacity_factor(speeds_10m, np.full(3, 35.0), 624.5, shear_alpha=shear, losses=0.0)
    v_hub = wind_power.hub_speed(speeds_10m, t.hub_height_m, shear)
    _t, _p, rho = wind_power.hub_conditions(np.full(3, 35.0), 624.5, t.hub_height_m)
    np.testing.assert_allclose(high, t.power_per_rated(v_hub * (rho / 1.225) ** (1 / 3)), rtol=1e-12)
    assert high[0] < sea[0] and high[1] < sea[1]
    assert high[2] == sea[2] == 1.0


def test_turbine_catalogue_and_cut_out():
    cat = wind_power.turbines()
    low, high = cat["low-specific-power-3.4mw"], cat["high-specific-power-3.0mw"]
    assert next(iter(cat)) == low.id  # the default
    assert 240 < low.specific_power_w_per_m2 < 270 and 450 < high.specific_power_w_per_m2 < 490
    assert low.power_per_rated(26.0) == 0.0 and low.power_per_rated(20.0) == 1.0
    assert low.power_per_rated(2.0) == 0.0


def test_low_specific_power_gives_more_on_the_same_wind():
    """On the Texas station's wind, the modern rotor yields 1.4-1.75 x the capacity factor."""
    rng = np.random.default_rng(3)
    wind = rng.weibull(2.0, HOURS) * 5.5  # a 10 m Weibull year, mean ~4.9 m/s
    temp = np.full(HOURS, 20.0)
    low = wind_power.capacity_factor(wind, temp, 170.0, turbine_id="low-specific-power-3.4mw").mean()
    high = wind_power.capacity_factor(wind, temp, 170.0, turbine_id="high-specific-power-3.0mw").mean()
    assert 1.4 <= low / high <= 1.9


def test_shear_exponent_raises_hub_speed():
    assert wind_power.hub_speed(5.0, 110.0, 0.2) > wind_power.hub_speed(5.0, 110.0, 0.143)
    assert wind_power.hub_speed(5.0, 10.0, 0.3) == pytest.approx(5.0)
