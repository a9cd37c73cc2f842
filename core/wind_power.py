"""Hourly output of an onshore wind turbine from a station's 10 m wind and temperature.

1. Hub-height speed by the power law ``v_hub = v_10 * (h_hub / 10) ** alpha`` with the
   region's shear exponent (``regions.csv wind_shear_alpha``, overridable).
2. Air density each hour from the air temperature (lapsed to hub height at 6.5 K/km, the
   standard atmosphere) and the pressure at the site's elevation (``pvlib.atmosphere.alt2pres``),
   as dry air (R = 287.05 J/kg/K).
3. Density correction of IEC 61400-12-1 for pitch-regulated turbines: the curve, published
   for 1.225 kg/m3, is read at ``v * (rho / 1.225) ** (1/3)``. NREL SAM's wind model does the
   same, so thin hot air (Riyadh: ~1.10 kg/m3) produces less below rated speed.
4. The turbine's power curve from ``data/turbines.csv`` (zero from cut-out up), then the
   farm losses (wake, electrical, availability).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pvlib

from aisite.core.errors import InputError
from aisite.core.paths import data_dir

#: Air density at which power curves are published (IEC 61400-12-1), kg/m3.
REFERENCE_DENSITY = 1.225
#: Specific gas constant of dry air, J/(kg K).
R_DRY_AIR = 287.05
#: Standard-atmosphere temperature lapse rate, K per metre.
LAPSE_RATE = 0.0065
#: Height of the station anemometer in the weather files (m).
MEASURED_HEIGHT_M = 10.0
#: Screen height of the temperature measurement (m).
TEMPERATURE_HEIGHT_M = 2.0
#: Wake, electrical and availability losses of a farm (fraction).
FARM_LOSSES = 0.15
#: Shear exponent of open, flat terrain (the 1/7 power law) for a site without its own.
DEFAULT_SHEAR_ALPHA = 1.0 / 7.0


@dataclass(frozen=True)
class Turbine:
    id: str
    name: str
    rated_kw: float
    rotor_diameter_m: float
    hub_height_m: float
    cut_out_ms: float
    curve_speeds_ms: tuple[float, ...]
    curve_power_per_rated: tuple[float, ...]

    @property
    def specific_power_w_per_m2(self) -> float:
        return self.rated_kw * 1000.0 / (np.pi * (self.rotor_diameter_m / 2.0) ** 2)

    def power_per_rated(self, speed_ms) -> np.ndarray:
        """The published (sea-level density) power curve, per unit of rating."""
        v = np.asarray(speed_ms, dtype=np.float64)
        out = np.interp(v, self.curve_speeds_ms, self.curve_power_per_rated, left=0.0, right=0.0)
        return np.where(v >= self.cut_out_ms, 0.0, out)


def _floats(text: str, where: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(";"))
    except ValueError:
        raise InputError(where, f"must be numbers separated by ';', got {text[:40]!r}") from None


@lru_cache(maxsize=1)
def turbines() -> dict[str, Turbine]:
    """The turbine catalogue (``data/turbines.csv``), the default one first."""
    path = data_dir() / "turbines.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["default"] != "1")
    out = {}
    for r in rows:
        speeds = _floats(r["curve_speeds_ms"], f"turbines.csv {r['id']}, curve_speeds_ms")
        power = _floats(r["curve_power_per_rated"], f"turbines.csv {r['id']}, curve_power_per_rated")
        if len(speeds) != len(power) or any(b <= a for a, b in zip(speeds, speeds[1:])):
            raise InputError(f"turbines.csv {r['id']}", "curve needs rising speeds and one power per speed")
        out[r["id"]] = Turbine(r["id"], r["name"], float(r["rated_kw"]), float(r["rotor_diameter_m"]),
                               float(r["hub_height_m"]), float(r["cut_out_ms"]), speeds, power)
    return out


def default_turbine() -> Turbine:
    return next(iter(turbines().values()))


def turbine(turbine_id: str) -> Turbine:
    known = turbines()
    if turbine_id not in known:
        raise InputError("turbine", f"unknown turbine '{turbine_id}'; known: {', '.join(known)}")
    return known[turbine_id]


def hub_speed(speed_10m, hub_height_m: float, shear_alpha: float) -> np.ndarray:
    """Wind speed at hub height from the 10 m station wind by the power law."""
    return np.asarray(speed_10m, dtype=np.float64) * (hub_height_m / MEASURED_HEIGHT_M) ** shear_alpha


def hub_conditions(temp_c, elevation_m: float, hub_height_m: float):
    """(temperature deg C, pressure Pa, density kg/m3) at hub height, hour by hour."""
    t_hub = np.asarray(temp_c, dtype=np.float64) - LAPSE_RATE * (hub_height_m - TEMPERATURE_HEIGHT_M)
    pressure = float(pvlib.atmosphere.alt2pres(elevation_m + hub_height_m))
    density = pressure / (R_DRY_AIR * (t_hub + 273.15))
    return t_hub, pressure, density


def capacity_factor(speed_10m, temp_c, elevation_m: float = 0.0, *, shear_alpha: float = DEFAULT_SHEAR_ALPHA,
                    turbine_id: str | None = None, hub_height_m: float | None = None,
                    losses: float = FARM_LOSSES) -> np.ndarray:
    """Hourly output per MW of an onshore wind farm (0..1)."""
    t = default_turbine() if turbine_id is None else turbine(turbine_id)
    hub = t.hub_height_m if hub_height_m is None else float(hub_height_m)
    v = hub_speed(speed_10m, hub, shear_alpha)
    _t, _p, density = hub_conditions(temp_c, elevation_m, hub)
    v_equivalent = v * (density / REFERENCE_DENSITY) ** (1.0 / 3.0)
    return t.power_per_rated(v_equivalent) * (1.0 - losses)
