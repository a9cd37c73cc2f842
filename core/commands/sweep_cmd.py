"""aisite sweep: one result row per value of an input (a second --param makes a grid)."""
from __future__ import annotations

import json
import sys

from aisite.core.commands.evaluate_cmd import SCENARIO_HELP, load_input

NAME = "sweep"
HELP = ("Sweep one input over values (or two inputs over a grid) and print chosen results for each "
        "point. PATH addresses a number in the scenario, like power[1].mw, finance.discount_rate, "
        "deployments[0].count or schedule.grid_connection.")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project")
    parser.add_argument("--param", action="append", required=True, metavar="PATH",
                        help="input to vary, like power[1].mw (give twice for a 2-D grid)")
    parser.add_argument("--values", action="append", required=True, metavar="V1,V2,...",
                        help="values for the matching --param: a list 100,200,300 or a range START:STOP:STEP")
    parser.add_argument("--result", metavar="KEY,...",
                        help="result keys to show, as section.key, comma-separated "
                             "(default: a set of headline results)")
    parser.add_argument("--out", metavar="CSV", help="also write the table to a CSV file")
    parser.add_argument("--json", action="store_true", help="print the table as one JSON object")


def run(args) -> int:
    from aisite.core.errors import InputError
    from aisite.core.explore.progress import StderrProgress
    from aisite.core.explore.sweep import parse_values, sweep

    if len(args.param) != len(args.values):
        raise InputError("--values", f"give one --values for each --param ({len(args.param)} --param, "
                                     f"{len(args.values)} --values)")
    if len(args.param) > 2:
        raise InputError("--param", f"at most two inputs (a 2-D grid), got {len(args.param)}")
    axes = [(p, parse_values(v)) for p, v in zip(args.param, args.values)]
    keys = [k for k in args.result.split(",") if k.strip()] if args.result else None
    data, catalogue = load_input(args.file, args.scenario)
    progress = StderrProgress("sweep")
    try:
        table = sweep(data, axes, keys, catalogue=catalogue, progress=progress)
    finally:
        progress.close()
    if args.out:
        try:
            table.to_csv(args.out, index=False)
        except OSError as error:
            raise InputError("--out", f"cannot write {args.out} ({error.strerror or error})") from None
    if args.json:
        rows = json.loads(table.to_json(orient="records"))
        json.dump({"format": "aisite.sweep/1", "params": [p for p, _ in axes],
                   "columns": list(table.columns), "rows": rows}, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    import pandas as pd

    with pd.option_context("display.max_columns", None, "display.width", 200, "display.max_rows", None):
        sys.stdout.write(table.to_string(index=False, float_format=lambda x: f"{x:,.6g}") + "\n")
    return 0
