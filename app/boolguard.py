"""Work around a reference-count bug that drops references to True, False and None.

With PySide6 6.12 and pyqtgraph 0.14 on Python 3.11, adding and removing plot items
releases references to the singletons True and False (about 250 per dashboard redraw
here) and None that were never taken. When a count reaches zero CPython aborts with
"Fatal Python error: bool_dealloc" or "none_dealloc" (seen at exit after a few
redraws, and in the middle of a test session). From Python 3.12 on these objects are
immortal and the bug is harmless, so this does nothing there. Small cached integers are
covered too, in case a virtual returning one is affected the same way.

The guard raises the two counts by a large margin whenever they fall below it, from
each redraw and from a timer on the GUI thread. Raising a count only keeps an
immortal-in-practice object alive; it cannot free anything.
"""
from __future__ import annotations

import ctypes
import sys

MARGIN = 1 << 24
_NEEDED = sys.implementation.name == "cpython" and sys.version_info < (3, 12)
_timer = None
_GUARDED = (True, False, None, NotImplemented, Ellipsis, *range(-5, 257))


def top_up() -> None:
    if not _NEEDED:
        return
    for value in _GUARDED:
        if sys.getrefcount(value) < MARGIN:
            ctypes.c_ssize_t.from_address(id(value)).value += MARGIN


def install(parent=None) -> None:
    """Top up now and every second (the timer runs with the Qt event loop)."""
    global _timer
    top_up()
    if _timer is None and _NEEDED:
        from PySide6.QtCore import QTimer  # noqa: PLC0415

        _timer = QTimer(parent)
        _timer.setInterval(1000)
        _timer.timeout.connect(top_up)
        _timer.start()
