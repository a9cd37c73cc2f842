"""Where the shipped catalogue, profiles and samples live.

Searched in order: $AISITE_DATA_DIR (or $AISITE_RESOURCES_DIR), the source checkout
(an editable install keeps data/ beside core/), a PyInstaller bundle, then the wheel's
share/aisite/ folder.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path


def _find(folder: str, marker: str) -> Path:
    """The first of: $AISITE_<FOLDER>_DIR, the source checkout, a PyInstaller bundle, the
    wheel's share/aisite/<folder> that holds `marker`."""
    candidates = []
    env = os.environ.get(f"AISITE_{folder.upper()}_DIR")
    if env:
        candidates.append(Path(env))
    candidates.append(Path(__file__).resolve().parent.parent / folder)
    if getattr(sys, "_MEIPASS", None):
        candidates.append(Path(sys._MEIPASS) / folder)
    candidates.append(Path(sys.prefix) / "share" / "aisite" / folder)
    for path in candidates:
        if (path / marker).exists():
            return path
    raise FileNotFoundError(f"{folder}/ not found; looked in: " + ", ".join(str(p) for p in candidates))


@lru_cache(maxsize=1)
def data_dir() -> Path:
    return _find("data", "chips.csv")


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def samples_dir() -> Path:
    return data_dir() / "samples"


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    return _find("resources", "styles")
