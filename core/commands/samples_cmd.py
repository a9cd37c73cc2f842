"""aisite samples: the shipped sample scenarios, reachable from any folder.

`aisite samples` lists them; `aisite samples NAME` prints one; `--out PATH` copies it
(PATH may be a folder). Every command also takes `sample:NAME` where it takes a scenario
file (core.paths.scenario_path).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from aisite.core.errors import InputError
from aisite.core.paths import SAMPLE_PREFIX, sample_names, scenario_path

NAME = "samples"
HELP = ("List the shipped sample scenarios, print one, or copy one with --out. "
        "Any command takes sample:NAME in place of a scenario file.")


def add_arguments(parser):
    parser.add_argument("name", metavar="NAME", nargs="?", help="a sample's name (from the list)")
    parser.add_argument("--out", metavar="PATH", help="copy the sample to this file or folder (never overwrites)")
    parser.add_argument("--json", action="store_true", help="list the samples as one JSON array")


def _describe(name: str) -> dict:
    path = scenario_path(SAMPLE_PREFIX + name)
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"name": name, "argument": SAMPLE_PREFIX + name, "title": data.get("name", ""),
            "description": data.get("description", ""), "path": str(path)}


def _copy(name: str, out: str) -> Path:
    source = scenario_path(SAMPLE_PREFIX + name)
    target = Path(out)
    if target.is_dir():
        target = target / source.name
    if target.exists():
        raise InputError("--out", f"{target} already exists; choose another path")
    if not target.parent.is_dir():
        raise InputError("--out", f"folder {target.parent} does not exist")
    # Exclusive create: a file that appears meanwhile is never overwritten.
    try:
        with open(target, "xb") as handle:
            handle.write(source.read_bytes())
    except FileExistsError:
        raise InputError("--out", f"{target} already exists; choose another path") from None
    except OSError as error:
        raise InputError("--out", f"cannot write {target} ({error.strerror or error})") from None
    return target


def run(args) -> int:
    if args.name is None:
        if args.out:
            raise InputError("--out", "needs a sample NAME; `aisite samples` lists them")
        samples = [_describe(name) for name in sample_names()]
        if args.json:
            json.dump(samples, sys.stdout, indent=2)
            sys.stdout.write("\n")
            return 0
        width = max(len(s["argument"]) for s in samples)
        for sample in samples:
            sys.stdout.write(f"{sample['argument']:<{width}}  {sample['title']}\n{'':<{width}}  {sample['description']}\n")
        sys.stdout.write(f"\nUse one as a scenario file: aisite evaluate {samples[0]['argument']}\n"
                         f"or copy it to edit: aisite samples {samples[0]['name']} --out .\n")
        return 0
    name = args.name.removeprefix(SAMPLE_PREFIX)
    if args.out:
        target = _copy(name, args.out)
        print(f"Copied {SAMPLE_PREFIX}{name} to {target}")
        return 0
    sys.stdout.write(scenario_path(SAMPLE_PREFIX + name).read_text(encoding="utf-8"))
    return 0
