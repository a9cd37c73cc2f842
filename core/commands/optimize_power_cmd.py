"""aisite optimize-power: the cheapest power mix that meets a planner's constraints."""
from __future__ import annotations

import json
import sys

from aisite.core.commands.evaluate_cmd import SCENARIO_HELP, load_input

NAME = "optimize-power"
HELP = ("Cheapest power mix: the capacities of the site's power sources (grid, solar, wind, battery MW "
        "and MWh, gas, SMR, ...) that minimise the NPV of cost with unserved energy, carbon-free share, "
        "emissions and first-compute month within limits. Solves a linear program over the 8,760 hours "
        "(HiGHS); the answer is then checked with the engine's own dispatch.")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project")
    parser.add_argument("--max-unserved-mwh", type=float, default=0.0, metavar="MWH",
                        help="unserved energy allowed per year (default 0)")
    parser.add_argument("--min-carbon-free", type=float, metavar="FRACTION",
                        help="carbon-free share of facility energy, 0 to 1 (e.g. 0.8)")
    parser.add_argument("--max-tco2e", type=float, metavar="T",
                        help="location-based emissions per year, tonnes CO2e")
    parser.add_argument("--first-compute-by", type=float, metavar="MONTH",
                        help="power must be in place for first compute by this month")
    parser.add_argument("--sources", metavar="ID,...",
                        help="catalogue power sources to consider besides the scenario's own "
                             "(e.g. wind-onshore,smr)")
    parser.add_argument("--time-limit", type=float, default=300.0, metavar="SECONDS",
                        help="give up on a linear program after this long (default 300)")
    parser.add_argument("--out", metavar="JSON", help="write the scenario with the optimal mix to a file")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")


def run(args) -> int:
    from aisite.core.errors import InputError
    from aisite.core.explore.power_mix import optimise_power

    data, catalogue = load_input(args.file, args.scenario)
    sources = [s.strip() for s in args.sources.split(",") if s.strip()] if args.sources else None

    def on_case(i, n, name):
        print(f"optimize-power: solving the linear program over 8,760 hours ({name}; {i + 1} of {n}) ...",
              file=sys.stderr, flush=True)
    result = optimise_power(data, max_unserved_mwh=args.max_unserved_mwh, min_carbon_free=args.min_carbon_free,
                            max_tco2e=args.max_tco2e, first_compute_by=args.first_compute_by, sources=sources,
                            catalogue=catalogue, on_case=on_case, time_limit=args.time_limit)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as handle:
                json.dump(result.scenario, handle, indent=2)
        except OSError as error:
            raise InputError("--out", f"cannot write {args.out} ({error.strerror or error})") from None
    if args.json:
        from aisite.core.commands.montecarlo_cmd import _clean

        json.dump(_clean(result.to_json()), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    from aisite.core.units import fixed, money, months, mw, mwh, percent, tonnes

    out = sys.stdout
    out.write(f"Cheapest mix ({result.case}; LP solved in {fixed(result.solve_seconds, 1, 's')})\n\n")
    for sid, cap in result.capacities.items():
        extra = f"  {mwh(cap['mwh'])}" if "mwh" in cap else ""
        out.write(f"  {sid:<16} {mw(cap['mw']):>12}{extra}\n")
    e = result.engine
    out.write(f"\nNPV of cost: {money(e['cost.npv_cost_usd'])} (engine); LP lower bound "
              f"{money(result.lp_npv_cost_usd)}; gap {money(result.gap_usd)}\n")
    if e.get("top_up_mw"):
        out.write(f"firm supply topped up by {e['top_up_mw']:,.3f} MW so the engine's merit-order dispatch "
                  f"serves every hour (the LP holds battery energy for the peak; the engine does not)\n")
    if e.get("clean_scale", 1.0) > 1.0:
        out.write(f"solar, wind and storage scaled by {e['clean_scale']:.4f} so the engine's merit-order dispatch "
                  f"meets the carbon constraints the LP's optimal dispatch meets at 1\n")
    first = e["schedule.first_compute_month"]
    out.write(f"unserved {mwh(e['energy.unserved_mwh'])}/yr; carbon-free {percent(e['energy.carbon_free_fraction'], 1)}; "
              f"{tonnes(e['energy.tco2e_per_year_location'])}/yr; first compute {'never' if first is None else months(first)}\n")
    for name, ok in result.engine_meets_constraints.items():
        out.write(f"  {name:<18} {'met' if ok else 'NOT met by the engine dispatch (met by the LP dispatch)'}\n")
    return 0
