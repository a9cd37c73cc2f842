"""Headless by itself: on a machine with no display, screenshots and the self-test render
offscreen instead of aborting, and the interactive app says why it cannot open."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aisite.app.headless import display_available

CHECKOUT = str(Path(__file__).resolve().parents[2])
NO_DISPLAY = {k: v for k, v in os.environ.items()
              if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="displays are probed on Linux only")


def aisite(*args, cwd, env=None, code=None):
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "aisite.app.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**(NO_DISPLAY if env is None else env), "PYTHONPATH": CHECKOUT,
                               "HOME": str(cwd), "TMPDIR": str(cwd), "XDG_CONFIG_HOME": str(cwd / "config"),
                               "XDG_DATA_HOME": str(cwd / "share")})


def test_a_display_is_one_that_answers(tmp_path):
    assert not display_available({})
    assert not display_available({"DISPLAY": ":987"})  # nothing listens there
    assert not display_available({"DISPLAY": "garbage"})
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = tmp_path / "x0"
    server.bind(str(path))
    server.listen(1)
    try:
        assert display_available({"DISPLAY": f"{path}:0"})
    finally:
        server.close()


def test_screenshot_without_a_display_renders_offscreen(tmp_path):
    out = tmp_path / "window.png"
    run = aisite("--screenshot", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_the_app_without_a_display_says_why_instead_of_aborting(tmp_path):
    run = aisite(cwd=tmp_path, env={**NO_DISPLAY, "DISPLAY": ":987"})
    assert run.returncode == 2
    assert "cannot reach the display ':987'" in run.stderr and "--screenshot" in run.stderr
    assert "xcb" not in run.stderr


def test_self_test_passes_headless_and_reports_the_compiled_kernels(tmp_path):
    run = aisite("--self-test", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)
    assert summary["ok"] and summary["offscreen"] and summary["backend"] == "cython"
    checks = summary["checks"]
    assert set(checks) == {"imports", "kernels", "data", "sample_project", "power_mix_solver", "window", "report"}
    assert checks["imports"]["modules"] > 50 and {"highspy", "clarabel"} <= set(checks["imports"]["libraries"])
    assert checks["power_mix_solver"]["status"] == "Optimal"
    assert checks["window"]["platform"] == "offscreen"
    assert len(checks["sample_project"]["scenarios"]) >= 3
    assert not list(tmp_path.glob("aisite-self-test-*"))  # its scratch folder is gone


def test_self_test_fails_a_bundle_without_its_compiled_kernels(tmp_path):
    # What a bundle that lost its kernels looks like from inside: frozen, reference backend.
    code = ("import sys; sys.frozen = True\n"
            "from aisite.core import kernels; kernels.BACKEND = 'python (reference)'\n"
            "from aisite.app.cli import main; sys.exit(main(['--self-test']))")
    run = aisite(cwd=tmp_path, code=code)
    assert run.returncode == 1
    summary = json.loads(run.stdout)
    assert not summary["ok"] and summary["bundle"]
    assert "must carry the compiled kernels" in summary["checks"]["kernels"]["error"]
    assert summary["checks"]["sample_project"]["ok"]  # one failure does not stop the others
