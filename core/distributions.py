"""Distributions of uncertain inputs and seeded sampling.

A distribution is a dict as stored in a scenario's ``uncertain`` section:

- ``{"dist": "triangular", "low": 24, "mode": 36, "high": 72}``
- ``{"dist": "uniform", "low": 0.3, "high": 0.5}``
- ``{"dist": "normal", "mean": 0.4, "sd": 0.05, "low": 0.2, "high": 0.6}``: a normal
  truncated to [low, high] (bounds optional);
- ``{"dist": "lognormal", "median": 66, "sigma": 0.2, "low": 40, "high": 120}``: ln(x) is
  normal with mean ln(median) and standard deviation sigma, truncated to [low, high].

Every distribution has a low and a high (given, or for normal/lognormal the 1st and 99th
percentiles when no bound is given) so a tornado can use them. Sampling maps uniform
numbers through each inverse CDF, so one seed gives the same numbers on every machine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from aisite.core.errors import InputError
from aisite.core.validate import MAX_MAGNITUDE, _show

DISTS = ("triangular", "uniform", "normal", "lognormal")
_Z99 = 2.3263478740408408  # 99th percentile of the standard normal
_FIELDS = {
    "triangular": {"dist", "low", "mode", "high"},
    "uniform": {"dist", "low", "high"},
    "normal": {"dist", "mean", "sd", "low", "high"},
    "lognormal": {"dist", "median", "sigma", "low", "high"},
}
_EXTRA = {"source", "note", "unit"}


@dataclass(frozen=True)
class Distribution:
    dist: str
    low: float
    high: float
    mode: float | None = None      # triangular
    mean: float | None = None      # normal
    sd: float | None = None
    median: float | None = None    # lognormal
    sigma: float | None = None

    @property
    def base(self) -> float:
        """The central value: mode, midpoint, mean or median (clipped to the bounds)."""
        if self.dist == "triangular":
            return self.mode
        if self.dist == "uniform":
            return 0.5 * (self.low + self.high)
        centre = self.mean if self.dist == "normal" else self.median
        return min(max(centre, self.low), self.high)

    def as_dict(self) -> dict:
        keys = sorted(_FIELDS[self.dist] - {"dist"})
        return {"dist": self.dist, **{k: getattr(self, k) for k in keys}}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at uniform numbers u in (0, 1)."""
        u = np.asarray(u, dtype=np.float64)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full(u.shape, lo)
        if self.dist == "uniform":
            return lo + (hi - lo) * u
        if self.dist == "triangular":
            c = (self.mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (self.mode - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - self.mode))
            return np.where(u < c, left, right)
        # truncated normal / lognormal: map u into [F(low), F(high)] of the untruncated law
        nd = NormalDist()
        if self.dist == "normal":
            mu, s = self.mean, self.sd
            to_z = (lambda x: (x - mu) / s)
            from_z = (lambda z: mu + s * z)
        else:
            mu, s = math.log(self.median), self.sigma
            to_z = (lambda x: (math.log(x) - mu) / s)
            from_z = (lambda z: np.exp(mu + s * z))
        if s == 0:
            return np.full(u.shape, min(max(self.base, lo), hi))
        f_lo = nd.cdf(to_z(lo)) if (self.dist == "normal" or lo > 0) else 0.0
        f_hi = nd.cdf(to_z(hi))
        p = f_lo + u * (f_hi - f_lo)
        z = _norm_ppf(np.clip(p, 1e-300, 1 - 1e-16))
        return np.clip(from_z(z), lo, hi)


def _norm_ppf(p: np.ndarray) -> np.ndarray:
    """Standard normal inverse CDF, vectorised (statistics.NormalDist per value is exact
    but slow; this is Acklam's rational approximation refined by one Halley step, good to
    ~1e-15)."""
    p = np.asarray(p, dtype=np.float64)
    a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
    b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
    plow = 0.02425
    x = np.empty_like(p)
    lo = p < plow
    hi = p > 1 - plow
    mid = ~(lo | hi)
    q = np.sqrt(-2 * np.log(p[lo]))
    x[lo] = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
    q = np.sqrt(-2 * np.log(1 - p[hi]))
    x[hi] = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
    q = p[mid] - 0.5
    r = q * q
    x[mid] = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1)
    # one Halley refinement
    from math import erfc, sqrt, pi
    e = 0.5 * np.vectorize(erfc)(-x / sqrt(2)) - p
    u = e * sqrt(2 * pi) * np.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


def _num(spec: dict, key: str, field: str, required: bool = True) -> float | None:
    if key not in spec or spec[key] is None:
        if required:
            raise InputError(f"{field}.{key}", "is required")
        return None
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, int) and abs(value) > MAX_MAGNITUDE) or not math.isfinite(value):
        raise InputError(f"{field}.{key}", f"must be a finite number, got {_show(value)}")
    return float(value)


def parse_distribution(spec, field: str) -> Distribution:
    """Validate one ``uncertain`` entry; errors name the field, e.g.
    ``uncertain.schedule.grid_connection.high: must be at least low (24), got 12``."""
    if not isinstance(spec, dict):
        raise InputError(field, f"must be an object like {{\"dist\": \"triangular\", \"low\": 1, "
                                f"\"mode\": 2, \"high\": 3}}, got {type(spec).__name__}")
    dist = spec.get("dist", "triangular")
    if dist not in DISTS:
        raise InputError(f"{field}.dist", f"must be one of {', '.join(DISTS)}, got {_show(dist)}")
    for key in spec:
        if key not in _FIELDS[dist] | _EXTRA:
            raise InputError(f"{field}.{key}", f"is not a field of a {dist} distribution "
                                               f"(fields: {', '.join(sorted(_FIELDS[dist] - {'dist'}))})")
    g = lambda k, req=True: _num(spec, k, field, req)  # noqa: E731
    if dist in ("triangular", "uniform"):
        low, high = g("low"), g("high")
        _ordered(field, "high", "low", low, high)
        mode = None
        if dist == "triangular":
            mode = g("mode")
            if mode < low:
                raise InputError(f"{field}.mode", f"must be at least low ({low:g}), got {mode:g}")
            if mode > high:
                raise InputError(f"{field}.mode", f"must be at most high ({high:g}), got {mode:g}")
        return Distribution(dist, low, high, mode=mode)
    if dist == "normal":
        mean, sd = g("mean"), g("sd")
        if sd < 0:
            raise InputError(f"{field}.sd", f"must not be negative, got {sd:g}")
        low = g("low", False)
        high = g("high", False)
        low = mean - _Z99 * sd if low is None else low
        high = mean + _Z99 * sd if high is None else high
        _ordered(field, "high", "low", low, high)
        return Distribution(dist, low, high, mean=mean, sd=sd)
    median, sigma = g("median"), g("sigma")
    if median <= 0:
        raise InputError(f"{field}.median", f"must be greater than 0, got {median:g}")
    if sigma < 0:
        raise InputError(f"{field}.sigma", f"must not be negative, got {sigma:g}")
    low = g("low", False)
    high = g("high", False)
    low = median * math.exp(-_Z99 * sigma) if low is None else low
    high = median * math.exp(_Z99 * sigma) if high is None else high
    if low < 0:
        raise InputError(f"{field}.low", f"must not be negative for a lognormal, got {low:g}")
    _ordered(field, "high", "low", low, high)
    return Distribution(dist, low, high, median=median, sigma=sigma)


def _ordered(field, hi_key, lo_key, low, high):
    if high < low:
        raise InputError(f"{field}.{hi_key}", f"must be at least {lo_key} ({low:g}), got {high:g}")


def sample(dists: list[Distribution], n: int, seed: int) -> np.ndarray:
    """n x len(dists) samples; the same seed gives the same numbers. Each input draws its
    own stream (seed, input index), so adding an input does not change the others' draws."""
    if n < 1:
        raise InputError("--samples", f"must be at least 1, got {n}")
    out = np.empty((n, len(dists)))
    for j, d in enumerate(dists):
        rng = np.random.default_rng([int(seed), j])
        u = rng.random(n)
        out[:, j] = d.ppf(u)
    return out
