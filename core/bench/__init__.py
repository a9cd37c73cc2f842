"""Speed figures for `aisite bench`. Each provider module has run(workdir) -> dict."""
PROVIDERS = [
    "aisite.core.bench.kernel_bench",
    "aisite.core.bench.project_bench",
    "aisite.core.bench.montecarlo_bench",
    "aisite.core.bench.power_mix_bench",
]
