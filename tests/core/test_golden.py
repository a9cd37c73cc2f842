"""Golden results: the engine and the analyses give the numbers they gave when the
fixtures were written (tests/core/golden), to 1e-9 relative.

A refactoring must leave every case unchanged. A deliberate model change regenerates
the fixtures (`python -m tests.core.golden.regenerate`) in a commit of its own.
"""
import json
from pathlib import Path

import pytest

from tests.core.golden.cases import EXPECTED, cases, compare



@pytest.fixture(scope="module")
def golden_cases(tmp_path_factory):
    return cases(tmp_path_factory.mktemp("golden"))


def _case_names():
    return list(cases(Path("unused")))     # listing the cases writes nothing


@pytest.mark.parametrize("name", _case_names())
def test_golden(name, golden_cases):
    path = EXPECTED / f"{name}.json"
    assert path.exists(), f"no fixture {path.name}: run python -m tests.core.golden.regenerate {name}"
    expected = json.loads(path.read_text())
    actual = json.loads(json.dumps(golden_cases[name](), allow_nan=False))
    problems = compare(actual, expected)
    assert not problems, f"{len(problems)} differences, first: " + "; ".join(problems[:8])


def test_every_fixture_has_a_case():
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == sorted(_case_names())


def test_compare_catches_a_change_beyond_1e9():
    expected = {"a": 1.0, "b": [1, "x"], "c": None}
    assert compare({"a": 1.0 + 1e-10, "b": [1, "x"], "c": None}, expected) == []
    assert compare({"a": 1.0 + 1e-8, "b": [1, "x"], "c": None}, expected)
    assert compare({"a": 1.0, "b": [1.0, "x"], "c": None}, expected)      # int became float
    assert compare({"a": 1.0, "b": [1, "y"], "c": None}, expected)
    assert compare({"a": 1.0, "b": [1, "x"]}, expected)                   # key lost
