"""Arithmetic that takes one scenario's scalars or many variants' numpy arrays alike.

The model (core.throughput, core.energy, core.cost) is written once over these and the
ordinary operators, so `core.evaluate` calls it with floats and the batch model
(core.explore.batch) calls it with one array element per variant. Scalars stay Python
floats (no 0-d arrays): one scenario evaluates in a fraction of a millisecond, and numpy
on scalars would cost more than the arithmetic itself.
"""
from __future__ import annotations

import math

import numpy as np


def _arrays(*values) -> bool:
    return any(isinstance(v, np.ndarray) for v in values)


def ratio(numerator, denominator):
    """numerator / denominator where the denominator is positive, else NaN (not applicable)."""
    if _arrays(numerator, denominator):
        with np.errstate(divide="ignore", invalid="ignore"):
            positive = denominator > 0
            return np.where(positive, numerator / np.where(positive, denominator, 1.0), np.nan)
    return numerator / denominator if denominator > 0 else math.nan


def nonzero(value, fallback: float = 1.0):
    """The value, or `fallback` where it is 0 (a share of nothing divides by one)."""
    if _arrays(value):
        return np.where(value == 0, fallback, value)
    return value or fallback


def select(condition, if_true, if_false):
    """if_true where the condition holds, else if_false (both already computed)."""
    if _arrays(condition, if_true, if_false):
        return np.where(condition, if_true, if_false)
    return if_true if condition else if_false


def minimum(a, b):
    return np.minimum(a, b) if _arrays(a, b) else min(a, b)


def maximum(a, b):
    return np.maximum(a, b) if _arrays(a, b) else max(a, b)


def number(value, default: float = 0.0):
    """A catalogue field as a number: None or empty (or 0, as the catalogue's `or`
    defaults have it) is the default; an array of variants passes through."""
    if isinstance(value, np.ndarray):
        return value
    return float(value or default)


def json_number(value):
    """A figure for the JSON contract: a Python float, None where not applicable (NaN)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def whole(value):
    """A count kept as a float by the kernel (hours), as a whole number."""
    return np.floor(value) if isinstance(value, np.ndarray) else int(value)


def json_ready(section: dict) -> dict:
    """A result section with every figure a JSON number: floats (not numpy scalars), None
    where not applicable, whole numbers left as they are."""
    out = {}
    for key, value in section.items():
        if isinstance(value, dict):
            out[key] = json_ready(value)
        elif value is None or isinstance(value, int):
            out[key] = value
        else:
            out[key] = json_number(value)
    return out
