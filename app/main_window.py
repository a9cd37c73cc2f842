"""The main window: project tree (left), Site builder and Results tabs (centre),
catalogue (right), checks (bottom), status bar; File, Edit, View and Help menus."""
from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
)

from aisite.app import messages, theme
from aisite.app.analyses.panel import AnalysesPanel
from aisite.app.catalogue_browser import CatalogueBrowser
from aisite.app.checks_panel import ChecksPanel
from aisite.app.compare_view import CompareView
from aisite.app.dashboard import ResultsDashboard
from aisite.app.document import ProjectDocument
from aisite.app.evaluation import Evaluator, Outcome
from aisite.app.tasks import TaskRunner
from aisite.app.project_tree import ProjectTree
from aisite.app.site_builder import SiteBuilder
from aisite.app.welcome_page import WelcomePage
from aisite.app.whatif_panel import WhatIfPanel
from aisite.core.catalogue import load_catalogue
from aisite.core.errors import InputError, ProjectFileError, ProjectFileWarning
from aisite.core.kernels import BACKEND
from aisite.core.project import ProjectInUseError, create_project, open_project
from aisite.core.version import __version__

APP_NAME = "AI Site Planner"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """`resultShown` fires each time the dashboard shows a fresh result."""

    resultShown = Signal()

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.setObjectName("MainWindow")
        self.settings = settings or QSettings()
        self.document: ProjectDocument | None = None
        self.catalogue = load_catalogue()
        self.scenario_id: int | None = None
        self.last_compute_ms: float | None = None
        self.setWindowTitle(APP_NAME)
        self.resize(1500, 950)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("centreTabs")
        self.tabs.setDocumentMode(True)
        self.builder = SiteBuilder()
        self.dashboard = ResultsDashboard()
        self.tabs.addTab(self.builder, "Site builder")
        self.tabs.addTab(self.dashboard, "Results")
        self.tasks = TaskRunner(self)  # the one runner for long work (evaluations, levers, analyses)
        self.whatif = WhatIfPanel(self.tasks)
        self.tabs.addTab(self.whatif, "What-if")
        self.analyses = AnalysesPanel(self.tasks)
        self.tabs.addTab(self.analyses, "Analyses")
        self.compare = CompareView(self.tasks)
        self.tabs.addTab(self.compare, "Compare")
        for page in (self.whatif, self.analyses, self.compare):
            # below ~400 px these pages squeeze rather than hold the whole window wider
            page.setMinimumWidth(200)
        self.welcome = WelcomePage()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.tabs)
        self.centre.addWidget(self.welcome)
        self.centre.setCurrentWidget(self.welcome)
        self.setCentralWidget(self.centre)

        self.tree = ProjectTree()
        self.tree_dock = self._dock("Project", "projectDock", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.browser = CatalogueBrowser()
        self.catalogue_dock = self._dock("Catalogue", "catalogueDock", self.browser,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.checks = ChecksPanel()
        self.checks_dock = self._dock("Checks", "checksDock", self.checks, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._docks_sized = False

        self.evaluator = Evaluator(self, self.tasks)
        self.evaluator.finished.connect(self._show_outcome)
        self.evaluator.busyChanged.connect(self._busy_changed)

        self.tree.scenarioSelected.connect(self._scenario_selected)
        self.tree.status.connect(self._flash)
        self.builder.status.connect(self._flash)
        self.browser.status.connect(self._flash)
        self.checks.fieldActivated.connect(self.select_field)
        self.builder.addScenarioRequested.connect(self.tree.add_scenario)
        self.builder.problemsChanged.connect(lambda _n: self._update_state())
        self.whatif.status.connect(self._flash)
        self.whatif.variantKept.connect(self.tree.select_scenario)
        self.analyses.status.connect(self._flash)
        self.analyses.variantAdded.connect(self.tree.select_scenario)
        self.compare.status.connect(self._flash)

        self.welcome.newRequested.connect(self.new_project_dialog)
        self.welcome.openRequested.connect(self.open_project_dialog)
        self.welcome.sampleRequested.connect(self.open_sample_project)
        self.browser.set_context(None, self.catalogue)  # the shipped catalogue, before any project
        self.tree.set_document(None)

        self._build_status_bar()
        self._build_menus()
        self._restore_settings()
        self._update_state()

    # ------------------------------------------------------------------ layout
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._docks_sized and not self._restored_state:
            # First run: sizes that leave the centre most of the room.
            self.resizeDocks([self.tree_dock, self.catalogue_dock], [300, 340], Qt.Orientation.Horizontal)
            self.resizeDocks([self.checks_dock], [96], Qt.Orientation.Vertical)
        self._docks_sized = True

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.file_label = QLabel()
        self.file_label.setObjectName("fileState")
        self.compute_label = QLabel("Not computed yet")
        self.compute_label.setObjectName("computeTime")
        self.backend_label = QLabel(f"Kernel: {BACKEND}")
        self.backend_label.setObjectName("kernelBackend")
        self.backend_label.setToolTip("Which implementation of the hourly kernel runs the year")
        # shown while a damaged write-ahead log keeps the file read-only
        self.accept_damage_button = QPushButton("Accept the loss and edit…")
        self.accept_damage_button.setObjectName("acceptLogDamage")
        self.accept_damage_button.setToolTip("Continue editing from the last intact saved edit; the damaged "
                                             "log stays beside the project")
        self.accept_damage_button.clicked.connect(self.offer_to_accept_log_damage)
        self.accept_damage_button.hide()
        for w in (self.file_label, self.accept_damage_button, self.compute_label, self.backend_label):
            bar.addPermanentWidget(w)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.act_new = self._action(file_menu, "&New project…", self.new_project_dialog, QKeySequence.StandardKey.New)
        self.act_open = self._action(file_menu, "&Open…", self.open_project_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        file_menu.addSeparator()
        self.act_save_copy = self._action(file_menu, "Save a &Copy As…", self.save_copy_dialog,
                                          QKeySequence.StandardKey.SaveAs)
        self.act_save_copy.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.act_export = self._action(file_menu, "&Export Scenario as JSON…", self.export_scenario_dialog,
                                       QKeySequence("Ctrl+E"))
        self.act_report = self._action(file_menu, "Export &Report…", self.export_report_dialog,
                                       QKeySequence("Ctrl+Shift+E"))
        file_menu.addSeparator()
        self.act_quit = self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

        edit_menu = bar.addMenu("&Edit")
        self.edit_menu = edit_menu
        self.act_undo = QAction("&Undo", self)
        self.act_undo.setObjectName("undoAction")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.triggered.connect(self.undo)
        self.act_redo = QAction("&Redo", self)
        self.act_redo.setObjectName("redoAction")
        self.act_redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        self.act_redo.triggered.connect(self.redo)
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        edit_menu.addSeparator()
        for key in ("add", "variant", "copy", "site", "rename", "delete"):
            edit_menu.addAction(self.tree.actions[key])
        edit_menu.addSeparator()
        self._action(edit_menu, "Find in Catalogue", self._focus_catalogue_search, QKeySequence.StandardKey.Find)

        view = bar.addMenu("&View")
        self._action(view, "Site builder", lambda: self.tabs.setCurrentIndex(0), QKeySequence("Ctrl+1"))
        self._action(view, "Results", lambda: self.tabs.setCurrentIndex(1), QKeySequence("Ctrl+2"))
        self._action(view, "What-if", lambda: self.tabs.setCurrentWidget(self.whatif), QKeySequence("Ctrl+3"))
        self._action(view, "Analyses", lambda: self.tabs.setCurrentWidget(self.analyses), QKeySequence("Ctrl+4"))
        self._action(view, "Compare", lambda: self.tabs.setCurrentWidget(self.compare), QKeySequence("Ctrl+5"))
        view.addSeparator()
        for dock, key in ((self.tree_dock, "Ctrl+Shift+P"), (self.catalogue_dock, "Ctrl+Shift+K"),
                          (self.checks_dock, "Ctrl+Shift+H")):
            act = dock.toggleViewAction()
            act.setShortcut(QKeySequence(key))
            view.addAction(act)
        view.addSeparator()
        self.act_dark = QAction("&Dark palette", self, checkable=True)
        self.act_dark.setObjectName("darkPalette")
        self.act_dark.toggled.connect(lambda checked: self.set_dark(bool(checked)))
        view.addAction(self.act_dark)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About AI Site Planner", self.about, QKeySequence("F1"))

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        self._restored_state = isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)
        self.tabs.setCurrentIndex(int(self.settings.value("window/tab", 1) or 0))
        week = int(self.settings.value("results/week", 29) or 29)
        self.dashboard.week.setValue(week)
        self.act_dark.setChecked(str(self.settings.value("view/dark", "false")).lower() == "true")

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        self.settings.setValue("results/week", self.dashboard.week.value())
        self.settings.setValue("view/dark", self.act_dark.isChecked())
        self.settings.sync()

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("files/recent", [path, *recent][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            act = self.recent_menu.addAction(Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_project(p))
        if not recent:
            none = self.recent_menu.addAction("(none yet)")
            none.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear list")
            clear.triggered.connect(lambda: self.settings.setValue("files/recent", []))

    def set_dark(self, dark) -> None:
        app = QApplication.instance()
        app.setPalette(theme.dark_palette() if dark else app.style().standardPalette())
        app.setStyleSheet(app.styleSheet())  # style sheets read palette() colours when applied
        self.dashboard.apply_palette()

    # ------------------------------------------------------------------ documents
    def open_project(self, path: str, *, read_only: bool = False, prefer: str | None = None,
                     accept_log_damage: bool = False) -> bool:
        """Open a project file; a problem is told in a message box and the current
        project stays open. Returns True when the file is open. A file whose write-ahead
        log is damaged opens read-only and the planner is asked whether to accept the
        loss and edit what is intact (``accept_log_damage``)."""
        try:
            with warnings.catch_warnings():  # the damage is told in the window, not on stderr
                warnings.simplefilter("ignore", ProjectFileWarning)
                project = open_project(path, read_only=read_only, accept_log_damage=accept_log_damage)
        except ProjectInUseError as error:
            answer = messages.ask(self, "Project in use",
                                  f"{Path(path).name} {error.message}.\n\nOpen it read-only?",
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                return self.open_project(path, read_only=True, prefer=prefer)
            return False
        except (ProjectFileError, InputError) as error:
            messages.tell(self, "critical", "Cannot open project",
                          f"{Path(path).name} cannot be opened:\n\n{error.message}")
            return False
        except OSError as error:
            messages.tell(self, "critical", "Cannot open project", f"{path}: {error.strerror or error}")
            return False
        remembered = self.settings.value(self._selection_key(path))
        self._set_document(ProjectDocument(project, self))
        self._remember(path)
        self._select_named(remembered or prefer)
        if project.migrated_from is not None and not read_only:
            messages.tell(self, "information", "Project upgraded",
                          f"{Path(path).name} was written by an older version (file format "
                          f"{project.migrated_from}) and has been upgraded. The original is kept as "
                          f"{project.backup_path}.")
        if project.wal_damage is not None and project.read_only and not read_only:
            self.offer_to_accept_log_damage()
        return True

    def offer_to_accept_log_damage(self) -> bool:
        """Tell the planner which saved edits a damaged log lost and where its bytes are
        kept; re-open for editing if they accept the loss. True when re-opened."""
        doc = self.document
        if doc is None or doc.log_damage is None or not doc.read_only:
            return False
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = messages.ask(self, "Saved edits could not be recovered",
                              messages.log_damage_text(Path(doc.path).name, doc.log_damage), yes | no, no,
                              labels={yes: "Accept the loss and edit", no: "Keep it read-only"})
        if answer != QMessageBox.StandardButton.Yes:
            return False
        path = doc.path
        self._set_document(None)  # the read-only view lets go of the file before it is edited
        if self.open_project(path, accept_log_damage=True):
            self._flash(f"Editing {Path(path).name} from its last intact edit")
            return True
        self.open_project(path, read_only=True)
        return False

    def new_project(self, path: str) -> bool:
        try:
            project = create_project(path, title=Path(path).stem)
        except (ProjectFileError, InputError) as error:
            messages.tell(self, "critical", "Cannot create project", error.message)
            return False
        self._set_document(ProjectDocument(project, self))
        self._remember(path)
        return True

    def _set_document(self, document: ProjectDocument | None) -> None:
        old = self.document
        self.tasks.stop_all()  # no job may still read the file that closes
        self.document = document
        if old is not None:
            old.changed.disconnect(self._document_changed)
            old.historyChanged.disconnect(self._update_state)
            old.close()
        self.scenario_id = None
        self.dashboard.clear()
        self.whatif.set_context(None, None, self.catalogue)
        self.analyses.set_context(None, None)
        self.compare.set_document(document)
        self.checks.show_checks(None)
        if document is not None:
            document.changed.connect(self._document_changed)
            document.failed.connect(lambda text: messages.tell(self, "warning", "Cannot undo or redo", text))
            document.historyChanged.connect(self._update_state)
            self.catalogue = load_catalogue(document.project.user_catalogue() or None)
        else:
            self.catalogue = load_catalogue()
        self.centre.setCurrentWidget(self.tabs if document is not None else self.welcome)
        self.browser.set_context(document, self.catalogue)
        self.tree.set_document(document)
        if document is not None and self.tree.current_scenario_id() is None:
            self._scenario_selected(None)
        self._update_state()

    def _selection_key(self, path: str | None = None) -> str:
        path = os.path.abspath(path or self.document.path)
        return "selection/" + path.replace("/", "|").replace("\\", "|")

    def _select_named(self, wanted: str | None) -> None:
        """Select a scenario by name (the one the planner last worked on in this file)."""
        if not wanted:
            return
        for info in self.document.project.scenarios():
            if info.name == wanted:
                self.tree.select_scenario(info.id)
                return

    def close_project(self) -> None:
        self._set_document(None)

    def open_sample_project(self) -> bool:
        from aisite.app.sample_project import SAMPLE_FIRST_SCENARIO, sample_project_path  # noqa: PLC0415

        return self.open_project(str(sample_project_path()), prefer=SAMPLE_FIRST_SCENARIO)

    def _scenario_selected(self, scenario_id) -> None:
        if self.builder._pending:
            self.builder.commit_pending()
        self.scenario_id = scenario_id
        if scenario_id is not None and self.document is not None:
            self.settings.setValue(self._selection_key(), self.document.project.scenario(scenario_id).name)
        self.builder.set_context(self.document, scenario_id, self.catalogue)
        self.whatif.set_context(self.document, scenario_id, self.catalogue)
        self.analyses.set_context(self.document, scenario_id)
        if scenario_id is None:
            self.evaluator.cancel()
            self.dashboard.clear("No scenario selected")
            self.checks.show_checks(None)
        else:
            self.recompute()
        self._update_state()

    def _document_changed(self, _op, effects) -> None:
        """Refresh what the edit (or its undo) made stale, from its record of changes."""
        project = self.document.project
        if effects.catalogue:
            self.catalogue = load_catalogue(project.user_catalogue() or None)
            kind_id = self.browser.selected_id()
            self.browser.set_context(self.document, self.catalogue)
            if kind_id:
                self.browser.select(kind_id)
            self.builder.set_catalogue(self.catalogue)
        if effects.tree:
            self.compare.refresh_picker()
            keep = self.scenario_id
            ids = {s.id for s in project.scenarios()}
            self.tree.refresh(select=keep if keep in ids else None)
            if self.tree.current_scenario_id() != self.scenario_id:
                self._scenario_selected(self.tree.current_scenario_id())
                return
        elif effects.scenarios:
            self.tree.update_scenarios(effects.scenarios)  # a variant's list of changes
            if not effects.touches_scenario(project, self.scenario_id):
                # Undo/redo of an edit to another scenario: show that scenario.
                self.tree.select_scenario(min(effects.scenarios))
                return
        if effects.catalogue or effects.tree or effects.scenarios:
            self.builder.reload()
            self.whatif.set_context(self.document, self.scenario_id, self.catalogue)
            self.analyses.set_context(self.document, self.scenario_id)
            self.recompute()
        self._update_state()

    def recompute(self) -> None:
        if self.document is None or self.scenario_id is None:
            return
        self.evaluator.request_scenario(self.document.project, self.scenario_id)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.compute_label.setText("Recomputing…")

    def _show_outcome(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            error = outcome.error
            self.dashboard.show_message(f"These results cannot be computed: {error}. Fix the input in the "
                                        "Site builder.")
            self.dashboard.clear("No results: the scenario has a problem")
            self.checks.show_checks([], problem=str(error))
            self.compute_label.setText("Not computed (input problem)")
            self.builder.show_derived(None)
            self.whatif.set_base(None)
            return
        t0 = time.perf_counter()
        self.dashboard.show_message("")
        self.dashboard.show_result(outcome.result)
        self.builder.show_derived(outcome.result.summary)
        self.whatif.set_base(outcome.result.summary)
        self.checks.show_checks(outcome.result.summary.get("checks", []))
        draw_ms = (time.perf_counter() - t0) * 1000.0
        self.last_compute_ms = outcome.ms
        if outcome.from_store:
            self.compute_label.setText(f"Stored results, inputs unchanged (charts {draw_ms:.0f} ms)")
        else:
            self.compute_label.setText(f"Recomputed in {outcome.ms:.0f} ms (charts {draw_ms:.0f} ms)")
        n = len(outcome.result.summary.get("checks", []))
        self.checks_dock.setWindowTitle(f"Checks ({n})" if n else "Checks")
        self.resultShown.emit()

    def select_field(self, path: str) -> None:
        """Show the builder with the input `path` selected (a check's field)."""
        self.tabs.setCurrentWidget(self.builder)
        if not self.builder.focus_field(path):
            self._flash(f"{path} is not an input in the builder")

    def _update_state(self) -> None:
        doc = self.document
        if doc is None:
            self.setWindowTitle(APP_NAME)
            self.file_label.setText("No project open")
            self.accept_damage_button.hide()
            for act in (self.act_undo, self.act_redo, self.act_save_copy, self.act_export):
                act.setEnabled(False)
            return
        name = Path(doc.path).name
        state = "read-only" if doc.read_only else "all changes saved"
        damage = doc.log_damage
        if damage is not None and doc.read_only:
            state += f": {messages.lost_edits(damage.lost_commits)} could not be recovered (damaged log)"
        self.accept_damage_button.setVisible(damage is not None and doc.read_only)
        unsaved = len(self.builder.invalid)
        if unsaved and not doc.read_only:
            state += f"; {unsaved} typed value{'s' if unsaved != 1 else ''} not saved (see the messages)"
        self.setWindowTitle(f"{name}{' [read-only]' if doc.read_only else ''} — {APP_NAME}")
        self.file_label.setText(f"{name}: {state}")
        self.file_label.setToolTip(doc.path)
        history = doc.history
        self.act_undo.setEnabled(history.can_undo and not doc.read_only)
        self.act_redo.setEnabled(history.can_redo and not doc.read_only)
        self.act_undo.setText(f"&Undo {history.undo_text}" if history.can_undo else "&Undo")
        self.act_redo.setText(f"&Redo {history.redo_text}" if history.can_redo else "&Redo")
        self.act_save_copy.setEnabled(True)
        self.act_export.setEnabled(self.scenario_id is not None)

    def undo(self) -> None:
        if self.document is not None and self.document.history.can_undo:
            self.builder.commit_pending()
            self.document.undo()

    def redo(self) -> None:
        if self.document is not None and self.document.history.can_redo:
            self.document.redo()

    def _flash(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _focus_catalogue_search(self) -> None:
        self.catalogue_dock.show()
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    # ------------------------------------------------------------------ file dialogs
    def _start_dir(self) -> str:
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", self._start_dir(), "AI Site projects (*.aisite)")
        if path:
            if not path.endswith(".aisite"):
                path += ".aisite"
            self.new_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._start_dir(),
                                              "AI Site projects (*.aisite);;All files (*)")
        if path:
            self.open_project(path)

    def save_copy_dialog(self) -> None:
        if self.document is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy as", self._start_dir(),
                                              "AI Site projects (*.aisite)")
        if path:
            self.save_copy(path if path.endswith(".aisite") else path + ".aisite")

    def save_copy(self, path: str) -> bool:
        try:
            self.document.project.save_copy_as(path)
        except (ProjectFileError, InputError) as error:
            messages.tell(self, "critical", "Cannot save a copy", error.message)
            return False
        self._flash(f"Saved a copy as {path}; you are still working in {Path(self.document.path).name}")
        return True

    def export_scenario_dialog(self) -> None:
        if self.document is None or self.scenario_id is None:
            return
        name = self.document.project.scenario(self.scenario_id).name
        path, _ = QFileDialog.getSaveFileName(self, "Export scenario", str(Path(self._start_dir()) / f"{name}.json"),
                                              "Scenario files (*.json)")
        if path:
            self.export_scenario(path)

    def export_report_dialog(self):
        from aisite.app.report.export_dialog import open_export_dialog  # noqa: PLC0415

        return open_export_dialog(self)

    def export_scenario(self, path: str) -> bool:
        from aisite.core.project.json_io import dumps_export, write_text_atomic  # noqa: PLC0415

        try:
            write_text_atomic(path, dumps_export(self.document.project.export_scenario(self.scenario_id)))
        except (OSError, InputError) as error:
            messages.tell(self, "critical", "Cannot export", str(error))
            return False
        self._flash(f"Exported to {path}")
        return True

    # ------------------------------------------------------------------ about, close
    def about_text(self) -> str:
        return (
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>What an AI data-centre site delivers, costs, draws and when it can be online.</p>"
            f"<p><b>Kernel backend:</b> {BACKEND}</p>"
            "<p><b>Data sources.</b> The shipped catalogue (data/*.csv) cites a source on every row "
            "(mostly reference/facts.md: vendor datasheets, EIA, LBNL <i>Queued Up</i>, Cushman &amp; "
            "Wakefield, OWID, IPCC AR5) and marks estimates. Hourly weather for nine regions: "
            "Climate.OneBuilding.org TMYx from NOAA NCEI ISD observations, with solar radiation from ECMWF "
            "ERA5 (contains modified Copernicus Climate Change Service information), and NREL TMY3 for "
            "Oregon; five regions use synthetic profiles. See data/README.md.</p>")

    def about(self) -> None:
        messages.tell(self, "information", f"About {APP_NAME}", self.about_text())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.builder.commit_pending()
        self.save_settings()
        self.tasks.stop_all()
        self.tasks.wait(5000)
        if self.document is not None:
            self.document.close()
            self.document = None
        super().closeEvent(event)

def wait_for_result(window: MainWindow, timeout_ms: int = 20_000) -> bool:
    """Process events until the newest requested result is shown (for screenshots)."""
    from PySide6.QtCore import QEventLoop  # noqa: PLC0415

    deadline = time.perf_counter() + timeout_ms / 1000.0
    while time.perf_counter() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not window.evaluator.busy and window.evaluator.last is not None:
            return True
        if window.scenario_id is None:
            return True
        time.sleep(0.005)
    return False

