"""Hourly output of a utility PV plant on single-axis trackers, through pvlib.

One model for the shipped profiles (``tools/build_profiles.py``) and for a planner's own
EPW file (``aisite.core.profiles.load_epw``). It follows the chain of NREL's PVWatts v8, the tool
planners already know, with each step a pvlib function:

1. sun position (NREL SPA) at the middle of each hour, or, in the hours when the sun rises
   or sets, at the middle of the part of the hour when it is up (as SAM does; otherwise the
   sunrise and sunset hours get the geometry of a sun that is not yet up);
2. a horizontal north-south single-axis tracker with backtracking at a ground coverage
   ratio (``pvlib.tracking.singleaxis``);
3. Perez (1990) transposition of beam, sky diffuse and ground-reflected light
   (``pvlib.irradiance.get_total_irradiance``), the sky diffuse reduced by the row in front
   (``pvlib.shading.sky_diffuse_passias``);
4. angle-of-incidence (glass reflection) loss on the beam (``pvlib.iam.physical``) and on
   diffuse light at its effective angles;
5. the spectral (air-mass) modifier of De Soto et al. (2006)
   (``pvlib.spectrum.spectral_factor_sapm``); cell temperature by the Fuentes heat-transfer model PVWatts uses
   (``pvlib.temperature.fuentes``) and the DC power temperature coefficient
   (``pvlib.pvsystem.pvwatts_dc``);
6. PVWatts' default system losses, each named (``pvlib.pvsystem.pvwatts_losses``);
7. the PVWatts inverter model: part-load efficiency, then clipping at the AC rating
   (``pvlib.inverter.pvwatts``).

Every parameter is in :data:`DEFAULTS` with its source; ``data/README.md`` lists them.
Output is per MW of AC (inverter) capacity.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

import numpy as np
import pandas as pd
import pvlib

HOURS = 8760
#: A non-leap year for the typical-year timestamps (the weather has no 29 February).
_YEAR = 2019
#: Sub-steps per hour used to find the sun-up part of sunrise and sunset hours.
_SUBSTEPS = 12


@dataclass(frozen=True)
class PVParameters:
    """A PV plant design. Defaults are PVWatts v8's for a one-axis backtracking array
    (NREL, PVWatts Version 5 Manual, Dobos 2014, NREL/TP-6A20-62641, and the PVWatts v8
    help text in SAM 2023.12) unless a field says otherwise."""

    dc_ac_ratio: float = 1.2          # PVWatts v8 default for utility one-axis in the web tool
    gcr: float = 0.3                  # PVWatts v8 ground coverage ratio default
    max_angle_deg: float = 45.0       # PVWatts one-axis rotation limit
    albedo: float = 0.2               # PVWatts default ground reflectance
    gamma_pdc_per_c: float = -0.0037  # PVWatts v8 "standard" module: -0.37 %/degC
    glass_n: float = 1.526            # PVWatts v8 module cover: glass (De Soto 2006) ...
    ar_coating_n: float = 1.3         # ... with an anti-reflective coating (all v8 module types)
    noct_installed_c: float = 45.0    # PVWatts (Fuentes model) installed NOCT, rack-mounted
    inverter_eff_nom: float = 0.96    # PVWatts v8 nominal inverter efficiency
    # PVWatts default system losses (%), pvlib.pvsystem.pvwatts_losses defaults:
    soiling_pct: float = 2.0
    shading_pct: float = 3.0
    snow_pct: float = 0.0
    mismatch_pct: float = 2.0
    wiring_pct: float = 2.0
    connections_pct: float = 0.5
    lid_pct: float = 1.5              # light-induced degradation
    nameplate_pct: float = 1.0
    age_pct: float = 0.0
    availability_pct: float = 3.0

    def system_loss_fraction(self) -> float:
        """The combined PVWatts system losses (14.08 % with the defaults)."""
        return float(pvlib.pvsystem.pvwatts_losses(
            soiling=self.soiling_pct, shading=self.shading_pct, snow=self.snow_pct,
            mismatch=self.mismatch_pct, wiring=self.wiring_pct,
            connections=self.connections_pct, lid=self.lid_pct,
            nameplate_rating=self.nameplate_pct, age=self.age_pct,
            availability=self.availability_pct)) / 100.0


DEFAULTS = PVParameters()

#: Air-mass polynomial a0..a4 of De Soto, Klein & Beckman (2006), Solar Energy 80:78-88,
#: the coefficients SAM's PVWatts v8 uses (``amavec`` in ssc lib_cec6par.cpp).
DESOTO_AIRMASS_COEFFS = {"A0": 0.918093, "A1": 0.086257, "A2": -0.024459,
                         "A3": 0.002816, "A4": -0.000126}


@dataclass(frozen=True)
class PVResult:
    """Hourly AC output per MW AC and the annual energy at each step (kWh/m2 of
    irradiance or MWh per MW AC), from which :meth:`losses` names each loss."""

    ac_per_mw: np.ndarray
    ghi_kwh_m2: float
    poa_kwh_m2: float          # after transposition and diffuse row shading
    poa_transmitted_kwh_m2: float   # after the angle-of-incidence loss
    dc_ideal_mwh: float        # DC at STC efficiency, before the spectrum and temperature
    dc_spectral_mwh: float     # after the spectral modifier
    dc_temp_mwh: float         # after temperature
    dc_mwh: float              # after system losses
    clipped_mwh: float         # DC above the inverter's input rating
    ac_mwh: float

    def losses(self) -> dict[str, float]:
        """Each step as a signed fraction of the energy entering it (gains positive)."""
        return {
            "transposition": self.poa_kwh_m2 / self.ghi_kwh_m2 - 1.0,
            "angle_of_incidence": self.poa_transmitted_kwh_m2 / self.poa_kwh_m2 - 1.0,
            "spectral": self.dc_spectral_mwh / self.dc_ideal_mwh - 1.0,
            "temperature": self.dc_temp_mwh / self.dc_spectral_mwh - 1.0,
            "system": self.dc_mwh / self.dc_temp_mwh - 1.0,
            "clipping": -self.clipped_mwh / self.dc_mwh,
            "inverter": self.ac_mwh / (self.dc_mwh - self.clipped_mwh) - 1.0,
        }


def hour_times(utc_offset: float) -> pd.DatetimeIndex:
    """Start of each typical-year hour (EPW hour n is the interval ending at n), local
    standard time with a fixed UTC offset."""
    tz = timezone(timedelta(minutes=int(round(utc_offset * 60))))
    return pd.date_range(f"{_YEAR}-01-01 00:00", periods=HOURS, freq="h", tz=tz)


def sun_times(lat: float, lon: float, utc_offset: float, elevation_m: float) -> pd.DatetimeIndex:
    """The instant at which each hour's sun geometry is taken: mid-hour, or in a sunrise
    or sunset hour the middle of the minutes when the sun is above the horizon."""
    start = hour_times(utc_offset)
    step = pd.Timedelta(hours=1) / _SUBSTEPS
    offsets = (np.arange(_SUBSTEPS) + 0.5) * step
    fine = (start.repeat(_SUBSTEPS) + np.tile(offsets, HOURS))
    pos = pvlib.solarposition.get_solarposition(
        fine, lat, lon, altitude=elevation_m, method="nrel_numpy")
    up = (pos["apparent_elevation"].to_numpy() > 0.0).reshape(HOURS, _SUBSTEPS)
    n_up = up.sum(axis=1)
    frac = np.where(n_up > 0, (up * (np.arange(_SUBSTEPS) + 0.5)).sum(axis=1) / np.maximum(n_up, 1),
                    _SUBSTEPS / 2.0) / _SUBSTEPS
    return start + pd.to_timedelta(frac * 3600.0, unit="s").round("s")


def simulate(ghi, dni, dhi, dry_bulb_c, wind_speed_ms, lat: float, lon: float,
             utc_offset: float, elevation_m: float = 0.0,
             params: PVParameters = DEFAULTS) -> PVResult:
    """Hourly AC output per MW AC from typical-year weather (W/m2, deg C, m/s at 10 m)."""
    ghi = np.clip(np.asarray(ghi, dtype=np.float64), 0.0, None)
    dni = np.clip(np.asarray(dni, dtype=np.float64), 0.0, None)
    dhi = np.clip(np.asarray(dhi, dtype=np.float64), 0.0, None)
    t_air = np.asarray(dry_bulb_c, dtype=np.float64)
    wind = np.clip(np.asarray(wind_speed_ms, dtype=np.float64), 0.0, None)

    times = sun_times(lat, lon, utc_offset, elevation_m)
    pressure = pvlib.atmosphere.alt2pres(elevation_m)
    pos = pvlib.solarposition.get_solarposition(
        times, lat, lon, altitude=elevation_m, pressure=pressure, temperature=t_air,
        method="nrel_numpy")
    zen = pos["apparent_zenith"].to_numpy()
    azi = pos["azimuth"].to_numpy()
    track = pvlib.tracking.singleaxis(
        zen, azi, axis_tilt=0.0, axis_azimuth=180.0, max_angle=params.max_angle_deg,
        backtrack=True, gcr=params.gcr)
    # At night the tracker stows flat; there is no light to transpose.
    tilt = np.nan_to_num(np.asarray(track["surface_tilt"], dtype=np.float64), nan=0.0)
    surf_az = np.nan_to_num(np.asarray(track["surface_azimuth"], dtype=np.float64), nan=180.0)
    aoi = np.nan_to_num(np.asarray(track["aoi"], dtype=np.float64), nan=90.0)

    dni_extra = pvlib.irradiance.get_extra_radiation(times).to_numpy()
    airmass = pvlib.atmosphere.get_relative_airmass(zen)
    sun_up = zen < 90.0
    irr = pvlib.irradiance.get_total_irradiance(
        tilt, surf_az, zen, azi, np.where(sun_up, dni, 0.0), ghi, dhi,
        dni_extra=dni_extra, airmass=airmass, albedo=params.albedo, model="perez")
    beam = np.nan_to_num(np.asarray(irr["poa_direct"], dtype=np.float64))
    sky = np.nan_to_num(np.asarray(irr["poa_sky_diffuse"], dtype=np.float64))
    ground = np.nan_to_num(np.asarray(irr["poa_ground_diffuse"], dtype=np.float64))
    # The row in front hides part of the sky dome (Passias & Kallback 1984).
    masking = pvlib.shading.masking_angle_passias(tilt, params.gcr)
    sky = sky * (1.0 - pvlib.shading.sky_diffuse_passias(masking))
    poa = np.where(ghi > 0.0, beam + sky + ground, 0.0)
    iam = pvlib.iam.physical(aoi, n=params.glass_n, n_ar=params.ar_coating_n)
    # Diffuse light arrives from many angles; as PVWatts (De Soto et al. 2006), it passes
    # the glass as if at the Brandemuehl-Beckman effective angles for the tilt (Duffie &
    # Beckman, Solar Engineering of Thermal Processes, eq. 5.4.2).
    iam_sky = pvlib.iam.physical(59.7 - 0.1388 * tilt + 0.001497 * tilt**2, n=params.glass_n, n_ar=params.ar_coating_n)
    iam_ground = pvlib.iam.physical(90.0 - 0.5788 * tilt + 0.002693 * tilt**2, n=params.glass_n, n_ar=params.ar_coating_n)
    transmitted = np.where(ghi > 0.0, beam * iam + sky * iam_sky + ground * iam_ground, 0.0)

    # Fuentes' thermal lag needs evenly spaced hours; PVWatts gives it the axis tilt (0).
    hours = hour_times(utc_offset)
    # Spectral (air-mass) modifier of De Soto et al. (2006) for crystalline silicon, as
    # PVWatts v8 applies it; SAM caps the zenith at 86 degrees.
    am_abs = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(np.minimum(zen, 86.0)), pressure)
    spectral = np.clip(np.nan_to_num(np.asarray(
        pvlib.spectrum.spectral_factor_sapm(am_abs, DESOTO_AIRMASS_COEFFS), dtype=np.float64)), 0.0, None)
    effective = transmitted * spectral

    t_cell = pvlib.temperature.fuentes(
        pd.Series(transmitted, index=hours), pd.Series(t_air, index=hours),
        pd.Series(wind, index=hours), noct_installed=params.noct_installed_c,
        surface_tilt=0.0).to_numpy()
    pdc0 = params.dc_ac_ratio  # MW DC per MW AC
    dc_ideal = transmitted / 1000.0 * pdc0
    dc_spectral = effective / 1000.0 * pdc0
    dc_temp = pvlib.pvsystem.pvwatts_dc(effective, t_cell, pdc0, params.gamma_pdc_per_c)
    dc = np.clip(dc_temp, 0.0, None) * (1.0 - params.system_loss_fraction())
    inverter_dc_rating = 1.0 / params.inverter_eff_nom  # reaches 1 MW AC at this DC input
    ac = pvlib.inverter.pvwatts(dc, inverter_dc_rating, eta_inv_nom=params.inverter_eff_nom)
    ac = np.clip(np.nan_to_num(np.asarray(ac, dtype=np.float64)), 0.0, 1.0)
    return PVResult(
        ac_per_mw=ac,
        ghi_kwh_m2=float(ghi.sum()) / 1000.0,
        poa_kwh_m2=float(poa.sum()) / 1000.0,
        poa_transmitted_kwh_m2=float(transmitted.sum()) / 1000.0,
        dc_ideal_mwh=float(dc_ideal.sum()),
        dc_spectral_mwh=float(dc_spectral.sum()),
        dc_temp_mwh=float(np.clip(dc_temp, 0.0, None).sum()),
        dc_mwh=float(dc.sum()),
        clipped_mwh=float(np.clip(dc - inverter_dc_rating, 0.0, None).sum()),
        ac_mwh=float(ac.sum()),
    )
