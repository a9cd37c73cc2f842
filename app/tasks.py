"""The one runner for long work in the app: evaluations, what-if levers and analyses.

Work is a plain function ``fn(ctx)`` run on a worker thread; ``ctx`` is the core's
``progress(done, total) -> bool`` callback (core.explore, core.kernels), so the same
core functions that print a bar on the command line drive a progress bar here. Cancel
makes that callback return False, and the core raises core.errors.Cancelled within one
chunk of its work. ``ctx.partial(value)`` hands an intermediate result to the GUI.

Work is grouped in lanes (one key per lane: "evaluate", "whatif", "analysis"). A lane
runs one job at a time; a job submitted while one runs replaces the waiting one
(latest wins), and when ``supersede`` is set it also cancels the running one. Only
the newest job of a lane reports its outcome, so a stale result never flashes up.
Progress reaches the GUI at most every 50 ms, so a fast loop cannot flood it.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from aisite.core.errors import Cancelled, InputError

PROGRESS_EVERY_S = 0.05


@dataclass
class TaskOutcome:
    lane: str
    generation: int
    value: Any = None
    error: InputError | None = None
    cancelled: bool = False
    ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class TaskContext:
    """What a job sees: call it as the core's progress callback; ask `cancelled`."""

    def __init__(self, runner: "TaskRunner", lane: str, generation: int):
        self._runner, self.lane, self.generation = runner, lane, generation
        self._stop = threading.Event()
        self.ended = threading.Event()  # set on the worker thread when the job returns
        self._last_emit = 0.0

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        self._stop.set()

    def __call__(self, done: int, total: int) -> bool:
        if self._stop.is_set():
            return False
        now = time.perf_counter()
        if now - self._last_emit >= PROGRESS_EVERY_S or done >= total:
            self._last_emit = now
            self._runner._signals.progressed.emit(self.lane, self.generation, int(done), int(total))
        return True

    def partial(self, value: Any) -> None:
        """An intermediate result (e.g. the samples done so far) for the GUI to show."""
        if not self._stop.is_set():
            self._runner._signals.partial.emit(self.lane, self.generation, value)


class _Signals(QObject):
    progressed = Signal(str, int, int, int)
    partial = Signal(str, int, object)
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, ctx: TaskContext, fn: Callable[[TaskContext], Any], signals: _Signals):
        super().__init__()
        self.ctx, self.fn, self.signals = ctx, fn, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        t0 = time.perf_counter()
        out = TaskOutcome(self.ctx.lane, self.ctx.generation)
        try:
            out.value = self.fn(self.ctx)
            out.cancelled = self.ctx.cancelled and out.value is None
        except Cancelled:
            out.cancelled = True
        except InputError as error:
            out.error = error
        except Exception as error:  # noqa: BLE001 - a bug in the work must not kill the app
            out.error = InputError("", f"the computation failed: {type(error).__name__}: {error}")
        out.ms = (time.perf_counter() - t0) * 1000.0
        self.ctx.ended.set()
        self.signals.done.emit(out)


class _Lane:
    def __init__(self) -> None:
        self.generation = 0
        self.running: TaskContext | None = None
        self.pending: tuple[TaskContext, Callable] | None = None
        self.last: TaskOutcome | None = None


class TaskRunner(QObject):
    """Signals carry the lane name; only the newest job of a lane is reported."""

    progressed = Signal(str, int, int)  # lane, done, total
    partial = Signal(str, object)  # lane, value
    finished = Signal(object)  # TaskOutcome (also for errors and cancels)
    busyChanged = Signal(str, bool)

    def __init__(self, parent: QObject | None = None, threads: int = 3):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.progressed.connect(self._on_progress)
        self._signals.partial.connect(self._on_partial)
        self._lanes: dict[str, _Lane] = {}

    def _lane(self, name: str) -> _Lane:
        return self._lanes.setdefault(name, _Lane())

    def generation(self, lane: str) -> int:
        return self._lane(lane).generation

    def busy(self, lane: str | None = None) -> bool:
        lanes = [self._lane(lane)] if lane is not None else list(self._lanes.values())
        return any(ln.running is not None or ln.pending is not None for ln in lanes)

    def last(self, lane: str) -> TaskOutcome | None:
        return self._lane(lane).last

    def submit(self, lane: str, fn: Callable[[TaskContext], Any], *, supersede: bool = False) -> int:
        """Run `fn(ctx)` on the lane; returns the job's generation. The waiting job (if
        any) is dropped; with `supersede` the running one is cancelled too."""
        ln = self._lane(lane)
        ln.generation += 1
        ctx = TaskContext(self, lane, ln.generation)
        if ln.running is not None:
            if supersede:
                ln.running.cancel()
            ln.pending = (ctx, fn)
        else:
            self._start(lane, ctx, fn)
        return ln.generation

    def cancel(self, lane: str) -> None:
        """Stop the lane's running job (within one chunk of its work) and drop the waiting one.
        A cancelled job reports an outcome with `cancelled` set."""
        ln = self._lane(lane)
        ln.pending = None
        if ln.running is not None:
            ln.running.cancel()

    def forget(self, lane: str) -> None:
        """Cancel and report nothing more from what was submitted so far."""
        self.cancel(lane)
        self._lane(lane).generation += 1

    def _start(self, lane: str, ctx: TaskContext, fn: Callable) -> None:
        ln = self._lane(lane)
        was_busy = self.busy(lane)
        ln.running = ctx
        self._pool.start(_Job(ctx, fn, self._signals))
        if not was_busy:
            self.busyChanged.emit(lane, True)

    def _on_progress(self, lane: str, generation: int, done: int, total: int) -> None:
        if generation == self._lane(lane).generation:
            self.progressed.emit(lane, done, total)

    def _on_partial(self, lane: str, generation: int, value: Any) -> None:
        if generation == self._lane(lane).generation:
            self.partial.emit(lane, value)

    def _on_done(self, outcome: TaskOutcome) -> None:
        ln = self._lane(outcome.lane)
        ln.running = None
        if ln.pending is not None:
            (ctx, fn), ln.pending = ln.pending, None
            self._start(outcome.lane, ctx, fn)
        if outcome.generation == ln.generation:
            ln.last = outcome
            self.finished.emit(outcome)
        if not self.busy(outcome.lane):
            self.busyChanged.emit(outcome.lane, False)

    def stop_all(self, msecs: int = 5_000) -> bool:
        """Cancel every lane and wait (without the event loop) until no job runs: before
        the project the jobs read is closed. True when all ended in time."""
        running = [ln.running for ln in self._lanes.values() if ln.running is not None]
        for lane in list(self._lanes):
            self.forget(lane)
        deadline = time.perf_counter() + msecs / 1000.0
        return all(ctx.ended.wait(max(0.0, deadline - time.perf_counter())) for ctx in running)

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until every job has ended (closing the window, tests)."""
        return self._pool.waitForDone(msecs)
