"""Recompute a scenario off the GUI thread; the latest change wins.

`Evaluator.request(doc, user_catalogue)` hands a copy of the scenario document to a
worker thread that runs the core engine (core.scenario.load_scenario, then
core.evaluate.evaluate). Requests made while one is running are coalesced: only the
newest waits, so a burst of edits costs at most one extra evaluation, and a result
whose generation is older than the newest request is dropped, so a stale result never
flashes up.
"""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.catalogue import load_catalogue
from core.errors import InputError
from core.evaluate import Result, evaluate
from core.scenario import load_scenario


@dataclass
class Outcome:
    generation: int
    result: Result | None
    error: InputError | None
    ms: float


class _Signals(QObject):
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, generation: int, doc: dict, user: dict | None, signals: _Signals):
        super().__init__()
        self.generation, self.doc, self.user, self.signals = generation, doc, user, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        t0 = time.perf_counter()
        try:
            scenario = load_scenario(self.doc, load_catalogue(self.user or None))
            outcome = Outcome(self.generation, evaluate(scenario), None, 0.0)
        except InputError as error:
            outcome = Outcome(self.generation, None, error, 0.0)
        except Exception as error:  # noqa: BLE001 - an engine bug must not kill the app
            outcome = Outcome(self.generation, None, InputError("", f"the engine failed: {error}"), 0.0)
        outcome.ms = (time.perf_counter() - t0) * 1000.0
        self.signals.done.emit(outcome)


class Evaluator(QObject):
    """Runs evaluations one at a time on a private thread pool; emits only the newest."""

    finished = Signal(object)  # Outcome of the newest request
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._generation = 0
        self._running = False
        self._pending: tuple[int, dict, dict | None] | None = None
        self.last: Outcome | None = None

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None

    def request(self, doc: dict, user: dict | None = None) -> int:
        self._generation += 1
        job = (self._generation, copy.deepcopy(doc), copy.deepcopy(user) if user else None)
        if self._running:
            self._pending = job
        else:
            self._start(job)
        return self._generation

    def cancel(self) -> None:
        """Forget the pending request and ignore the running one."""
        self._pending = None
        self._generation += 1

    def _start(self, job: tuple[int, dict, dict | None]) -> None:
        was_busy = self.busy
        self._running = True
        self._pool.start(_Job(*job, self._signals))
        if not was_busy:
            self.busyChanged.emit(True)

    def _on_done(self, outcome: Outcome) -> None:
        self._running = False
        if self._pending is not None:
            job, self._pending = self._pending, None
            self._start(job)
        if outcome.generation == self._generation:
            self.last = outcome
            self.finished.emit(outcome)
        if not self.busy:
            self.busyChanged.emit(False)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)
