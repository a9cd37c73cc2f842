"""A real sample project on disk with what a report draws on: a variant with a hostile
name, and a Monte Carlo and a tornado computed by the engine and stored as analyses."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TEXAS = "Texas B200 training campus"
HOSTILE = '<script>alert(1)</script> & "Q"'


def aisite(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # the command must go offscreen by itself
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "aisite.app.cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd)


def evaluate_json(project: str, scenario: str) -> dict:
    run = aisite("evaluate", project, "--scenario", scenario, "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="session")
def report_project(tmp_path_factory):
    from aisite.core.explore.montecarlo import monte_carlo
    from aisite.core.explore.tornado import tornado
    from aisite.core.project import create_sample_project, open_project
    from aisite.core.project.edits import AddAnalysis, DuplicateAsVariant

    path = tmp_path_factory.mktemp("report") / "sample.aisite"
    create_sample_project(path)
    with open_project(path) as project:
        project.do(DuplicateAsVariant(project, TEXAS, HOSTILE, {"power[1].mw": 250}))
        doc = project.effective_scenario(TEXAS, with_uncertain=True, resolve_files=True)
        mc = monte_carlo(doc, samples=200, seed=3)
        project.do(AddAnalysis(project, "Spread of first compute", "montecarlo", {"samples": 200, "seed": 3}, TEXAS))
        # stored as the app stores it (core/analyses.py on the whatif branch): samples as arrays
        arrays = {"inputs": mc.samples, **{f"r:{k}": v for k, v in mc.results.items()}}
        project.put_analysis_result("Spread of first compute",
                                    mc.to_json(result_key="schedule.first_compute_month"), arrays)
        tor = tornado(doc, "cost.npv_cost_usd")
        project.do(AddAnalysis(project, "What moves NPV", "tornado", {"result": "cost.npv_cost_usd"}, TEXAS))
        project.put_analysis_result("What moves NPV", tor.to_json())
    return str(path)
