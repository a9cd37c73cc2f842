"""Arithmetic that takes one scenario's scalars or many variants' numpy arrays alike.

The model (core.throughput, core.energy, core.cost) is written once over these and the
ordinary operators, so `aisite.core.evaluate` calls it with floats and the batch model
(core.explore.batch) calls it with one array element per variant. Scalars stay Python
floats (no 0-d arrays): one scenario evaluates in a fraction of a millisecond, and numpy
on scalars would cost more than the arithmetic itself.
"""
from __future__ import annotations

import math

import numpy as np


# Each helper first tries the plain-Python form, which is what one scenario needs, at no
# more cost than the bare expression. An array of several variants cannot be used as a
# truth value (numpy raises ValueError), and then the numpy form runs: once per batch,
# where the arithmetic over thousands of variants dwarfs the exception. (An array of one
# variant passes the plain form, which then gives the same values as the numpy one.)


def ratio(numerator, denominator):
    """numerator / denominator where the denominator is positive, else NaN (not applicable)."""
    try:
        return numerator / denominator if denominator > 0 else math.nan
    except ValueError:
        with np.errstate(divide="ignore", invalid="ignore"):
            positive = denominator > 0
            return np.where(positive, numerator / np.where(positive, denominator, 1.0), np.nan)


def nonzero(value, fallback: float = 1.0):
    """The value, or `fallback` where it is 0 (a share of nothing divides by one)."""
    try:
        return value or fallback
    except ValueError:
        return np.where(value == 0, fallback, value)


def select(condition, if_true, if_false):
    """if_true where the condition holds, else if_false (both already computed)."""
    try:
        return if_true if condition else if_false
    except ValueError:
        return np.where(condition, if_true, if_false)


def minimum(a, b):
    try:
        return min(a, b)
    except ValueError:
        return np.minimum(a, b)


def maximum(a, b):
    try:
        return max(a, b)
    except ValueError:
        return np.maximum(a, b)


def number(value, default: float = 0.0):
    """A catalogue field as a number: None or empty (or 0, as the catalogue's `or`
    defaults have it) is the default; an array of variants passes through."""
    if isinstance(value, np.ndarray):
        return value
    return float(value or default)


def whole(value):
    """A count kept as a float by the kernel (hours), as a whole number."""
    return np.floor(value) if isinstance(value, np.ndarray) else int(value)


def json_ready(section: dict) -> dict:
    """A result section for the JSON contract: None where a figure does not apply (NaN)."""
    out = {}
    for key, value in section.items():
        if value.__class__ is dict:
            out[key] = json_ready(value)
        else:
            out[key] = None if value != value else value     # only NaN differs from itself
    return out
