"""Evaluations off the GUI thread, on the app's one task runner (app.tasks); the latest wins.

Two ways in:

- `request_scenario(project, id)` for a saved scenario: the result comes from the
  project's results cache when it is stored for the current inputs (a reopened project
  shows its results at once, without running the engine), otherwise the engine runs and
  the result is stored, so `aisite list` shows it as current. Both go through
  `evaluate_and_store`, the one place that joins the engine and the file here.
- `request(doc, user_catalogue)` for a document that is not saved (what-if levers):
  the engine runs and nothing is stored.

Requests made while one runs are coalesced (only the newest waits) and a result older
than the newest request is dropped, so a stale result never flashes up.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from aisite.app.tasks import TaskOutcome, TaskRunner
from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError
from aisite.core.evaluate import Result, evaluate
from aisite.core.scenario import load_scenario
from aisite.core.stored_results import evaluate_stored


@dataclass
class Outcome:
    generation: int
    result: Result | None
    error: InputError | None
    ms: float
    from_store: bool = False  # shown from the project's results cache (no engine run)


def evaluate_and_store(project, scenario_id: int) -> tuple[Result, bool, float]:
    """(result, came from the store, engine ms) of a saved scenario: the stored result
    when it is current, else the engine's, stored for the inputs it was computed from."""
    stored = project.get_result(scenario_id)
    from_store = stored is not None
    if stored is None:
        stored = evaluate_stored(project, scenario_id, use_cache=False)
    return Result(stored.summary, stored.arrays, None), from_store, stored.compute_ms or 0.0


def evaluate_document(doc: dict, user: dict | None) -> Result:
    """The engine on an unsaved document (nothing is stored)."""
    return evaluate(load_scenario(doc, load_catalogue(user or None)))


class Evaluator(QObject):
    """One lane of the task runner; emits `finished(Outcome)` for the newest request only."""

    finished = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, runner: TaskRunner | None = None, lane: str = "evaluate"):
        super().__init__(parent)
        self.runner = runner or TaskRunner(self)
        self.lane = lane
        self.runner.finished.connect(self._on_done)
        self.runner.busyChanged.connect(self._on_busy)
        self.last: Outcome | None = None

    @property
    def generation(self) -> int:
        return self.runner.generation(self.lane)

    @property
    def busy(self) -> bool:
        return self.runner.busy(self.lane)

    def request(self, doc: dict, user: dict | None = None) -> int:
        doc, user = copy.deepcopy(doc), copy.deepcopy(user) if user else None
        return self.runner.submit(self.lane, lambda _ctx: (evaluate_document(doc, user), False))

    def request_scenario(self, project, scenario_id: int) -> int:
        def work(_ctx):
            result, from_store, _ms = evaluate_and_store(project, scenario_id)
            return result, from_store
        return self.runner.submit(self.lane, work)

    def cancel(self) -> None:
        """Forget the pending request and ignore the running one."""
        self.runner.forget(self.lane)

    def _on_busy(self, lane: str, busy: bool) -> None:
        if lane == self.lane:
            self.busyChanged.emit(busy)

    def _on_done(self, out: TaskOutcome) -> None:
        if out.lane != self.lane or out.cancelled:
            return
        if out.error is not None:
            outcome = Outcome(out.generation, None, out.error, out.ms)
        else:
            result, from_store = out.value
            outcome = Outcome(out.generation, result, None, out.ms, from_store)
        self.last = outcome
        self.finished.emit(outcome)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.runner.wait(msecs)
