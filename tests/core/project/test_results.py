"""Stored results: raw numpy bytes, tagged with an input hash; stale ones are never shown."""
import sqlite3

import numpy as np
import pytest

from aisite.core.project import open_project
from aisite.core.stored_results import evaluate_stored
from aisite.core.project.edits import (
    AddCatalogueEntry,
    DuplicateAsVariant,
    EditCatalogueEntry,
    SetField,
)
from aisite.core.project.results import BadArray, decode_array, encode_array

TEXAS = "Texas B200 training campus"


def test_arrays_round_trip_bit_for_bit(project):
    from aisite.core.project.edits import AddScenario

    from .conftest import sample_docs

    project.do(AddScenario(sample_docs()[0]))
    name = sample_docs()[0]["name"]
    rng = np.random.default_rng(1)
    arrays = {
        "hourly": rng.normal(size=8760),
        "flat": np.zeros(8760),
        "ints": np.arange(-5, 5, dtype=np.int32),
        "grid": rng.random((3, 4, 5)).astype(np.float32),
        "flags": np.array([True, False, True]),
        "cplx": np.array([1 + 2j, -0.0 - 1j]),
        "bigend": np.arange(4, dtype=">f8"),
        "empty": np.zeros((0, 3)),
        "fortran": np.asfortranarray(rng.random((4, 3))),
        "nan": np.array([np.nan, np.inf, -np.inf, -0.0]),
    }
    summary = {"energy": {"it_peak_mw": np.float64(1.5), "n": np.int64(3)}, "checks": [], "x": None}
    assert project.put_result(name, summary, arrays, compute_ms=1.25)
    path = project.path
    project.close()
    with open_project(path, read_only=True) as again:
        got = again.get_result(name)
    assert got.summary == {"energy": {"it_peak_mw": 1.5, "n": 3}, "checks": [], "x": None}
    assert got.compute_ms == 1.25
    for key, value in arrays.items():
        assert got.arrays[key].dtype == value.dtype and got.arrays[key].shape == value.shape
        assert got.arrays[key].tobytes() == np.ascontiguousarray(value).tobytes()


def test_flat_series_are_compressed_and_noisy_ones_kept_raw():
    assert encode_array("z", np.zeros(8760)).codec == "zlib"
    assert encode_array("n", np.random.default_rng(0).random(8760)).codec == "raw"


def test_only_plain_numeric_arrays_are_stored():
    for bad in (np.array(["a", "b"]), np.array([object()]), np.array(["2020-01-01"], dtype="datetime64[D]")):
        with pytest.raises(ValueError):
            encode_array("x", bad)
    enc = encode_array("x", np.arange(3.0))
    for dtype in ("O", "|O", "<U4", "V8", "float64", "<f8; rm -rf", "<f3"):
        with pytest.raises(BadArray):
            decode_array(dtype, enc.shape, enc.codec, enc.nbytes, enc.sha256, enc.data)
    with pytest.raises(BadArray):
        decode_array(enc.dtype, "[4]", enc.codec, enc.nbytes, enc.sha256, enc.data)
    with pytest.raises(BadArray):
        decode_array(enc.dtype, enc.shape, enc.codec, enc.nbytes, enc.sha256, enc.data[:-1] + b"x")
    with pytest.raises(BadArray):
        decode_array(enc.dtype, "__import__('os')", enc.codec, enc.nbytes, enc.sha256, enc.data)


def test_evaluate_caches_and_input_changes_make_results_stale(sample_project):
    p = sample_project
    variant = f"{TEXAS}: grid two years late"
    assert p.result_status(TEXAS) == "none"
    first = evaluate_stored(p, TEXAS)
    evaluate_stored(p, variant)
    assert p.result_status(TEXAS) == "fresh" and first.arrays["it_mw"].shape == (8760,)
    cached = evaluate_stored(p, TEXAS)
    assert cached.computed_at == p.get_result(TEXAS).computed_at  # from the file, not recomputed
    assert cached.summary == first.summary

    # an edit to the scenario: stale, never shown
    p.do(SetField(p, TEXAS, "power[0].mw", 260))
    assert p.result_status(TEXAS) == "stale" and p.get_result(TEXAS) is None
    assert p.result_status(variant) == "stale"  # the variant inherits the change
    p.history.undo()
    assert p.result_status(TEXAS) == "fresh"  # undo brings the same inputs back
    assert p.get_result(TEXAS).summary == first.summary

    # an edit to the project's own catalogue: stale too
    p.do(AddCatalogueEntry("regions", {"id": "us-texas", "electricity_usd_per_mwh": 1}))
    assert p.result_status(TEXAS) == "stale"
    recomputed = evaluate_stored(p, TEXAS)
    assert recomputed.summary != first.summary  # cheaper power changes the numbers
    assert p.result_status(TEXAS) == "fresh"
    p.do(EditCatalogueEntry(p, "regions", "us-texas", {"id": "us-texas", "electricity_usd_per_mwh": 2}))
    assert p.get_result(TEXAS) is None


def test_engine_version_is_part_of_the_hash(sample_project, monkeypatch):
    p = sample_project
    evaluate_stored(p, TEXAS)
    assert p.result_status(TEXAS) == "fresh"
    monkeypatch.setattr("aisite.core.project.results.engine_version", lambda: "99.0")
    assert p.result_status(TEXAS) == "stale"


def test_result_computed_during_an_edit_is_stored_stale(sample_project):
    p = sample_project
    before = p.input_hash(TEXAS)  # the worker takes the hash, then computes...
    p.do(SetField(p, TEXAS, "power[0].mw", 999))  # ...while the planner edits
    p.put_result(TEXAS, {"late": True}, input_hash=before)
    assert p.get_result(TEXAS) is None


def test_damaged_result_is_not_shown(sample_project):
    p = sample_project
    evaluate_stored(p, TEXAS)
    path = p.path
    p.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE result_arrays SET data = zeroblob(length(data)) WHERE name = 'it_mw'")
    conn.commit()
    conn.close()
    with open_project(path) as again:
        assert again.get_result(TEXAS) is None
        assert again.damaged_results
        assert evaluate_stored(again, TEXAS).arrays["it_mw"].max() > 0  # recomputed and stored
        assert again.get_result(TEXAS) is not None


def test_results_go_with_their_scenario(sample_project):
    from aisite.core.project.edits import DeleteScenario

    p = sample_project
    p.do(DuplicateAsVariant(p, TEXAS, "V"))
    evaluate_stored(p, "V")
    p.do(DeleteScenario(p, "V"))
    conn = sqlite3.connect(f"file:{p.path}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM results").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM result_arrays").fetchone()[0] == 0
    conn.close()


def test_analysis_results(sample_project):
    from aisite.core.project.edits import AddAnalysis, SetUncertainInput

    p = sample_project
    p.do(AddAnalysis(p, "MC", "montecarlo", {"samples": 100, "seed": 1}, TEXAS))
    p.put_analysis_result("MC", {"p50": 1}, {"samples": np.arange(100.0)})
    assert p.get_analysis_result("MC").arrays["samples"][-1] == 99
    p.do(SetUncertainInput(p, TEXAS, "power[0].mw", "uniform", {"low": 200, "high": 300}))
    assert p.get_analysis_result("MC") is None  # new uncertain input: stale
