"""aisite tornado: which uncertain input moves a result most."""
from __future__ import annotations

import json
import sys

from aisite.core.commands.evaluate_cmd import SCENARIO_HELP, load_input

NAME = "tornado"
HELP = ("Tornado sensitivity: each uncertain input at its low and its high with the rest at base, "
        "ranked by the swing of a result (default cost.npv_cost_usd). Uses the scenario's \"uncertain\" "
        "section, or the shipped default ranges when it has none.")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project")
    parser.add_argument("--result", metavar="KEY", default="cost.npv_cost_usd",
                        help="result to rank by, as section.key (default cost.npv_cost_usd)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--defaults", action="store_true",
                       help="add the shipped default ranges for inputs the scenario does not list")
    group.add_argument("--no-defaults", action="store_true", help="use only the scenario's own ranges")
    parser.add_argument("--json", action="store_true", help="print the bars as one JSON object")


def run(args) -> int:
    from aisite.core.explore.progress import StderrProgress
    from aisite.core.explore.tornado import tornado

    data, catalogue = load_input(args.file, args.scenario)
    defaults = "add" if args.defaults else ("none" if args.no_defaults else "auto")
    progress = StderrProgress("tornado")
    try:
        result = tornado(data, args.result, catalogue=catalogue, defaults=defaults, progress=progress)
    finally:
        progress.close()
    if args.json:
        from aisite.core.commands.montecarlo_cmd import _clean

        json.dump(_clean(result.to_json()), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    base = result.base_result
    from aisite.core.units import result_value

    out.write(f"Tornado of {result.result_key} (base {result_value(result.result_key, base)})\n\n")
    width = max([len(b.path) for b in result.bars] + [5])
    out.write(f"{'input':<{width}}  {'low':>12} {'high':>12}  {'result at low':>16} {'result at high':>16}  {'swing':>14}\n")
    for b in result.bars:
        f = (lambda v: "n/a" if v is None else result_value(result.result_key, v))
        out.write(f"{b.path:<{width}}  {b.low_input:>12,.6g} {b.high_input:>12,.6g}  {f(b.low_result):>16} "
                  f"{f(b.high_result):>16}  {f(b.swing):>14}\n")
    return 0
