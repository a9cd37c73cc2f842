import numpy as np
import pytest

from aisite.core.errors import InputError
from aisite.core.distributions import parse_distribution, sample


@pytest.mark.parametrize("spec", [
    {"dist": "triangular", "low": 24, "mode": 36, "high": 72},
    {"dist": "uniform", "low": 0.3, "high": 0.5},
    {"dist": "normal", "mean": 0.4, "sd": 0.05, "low": 0.3, "high": 0.48},
    {"dist": "lognormal", "median": 66, "sigma": 0.3, "low": 40, "high": 120},
])
def test_samples_stay_in_bounds_and_repeat_with_the_seed(spec):
    d = parse_distribution(spec, "uncertain.x")
    a = sample([d], 5000, seed=11)[:, 0]
    b = sample([d], 5000, seed=11)[:, 0]
    c = sample([d], 5000, seed=12)[:, 0]
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.min() >= d.low and a.max() <= d.high


def test_sample_moments():
    tri = parse_distribution({"dist": "triangular", "low": 0, "mode": 3, "high": 12}, "u")
    x = sample([tri], 200_000, seed=1)[:, 0]
    assert abs(x.mean() - 5.0) < 0.05            # (0 + 3 + 12) / 3
    normal = parse_distribution({"dist": "normal", "mean": 10, "sd": 2}, "u")
    y = sample([normal], 200_000, seed=2)[:, 0]
    # truncated at the 1st and 99th percentiles: sd x sqrt(1 - 2 z phi(z) / 0.98) = 0.9346 sd
    assert abs(y.mean() - 10) < 0.03 and abs(y.std() - 2 * 0.9346) < 0.01
    logn = parse_distribution({"dist": "lognormal", "median": 50, "sigma": 0.2}, "u")
    z = sample([logn], 200_000, seed=3)[:, 0]
    assert abs(np.median(z) - 50) < 0.3


def test_zero_width_is_the_value():
    d = parse_distribution({"dist": "triangular", "low": 7, "mode": 7, "high": 7}, "u")
    assert set(sample([d], 100, 0)[:, 0]) == {7.0}


def test_adding_an_input_keeps_the_others_draws():
    a = parse_distribution({"dist": "uniform", "low": 0, "high": 1}, "a")
    b = parse_distribution({"dist": "uniform", "low": 5, "high": 6}, "b")
    assert np.array_equal(sample([a], 50, 3)[:, 0], sample([a, b], 50, 3)[:, 0])


@pytest.mark.parametrize("spec, message", [
    ({"dist": "triangular", "low": 24, "mode": 24, "high": 12},
     "uncertain.schedule.grid_connection.high: must be at least low (24), got 12"),
    ({"dist": "triangular", "low": 24, "mode": 80, "high": 72},
     "uncertain.schedule.grid_connection.mode: must be at most high (72), got 80"),
    ({"dist": "beta", "low": 1, "high": 2}, "uncertain.schedule.grid_connection.dist: must be one of"),
    ({"dist": "uniform", "low": 1}, "uncertain.schedule.grid_connection.high: is required"),
    ({"dist": "uniform", "low": 1, "high": "x"}, "uncertain.schedule.grid_connection.high: must be a finite number"),
    ({"dist": "normal", "mean": 1, "sd": -1}, "uncertain.schedule.grid_connection.sd: must not be negative"),
    ({"dist": "uniform", "low": 1, "high": 2, "mode": 1.5}, "uncertain.schedule.grid_connection.mode: is not a field"),
    ([1, 2, 3], "uncertain.schedule.grid_connection: must be an object"),
])
def test_bad_distributions_name_the_field(spec, message):
    with pytest.raises(InputError) as error:
        parse_distribution(spec, "uncertain.schedule.grid_connection")
    assert str(error.value).startswith(message)
