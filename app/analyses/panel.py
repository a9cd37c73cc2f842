"""The Analyses tab: one view per kind, all running on the task runner's "analysis" lane.

Run saves the form as the scenario's stored analysis of that kind (core.analyses.ensure:
the project's analyses table, not an undo step: it changes no scenario) and runs it off
the GUI thread with progress and Cancel; the answer is stored under the analysis' input
hash. Selecting a scenario shows its stored answers at once; an answer whose inputs have
changed since is not shown, and the view says so.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from aisite.app.analyses.montecarlo_view import MonteCarloView
from aisite.app.analyses.sizing_view import PowerMixView, SizingView
from aisite.app.analyses.sweep_view import SweepView
from aisite.app.analyses.tornado_view import TornadoView
from aisite.core import analyses as A
from aisite.core.errors import InputError
from aisite.core.project.edits import DuplicateAsVariant

LANE = "analysis"


class AnalysesPanel(QWidget):
    status = Signal(str)
    variantAdded = Signal(int)
    analysisShown = Signal(str)  # kind

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("AnalysesPanel")
        self.runner = runner
        self.document = None
        self.scenario_id: int | None = None
        self.running = None  # the view whose work is on the lane
        self.tabs = QTabWidget()
        self.tabs.setObjectName("analysisTabs")
        self.views = {}
        for view, title in ((MonteCarloView(), "Monte Carlo"), (SweepView(), "Sweep"), (TornadoView(), "Tornado"),
                            (SizingView(), "Sizing"), (PowerMixView(), "Cheapest power mix")):
            self.views[view.kind] = view
            self.tabs.addTab(view, title)
            view.runRequested.connect(self.run)
            view.cancelRequested.connect(self.cancel)
            view.applyRequested.connect(self.apply_as_variant)
        self.views["montecarlo"].uncertain.edited.connect(self.refresh_stale)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        runner.progressed.connect(self._progress)
        runner.finished.connect(self._done)

    def view(self, kind: str):
        return self.views["sweep" if kind == "sweep2d" else kind]

    # ------------------------------------------------------------------ context
    def set_context(self, document, scenario_id: int | None) -> None:
        if (document, scenario_id) == (self.document, self.scenario_id):
            self.refresh_stale()
            return
        if self.running is not None:
            self.cancel()
        self.document, self.scenario_id = document, scenario_id
        doc = None
        if document is not None and scenario_id is not None:
            try:
                doc = document.project.effective_scenario(scenario_id)
            except InputError:
                doc = None
        for view in self.views.values():
            view.set_scenario_doc(doc)
            view.summary = None
            view.set_status("")
            view.progress.reset()
            view.run_button.setEnabled(doc is not None)
            view.load_definition(view.defaults())
            self._clear(view)
        self.views["montecarlo"].uncertain.set_context(document if doc is not None else None, scenario_id)
        if doc is None:
            return
        self.show_stored()

    def show_stored(self) -> None:
        """Every stored analysis of this scenario: shown when current, flagged when not."""
        project = self.document.project
        for kind in A.DEFAULTS:
            info = A.find(project, kind, self.scenario_id)
            if info is None:
                continue
            view = self.view(kind)
            view.load_definition(info.definition)
            hit = A.stored(project, info.id)
            if hit is None:
                view.set_status("The inputs changed since this analysis ran: Run to update it.", "warning")
                continue
            view.show_result(*hit)
            result = project.get_analysis_result(info.id, arrays=False)
            view.set_status(f"Stored result from {result.computed_at[:16].replace('T', ' ')} (inputs unchanged).")
            self.analysisShown.emit(kind)

    def refresh_stale(self) -> None:
        """After an edit: flag answers whose inputs no longer match (they stay until rerun)."""
        if self.document is None or self.scenario_id is None:
            return
        project = self.document.project
        for kind in A.DEFAULTS:
            info = A.find(project, kind, self.scenario_id)
            if info is not None and self.view(kind).summary is not None and A.stored(project, info.id) is None:
                self.view(kind).set_status("The scenario changed since this ran: Run to update it.", "warning")

    def _clear(self, view) -> None:
        for plot_name in ("hist", "cdf", "plot"):
            plot = getattr(view, plot_name, None)
            if plot is not None:
                plot.getPlotItem().clear()
        for table_name in ("table", "drivers"):
            table = getattr(view, table_name, None)
            if table is not None:
                table.setRowCount(0)
        if hasattr(view, "answer"):
            view.answer.setText("")
            view.apply_button.setEnabled(False)

    # ------------------------------------------------------------------ running
    def run(self, view) -> None:
        if self.document is None or self.scenario_id is None:
            return
        project = self.document.project
        try:
            definition = view.definition()
            op = A.ensure(project, view.kind, self.scenario_id, definition)
            if op is not None:
                if project.read_only:
                    raise InputError("project", "is open read-only; analyses cannot be stored")
                project.apply(op)
        except InputError as error:
            view.set_status(str(error), "error")
            return
        info = A.find(project, view.kind, self.scenario_id)
        if self.running is not None and self.running is not view:
            self.running.set_running(False)
            self.running.set_status("Stopped: another analysis started.", "warning")
        self.running = view
        view.set_running(True)

        def work(ctx):
            return A.run_and_store(project, info.id, ctx)
        self.runner.submit(LANE, work, supersede=True)

    def cancel(self) -> None:
        self.runner.cancel(LANE)

    def _progress(self, lane: str, done: int, total: int) -> None:
        if lane == LANE and self.running is not None:
            self.running.set_progress(done, total)

    def _done(self, outcome) -> None:
        if outcome.lane != LANE:
            return
        view, self.running = self.running, None
        if view is None:
            return
        view.set_running(False)
        if outcome.cancelled:
            view.progress.setFormat("cancelled at %v of %m")
            view.set_status("Cancelled. Run again to compute it.", "warning")
            return
        if outcome.error is not None:
            view.progress.reset()
            view.set_status(f"Cannot run: {outcome.error}", "error")
            return
        summary, arrays, from_store = outcome.value
        view.progress.setRange(0, 1)
        view.progress.setValue(1)
        view.progress.setFormat("done")
        view.show_result(summary, arrays)
        view.set_status("Stored result (inputs unchanged)." if from_store
                        else f"Computed in {outcome.ms / 1000:.1f} s and stored in the project.")
        self.analysisShown.emit(view.kind)

    def apply_as_variant(self, overrides: dict, what: str) -> None:
        if self.document is None or self.scenario_id is None:
            return
        project = self.document.project
        try:
            op = self.document.push(DuplicateAsVariant(project, self.scenario_id, overrides=overrides))
        except InputError as error:
            self.status.emit(f"Cannot add the variant: {error}")
            return
        self.status.emit(f"Added {project.scenario(op.scenario_id).name!r} with {what}")
        self.variantAdded.emit(op.scenario_id)
