"""Building whole projects: ``aisite new --from`` and the bundled sample project.

A project is built under a temporary name beside the target and renamed into place
once complete, so a failed build never leaves a half-made file at the target path.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from aisite.core.errors import InputError, ProjectFileError
from aisite.core.project.json_io import fsync_dir, read_scenario_json
from aisite.core.project.store import Project

Document = tuple[Mapping[str, Any], str]


def build_project(path: str | os.PathLike, documents: Sequence[Document], *, title: str = "",
                  validate: bool = True, on_conflict: str = "error",
                  extra: Callable[[Project], None] | None = None) -> Path:
    """Create a project at ``path`` holding ``documents`` (all or nothing)."""
    from aisite.core.project.edits import import_documents  # noqa: PLC0415

    target = Path(path)
    if target.exists():
        raise ProjectFileError(str(target), "already exists; choose another name or delete it first")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ProjectFileError(str(target), f"folder {str(folder)!r} does not exist")
    tmp = folder / f".{target.name}.{os.getpid()}.building{target.suffix or '.aisite'}"
    _remove(tmp)
    try:
        with Project.create(tmp, title=title) as project:
            if documents:
                import_documents(project, documents, on_conflict=on_conflict, validate=validate)
            if extra is not None:
                extra(project)
            project.history.clear()
        if target.exists():
            raise ProjectFileError(str(target), "already exists; choose another name or delete it first")
        os.replace(tmp, target)
        fsync_dir(folder)
    except OSError as error:
        raise ProjectFileError(str(target), f"cannot create it: {error.strerror or error}") from None
    except ProjectFileError as error:
        if error.path != str(tmp):
            raise
        # the planner never named the temporary file: say what happened to theirs
        raise ProjectFileError(str(target), error.message) from None
    finally:
        _remove(tmp)
    return target


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        try:
            os.unlink(str(path) + suffix)
        except OSError:
            pass


def sample_documents() -> list[Document]:
    """The sample scenarios shipped in data/samples/*.json, by file name."""
    from aisite.core.paths import samples_dir  # noqa: PLC0415

    folder = samples_dir()
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise InputError(str(folder), "no sample scenarios (*.json) found")
    return [(read_scenario_json(f), str(f)) for f in files]


def _region_label(region_id: Any) -> str | None:
    if not isinstance(region_id, str):
        return None
    try:
        from aisite.core.catalogue import load_catalogue  # noqa: PLC0415

        row = load_catalogue().tables["regions"].get(region_id)
    except (ImportError, FileNotFoundError, InputError):
        row = None
    name = row.get("name") if row else None
    return str(name) if name else region_id


def _valid(project: Project, doc: dict) -> bool:
    try:
        from aisite.core.catalogue import load_catalogue  # noqa: PLC0415
        from aisite.core.scenario import load_scenario  # noqa: PLC0415
    except ImportError:
        return True
    try:
        load_scenario(copy.deepcopy(doc), load_catalogue(project.user_catalogue() or None))
        return True
    except InputError:
        return False


def _sample_extras(project: Project) -> None:
    """Sites by region, and a few what-if variants and uncertain inputs to explore."""
    from aisite.core.project.edits import (  # noqa: PLC0415
        AddSite,
        DuplicateAsVariant,
        MoveScenario,
        SetUncertainInput,
    )
    from aisite.core.project.fieldpath import apply_overrides  # noqa: PLC0415

    for info in list(project.scenarios()):
        label = _region_label(project.effective_scenario(info.id).get("region"))
        if label:
            try:
                site = project.site(label)
            except InputError:
                site = project.site(project.do(AddSite(label)).site_id)
            project.do(MoveScenario(project, info.id, site.id))

    bases = [s for s in project.scenarios() if not s.is_variant]
    training = next((s for s in bases if project.effective_scenario(s.id).get("workload", {}).get("kind")
                     == "training"), bases[0] if bases else None)
    if training is None:
        return
    doc = project.effective_scenario(training.id)
    power = doc.get("power") if isinstance(doc.get("power"), list) else []
    variants: list[tuple[str, dict]] = []
    queue = _grid_queue(doc.get("region"))
    if queue is not None:
        variants.append((f"{training.name}: grid two years late",
                         {"schedule.grid_connection": queue[1] + 24}))
    solar = next((i for i, p in enumerate(power) if isinstance(p, dict) and p.get("source") == "solar-pv"), None)
    battery = next((i for i, p in enumerate(power) if isinstance(p, dict) and p.get("source") == "battery"), None)
    if solar is not None and battery is not None:
        variants.append((f"{training.name}: more solar and storage", {
            f"power[{solar}].mw": power[solar].get("mw", 0) + 200,
            f"power[{battery}].mwh": power[battery].get("mwh", 0) + 400}))
    for name, overrides in variants:
        if _valid(project, apply_overrides(doc, overrides)):
            project.do(DuplicateAsVariant(project, training.id, name, overrides))
    mfu = doc.get("workload", {}).get("mfu")
    if isinstance(mfu, (int, float)) and 0.1 < mfu < 0.9:
        project.do(SetUncertainInput(project, training.id, "workload.mfu", "triangular",
                                     {"low": round(mfu - 0.1, 3), "mode": mfu, "high": round(mfu + 0.08, 3)},
                                     "Model FLOPs utilisation"))
    if queue is not None:
        project.do(SetUncertainInput(project, training.id, "schedule.grid_connection", "triangular",
                                     {"low": queue[0], "mode": queue[1], "high": queue[2]},
                                     "Grid connection (months)"))


def _grid_queue(region_id: Any) -> tuple[float, float, float] | None:
    try:
        from aisite.core.catalogue import load_catalogue  # noqa: PLC0415

        row = load_catalogue().tables["regions"].get(region_id)
    except (ImportError, FileNotFoundError, InputError, TypeError):
        return None
    if not row:
        return None
    values = [row.get(f"grid_queue_months_{k}") for k in ("low", "mode", "high")]
    if all(isinstance(v, (int, float)) for v in values):
        return tuple(int(v) if float(v).is_integer() else float(v) for v in values)  # type: ignore[return-value]
    return None


def create_sample_project(path: str | os.PathLike) -> Path:
    """The bundled sample project: every data/samples/*.json scenario, grouped in sites by
    region, with a couple of what-if variants and uncertain inputs on the training site."""
    return build_project(path, sample_documents(), title="AI Site Planner sample project",
                         on_conflict="rename", extra=_sample_extras)
