"""aisite compare: key figures of 2-6 scenarios side by side, with deltas against the first."""
from __future__ import annotations

import json
import sys

NAME = "compare"
HELP = ("Compare 2 to 6 scenarios: key figures with deltas against the first (better/worse for a "
        "planner), schedules, and the inputs that differ. FILE is a project (.aisite, with "
        "--scenario NAME for each) and/or scenario files (.json).")


def add_arguments(parser):
    parser.add_argument("files", metavar="FILE", nargs="+",
                        help="a project file (.aisite) and/or scenario files (.json)")
    parser.add_argument("--scenario", metavar="NAME", action="append", default=[],
                        help="a scenario of the project to compare (repeat; the first is the reference)")
    parser.add_argument("--json", action="store_true", help="print the comparison as one JSON object")


def run(args) -> int:
    from aisite.core.compare import check_count, compare
    from aisite.core.report.evaluated import is_project, load

    n = sum(1 for f in args.files if not is_project(f)) + len(args.scenario)
    check_count(n)
    data = compare(load(args.files, args.scenario))
    if args.json:
        json.dump(data, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(comparison_table(data))
    return 0


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def comparison_table(data: dict) -> str:
    """The comparison for people: one column per scenario, deltas under the values."""
    from aisite.core.schedule import TASK_NAMES
    from aisite.core.units import months

    names = [s["name"] for s in data["scenarios"]]
    label_w, col_w = 28, max(18, min(30, max(len(n) for n in names)))
    lines = [f"{'':<{label_w}}" + "".join(f"  {_cell(n, col_w):>{col_w}}" for n in names)]
    sites = [s["site"] for s in data["scenarios"]]
    if any(sites):
        lines.append(f"{'Site':<{label_w}}" + "".join(f"  {_cell(s or '–', col_w):>{col_w}}" for s in sites))
    lines.append("-" * len(lines[0]))
    for row in data["figures"]:
        lines.append(f"{row['label']:<{label_w}}" + "".join(f"  {_cell(v, col_w):>{col_w}}" for v in row["formatted"]))
        if any(d and d["verdict"] != "same" for d in row["deltas"]):
            marks = {"better": " better", "worse": " worse", "same": "", "neutral": ""}
            cells = [""] + [(d["text"] + marks[d["verdict"]]) if d and d["verdict"] != "same" else ""
                            for d in row["deltas"][1:]]
            lines.append(f"{'':<{label_w}}" + "".join(f"  {_cell(c, col_w):>{col_w}}" for c in cells))
    lines.append("")
    lines.append("Critical path")
    for name, sched in zip(names, data["schedules"]):
        path = " -> ".join(TASK_NAMES.get(t, t) for t in sched.get("critical_path") or []) or "–"
        lines.append(f"  {name}: first compute {months(sched.get('first_compute_month'))}; {path}")
    lines.append("")
    diffs = data["differences"]
    lines.append(f"Inputs that differ ({len(diffs)})" if diffs else "Inputs that differ: none")
    for d in diffs:
        shown = " | ".join("–" if v is None else json.dumps(v, ensure_ascii=False) for v in d["values"])
        lines.append(f"  {d['path']}: {shown}")
    return "\n".join(lines) + "\n"
