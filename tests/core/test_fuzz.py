"""Property-based fuzzing (Hypothesis, derandomized: the same cases every run): mutated
scenarios and scenario files, damaged project files and write-ahead logs. No input
gives a traceback, a hang or a changed byte. The long run of the same generators is
tools/fuzz_hardening.py (thousands of cases, plus SIGKILLs during edits)."""
import os
import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzz_cases

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@settings(FUZZ, max_examples=250)
@given(st.randoms(use_true_random=False))
def test_mutated_scenarios_evaluate_or_name_a_field(rnd):
    fuzz_cases.check_evaluation(fuzz_cases.mutate_scenario(rnd))


@settings(FUZZ, max_examples=80)
@given(st.randoms(use_true_random=False))
def test_damaged_scenario_files_read_or_name_the_file(tmp_path_factory, rnd):
    from aisite.core.errors import InputError
    from aisite.core.scenario import read_scenario_file

    path = tmp_path_factory.mktemp("s") / "s.json"
    path.write_bytes(fuzz_cases.scenario_text(rnd))
    try:
        doc = read_scenario_file(path)
    except InputError as error:
        assert "\n" not in str(error).strip()
        return
    fuzz_cases.check_evaluation(doc)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = fuzz_cases.build_reference_project(tmp_path_factory.mktemp("ref"))
    return path.read_bytes()


@settings(FUZZ, max_examples=120)
@given(st.randoms(use_true_random=False))
def test_damaged_project_files_never_crash_or_change(tmp_path_factory, reference, rnd):
    folder = tmp_path_factory.mktemp("d")
    path = folder / "p.aisite"
    path.write_bytes(fuzz_cases.damage_bytes(rnd, reference))
    fuzz_cases.check_damaged_project(path)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_generators_really_damage(reference):
    """The fuzz is not vacuous: most damaged files are refused, most mutations too."""
    rnd = random.Random(5)
    outcomes = [fuzz_cases.check_evaluation(fuzz_cases.mutate_scenario(rnd)) for _ in range(60)]
    assert outcomes.count("refused") > 20

