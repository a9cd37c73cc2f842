"""Project file speed: open a 200-scenario project with stored results; commit one edit.

Targets (design section 7, issue 4): open < 300 ms, one edit committed < 10 ms.
"open" is what the desktop app does before it can show the project: validate the
file (header, b-tree check of the content tables, every row's checksum), take the
lock, open it for writing, read the scenario tree, sites and catalogue. The edit is
one SetField committed in its own transaction (WAL, synchronous=FULL: on disk when
it returns).
"""
from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path


N_SCENARIOS = 200
N_BASES = 50
OPEN_RUNS = 7
EDIT_RUNS = 15


def _sample_results() -> list[tuple[dict, dict, dict]]:
    """(document, summary, hourly arrays) for each shipped sample, from the real engine."""
    from aisite.core.evaluate import evaluate_dict
    from aisite.core.project.sample import sample_documents

    out = []
    for doc, _ in sample_documents():
        result = evaluate_dict(doc)
        out.append((doc, json.loads(json.dumps(result.summary)), dict(result.hourly)))
    return out


def build_bench_project(path: Path) -> Path:
    from aisite.core.project import create_project
    from aisite.core.project.edits import AddScenario, Compound, DuplicateAsVariant

    samples = _sample_results()
    with create_project(path, title="bench") as project:
        ops = []
        for i in range(N_BASES):
            doc, _, _ = samples[i % len(samples)]
            doc = json.loads(json.dumps(doc))
            doc["name"] = f"{doc['name']} #{i}"
            ops.append(AddScenario(doc))
        project.apply(Compound(ops, "bases"))
        bases = [s.id for s in project.scenarios()]
        variants = []
        for j in range(N_SCENARIOS - N_BASES):
            parent = bases[j % len(bases)]
            variants.append(DuplicateAsVariant(project, parent, f"variant {j}",
                                               {"finance.discount_rate": 0.05 + j * 1e-4}))
        project.apply(Compound(variants, "variants"))
        for k, info in enumerate(project.scenarios()):
            _, summary, hourly = samples[k % len(samples)]
            scale = 1.0 + k * 1e-6  # distinct bytes in every result, as real results have
            project.put_result(info.id, summary, {name: arr * scale for name, arr in hourly.items()})
        project.checkpoint()
    return path


def _open_once(path: Path) -> float:
    from aisite.core.project import open_project

    t0 = time.perf_counter()
    project = open_project(path)
    project.scenarios()
    project.sites()
    project.user_catalogue()
    elapsed = time.perf_counter() - t0
    project.close()
    return elapsed * 1000.0


def run(workdir: Path, quick: bool = False) -> dict:
    """The figures; ``quick`` repeats the timings fewer times (same project size)."""
    from aisite.core.project import open_project
    from aisite.core.project.edits import SetField

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench-200.aisite"
    for suffix in ("", "-wal", "-shm", ".lock"):
        try:
            os.unlink(str(path) + suffix)
        except OSError:
            pass
    build_bench_project(path)
    size_mb = path.stat().st_size / 1e6

    _open_once(path)  # warm the OS file cache and SQLAlchemy's statement cache
    open_ms = statistics.median(_open_once(path) for _ in range(3 if quick else OPEN_RUNS))

    with open_project(path) as project:
        first = project.scenarios()[0]
        t0 = time.perf_counter()
        result = project.get_result(first.id)
        first_result_ms = (time.perf_counter() - t0) * 1000.0
        assert result is not None and result.arrays
        times = []
        for i in range(5 if quick else EDIT_RUNS):
            t0 = time.perf_counter()
            project.do(SetField(project, first.id, "finance.discount_rate", 0.07 + i * 1e-3))
            times.append((time.perf_counter() - t0) * 1000.0)
        t0 = time.perf_counter()
        project.history.undo()
        undo_ms = (time.perf_counter() - t0) * 1000.0
    return {
        "project_open_ms": round(open_ms, 2),
        "edit_commit_ms": round(statistics.median(times), 3),
        "edit_commit_max_ms": round(max(times), 3),
        "undo_commit_ms": round(undo_ms, 3),
        "project_first_result_ms": round(first_result_ms, 2),
        "project_scenarios": N_SCENARIOS,
        "project_file_mb": round(size_mb, 2),
    }


if __name__ == "__main__":  # pragma: no cover - handy by hand
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(Path(tmp)), indent=2))
