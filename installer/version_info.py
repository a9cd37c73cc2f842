"""The version, read from the one place it is written (core/version.py), without importing
the package: the spec, the installers and the release workflow all use this.

    python installer/version_info.py     -> 0.1.0
"""
import re
import sys
from pathlib import Path


def app_version(root: Path | str = Path(__file__).resolve().parent.parent) -> str:
    text = (Path(root) / "core" / "version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if match is None:
        raise SystemExit("core/version.py: no __version__ line")
    return match.group(1)


if __name__ == "__main__":
    print(app_version())
    sys.exit(0)
