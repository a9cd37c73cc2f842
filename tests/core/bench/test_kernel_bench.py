"""The benchmark reports the figures design section 7 names (their values are not asserted)."""
from aisite.core.bench import kernel_bench


def test_kernel_bench_reports_contract_keys(tmp_path):
    figures = kernel_bench.run(tmp_path, quick=True)
    assert {"backend", "scenario_ms", "kernel_vs_reference", "kernel_vs_numpy"} <= set(figures)
    assert figures["scenario_accelerators"] == 100_000
    assert all(figures[k] > 0 for k in ("scenario_ms", "kernel_vs_reference", "kernel_vs_numpy"))
