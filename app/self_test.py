"""`aisite --self-test`: does this installed copy or bundle work, here, without a display?

Each check runs the real part and records what it saw: every module and lazily imported
library loads, the kernel backend (a bundle must carry the compiled one), the sample
project is built and every scenario in it evaluates to finite numbers, the main window
renders with results, one chart exports through pyqtgraph, and a report is written when
this build has the report command. Prints one JSON object; exit status 1 when any check
failed. Nothing is written outside a temporary folder, which is removed afterwards.
"""
from __future__ import annotations

import importlib
import json
import math
import pkgutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from aisite.app.headless import offscreen_unless_display
from aisite.core import kernels

# Libraries the code imports only when a feature runs (PyInstaller cannot see those).
# PySide6.QtSvg draws the SVG icons.
LAZY_LIBRARIES = ("highspy", "clarabel", "xlsxwriter", "sqlalchemy.dialects.sqlite", "pyqtgraph.exporters", "PySide6.QtSvg")
# "core" and "app", or "aisite.core" and "aisite.app" when installed under one name.
CORE_PACKAGE = kernels.__name__.rpartition(".")[0]
APP_PACKAGE = __name__.rpartition(".")[0]


def is_bundle() -> bool:
    return bool(getattr(sys, "frozen", False))


def _package_modules(name: str) -> list[str]:
    package = importlib.import_module(name)
    found = [name]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
        found.append(info.name)
    return sorted(set(found))


def check_imports(work: Path) -> dict:
    modules = [m for name in (CORE_PACKAGE, APP_PACKAGE) for m in _package_modules(name)]
    for name in modules + list(LAZY_LIBRARIES):
        importlib.import_module(name)
    return {"modules": len(modules), "libraries": list(LAZY_LIBRARIES)}


def check_kernels(work: Path) -> dict:
    compiled = [m for m in _package_modules(kernels.__name__) if m.rsplit(".", 1)[1].endswith("_cy")]
    files = {m.rsplit(".", 1)[1]: Path(importlib.import_module(m).__file__).name for m in compiled}
    if is_bundle() and kernels.BACKEND != "cython":
        raise AssertionError(f"a bundle must carry the compiled kernels; backend is {kernels.BACKEND}")
    return {"backend": kernels.BACKEND, "compiled": files}


def check_data_and_excel(work: Path) -> dict:
    import pandas as pd
    from sqlalchemy import create_engine, text

    from aisite.core.catalogue import load_catalogue
    from aisite.core.paths import data_dir, resources_dir, sample_names

    catalogue = load_catalogue()
    sizes = {kind: len(rows) for kind, rows in catalogue.tables.items()}
    xlsx = work / "check.xlsx"
    pd.DataFrame({"MW": [99.9, 100.0]}).to_excel(xlsx, engine="xlsxwriter", index=False)
    if xlsx.read_bytes()[:2] != b"PK":
        raise AssertionError("the Excel engine wrote no workbook")
    with create_engine(f"sqlite:///{work / 'check.sqlite'}").connect() as connection:
        sqlite = connection.execute(text("select sqlite_version()")).scalar_one()
    return {"data": str(data_dir()), "resources": str(resources_dir()), "samples": sample_names(),
            "catalogue": sizes, "excel_bytes": xlsx.stat().st_size, "sqlite": sqlite}


def check_sample_project(work: Path) -> dict:
    from aisite.core.catalogue import load_catalogue
    from aisite.core.evaluate import evaluate_dict
    from aisite.core.project import create_sample_project, load_scenario_dict, open_project

    project = create_sample_project(work / "sample.aisite")
    with open_project(project, read_only=True) as opened:
        names = [info.name for info in opened.scenarios()]
    catalogue = load_catalogue()
    figures = {}
    for name in names:
        summary = evaluate_dict(load_scenario_dict(project, name), catalogue, with_hourly=False).summary
        capex = summary["cost"]["capex_usd"]
        mw = summary["energy"]["facility_peak_mw"]
        if not (math.isfinite(capex) and capex > 0 and math.isfinite(mw) and mw > 0):
            raise AssertionError(f"{name}: capex {capex}, facility peak {mw} MW")
        figures[name] = {"capex_usd": capex, "facility_peak_mw": mw}
    return {"project": str(project), "scenarios": figures}


def check_window_and_chart(work: Path) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    from aisite.app.main_window import MainWindow, wait_for_result
    from aisite.app.main_window_launcher import SAMPLE_FIRST_SCENARIO, make_application

    started = time.perf_counter()
    app = make_application()
    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    try:
        window.resize(1400, 900)
        window.tabs.setCurrentIndex(1)
        window.show()
        if not window.open_project(str(work / "sample.aisite"), read_only=True, prefer=SAMPLE_FIRST_SCENARIO):
            raise AssertionError("the main window did not open the sample project")
        if not wait_for_result(window) or window.evaluator.last is None:
            raise AssertionError("the main window showed no result within 20 s")
        usable_s = time.perf_counter() - started
        for _ in range(5):
            app.processEvents()
        shot = work / "main-window.png"
        image = window.grab().toImage()
        if image.width() < 800 or not image.save(str(shot)):
            raise AssertionError(f"the window grab is {image.width()}x{image.height()} and could not be saved")
        chart = _export_chart(window, work / "chart.png")
    finally:
        window.close()
    return {"platform": QGuiApplication.platformName(), "window_png": f"{image.width()}x{image.height()}",
            "window_ready_s": round(usable_s, 2), "chart_png": chart}


def _export_chart(window, out: Path) -> str:
    from pyqtgraph.exporters import ImageExporter

    plot = window.dashboard.monthly.plot.getPlotItem()
    if not plot.listDataItems():
        raise AssertionError("the monthly energy chart is empty")
    exporter = ImageExporter(plot)
    exporter.parameters()["width"] = 1200
    exporter.export(str(out))
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    if image.isNull() or image.width() != 1200:
        raise AssertionError("the chart export did not produce a 1200 px PNG")
    return f"{image.width()}x{image.height()}"


def check_report(work: Path) -> dict:
    """A PDF and an Excel report through the `aisite report` command, when this build has
    it (its module is run directly: app.cli imports this module, not the other way)."""
    import argparse

    from aisite.core.commands import COMMANDS

    names = [name for name in COMMANDS if name.endswith(".report_cmd")]
    if not names:
        return {"skipped": "this build has no report command"}
    from aisite.app.main_window_launcher import SAMPLE_FIRST_SCENARIO

    command = importlib.import_module(names[0])
    parser = argparse.ArgumentParser(prog=f"aisite {command.NAME}")
    command.add_arguments(parser)
    written = {}
    for suffix in (".pdf", ".xlsx"):
        out = work / f"report{suffix}"
        args = parser.parse_args([str(work / "sample.aisite"), "--scenario", SAMPLE_FIRST_SCENARIO, "--out", str(out)])
        status = int(command.run(args) or 0)
        if status != 0 or not out.is_file() or out.stat().st_size == 0:
            raise AssertionError(f"aisite report --out {out.name} exited {status} and wrote "
                                 f"{out.stat().st_size if out.exists() else 'nothing'}")
        written[suffix.lstrip(".")] = out.stat().st_size
    if not (work / "report.pdf").read_bytes().startswith(b"%PDF"):
        raise AssertionError("report.pdf is not a PDF")
    return {"bytes": written}


def check_power_mix_solver(work: Path) -> dict:
    """The power-mix LP's child process starts and solves (in a bundle it is the bundle's
    own executable, see aisite.core.explore.lp_process)."""
    import numpy as np

    from aisite.core.explore import lp_process

    # min x + 2y  s.t.  x + y >= 3,  x <= 2: x = 2, y = 1, cost 4
    lp = lp_process.LP(cost=np.array([1.0, 2.0]), lo=np.zeros(2), hi=np.array([2.0, np.inf]),
                       row_lo=np.array([3.0]), row_hi=np.array([np.inf]), starts=np.array([0]),
                       index=np.array([0, 1]), value=np.array([1.0, 1.0]))
    (answer,) = lp_process.solve([lp], time_limit=30)
    if not answer.optimal or abs(answer.objective - 4.0) > 1e-6:
        raise AssertionError(f"the LP child answered {answer.status}, objective {answer.objective}")
    return {"status": answer.status}


CHECKS = [("imports", check_imports), ("kernels", check_kernels), ("data", check_data_and_excel),
          ("sample_project", check_sample_project), ("power_mix_solver", check_power_mix_solver),
          ("window", check_window_and_chart), ("report", check_report)]


def run_self_test(keep: str | None = None) -> int:
    """Run every check, print the JSON summary, return the exit status."""
    offscreen = offscreen_unless_display()
    from aisite.core.version import __version__

    summary = {"version": __version__, "bundle": is_bundle(), "python": sys.version.split()[0],
               "platform": sys.platform, "offscreen": offscreen, "checks": {}}
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="aisite-self-test-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        for name, check in CHECKS:
            t0 = time.perf_counter()
            try:
                result = {"ok": True, **check(work)}
            except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the others
                result = {"ok": False, "error": f"{type(error).__name__}: {error}",
                          "where": traceback.format_exc(limit=-3).strip().splitlines()[-3:]}
            result["seconds"] = round(time.perf_counter() - t0, 2)
            summary["checks"][name] = result
    finally:
        if not keep:
            _remove_tree(work)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    summary["ok"] = all(c["ok"] for c in summary["checks"].values())
    summary["backend"] = summary["checks"]["kernels"].get("backend")
    print(json.dumps(summary, indent=2, default=str), flush=True)
    return 0 if summary["ok"] else 1


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
