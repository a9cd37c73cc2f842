"""Progress on stderr for long command-line runs: a bar that redraws in place when stderr
is a terminal, otherwise a line every 10% (so logs stay readable)."""
from __future__ import annotations

import sys
import time


class StderrProgress:
    def __init__(self, label: str, *, stream=None, enabled: bool = True, min_seconds: float = 0.3):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.perf_counter()
        self.min_seconds = min_seconds   # stay quiet for runs shorter than this
        self.last_decile = -1
        self.drawn = False

    def __call__(self, done: int, total: int) -> bool:
        if not self.enabled or total <= 0:
            return True
        elapsed = time.perf_counter() - self.start
        if elapsed < self.min_seconds and done < total:
            return True
        fraction = done / total
        if self.tty:
            width = 30
            filled = int(round(width * fraction))
            eta = elapsed / fraction - elapsed if fraction > 0 else 0.0
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done:,}/{total:,} {fraction:4.0%}  {eta:5.1f} s left ")
            self.drawn = True
            if done >= total:
                self.stream.write("\n")
                self.drawn = False
        else:
            decile = int(fraction * 10)
            if decile != self.last_decile and (self.drawn or elapsed >= self.min_seconds):
                self.last_decile = decile
                self.drawn = True
                self.stream.write(f"{self.label}: {done:,}/{total:,} ({fraction:.0%})\n")
        self.stream.flush()
        return True

    def close(self):
        if self.tty and self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
