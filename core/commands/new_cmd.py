"""aisite new: create a project file, optionally from scenario files."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from aisite.core.errors import InputError

NAME = "new"
HELP = ("Create a new project file (.aisite) to keep sites, scenarios, your own catalogue "
        "entries and results together. Add scenario files with --from; the file is saved as "
        "you work, there is no separate save step.")


def add_arguments(parser):
    parser.add_argument("project", metavar="PROJECT.aisite",
                        help="the project file to create (must not exist yet; .aisite is added if "
                             "the name has no extension)")
    parser.add_argument("--from", dest="sources", metavar="SCENARIO", nargs="+", default=[],
                        help="scenario files (aisite.scenario/1) or sample:NAME to put in the new project")
    parser.add_argument("--sample", action="store_true",
                        help="start from the bundled sample project (sites, scenarios, variants)")
    parser.add_argument("--title", default="", help="a title for the project")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="store the scenario files even if the engine finds a problem in them")
    parser.add_argument("--json", action="store_true", help="print what was created as JSON")


def project_path(text: str) -> Path:
    path = Path(text)
    if not path.suffix:
        path = path.with_name(path.name + ".aisite")
    return path


def run(args) -> int:
    from aisite.core.project import open_project
    from aisite.core.project.json_io import read_scenario_json
    from aisite.core.project.sample import build_project, create_sample_project

    path = project_path(args.project)
    if args.sample and args.sources:
        raise InputError("--sample", "cannot be combined with --from; create the sample, then aisite import")
    if path.exists():
        raise InputError(str(path), "already exists; choose another name, or add scenarios to it with aisite import")
    if args.sample:
        create_sample_project(path)
        if args.title:
            from aisite.core.project.edits import SetProjectInfo

            with open_project(path) as project:
                project.do(SetProjectInfo(project, title=args.title))
    else:
        docs = [(read_scenario_json(src), src) for src in args.sources]
        build_project(path, docs, title=args.title, validate=args.check)
    with open_project(path, read_only=True) as project:
        names = project.scenario_names()
    if args.json:
        json.dump({"path": str(path), "scenarios": names}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        what = f"{len(names)} scenario{'s' if len(names) != 1 else ''}" if names else "no scenarios yet"
        print(f"Created {path} with {what}" + (": " + ", ".join(names) if names else ""))
    return 0
