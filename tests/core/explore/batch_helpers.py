"""Hourly profiles of a real region for kernel tests."""
import numpy as np

from aisite.core.profiles import load_region_profile


def site_profiles(region: str = "us-texas"):
    prof = load_region_profile(region)
    util = np.full(8760, 0.9)
    return tuple(np.ascontiguousarray(a, dtype=np.float64)
                 for a in (prof.dry_bulb_c, prof.solar_cf, prof.wind_cf, prof.grid_gco2_per_kwh, util))
