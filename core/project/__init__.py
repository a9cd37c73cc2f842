"""Project files: the .aisite SQLite document that never loses work.

Open, create and read projects::

    from aisite.core.project import open_project, create_project
    with open_project("Texas.aisite") as project:          # ProjectInUseError if open elsewhere
        for s in project.scenarios(): ...
        project.do(SetField(project, "Base", "power[0].mw", 300))   # committed at once
        project.history.undo()

Modules: schema (the ORM mappings, format constants), store (Project), operation
(the shape of an edit and its Effects), edits (the operations, by what they change),
history (the one undo history), validate (checks before anything is written),
migrations (older files forward), locking (a file open in another copy),
results (input hashes, numpy arrays as bytes), fieldpath (``power[1].mw``),
json_io (scenario files in and out), sample (the bundled sample project).
"""
from __future__ import annotations

import os
from pathlib import Path

from aisite.core.errors import ProjectFileError
from aisite.core.project.locking import LockHolder, ProjectInUseError, holder_of
from aisite.core.project.schema import APP_ID, SCHEMA_VERSION
from aisite.core.project.store import Project, ScenarioInfo

__all__ = [
    "APP_ID",
    "SCHEMA_VERSION",
    "LockHolder",
    "Project",
    "ProjectFileError",
    "ProjectInUseError",
    "ScenarioInfo",
    "create_project",
    "create_sample_project",
    "holder_of",
    "load_scenario_dict",
    "load_user_catalogue",
    "open_project",
]

PROJECT_SUFFIX = ".aisite"


def open_project(path: str | os.PathLike, *, read_only: bool = False,
                 accept_log_damage: bool = False) -> Project:
    """Open a project for editing (or ``read_only``). See store.Project.open."""
    return Project.open(path, read_only=read_only, accept_log_damage=accept_log_damage)


def create_project(path: str | os.PathLike, *, title: str = "") -> Project:
    """Create a new empty project (refuses to overwrite a file) and open it."""
    return Project.create(path, title=title)


def load_scenario_dict(path: str | os.PathLike, scenario_name: str) -> dict:
    """The effective ``aisite.scenario/1`` document of a stored scenario (read-only open),
    ready to evaluate: variant overrides applied, the project's uncertain inputs in its
    ``uncertain`` section, relative ``profiles`` paths resolved from the project's folder.

    Unknown name: InputError naming ``--scenario`` and listing the names there are.
    """
    with Project.open(path, read_only=True) as project:
        info = project.scenario(scenario_name, field="--scenario")
        return project.effective_scenario(info.id, with_uncertain=True, resolve_files=True)


def load_user_catalogue(path: str | os.PathLike) -> dict[str, list[dict]]:
    """The project's own catalogue entries by kind, for core.catalogue.load_catalogue."""
    with Project.open(path, read_only=True) as project:
        return project.user_catalogue()


def create_sample_project(path: str | os.PathLike) -> Path:
    """Build the bundled sample project at ``path`` from data/samples/*.json."""
    from aisite.core.project.sample import create_sample_project as _create  # noqa: PLC0415

    return _create(path)
