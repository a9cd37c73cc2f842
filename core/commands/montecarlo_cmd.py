"""aisite montecarlo: P10/P50/P90 of every result over the scenario's uncertain inputs."""
from __future__ import annotations

import json
import sys

from aisite.core.commands.evaluate_cmd import SCENARIO_HELP, load_input

NAME = "montecarlo"
HELP = ("Monte Carlo over uncertain inputs: N samples of the whole scenario (hourly year, cost, "
        "schedule) and the P10/P50/P90, mean, min and max of every result. Uses the scenario's "
        "\"uncertain\" section, or the shipped default ranges (lead times, prices, MFU, utilisation, PUE) "
        "when it has none.")
SHOWN = ("schedule.first_compute_month", "schedule.full_capacity_month", "throughput.training_days",
         "throughput.tokens_per_year", "energy.facility_peak_mw", "energy.annual_facility_mwh",
         "energy.pue_annual", "energy.tco2e_per_year_location", "energy.carbon_free_fraction",
         "energy.unserved_mwh", "cost.capex_usd", "cost.opex_usd_per_year", "cost.npv_cost_usd",
         "cost.usd_per_gpu_hour", "cost.usd_per_million_tokens")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project")
    parser.add_argument("--samples", type=int, default=1000, metavar="N", help="number of samples (default 1000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="random seed; the same seed gives the same numbers (default 0)")
    parser.add_argument("--result", metavar="KEY", default="schedule.first_compute_month",
                        help="result to rank the inputs against, as section.key "
                             "(default schedule.first_compute_month)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--defaults", action="store_true",
                       help="add the shipped default ranges for inputs the scenario does not list")
    group.add_argument("--no-defaults", action="store_true",
                       help="use only the scenario's own \"uncertain\" section")
    parser.add_argument("--all", action="store_true", help="list every result key, not only the headline ones")
    parser.add_argument("--out", metavar="CSV", help="write every sample (inputs and results) to a CSV file")
    parser.add_argument("--include-samples", action="store_true", help="with --json, include every sample")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")


def run(args) -> int:
    from aisite.core.errors import InputError
    from aisite.core.explore.montecarlo import monte_carlo
    from aisite.core.explore.progress import StderrProgress
    from aisite.core.explore.results import check_keys

    data, catalogue = load_input(args.file, args.scenario)
    defaults = "add" if args.defaults else ("none" if args.no_defaults else "auto")
    progress = StderrProgress("montecarlo")
    try:
        result = monte_carlo(data, samples=args.samples, seed=args.seed, catalogue=catalogue, defaults=defaults,
                             progress=progress)
    finally:
        progress.close()
    check_keys([args.result], result.results)
    if args.out:
        try:
            result.table().to_csv(args.out, index=False)
        except OSError as error:
            raise InputError("--out", f"cannot write {args.out} ({error.strerror or error})") from None
    if args.json:
        json.dump(_clean(result.to_json(result_key=args.result, include_samples=args.include_samples)),
                  sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    from aisite.core.units import result_value

    out = sys.stdout
    out.write(f"Monte Carlo: {result.n:,} samples, seed {result.seed}, {len(result.inputs)} uncertain inputs\n\n")
    shown = list(result.stats) if args.all else [k for k in SHOWN if k in result.stats]
    width = max(len(k) for k in shown)
    out.write(f"{'result':<{width}}  {'P10':>14}  {'P50':>14}  {'P90':>14}  {'mean':>14}\n")
    for key in shown:
        s = result.stats.get(key)
        if not s or s["count"] == 0:
            continue
        out.write(f"{key:<{width}}  " + "  ".join(f"{result_value(key, s[q]):>14}"
                                                for q in ("p10", "p50", "p90", "mean")) + "\n")
    out.write(f"\nInputs most correlated with {args.result} (Spearman):\n")
    for c in result.correlations(args.result):
        r = c["spearman"]
        out.write(f"  {c['path']:<40} {'' if r is None else f'{r:+.2f}'}\n")
    return 0


def _clean(node):
    """JSON-safe: NaN and infinity become null."""
    import math

    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node
