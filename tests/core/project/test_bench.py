"""The project benchmark reports its figures (timings are measured by `aisite bench`, not here)."""
from aisite.core.bench import PROVIDERS
from aisite.core.bench import project_bench


def test_project_bench_reports_its_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(project_bench, "N_SCENARIOS", 12)
    monkeypatch.setattr(project_bench, "N_BASES", 4)
    monkeypatch.setattr(project_bench, "OPEN_RUNS", 2)
    monkeypatch.setattr(project_bench, "EDIT_RUNS", 2)
    figures = project_bench.run(tmp_path, quick=True)
    assert {"project_open_ms", "edit_commit_ms"} <= set(figures)
    assert figures["project_open_ms"] > 0 and figures["edit_commit_ms"] > 0
    assert figures["project_scenarios"] == 12
    assert "aisite.core.bench.project_bench" in PROVIDERS
