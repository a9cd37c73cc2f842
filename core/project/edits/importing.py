"""Import scenario files into a project as one undo step."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Iterable, Mapping

from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError
from aisite.core.project.edits.fields import ReplaceDocument
from aisite.core.project.edits.tree import AddScenario, AddSite
from aisite.core.project.json_io import check_scenario_document, profile_paths_in, resolve_profiles
from aisite.core.project.operation import Compound, Operation
from aisite.core.project.store import Project, check_name
from aisite.core.scenario import load_scenario


def import_documents(project: Project, documents: Iterable[tuple[Mapping[str, Any], str]], *,
                     on_conflict: str = "error", site: int | str | None = None,
                     validate: bool = True) -> Compound:
    """Add scenario documents (``(document, where-from)`` pairs) as one undo step.

    ``on_conflict`` for a name already in the project: "error", "rename" (``Name (2)``)
    or "replace" (the stored document; its variants stay). ``site``: a site id or
    name (a new name creates the site, in the same step). With ``validate`` each
    document is checked by the engine (core.scenario.load_scenario) first, against the
    shipped catalogue plus the project's own entries.
    """
    if on_conflict not in ("error", "rename", "replace"):
        raise ValueError(on_conflict)
    docs = [(check_scenario_document(doc, where), where) for doc, where in documents]
    for doc, where in docs:  # even with validate off: no FIFO or device as a profile
        profile_paths_in("", doc, Path(where).resolve().parent if Path(where).suffix else project.folder)
    if validate:
        validate_documents(project, docs)
    ops: list[Operation] = []
    site_ref: int | AddSite | None = None
    if site is not None:
        try:
            site_ref = project.site(site).id
        except InputError:
            if not isinstance(site, str):
                raise
            site_ref = AddSite(site)
            ops.append(site_ref)
    taken = set(project.scenario_names())
    for doc, where in docs:
        name = str(doc.get("name") or _stem(where))
        check_name(name, f"{where}: name")
        if name in taken:
            if on_conflict == "error":
                raise InputError(where, f"the project already has a scenario named {name!r} "
                                 "(use --replace to overwrite it, or --rename to keep both)")
            if on_conflict == "replace":
                if any(getattr(o, "name", None) == name for o in ops if isinstance(o, AddScenario)):
                    raise InputError(where, f"two of the files are named {name!r}")
                ops.append(ReplaceDocument(project, name, doc))
                continue
            i = 2
            while f"{name} ({i})" in taken:
                i += 1
            name = f"{name} ({i})"
        taken.add(name)
        ops.append(AddScenario(doc, name, site_id=site_ref))
    scen_ops = [o for o in ops if not isinstance(o, AddSite)]
    what = scen_ops[0].description if len(scen_ops) == 1 else f"Import {len(scen_ops)} scenarios"
    return project.do(Compound(ops, what))


def _stem(where: str) -> str:
    return Path(where).stem or "Scenario"


def validate_documents(project: Project, docs: list[tuple[Mapping[str, Any], str]]) -> None:
    """The engine's checks on each document; InputError naming the file and the field."""
    catalogue = load_catalogue(project.user_catalogue() or None)
    for doc, where in docs:
        folder = Path(where).resolve().parent if Path(where).suffix else project.folder
        try:
            load_scenario(resolve_profiles(copy.deepcopy(dict(doc)), folder), catalogue)
        except InputError as error:
            raise InputError(where, str(error)) from None
