"""Where the shipped catalogue, profiles and samples live.

Searched in order: $AISITE_DATA_DIR, the source checkout (editable install or a
PyInstaller bundle keep data/ beside core/), then the wheel's share/aisite/data.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_dir() -> Path:
    candidates = []
    if os.environ.get("AISITE_DATA_DIR"):
        candidates.append(Path(os.environ["AISITE_DATA_DIR"]))
    candidates.append(Path(__file__).resolve().parent.parent / "data")
    if getattr(sys, "_MEIPASS", None):
        candidates.append(Path(sys._MEIPASS) / "data")
    candidates.append(Path(sys.prefix) / "share" / "aisite" / "data")
    for path in candidates:
        if (path / "chips.csv").is_file():
            return path
    raise FileNotFoundError(
        "catalogue not found; looked in: " + ", ".join(str(p) for p in candidates)
    )


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def samples_dir() -> Path:
    return data_dir() / "samples"


def resources_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "resources"
