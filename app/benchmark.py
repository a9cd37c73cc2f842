"""GUI speed figures (design section 7): start-up to a usable window, and the GUI
thread's longest gap while a burst of edits recomputes the results.

    python -m aisite.app.benchmark [--edits 60] [--interval-ms 25] [--runs 3] [--levers-only] [--json]

Start-up is measured in a fresh process (interpreter start to the first result on
screen, and the launcher's own figure). The edit burst runs in this process on a copy
of the sample project: edits arrive every `--interval-ms` (a planner typing or
scrubbing), each saved through the core, recomputed off the GUI thread and drawn on
the Results tab, while a 2 ms timer on the GUI thread records the longest gap between
its ticks. The lever drag moves the What-if solar slider on each sample scenario and
times the result after the last movement. Measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def gap_recorder():
    """(gaps, timer): a 2 ms timer on the GUI thread that records, once started, the
    milliseconds between its ticks (a long gap is a GUI thread that was busy)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick():
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(2)
    ticker.timeout.connect(tick)
    return gaps, ticker


def measure_startup(runs: int = 3) -> dict:
    env = dict(os.environ, AISITE_MEASURE_STARTUP="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    walls, inner = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "aisite.app.cli", "gui"], env=env, capture_output=True, text=True,
                             cwd=str(Path(__file__).resolve().parent.parent), timeout=120)
        wall = (time.perf_counter() - t0) * 1000.0
        for line in out.stdout.splitlines():
            if line.startswith("startup_to_usable_ms"):
                inner.append(float(line.split()[1]))
                walls.append(wall)
    return {"startup_process_to_usable_ms": min(walls) if walls else None,
            "startup_launcher_to_usable_ms": min(inner) if inner else None, "runs": len(walls)}


def measure_edit_burst(edits: int = 60, interval_ms: int = 25) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from aisite.app.main_window_launcher import make_application
    from aisite.app.sample_project import SAMPLE_FIRST_SCENARIO, sample_project_path

    app = make_application()
    from aisite.app import messages
    from aisite.app.main_window import MainWindow, wait_for_result

    messages.hook = lambda kind, title, text, buttons: buttons
    folder = Path(tempfile.mkdtemp(prefix="aisite-bench-"))
    path = folder / "bench.aisite"
    shutil.copy(sample_project_path(), path)
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 1000)
    window.show()
    window.open_project(str(path), prefer=SAMPLE_FIRST_SCENARIO)
    wait_for_result(window)
    window.tabs.setCurrentWidget(window.dashboard)
    QApplication.processEvents()
    builder = window.builder
    count = builder._widget_for("deployments[0].count")
    base = int(count.value())

    gaps, ticker = gap_recorder()
    shown = [0]
    window.resultShown.connect(lambda: shown.__setitem__(0, shown[0] + 1))
    done = [False]
    n = [0]
    edit_ms: list[float] = []

    def edit():
        if n[0] >= edits:
            done[0] = True
            return
        n[0] += 1
        t0 = time.perf_counter()
        count.setText(str(base + 256 * n[0]))
        builder._typed(count.path, count.text())
        builder.commit_pending()  # as Enter would
        edit_ms.append((time.perf_counter() - t0) * 1000.0)
        QTimer.singleShot(interval_ms, edit)

    ticker.start()
    t_start = time.perf_counter()
    QTimer.singleShot(0, edit)
    while not done[0]:
        app.processEvents()
        time.sleep(0.0005)
    wait_for_result(window)
    for _ in range(10):
        app.processEvents()
    ticker.stop()
    total = time.perf_counter() - t_start
    accelerators = window.dashboard.result.summary["throughput"]["accelerators"]
    doc = window.document.project.effective_scenario(window.scenario_id)
    expected = sum(d["count"] for d in doc["deployments"])
    assert doc["deployments"][0]["count"] == base + 256 * edits
    window.close()
    shutil.rmtree(folder, ignore_errors=True)
    gaps.sort()
    return {
        "edits": edits, "interval_ms": interval_ms, "burst_s": round(total, 3),
        "gui_longest_gap_ms": round(gaps[-1], 1) if gaps else None,
        "gui_gap_p99_ms": round(gaps[int(len(gaps) * 0.99) - 1], 1) if gaps else None,
        "edit_handling_max_ms": round(max(edit_ms), 1), "edit_handling_mean_ms": round(sum(edit_ms) / len(edit_ms), 1),
        "results_shown": shown[0], "final_result_current": accelerators == expected,
        "last_compute_ms": round(window.last_compute_ms or 0, 1),
    }


def measure_lever_drag(moves: int = 40, interval_ms: int = 16, runs: int = 3) -> dict:
    """The What-if solar lever dragged on each sample scenario: `moves` slider steps
    `interval_ms` apart (a mouse drag), each recomputing off the GUI thread. Per sample and
    run: milliseconds from the last movement until the cards show its result, and the GUI
    thread's longest gap (a 2 ms timer) during the drag. Ranges over `runs` runs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from aisite.app.main_window_launcher import make_application

    app = make_application()
    from aisite.app import messages
    from aisite.app.main_window import MainWindow, wait_for_result
    from aisite.core.project import create_sample_project

    messages.hook = lambda kind, title, text, buttons: buttons
    folder = Path(tempfile.mkdtemp(prefix="aisite-bench-"))
    path = create_sample_project(folder / "bench.aisite")
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1366, 768)
    window.show()
    window.open_project(str(path))
    out: dict = {}
    for info in [s for s in window.document.project.scenarios() if not s.is_variant]:
        window.tree.select_scenario(info.id)
        wait_for_result(window)
        window.tabs.setCurrentWidget(window.whatif)
        panel = window.whatif
        latencies, longest = [], []
        for run in range(runs):
            panel.reset()
            slider = panel.rows["solar_mw"].slider
            start = slider.value()
            gaps, ticker = gap_recorder()
            ticker.start()
            n = [0]
            moved_at = [0.0]

            def move():
                if n[0] >= moves:
                    return
                n[0] += 1
                slider.setValue(start + n[0])
                moved_at[0] = time.perf_counter()
                QTimer.singleShot(interval_ms, move)

            QTimer.singleShot(0, move)
            ev = panel.evaluator
            while n[0] < moves or ev.busy or ev.last is None or ev.last.generation != ev.generation:
                if time.perf_counter() - moved_at[0] > 30 and n[0] >= moves:
                    raise RuntimeError("the lever result never came")
                app.processEvents()
                time.sleep(0.0005)
            shown_at = time.perf_counter()
            ticker.stop()
            latencies.append((shown_at - moved_at[0]) * 1000.0)
            longest.append(max(gaps) if gaps else 0.0)
        key = info.name.split()[0].lower()
        out[f"lever_{key}_result_after_last_move_ms"] = [round(min(latencies), 1), round(max(latencies), 1)]
        out[f"lever_{key}_gui_longest_gap_ms"] = [round(min(longest), 1), round(max(longest), 1)]
    window.close()
    shutil.rmtree(folder, ignore_errors=True)
    out["lever_runs_per_sample"] = runs
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--interval-ms", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--levers-only", action="store_true", help="only the What-if lever drag")
    parser.add_argument("--runs", type=int, default=3, help="lever drag runs per sample")
    args = parser.parse_args(argv)
    if args.levers_only:
        figures = measure_lever_drag(runs=args.runs)
    else:
        figures = {**measure_startup(), **measure_edit_burst(args.edits, args.interval_ms),
                   **measure_lever_drag(runs=args.runs)}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:34s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
