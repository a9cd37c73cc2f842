"""`aisite report` as a planner runs it (real console script, no display): every format
holds the same figures as `aisite evaluate --json`, formatted as the dashboard shows them."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aisite.core.units import KEY_FIGURES
from tests.app.report.conftest import HOSTILE, TEXAS, aisite, evaluate_json

BASES = ["Texas B200 training campus", "Virginia H200 inference fleet", "Nordic sovereign AI site"]


def pdf_text(path) -> str:
    run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout


def shown(summary: dict) -> dict[str, str]:
    """Every key figure as the dashboard formats it (the same KEY_FIGURES formatters)."""
    return {key: fmt(summary[sec][key]) for sec, key, _label, fmt in KEY_FIGURES
            if summary.get(sec, {}).get(key) is not None}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name or p.name.startswith("."))


@pytest.mark.parametrize("scenario", BASES)
def test_pdf_text_holds_every_key_figure(report_project, tmp_path, scenario):
    out = tmp_path / "r.pdf"
    run = aisite("report", report_project, "--scenario", scenario, "--out", str(out))
    assert run.returncode == 0, run.stderr
    text = pdf_text(out)
    summary = evaluate_json(report_project, scenario)
    missing = {k: v for k, v in shown(summary).items() if v not in text}
    assert not missing
    assert f"Scenario report: {scenario}" in text
    pages = text.count("\f")
    assert f"Page {pages} of {pages}" in text and "Page 1 of" in text
    assert "Appendix: sources and assumptions" in text and "facility_usd_per_mw_it" in text


def test_stored_analyses_and_comparison_sections(report_project, tmp_path):
    out = tmp_path / "r.pdf"
    run = aisite("report", report_project, "--scenario", TEXAS, "--compare", "Nordic sovereign AI site",
                 "--out", str(out), "--paper", "letter")
    assert run.returncode == 0, run.stderr
    text = pdf_text(out)
    assert "Monte Carlo" in text and "P10" in text and "1,000 samples" not in text and "200 samples" in text
    assert "Tornado" in text and "What moves NPV of cost most" in text and "workload.mfu" in text
    assert "Comparison" in text and "Nordic sovereign AI site" in text and "better" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "612 x 792 pts" in info  # US Letter


@pytest.mark.parametrize("locale,size", [("en_US.UTF-8", "612 x 792 pts"), ("en_GB.UTF-8", "595 x 842 pts")])
def test_paper_follows_the_locale(report_project, tmp_path, monkeypatch, locale, size):
    monkeypatch.setenv("LC_ALL", locale)
    monkeypatch.setenv("LANG", locale)
    out = tmp_path / "r.pdf"
    assert aisite("report", report_project, "--scenario", "Nordic sovereign AI site", "--out", str(out)).returncode == 0
    assert size in subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout


def test_excel_cells_equal_evaluate_json_and_hourly_sums_equal_the_year(report_project, tmp_path):
    out = tmp_path / "r.xlsx"
    run = aisite("report", report_project, "--scenario", TEXAS, "--out", str(out))
    assert run.returncode == 0, run.stderr
    summary = evaluate_json(report_project, TEXAS)
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"About", "Key results", "Inputs", "Capex", "Opex", "Cash flow", "Hourly", "Schedule", "Sources",
            "MC Spread of first compute", "Tornado What moves NPV"} <= set(sheets)
    samples = next(name for name in sheets if name.startswith("MC samples"))  # Excel keeps 31 characters
    key = sheets["Key results"].set_index("Figure")
    formatted = shown(summary)
    for sec, k, label, _fmt in KEY_FIGURES:
        if k in formatted:
            assert key.loc[label, "Value"] == pytest.approx(summary[sec][k], rel=1e-12, abs=1e-12), label
            assert key.loc[label, "As shown in the app"] == formatted[k]
    hourly = sheets["Hourly"]
    assert len(hourly) == 8760
    assert hourly["Time (typical year)"].iloc[0] == pd.Timestamp("2025-01-01 00:00")
    assert hourly["Time (typical year)"].iloc[-1] == pd.Timestamp("2025-12-31 23:00")
    e = summary["energy"]
    for column, total in (("Facility load (MW)", e["annual_facility_mwh"]), ("IT load (MW)", e["annual_it_mwh"]),
                          ("Grid import (MW)", e["grid_import_mwh"]), ("Solar (MW)", e["solar_mwh"]),
                          ("Unserved (MW)", e["unserved_mwh"]), ("Water (m³)", e["water_m3_per_year"])):
        assert hourly[column].sum() == pytest.approx(total, rel=1e-9), column
    flow = sheets["Cash flow"]
    assert (flow["Capex (USD)"] + flow["Opex (USD)"]).sum() == pytest.approx(summary["cost"]["tco_usd"], rel=1e-12)
    assert flow["Value at first compute (USD)"].sum() == pytest.approx(summary["cost"]["npv_cost_usd"], rel=1e-12)
    build = sheets["Construction"]
    assert build.iloc[:, 0].max() <= 0 and build.iloc[:, 0].min() < 0      # years before first compute
    assert build["Paid (USD)"].sum() == pytest.approx(summary["cost"]["capex_usd"], rel=1e-12)
    assert build["Interest to first compute (USD)"].sum() == pytest.approx(
        summary["cost"]["interest_during_construction_usd"], rel=1e-12)
    capex = sheets["Capex"].set_index("Category")["Capex (USD)"]
    assert capex.sum() == pytest.approx(summary["cost"]["capex_usd"], rel=1e-12)
    assert len(sheets[samples]) == 200
    assert {"workload.mfu", "schedule.grid_connection", "schedule.first_compute_month"} <= set(sheets[samples])
    assert 0.3 <= sheets[samples]["workload.mfu"].min() < sheets[samples]["workload.mfu"].max() <= 0.48


def test_csv_hourly_and_summary(report_project, tmp_path):
    out = tmp_path / "hourly.csv"
    assert aisite("report", report_project, "--scenario", TEXAS, "--out", str(out)).returncode == 0
    hourly = pd.read_csv(out)
    summary = evaluate_json(report_project, TEXAS)
    assert len(hourly) == 8760
    assert hourly["Facility load (MW)"].sum() == pytest.approx(summary["energy"]["annual_facility_mwh"], rel=1e-12)
    out2 = tmp_path / "summary.csv"
    assert aisite("report", report_project, "--scenario", TEXAS, "--out", str(out2), "--summary").returncode == 0
    rows = pd.read_csv(out2).set_index("key")
    assert rows.loc["capex_usd", "value"] == summary["cost"]["capex_usd"]
    assert rows.loc["capex_usd", "as_shown"] == shown(summary)["capex_usd"]


def test_hostile_name_is_escaped_in_html_and_intact_in_pdf_and_excel(report_project, tmp_path):
    for suffix in ("html", "pdf", "xlsx"):
        run = aisite("report", report_project, "--scenario", HOSTILE, "--out", str(tmp_path / f"r.{suffix}"))
        assert run.returncode == 0, run.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot;" in html
    assert "src=\"http" not in html and html.count("data:image/png;base64,") >= 8
    assert HOSTILE in pdf_text(tmp_path / "r.pdf")
    about = pd.read_excel(tmp_path / "r.xlsx", sheet_name="About", header=None)
    assert HOSTILE in about[1].tolist()


@pytest.mark.parametrize("args,needle", [
    (["--scenario", "No such scenario", "--out", "{d}/r.pdf"], "--scenario: no scenario 'No such scenario'"),
    (["--scenario", TEXAS, "--out", "{d}/r.docx"], "--out: unknown report format '.docx'"),
    (["--scenario", TEXAS, "--out", "{d}/not-a-folder.txt/r.pdf"], "--out: cannot write"),
    (["--scenario", TEXAS, "--out", "/proc/aisite-report.pdf"], "--out: cannot write"),
    (["--scenario", TEXAS, "--out", "{d}"], "is a folder"),
])
def test_bad_input_exit_2_one_line_no_file(report_project, tmp_path, args, needle):
    (tmp_path / "not-a-folder.txt").write_text("x")
    before = sorted(os.listdir(tmp_path))
    run = aisite("report", report_project, *[a.format(d=tmp_path) for a in args])
    assert run.returncode == 2
    assert needle in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert sorted(os.listdir(tmp_path)) == before
    assert not Path("/proc/aisite-report.pdf").exists()


def test_scenario_file_report(tmp_path):
    from aisite.core.paths import samples_dir

    out = tmp_path / "file.pdf"
    run = aisite("report", str(samples_dir() / "inference-fleet-virginia.json"), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "Virginia H200 inference fleet" in pdf_text(out)
    assert np.isfinite(out.stat().st_size)


def test_sample_names_work_as_scenario_files_from_any_folder(tmp_path):
    out = tmp_path / "sample.pdf"
    run = aisite("report", "sample:nordic-sovereign-site", "--out", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Nordic sovereign AI site" in pdf_text(out)
    missing = aisite("report", "sample:no-such-sample", "--out", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such sample" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()
