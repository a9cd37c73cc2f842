"""The import contract (TEAM.md "Layers"): no module imports an upper layer, no two
modules import each other (directly or round a longer loop), and core never imports Qt
or the app. Imports inside functions count: they hide a cycle, they do not remove it.

The graph is read from the source with ``ast`` (nothing is imported), so the test is
quick and names the exact file and line of each offending import.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "app")

#: Layers from low to high, by module name or package prefix ("core.kernels" covers
#: core.kernels.*). The most specific entry wins. A module may import its own layer
#: or lower ones.
LAYERS: dict[str, int] = {
    "core": 1,  # the package itself only (it re-exports the version); not a prefix
    "core.errors": 1, "core.version": 1, "core.units": 1, "core.validate": 1, "core.paths": 1,
    "core.vectorized": 1,  # scalar-or-array helpers of the model (numpy only)
    "core.report_text": 1,  # plain-text formatting of result figures (core.units only)
    "core.catalogue": 2, "core.kernels": 2, "core.profiles": 2, "core.distributions": 2,
    "core.solar_pv": 2, "core.wind_power": 2,  # the physics behind the profiles (pvlib)
    # The Monte Carlo kernel runs the schedule model (core.schedule.timeline) per sample,
    # so it sits with the model; the hourly kernel stays below it.
    "core.kernels.montecarlo": 3, "core.kernels.montecarlo_ref": 3,
    "core.scenario": 3, "core.scenario_defaults": 3, "core.throughput": 3, "core.it_load": 3, "core.energy": 3, "core.cost": 3,
    "core.schedule": 3, "core.checks": 3,
    "core.evaluate": 4,
    "core.project": 5, "core.explore": 5,
    "core.compare": 6, "core.report": 6, "core.whatif": 6, "core.stored_results": 6, "core.analyses": 6,
    "core.commands": 7, "core.bench": 7,
    "app": 8,
}

#: core.project stores results but never runs the engine: evaluate-and-store belongs
#: to layer 6. (Below it in the numbers, so it needs its own rule.)
FORBIDDEN = {
    "core.project": ("core.evaluate",),
    "core": ("app", "PySide6", "shiboken6", "pyqtgraph", "aisite.app"),
}

#: Known breaches that another branch is removing, as (importer, imported); the lead
#: deletes each entry at merge. (store -> core.evaluate was one until branch
#: `hardening` moved evaluate-and-store to core.stored_results.)
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    source: str   # importing module
    target: str   # imported module, resolved to a file of ours (or an outside top-level name)
    line: int
    ours: bool


def module_files(root: Path = ROOT) -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            files[name.removesuffix(".__init__")] = path
    return files


def _resolve(name: str, files: dict[str, Path]) -> str | None:
    name = name.removeprefix("aisite.")
    while name and name not in files:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, files: dict[str, Path]) -> list[Import]:
    """Every import in the file (module level, in functions, under TYPE_CHECKING)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        seen: set[str] = set()
        for name in names:
            target = _resolve(name, files)
            if target is None:
                top = name.split(".")[0]
                if top not in seen:
                    seen.add(top)
                    found.append(Import(module, top, node.lineno, ours=False))
                continue
            if target == module or target in seen:
                continue
            # A module inside a package importing the package's own __init__ is how
            # `from core.project import results` reads; it is not an edge upwards.
            if files[target].name == "__init__.py" and module.startswith(target + "."):
                continue
            seen.add(target)
            found.append(Import(module, target, node.lineno, ours=True))
    return found


def import_graph(root: Path = ROOT) -> tuple[dict[str, Path], list[Import]]:
    files = module_files(root)
    edges = [imp for module, path in files.items() for imp in imports_of(module, path, files)]
    return files, edges


def layer_of(module: str) -> int | None:
    name = module
    while name:
        if name in LAYERS and (name != "core" or module == "core"):
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def contract_breaches(root: Path = ROOT) -> list[str]:
    """Every breach of the contract, one readable line each (empty: all is well)."""
    files, edges = import_graph(root)
    where = {m: p.relative_to(root) for m, p in files.items()}
    out = [f"{m} ({where[m]}) has no layer: add it to LAYERS in {Path(__file__).name}"
           for m in files if layer_of(m) is None]
    for imp in edges:
        if (imp.source, imp.target) in KNOWN_EXCEPTIONS:
            continue
        at = f"{where[imp.source]}:{imp.line}"
        for prefix, banned in FORBIDDEN.items():
            if _within(imp.source, prefix) and any(_within(imp.target, b) for b in banned):
                out.append(f"{at}: {imp.source} imports {imp.target} (forbidden for {prefix})")
        if not imp.ours:
            continue
        low, high = layer_of(imp.target), layer_of(imp.source)
        if low is not None and high is not None and low > high:
            out.append(f"{at}: {imp.source} (layer {high}) imports {imp.target} (layer {low}): upward")
    for group in cycles(edges):
        loop = shortest_loop(group, edges)
        others = sorted(set(group) - set(loop))
        out.append(f"import cycle: {' -> '.join(loop + [loop[0]])}"
                   + (f" (and {len(others)} more modules in the same knot: {', '.join(others)})" if others else ""))
    return out


def shortest_loop(group: list[str], edges: list[Import]) -> list[str]:
    """A shortest import loop through the first module of a cycle group (real edges only)."""
    members = set(group)
    graph: dict[str, list[str]] = {}
    for imp in edges:
        if imp.ours and imp.source in members and imp.target in members \
                and (imp.source, imp.target) not in KNOWN_EXCEPTIONS:
            graph.setdefault(imp.source, []).append(imp.target)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return paths[node]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return group  # unreachable for a strongly connected group


def cycles(edges: list[Import]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each as a sorted list."""
    graph: dict[str, set[str]] = {}
    for imp in edges:
        if imp.ours and (imp.source, imp.target) not in KNOWN_EXCEPTIONS:
            graph.setdefault(imp.source, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_core_and_app_keep_the_layer_contract():
    breaches = contract_breaches()
    assert not breaches, "import contract broken:\n" + "\n".join(breaches)


def test_known_exceptions_are_still_needed():
    """An exception whose import is gone must be deleted, so it cannot hide a new one."""
    _, edges = import_graph()
    present = {(e.source, e.target) for e in edges}
    stale = sorted(KNOWN_EXCEPTIONS - present)
    assert not stale, f"delete these from KNOWN_EXCEPTIONS, the import is gone: {stale}"


# ----------------------------------------------------------------------- the checker itself
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize("files, expected", [
    ({"core/errors.py": "def f():\n    from core.units import x\n",
      "core/units.py": "from core.errors import y\n"}, "import cycle: core.errors -> core.units"),
    ({"core/units.py": "def f():\n    import PySide6.QtCore\n"}, "core.units imports PySide6"),
    ({"core/units.py": "from app import main_window\n", "app/main_window.py": ""}, "core.units imports app"),
    ({"core/scenario.py": "from core.evaluate import evaluate\n", "core/evaluate.py": ""},
     "core.scenario (layer 3) imports core.evaluate (layer 4): upward"),
    ({"core/project/__init__.py": "", "core/project/cache.py": "from ..evaluate import run\n",
      "core/evaluate.py": ""}, "core.project.cache imports core.evaluate"),
    ({"app/a.py": "from . import b\n", "app/b.py": "def f():\n    from app.a import g\n"},
     "import cycle: app.a -> app.b"),
    ({"core/newthing.py": ""}, "core.newthing (core/newthing.py) has no layer"),
])
def test_checker_catches_each_kind_of_breach(tmp_path, files, expected):
    breaches = contract_breaches(_tree(tmp_path, files))
    assert any(expected in b for b in breaches), breaches


def test_checker_accepts_a_package_reading_its_own_init(tmp_path):
    root = _tree(tmp_path, {"core/project/__init__.py": "from core.project.store import Project\n",
                            "core/project/store.py": "from core.project import results\n",
                            "core/project/results.py": "from core.errors import InputError\n",
                            "core/errors.py": ""})
    assert contract_breaches(root) == []
