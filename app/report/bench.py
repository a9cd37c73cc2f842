"""Report speed and size per sample (issue 10): a full report with charts, each format.

    python -m aisite.app.report.bench [--runs 3] [--json]

On a fresh copy of the sample project, for each sample scenario: building the content
(evaluation from the project, cash flow, tables and chart data), then writing the PDF,
HTML, Excel and CSV in this process (min and max over --runs), and `aisite report ...
--out x.pdf` once as a planner runs it (a fresh process: start-up and imports included).
Measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = ["Texas B200 training campus", "Virginia H200 inference fleet", "Nordic sovereign AI site"]
FORMATS = ["pdf", "html", "xlsx", "csv"]


def measure(runs: int = 3) -> dict:
    from aisite.app.report.export import ensure_qt, export
    from aisite.app.report.report_cmd import build
    from aisite.core.project import create_sample_project

    ensure_qt()
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="aisite-report-bench-") as folder:
        project = str(create_sample_project(Path(folder) / "sample.aisite"))
        for name in SAMPLES:
            key = name.split()[0].lower()
            times: dict[str, list[float]] = {"content": [], **{f: [] for f in FORMATS}}
            sizes = {}
            for _ in range(runs):
                t0 = time.perf_counter()
                report = build(project, name, [])
                times["content"].append(time.perf_counter() - t0)
                for fmt in FORMATS:
                    path = Path(folder) / f"{key}.{fmt}"
                    t0 = time.perf_counter()
                    export(report, str(path), fmt, paper="a4")
                    times[fmt].append(time.perf_counter() - t0)
                    sizes[fmt] = path.stat().st_size
            pdf = Path(folder) / f"{key}-cli.pdf"
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "aisite.app.cli", "report", project, "--scenario", name, "--out", str(pdf)],
                           check=True, capture_output=True, env=env)
            cli = time.perf_counter() - t0
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            out[key] = {
                "content_s": [round(min(times["content"]), 3), round(max(times["content"]), 3)],
                **{f"{fmt}_s": [round(min(times[fmt]), 3), round(max(times[fmt]), 3)] for fmt in FORMATS},
                "pdf_total_s": round(min(times["content"]) + min(times["pdf"]), 3),
                "cli_pdf_process_s": round(cli, 3),
                **{f"{fmt}_bytes": sizes[fmt] for fmt in FORMATS},
                "pdf_pages": next((int(line.split()[1]) for line in pages.splitlines() if line.startswith("Pages:")),
                                  None),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aisite.app.report.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for sample, f in figures.items():
        print(f"{sample}: content {f['content_s'][0]:.2f}-{f['content_s'][1]:.2f} s; "
              + "; ".join(f"{fmt.upper()} {f[fmt + '_s'][0]:.2f}-{f[fmt + '_s'][1]:.2f} s, "
                          f"{f[fmt + '_bytes'] / 1024:,.0f} KiB" for fmt in FORMATS)
              + f"; PDF {f['pdf_pages']} pages; `aisite report` PDF in a fresh process {f['cli_pdf_process_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
