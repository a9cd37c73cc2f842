import pytest

from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.explore import paths as P
from aisite.core.explore.sizing import size
from tests.core.explore.helpers import texas


def _facility_peak(doc, count):
    return evaluate_dict(P.with_number(doc, "deployments[0].count", count)).summary["energy"]["facility_peak_mw"]


def test_lands_exactly_on_a_power_cap():
    doc = texas()
    result = size(doc, max_facility_mw=100)
    n = result.count
    assert result.binding == ["facility_mw"]
    assert _facility_peak(doc, n) <= 100 < _facility_peak(doc, n + 1)


def test_lands_exactly_on_a_capex_budget():
    doc = texas()
    result = size(doc, max_capex_usd=2.5e9)
    n = result.count

    def capex(count):
        return evaluate_dict(P.with_number(doc, "deployments[0].count", count)).summary["cost"]["capex_usd"]

    assert result.binding == ["capex_usd"]
    assert capex(n) <= 2.5e9 < capex(n + 1)


def test_rack_limit_and_the_binding_constraint():
    doc = texas()
    result = size(doc, max_facility_mw=1000, max_racks=400)
    assert result.binding == ["racks"]
    racks = lambda c: evaluate_dict(P.with_number(doc, "deployments[0].count", c)).summary["site"]["racks"]  # noqa
    assert racks(result.count) <= 400 < racks(result.count + 1)
    assert result.accelerators_total == result.count + 8192


def test_the_hourly_pue_sets_the_peak():
    hot = texas()
    cold = texas()
    cold["region"] = "sweden"
    cold["cooling"] = "air"
    hot["cooling"] = "air"
    hot_n = size(hot, max_facility_mw=80, deployment=0).count
    cold_n = size(cold, max_facility_mw=80, deployment=0).count
    assert cold_n > hot_n            # a cooler climate has a lower PUE in its hottest hour


def test_bad_limits():
    with pytest.raises(InputError, match="give at least one limit"):
        size(texas())
    with pytest.raises(InputError, match="--max-facility-mw: must be a positive number"):
        size(texas(), max_facility_mw=-5)
    with pytest.raises(InputError, match="not even one accelerator fits"):
        size(texas(), max_facility_mw=1)
    with pytest.raises(InputError, match="--deployment"):
        size(texas(), max_facility_mw=100, deployment=5)
