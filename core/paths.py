"""Where the shipped catalogue, profiles, samples and app resources live.

Searched in order: $AISITE_DATA_DIR (or $AISITE_RESOURCES_DIR), then the installed
package: imported as aisite.core, data/ and resources/ are the package data aisite.data
and aisite.resources, found through importlib (a wheel, an editable install or a
PyInstaller bundle alike), then the bundle folder itself.
"""
from __future__ import annotations

import importlib.resources
import os
import sys
from functools import lru_cache
from pathlib import Path

from aisite.core.errors import InputError

# The import package this module lives in: "aisite" (aisite.core.paths).
_PACKAGE = __name__.rpartition(".core.paths")[0]


def _installed(folder: str, marker: str) -> Path | None:
    try:
        # A namespace package's files() is a MultiplexedPath; the marker file is a real Path.
        return Path(str(importlib.resources.files(f"{_PACKAGE}.{folder}").joinpath(marker))).parent
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return None


def _find(folder: str, marker: str) -> Path:
    """The first of: $AISITE_<FOLDER>_DIR, the installed package's data, a PyInstaller
    bundle, that holds `marker`."""
    candidates = []
    env = os.environ.get(f"AISITE_{folder.upper()}_DIR")
    if env:
        candidates.append(Path(env))
    installed = _installed(folder, marker)
    if installed is not None:
        candidates.append(installed)
    if getattr(sys, "_MEIPASS", None):
        candidates.append(Path(sys._MEIPASS, *_PACKAGE.split("."), folder))
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


SAMPLE_PREFIX = "sample:"


def sample_names() -> list[str]:
    """The shipped sample scenarios by name (file name without .json), sorted."""
    return sorted(path.stem for path in samples_dir().glob("*.json"))


def scenario_path(argument: str | os.PathLike) -> Path:
    """The file a scenario argument names: `sample:NAME` is a shipped sample, found
    wherever the planner runs from; anything else is a path as given."""
    text = os.fspath(argument)
    if not isinstance(text, str) or not text.startswith(SAMPLE_PREFIX):
        return Path(text)
    name = text[len(SAMPLE_PREFIX):].removesuffix(".json")
    names = sample_names()
    if name not in names:
        raise InputError(text, f"no such sample; the samples are: {', '.join(names)} (`aisite samples` lists them)")
    return samples_dir() / f"{name}.json"
