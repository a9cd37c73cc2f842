"""aisite bench: the speed figures of design section 7, measured on this machine."""
from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path

NAME = "bench"
HELP = ("Measure how fast this machine runs the planner: one full scenario of a 100,000-accelerator "
        "site, the hourly kernel against its Python reference and numpy, Monte Carlo, project files.")


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rougher, faster run)")


def run(args) -> int:
    from aisite.core.bench import PROVIDERS

    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="aisite-bench-") as folder:
        for name in PROVIDERS:
            module = importlib.import_module(name)
            if not args.json:
                print(f"measuring {name.rsplit('.', 1)[-1]} ...", file=sys.stderr)
            figures.update(module.run(Path(folder), quick=args.quick))
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    return 0
