"""Scenarios ready to compare or report: loaded from a project or a scenario file and
evaluated once, with everything a report shows beside the result (site, catalogue).

A project's fresh stored result is used as it is (a read-only open never writes);
otherwise the engine runs. Bad input raises InputError naming the option or file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from aisite.core.catalogue import Catalogue, load_catalogue
from aisite.core.errors import InputError
from aisite.core.evaluate import Result, evaluate
from aisite.core.scenario import Scenario, load_scenario
from aisite.core.stored_results import evaluate_stored

PROJECT_SUFFIX = ".aisite"


@dataclass
class Evaluated:
    name: str
    site: str  # the project's site ("" for a scenario file)
    source: str  # the file it came from
    document: dict  # the effective aisite.scenario/1 document
    scenario: Scenario = field(repr=False)
    result: Result = field(repr=False)
    user_catalogue: dict = field(default_factory=dict, repr=False)

    @property
    def summary(self) -> dict:
        return self.result.summary

    @property
    def catalogue(self) -> Catalogue:
        return self.scenario.catalogue


def is_project(path: str) -> bool:
    return Path(path).suffix.lower() == PROJECT_SUFFIX


def from_project(path: str, names: Sequence[str], *, option: str = "--scenario",
                 check: Callable[[], None] | None = None) -> list[Evaluated]:
    """The named scenarios of a project, in the order given. ``check()`` runs before each
    evaluation (it raises Cancelled when the planner has cancelled)."""
    from aisite.core.project import Project

    out = []
    with Project.open(path, read_only=True) as project:
        sites = {s.id: s.name for s in project.sites()}
        by_id = {s.id: s for s in project.scenarios()}

        def site_of(info) -> str:  # a variant sits on its parent's site
            while info.site_id is None and info.parent_id in by_id:
                info = by_id[info.parent_id]
            return sites.get(info.site_id, "")

        user = project.user_catalogue()
        catalogue = load_catalogue(user or None)
        for name in names:
            if check is not None:
                check()
            info = project.scenario(name, field=option)
            stored = evaluate_stored(project, info.id, store=False)
            doc = project.effective_scenario(info.id, resolve_files=True)
            scenario = load_scenario(doc, catalogue)
            arrays = {k: np.asarray(v) for k, v in (stored.arrays or {}).items()}
            result = Result(stored.summary, arrays, scenario)
            out.append(Evaluated(info.name, site_of(info), str(path), doc, scenario, result, user))
    return out


def from_scenario_file(path: str) -> Evaluated:
    """A scenario file (.json), evaluated with the shipped catalogue."""
    from aisite.core.paths import scenario_path
    from aisite.core.scenario import read_scenario_file, resolve_profiles

    file = scenario_path(path)  # `sample:NAME` names a shipped sample, as in every command
    if not file.is_file():
        raise InputError(str(path), "no such scenario file")
    doc = resolve_profiles(read_scenario_file(file), file.parent)
    scenario = load_scenario(doc, load_catalogue())
    result = evaluate(scenario)
    return Evaluated(scenario.name, "", str(path), doc, scenario, result, {})


def load(files: Sequence[str], names: Sequence[str], *, option: str = "--scenario") -> list[Evaluated]:
    """Scenario files, and the named scenarios of the (one) project among ``files``."""
    projects = [f for f in files if is_project(f)]
    if len(projects) > 1:
        raise InputError("FILE", "give at most one project file; its scenarios are chosen with " + option)
    if names and not projects:
        raise InputError(option, "applies only to a project file (.aisite)")
    if projects and not names:
        raise InputError(option, "is required for a project file; `aisite list PROJECT` shows the names")
    if projects and not Path(projects[0]).is_file():
        raise InputError(projects[0], "no such project file")
    out: list[Evaluated] = []
    for f in files:
        if is_project(f):
            out += from_project(f, names, option=option)
        else:
            out.append(from_scenario_file(f))
    return out


def stored_analyses(path: str, scenario_name: str) -> list[dict]:
    """The analyses a project holds for a scenario whose stored results are current
    (stale ones are left out: their numbers no longer match the inputs), as
    {name, kind, summary, arrays}, in the project's order."""
    from aisite.core.project import Project

    out = []
    with Project.open(path, read_only=True) as project:
        sid = project.scenario(scenario_name).id
        for a in project.analyses():
            if a.scenario_id != sid:
                continue
            stored = project.get_analysis_result(a.id, arrays=True)
            if stored is None:
                continue
            out.append({"name": a.name, "kind": a.kind, "summary": stored.summary,
                        "arrays": dict(stored.arrays or {})})
    return out


def project_title(path: str) -> str:
    from aisite.core.project import Project

    with Project.open(path, read_only=True) as project:
        return project.title or Path(path).stem
