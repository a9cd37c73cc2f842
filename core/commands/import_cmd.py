"""aisite import: add scenario files to a project."""
from __future__ import annotations

import json
import sys

from aisite.core.errors import InputError

NAME = "import"
HELP = ("Add scenario files (aisite.scenario/1 JSON) to a project. Each becomes a scenario named "
        "after its \"name\" field. All files go in together or, if one has a problem, none do.")


def add_arguments(parser):
    parser.add_argument("project", metavar="PROJECT", help="the project file (.aisite)")
    parser.add_argument("sources", metavar="SCENARIO", nargs="+", help="scenario files (.json) or sample:NAME to add")
    same = parser.add_mutually_exclusive_group()
    same.add_argument("--replace", action="store_true",
                      help="when the project already has a scenario of that name, replace it "
                           "(its variants stay and follow the new values)")
    same.add_argument("--rename", action="store_true",
                      help="when the name is taken, keep both: the new one becomes 'Name (2)'")
    parser.add_argument("--site", metavar="SITE",
                        help="put the scenarios in this site of the project (created if new)")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="store the files even if the engine finds a problem in them")
    parser.add_argument("--json", action="store_true", help="print the names added as JSON")


def run(args) -> int:
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddScenario, ReplaceDocument, import_documents
    from aisite.core.project.json_io import read_scenario_json

    docs = [(read_scenario_json(src), src) for src in args.sources]
    conflict = "replace" if args.replace else "rename" if args.rename else "error"
    if args.site is not None and not args.site.strip():
        raise InputError("--site", "must not be empty")
    with open_project(args.project) as project:
        step = import_documents(project, docs, on_conflict=conflict, site=args.site, validate=args.check)
        added = [op.name for op in step.ops if isinstance(op, AddScenario)]
        replaced = [project.scenario(op.scenario_id).name for op in step.ops if isinstance(op, ReplaceDocument)]
        total = len(project.scenario_names())
    _warn_about_profiles(args.project, docs)
    if args.json:
        json.dump({"project": args.project, "added": added, "replaced": replaced}, sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        parts = []
        if added:
            parts.append("added " + ", ".join(repr(n) for n in added))
        if replaced:
            parts.append("replaced " + ", ".join(repr(n) for n in replaced))
        print(f"{args.project}: {'; '.join(parts)} ({total} scenario{'s' if total != 1 else ''} in the project)")
    return 0


def _warn_about_profiles(project_path: str, docs) -> None:
    """Relative profile files are looked up beside the project: say so when one is not there."""
    from pathlib import Path

    folder = Path(project_path).resolve().parent
    for doc, where in docs:
        profiles = doc.get("profiles")
        if not isinstance(profiles, dict):
            continue
        for key, value in profiles.items():
            if isinstance(value, str) and value and not Path(value).is_absolute() and not (folder / value).is_file():
                print(f"aisite import: note: {where}: profiles.{key} {value!r} is looked up beside the project, "
                      f"as {folder / value}; copy the file there", file=sys.stderr)
