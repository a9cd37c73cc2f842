"""Rendering without a display: screenshots, reports and the self-test draw offscreen when
no display can be reached, instead of letting Qt's xcb plugin abort the process (SIGABRT,
with a misleading message about libxcb-cursor0).

Only environment variables and a socket probe: nothing here imports Qt, so this runs
before the QApplication is made.
"""
from __future__ import annotations

import os
import socket
import sys

PLATFORM_VARIABLE = "QT_QPA_PLATFORM"


def display_available(environ=None) -> bool:
    """Whether Qt can open windows here. Windows and macOS always can; on Linux a Wayland
    socket or an X server that accepts a connection on $DISPLAY."""
    env = os.environ if environ is None else environ
    if sys.platform in ("win32", "darwin"):
        return True
    wayland = env.get("WAYLAND_DISPLAY")
    if wayland:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        if os.path.exists(wayland if os.path.isabs(wayland) else os.path.join(runtime, wayland)):
            return True
    return _x_server_answers(env.get("DISPLAY", ""))


def _x_server_answers(display: str) -> bool:
    """Connect to the X server that $DISPLAY names (":1", "unix:0", "host:10.0")."""
    if not display or ":" not in display:
        return False
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    try:
        if host in ("", "unix") or host.startswith("/"):
            path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect(path)
        else:
            with socket.create_connection((host, 6000 + int(number)), timeout=0.5):
                pass
    except OSError:
        return False
    return True


def offscreen_unless_display() -> bool:
    """For work that only renders (screenshots, reports, the self-test): draw offscreen
    when no display is reachable. A platform the user chose is kept. True when offscreen."""
    if os.environ.get(PLATFORM_VARIABLE):
        return os.environ[PLATFORM_VARIABLE] == "offscreen"
    if display_available():
        return False
    os.environ[PLATFORM_VARIABLE] = "offscreen"
    return True


def interactive_display_problem() -> str | None:
    """Why the desktop app cannot open a window here, or None when it can."""
    if os.environ.get(PLATFORM_VARIABLE) or display_available():
        return None
    if os.environ.get("DISPLAY"):
        return f"cannot reach the display {os.environ['DISPLAY']!r}"
    return "no display here (DISPLAY is not set)"
