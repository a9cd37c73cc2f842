"""aisite report: one scenario as a PDF, HTML, Excel or CSV report (works with no display)."""
from __future__ import annotations

import sys

NAME = "report"
HELP = ("Write a scenario report: PDF or HTML (key figures, site, energy, water, cost, cash flow, schedule, "
        "stored analyses, sources), an Excel workbook (inputs, results, hourly year, schedule), or CSV "
        "(the hourly year, or the key results with --summary). The format follows --out's suffix.")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="project file (.aisite) or scenario file (.json)")
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project to report")
    parser.add_argument("--compare", metavar="NAME", nargs="+", action="extend", default=[],
                        help="add a comparison with these scenarios of the project (or scenario files)")
    parser.add_argument("--out", metavar="OUT", required=True, help="the report file: .pdf, .html, .xlsx or .csv")
    parser.add_argument("--format", choices=["pdf", "html", "xlsx", "csv"],
                        help="the format, when --out's suffix does not say it")
    parser.add_argument("--paper", choices=["a4", "letter"], help="PDF paper size (default: by locale)")
    parser.add_argument("--summary", action="store_true", help="CSV: the key results instead of the hourly year")


def build(file: str, scenario: str | None, compare: list[str], *, option: str = "--scenario", progress=None):
    """The Report of a scenario (with stored analyses and an optional comparison).
    ``progress`` (the core's callback) is asked before each evaluation: False cancels."""
    from aisite.core.compare import MAX_SCENARIOS
    from aisite.core.errors import Cancelled, InputError
    from aisite.core.report.content import build_report
    from aisite.core.report.evaluated import from_project, from_scenario_file, is_project, project_title, stored_analyses

    def check() -> None:
        if progress is not None and progress(0, 1) is False:
            raise Cancelled()

    if len(compare) > MAX_SCENARIOS - 1:
        raise InputError("--compare", f"compare with at most {MAX_SCENARIOS - 1} scenarios, got {len(compare)}")
    if is_project(file):
        from pathlib import Path

        if not Path(file).is_file():
            raise InputError(file, "no such project file")
        if not scenario:
            raise InputError(option, "is required for a project file; `aisite list PROJECT` shows the names")
        entries = from_project(file, [scenario, *compare], option=option, check=check)
        main, others = entries[0], entries[1:]
        return build_report(main, project_title=project_title(file), analyses=stored_analyses(file, main.name),
                            compare_with=others)
    if scenario:
        raise InputError("--scenario", "applies only to project files (.aisite)")
    entries = []
    for f in [file, *compare]:
        check()
        entries.append(from_scenario_file(f))
    return build_report(entries[0], compare_with=entries[1:])


def run(args) -> int:
    import os

    from aisite.app.report.export import export, format_of
    from aisite.core.report.atomic import check_writable

    check_writable(args.out)  # fail before the work, not after it
    kind = format_of(args.out, args.format)
    report = build(args.file, args.scenario, args.compare)
    path = export(report, args.out, kind, paper=args.paper, summary=args.summary)
    print(f"wrote {path} ({os.path.getsize(path):,} bytes)", file=sys.stderr)
    return 0
