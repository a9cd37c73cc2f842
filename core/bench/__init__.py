"""Speed figures for `aisite bench`. Each provider module has run(workdir) -> dict."""
PROVIDERS = [
    "core.bench.kernel_bench",
    "core.bench.project_bench",
    "core.bench.montecarlo_bench",
    "core.bench.power_mix_bench",
]
