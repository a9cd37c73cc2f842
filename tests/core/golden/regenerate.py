"""Rewrite the golden fixtures after a deliberate model change:

    python -m tests.core.golden.regenerate            # every case
    python -m tests.core.golden.regenerate NAME ...   # only these cases

Commit the rewritten `expected/*.json` on their own, saying which numbers moved and why.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.core.golden.cases import EXPECTED, cases


def write(name: str, value) -> Path:
    EXPECTED.mkdir(exist_ok=True)
    path = EXPECTED / f"{name}.json"
    path.write_text(json.dumps(value, indent=1, allow_nan=False) + "\n")
    return path


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        every = cases(Path(folder))
        unknown = [n for n in argv if n not in every]
        if unknown:
            print(f"unknown case(s): {', '.join(unknown)}; cases: {', '.join(every)}", file=sys.stderr)
            return 2
        for name in argv or every:
            print(write(name, every[name]()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
