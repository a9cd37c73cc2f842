"""The bundled sample project: where it lives and which scenario it opens on.

Its own module so that the window (File > Open sample) and the launcher (first run)
both use it without importing each other.
"""
from __future__ import annotations

from pathlib import Path

SAMPLE_NAME = "AI Site Planner sample.aisite"
SAMPLE_FIRST_SCENARIO = "Texas B200 training campus"  # the richest sample: solar, battery, gas bridge


def sample_project_path() -> Path:
    """The sample project in the app-data folder, created when missing."""
    from PySide6.QtCore import QStandardPaths  # noqa: PLC0415

    from aisite.core.project import create_sample_project  # noqa: PLC0415

    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SAMPLE_NAME
    if not path.exists():
        create_sample_project(path)
    return path
