"""A real sample project on disk, built once per test session (read-only use)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory):
    from aisite.core.project import create_sample_project

    path = tmp_path_factory.mktemp("sample") / "sample.aisite"
    create_sample_project(path)
    return str(path)


@pytest.fixture(scope="session")
def sample_names(sample_project):
    from aisite.core.project import open_project

    with open_project(sample_project, read_only=True) as project:
        return project.scenario_names()
