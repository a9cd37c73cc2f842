"""aisite size: how many accelerators of the scenario's chip fit a power cap, budget or rack limit."""
from __future__ import annotations

import json
import sys

from aisite.core.commands.evaluate_cmd import SCENARIO_HELP, load_input

NAME = "size"
HELP = ("Inverse sizing: the largest number of the scenario's accelerators that fits a facility power "
        "cap (peak MW through the hourly PUE), a capex budget or a rack limit, and which one binds.")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project")
    parser.add_argument("--max-facility-mw", type=float, metavar="MW",
                        help="facility power cap: IT at full load x PUE of the hottest hour")
    parser.add_argument("--max-capex-usd", type=float, metavar="USD", help="capex budget in dollars")
    parser.add_argument("--max-racks", type=float, metavar="N", help="rack (floor space) limit")
    parser.add_argument("--deployment", type=int, default=0, metavar="I",
                        help="which deployment's count to size (default 0, the first)")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")


def run(args) -> int:
    from aisite.core.explore.sizing import size

    data, catalogue = load_input(args.file, args.scenario)
    result = size(data, max_facility_mw=args.max_facility_mw, max_capex_usd=args.max_capex_usd,
                  max_racks=args.max_racks, deployment=args.deployment, catalogue=catalogue)
    if args.json:
        json.dump(result.to_json(), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    from aisite.core.units import count, money

    names = {"facility_mw": "facility peak", "capex_usd": "capex", "racks": "racks"}
    # MW to 4 decimals: one accelerator adds about a kilowatt, and the planner should see
    # the step across the limit; capex to the dollar for the same reason.
    fmt = {"facility_mw": lambda v: f"{v:,.4f} MW", "capex_usd": lambda v: f"{money(v)} (${v:,.0f})",
           "racks": lambda v: count(v, "racks")}
    out = sys.stdout
    out.write(f"{result.count:,} x {result.chip} fit (deployment {result.deployment}; "
              f"{result.accelerators_total:,} accelerators on the site)\n")
    out.write(f"binding: {', '.join(names[b] for b in result.binding)}\n\n")
    for key, limit in result.limits.items():
        f = fmt[key]
        out.write(f"  {names[key]:<14} limit {f(limit):>26}   at {result.count:,}: {f(result.at_count[key]):>26}"
                  f"   at {result.count + 1:,}: {f(result.at_next[key]):>26}\n")
    return 0
