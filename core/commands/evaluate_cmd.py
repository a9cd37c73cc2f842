"""aisite evaluate: one scenario from a scenario file or a project."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError

NAME = "evaluate"
HELP = ("Evaluate one scenario: what the site delivers, costs, draws and when it is online. "
        "FILE is a scenario (.json) or a project (.aisite, with --scenario NAME).")


SCENARIO_HELP = ("scenario file (.json), project file (.aisite) or sample:NAME "
                 "(a shipped sample, see `aisite samples`)")


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    parser.add_argument("--scenario", metavar="NAME", help="which scenario of a project to evaluate")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")


def load_input(path: str, scenario_name: str | None):
    """(scenario dict, catalogue) from a .json scenario file or a stored project scenario."""
    from aisite.core.paths import scenario_path
    from aisite.core.scenario import read_scenario_file, resolve_profiles

    path = scenario_path(path)
    if Path(path).suffix.lower() == ".aisite":
        from aisite.core.project import load_scenario_dict, load_user_catalogue

        if not scenario_name:
            raise InputError("--scenario", "is required for a project file; `aisite list PROJECT` shows the names")
        return load_scenario_dict(path, scenario_name), load_catalogue(load_user_catalogue(path))
    if scenario_name:
        raise InputError("--scenario", "applies only to project files (.aisite)")
    return resolve_profiles(read_scenario_file(path), Path(path).parent), load_catalogue()


def run(args) -> int:
    from aisite.core.evaluate import evaluate_dict
    from aisite.core.report_text import summary_table

    data, catalogue = load_input(args.file, args.scenario)
    result = evaluate_dict(data, catalogue, with_hourly=False)
    if args.json:
        json.dump(result.summary, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary_table(result.summary))
    return 0
