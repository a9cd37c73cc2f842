"""Shared helpers for the project-file tests."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PYTHON = sys.executable

# Names a planner may type, that break naive SQL, JSON or shell handling.
TRICKY_NAMES = [
    "O'Brien's \"big\" site",
    "Robert'); DROP TABLE scenarios;--",
    "100% \\ _wild_ % [brackets] {braces}",
    "Zürich Ølkøbing \u00e6\u00f8\u00e5 \u2014 \u201cquoted\u201d",
    "\u6771\u4eac\u30c7\u30fc\u30bf\u30bb\u30f3\u30bf\u30fc",
    "\u0645\u0631\u0643\u0632 \u0628\u064a\u0627\u0646\u0627\u062a",
    "emoji \U0001f680\U0001f50c",
    "  spaces  around  ",
    "semi;colon -- comment /* block */",
    "NULL",
]


def sha256(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sample_docs() -> list[dict]:
    from aisite.core.paths import samples_dir

    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(samples_dir().glob("*.json"))]


def tricky_doc(name: str = "Tricky \u00e9\u00e8 'q' \"dq\"", *, extras: bool = False) -> dict:
    """A scenario with awkward values: Unicode, floats that must stay floats, ints that
    must stay ints, an inline chip, key order that is not alphabetical. The engine
    accepts it; with ``extras`` it also carries fields the engine does not know."""
    doc = {
        "name": name,
        "format": "aisite.scenario/1",
        "region": "us-texas",
        "description": "Key order kept \u2713 \\ backslash \"quotes\" \n newline \u0000 nul \U0001f680",
        "deployments": [
            {"count": 4096, "chip": "nvidia-h100-sxm", "start_month": 0},
            {"chip": {"name": "Chip \u201cX\u201d \u03b1\u03b2\u03b3", "bf16_tflops": 2500.0, "fp8_tflops": 5000,
                      "memory_gb": 288, "memory_tbps": 8.0, "tdp_w": 1400, "price_usd": 50000},
             "count": 1024, "chips_per_server": 8, "server_overhead_w": 3000, "servers_per_rack": 8},
        ],
        "cooling": "direct-liquid",
        "power": [{"source": "grid", "mw": 120.5}, {"source": "solar-pv", "mw": 0.1}],
        "workload": {"kind": "training", "params": 4.05e11, "active_params": 4.05e11, "tokens": 1.56e13,
                     "precision": "bf16", "mfu": 0.4},
        "finance": {"horizon_years": 6, "discount_rate": 0.08},
        "overrides": {"grid_gco2_per_kwh": 385, "electricity_usd_per_mwh": 1e-300 * 1e300},
    }
    if extras:
        doc["zzz_extra"] = {"big_int": 2**62 + 1, "huge_int": 10**40, "tiny": 5e-324, "neg_zero": -0.0,
                            "list": [], "obj": {}, "t": True, "f": False, "n": None, "third": 1 / 3,
                            "nested": [[1, 2.0, "3"], {"b": 1, "a": 2}]}
    return doc


def exact(a, b) -> bool:
    """Equal, with the same types (1 is not 1.0) and the same key order, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(exact(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(exact(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b and str(a) == str(b)  # -0.0 vs 0.0
    return a == b


def snapshot(project) -> dict:
    """Everything a planner put in a project, by name (ids and timestamps aside)."""
    scen = project.scenarios()
    names = {s.id: s.name for s in scen}
    sites = {s.id: s.name for s in project.sites()}
    return {
        "title": project.title,
        "scenarios": [(s.name, names.get(s.parent_id), sites.get(s.site_id), s.notes,
                       json.dumps(project.stored_document(s.id)), json.dumps(project.overrides(s.id)))
                      for s in scen],
        "effective": {s.name: json.dumps(project.effective_scenario(s.name)) for s in scen},
        "sites": sorted(sites.values()),
        "catalogue": [(r.kind, r.entry_id, json.dumps(r.data)) for r in project.catalogue_entries()],
        "uncertain": [(names.get(u.scenario_id), u.path, u.distribution, json.dumps(u.params), u.label)
                      for u in project.uncertain_inputs(all_scenarios=True)],
        "analyses": [(a.name, a.kind, names.get(a.scenario_id), json.dumps(a.definition))
                     for a in project.analyses()],
    }


def content_rows(path) -> dict:
    """All rows of the content tables except timestamps of the meta row (raw SQL)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("catalogue_entries", "sites", "scenarios", "uncertain_inputs", "analyses"):
            out[table] = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path):
    from aisite.core.project import create_project

    p = create_project(tmp_path / "p.aisite")
    yield p
    p.close()


@pytest.fixture
def sample_project(tmp_path):
    from aisite.core.project import create_sample_project, open_project

    path = create_sample_project(tmp_path / "sample.aisite")
    p = open_project(path)
    yield p
    p.close()


@pytest.fixture
def v1_copy(tmp_path) -> Path:
    target = tmp_path / "old project.aisite"
    shutil.copyfile(FIXTURES / "project_v1.aisite", target)
    return target


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("AISITE_DATA_DIR", None) if False else None
    return env


def deep(value):
    return copy.deepcopy(value)
