"""aisite export: write a stored scenario back out as a scenario file."""
from __future__ import annotations

import sys
from pathlib import Path

from aisite.core.errors import InputError

NAME = "export"
HELP = ("Write a scenario of a project out as a scenario file (aisite.scenario/1 JSON) that "
        "aisite evaluate, other tools and colleagues can use. A variant is written with its "
        "parent's values and its own changes applied.")


def add_arguments(parser):
    parser.add_argument("project", metavar="PROJECT", help="the project file (.aisite)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--scenario", metavar="NAME", help="the scenario to export (aisite list shows the names)")
    which.add_argument("--all", action="store_true", help="export every scenario, one file each, into --out FOLDER")
    parser.add_argument("--out", metavar="FILE.json",
                        help="where to write (replaced if it exists); omit or '-' to print it. "
                             "With --all: a folder")


def _file_name(name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in name).strip(" .")
    return (safe or "scenario") + ".json"


def run(args) -> int:
    from aisite.core.project import open_project
    from aisite.core.project.json_io import dumps_export, write_text_atomic

    with open_project(args.project, read_only=True) as project:
        if args.all:
            if not args.out or args.out == "-":
                raise InputError("--out", "give a folder to write the files into with --all")
            folder = Path(args.out)
            if folder.exists() and not folder.is_dir():
                raise InputError("--out", f"{folder} is a file; --all needs a folder")
            docs = [(s.name, project.effective_scenario(s.id)) for s in project.scenarios()]
            folder.mkdir(parents=True, exist_ok=True)
            used: set[str] = set()
            for name, doc in docs:
                fname = _file_name(name)
                stem, n = fname[:-5], 2
                while fname.lower() in used:
                    fname = f"{stem} ({n}).json"
                    n += 1
                used.add(fname.lower())
                write_text_atomic(folder / fname, dumps_export(doc))
            print(f"Wrote {len(docs)} scenario file{'s' if len(docs) != 1 else ''} to {folder}")
            return 0
        info = project.scenario(args.scenario, field="--scenario")
        text = dumps_export(project.effective_scenario(info.id))
    if not args.out or args.out == "-":
        sys.stdout.write(text)
    else:
        write_text_atomic(args.out, text)
        print(f"Wrote {info.name!r} to {args.out}", file=sys.stderr)
    return 0
