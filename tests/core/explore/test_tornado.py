import pytest

from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate_dict
from aisite.core.explore import paths as P
from aisite.core.explore.tornado import tornado
from tests.core.explore.helpers import texas


def test_bars_are_ranked_by_swing_and_hang_off_the_base():
    doc = texas()
    doc["uncertain"] = {
        "schedule.electrical_equipment": {"dist": "triangular", "low": 24, "mode": 30, "high": 48},
        "schedule.permitting": {"dist": "triangular", "low": 10, "mode": 12, "high": 14},
        "workload.mfu": {"dist": "uniform", "low": 0.3, "high": 0.5},
    }
    result = tornado(doc, "schedule.first_compute_month")
    assert [b.path for b in result.bars] == ["schedule.electrical_equipment", "schedule.permitting", "workload.mfu"]
    swings = [b.swing for b in result.bars]
    assert swings == sorted(swings, reverse=True) and swings[-1] == 0
    base = evaluate_dict(doc).summary["schedule"]["first_compute_month"]
    assert result.base_result == base
    top = result.bars[0]
    low = evaluate_dict(P.with_number(doc, top.path, 24)).summary["schedule"]["first_compute_month"]
    assert top.low_result == low and top.high_result > base


def test_defaults_apply_without_an_uncertain_section():
    result = tornado(texas())
    assert result.result_key == "cost.npv_cost_usd"
    assert result.bars[0].path == "deployments[0].chip.price_usd"
    assert len(result.bars) > 8


def test_unknown_result_key():
    with pytest.raises(InputError, match="did you mean"):
        tornado(texas(), "cost.npv")
