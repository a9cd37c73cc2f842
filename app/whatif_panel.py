"""The What-if tab: levers (slider + spin box, or a picker) and the key figures with their
change against the scenario as saved, or against its parent.

Moving a lever recomputes on the task runner's "whatif" lane while the planner drags
(the runner keeps only the newest request waiting, so a drag costs at most one extra
evaluation). The levers' meaning, ranges and the better/worse verdicts come from
core.whatif; the numbers from the engine. Nothing is saved until "Keep as variant",
which adds one variant holding the changed levers as one undoable step.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aisite.app import theme
from aisite.app.dashboard import KeyFigureCard
from aisite.app.evaluation import Evaluator, evaluate_document
from aisite.core import whatif
from aisite.core.errors import InputError
from aisite.core.project.edits import DuplicateAsVariant
from aisite.core.units import KEY_FIGURES

VERDICT_COLOURS = {"better": "#1A9850", "worse": "#D62728", "neutral": "#4C78A8", "same": None}


class LeverRow:
    """One lever: a slider and a spin box kept in step (or a picker for a choice)."""

    def __init__(self, lever: whatif.Lever, grid: QGridLayout, row: int, on_change):
        self.lever = lever
        self.on_change = on_change
        self.label = QLabel(lever.label)
        self.label.setToolTip(lever.tooltip)
        grid.addWidget(self.label, row, 0)
        self.slider = self.spin = self.combo = None
        self._syncing = False
        if lever.is_choice:
            self.combo = QComboBox()
            self.combo.setObjectName(f"lever_{lever.key}")
            self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.combo.setMinimumContentsLength(14)
            self.combo.activated.connect(lambda _i: self.on_change(self))
            grid.addWidget(self.combo, row, 1, 1, 2)
        else:
            self.slider = QSlider(Qt.Orientation.Horizontal)
            self.slider.setObjectName(f"slider_{lever.key}")
            self.slider.setMinimumWidth(80)
            self.spin = QDoubleSpinBox()
            self.spin.setObjectName(f"spin_{lever.key}")
            self.spin.setDecimals(lever.decimals)
            self.spin.setSingleStep(lever.step * lever.scale)
            self.spin.setSuffix(f" {lever.unit}" if lever.unit else "")
            self.spin.setKeyboardTracking(False)
            self.spin.setGroupSeparatorShown(True)
            self.spin.setMinimumWidth(110)
            self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.slider.valueChanged.connect(self._slider_moved)
            self.spin.valueChanged.connect(self._spin_changed)
            grid.addWidget(self.slider, row, 1)
            grid.addWidget(self.spin, row, 2)
        self.label.setBuddy(self.combo or self.spin)

    def widgets(self):
        return [w for w in (self.label, self.slider, self.spin, self.combo) if w is not None]

    def set_visible(self, on: bool) -> None:
        for w in self.widgets():
            w.setVisible(on)

    def setup(self, value, options: list[tuple[str, str]] | None) -> None:
        """Show `value` as the saved one (the slider's range widens to hold it)."""
        self._syncing = True
        try:
            if self.combo is not None:
                self.combo.clear()
                for item_id, name in options or []:
                    self.combo.addItem(name, item_id)
                i = self.combo.findData(value)
                self.combo.setCurrentIndex(max(i, 0))
            else:
                low, high = self.lever.span(value)
                self._low, self._step = low, self.lever.step
                self.slider.setRange(0, int(round((high - low) / self._step)))
                self.spin.setRange(low * self.lever.scale, high * self.lever.scale * 10)
                self._show(value)
        finally:
            self._syncing = False

    def _show(self, value: float) -> None:
        self.slider.setValue(int(round((value - self._low) / self._step)))
        self.spin.setValue(value * self.lever.scale)

    def value(self):
        if self.combo is not None:
            return self.combo.currentData()
        return round(self.spin.value() / self.lever.scale, 10)

    def set_value(self, value) -> None:
        self._syncing = True
        try:
            if self.combo is not None:
                self.combo.setCurrentIndex(max(self.combo.findData(value), 0))
            else:
                self._show(value)
        finally:
            self._syncing = False

    def _slider_moved(self, pos: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.spin.setValue((self._low + pos * self._step) * self.lever.scale)
        self._syncing = False
        self.on_change(self)

    def _spin_changed(self, shown: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.slider.setValue(int(round((shown / self.lever.scale - self._low) / self._step)))
        self._syncing = False
        self.on_change(self)


class DeltaCard(KeyFigureCard):
    """The dashboard's key-figure card with the change under the value."""

    def __init__(self, section: str, key: str, label: str):
        super().__init__(section, key, label)
        self.setObjectName(f"whatif_card_{key}")
        # a little smaller than the dashboard's: two columns fit beside the levers at 1366 px
        self.layout().setContentsMargins(8, 4, 8, 4)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() / 1.35 * 1.15)
        self.value.setFont(font)
        self.delta = QLabel("")
        self.delta.setObjectName(f"delta_{key}")
        # room for two lines always, so a card keeps its height when a change appears
        self.delta.setMinimumHeight(self.delta.fontMetrics().lineSpacing() * 2 + 2)
        self.delta.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.layout().addWidget(self.delta)
        self.verdict = "same"
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def show_delta(self, text: str, delta: whatif.FigureDelta | None) -> None:
        self.value.setText(text)
        self.verdict = delta.verdict if delta is not None else "same"
        colour = VERDICT_COLOURS.get(self.verdict)
        if delta is None or not delta.changed:
            self.delta.setText("no change" if delta is not None else "")
            self.delta.setStyleSheet("color: palette(mid);")
        else:
            # two short lines fit a narrow card: the change, then the share and the verdict
            verdict = {"better": "better", "worse": "worse"}.get(self.verdict, "")
            head, _, pct = delta.text.partition(" (")
            pct = pct.rstrip(")")
            self.delta.setText(f"{head}\n{pct + ', ' if pct else ''}{verdict}".rstrip(", \n"))
            self.delta.setStyleSheet(f"color: {colour}; font-weight: bold;")


class WhatIfPanel(QWidget):
    """`variantKept(id)` after "Keep as variant" added a scenario; `status(text)` for the status bar."""

    variantKept = Signal(int)
    status = Signal(str)
    resultShown = Signal()

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("WhatIfPanel")
        self.document = None
        self.scenario_id: int | None = None
        self.catalogue = None
        self.saved_doc: dict | None = None
        self.saved_values: dict = {}
        self.base_summary: dict | None = None
        self.parent_summary: dict | None = None
        self.result = None
        self.evaluator = Evaluator(self, runner, lane="whatif")
        self.evaluator.finished.connect(self._show_outcome)
        self.parent_eval = Evaluator(self, runner, lane="whatif-parent")
        self.parent_eval.finished.connect(self._parent_done)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.heading = QLabel("What if…")
        hf = QFont(self.heading.font())
        hf.setPointSizeF(hf.pointSizeF() * 1.2)
        hf.setBold(True)
        self.heading.setFont(hf)
        self.heading.setMinimumWidth(20)  # long scenario names give way to the buttons
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.heading, 2)
        self.against = QComboBox()
        self.against.setObjectName("deltaAgainst")
        self.against.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.against.setMinimumContentsLength(6)
        self.against.setToolTip("What the changes on the cards are measured against")
        self.against.addItem("Changes against the scenario as saved", "saved")
        self.against.activated.connect(lambda _i: self._refresh_cards())
        self.against.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.against.setMaximumWidth(320)
        bar.addWidget(self.against, 1)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("whatifReset")
        self.reset_button.setToolTip("Put every lever back to the scenario as saved")
        self.reset_button.clicked.connect(self.reset)
        self.keep_button = QPushButton("Keep as variant")
        self.keep_button.setObjectName("whatifKeep")
        self.keep_button.setToolTip("Add a variant of this scenario with the levers as they are (one undo step)")
        self.keep_button.clicked.connect(self.keep_as_variant)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.keep_button)
        outer.addLayout(bar)
        self.message = QLabel("")
        self.message.setObjectName("whatifMessage")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)

        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split, 1)
        lever_box = QWidget()
        grid = QGridLayout(lever_box)
        grid.setContentsMargins(0, 0, 6, 0)
        grid.setVerticalSpacing(4)
        self.rows: dict[str, LeverRow] = {}
        for i, lever in enumerate(whatif.LEVERS):
            self.rows[lever.key] = LeverRow(lever, grid, i, self._lever_changed)
        grid.setRowStretch(len(whatif.LEVERS), 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(lever_box)
        # full width when there is room (see setSizes below); a small window scrolls them instead
        self._lever_width = lever_box.minimumSizeHint().width() + 18
        scroll.setMinimumWidth(220)
        scroll.setMaximumWidth(self._lever_width + 40)
        split.addWidget(scroll)

        cards_box = QWidget()
        self.card_grid = QGridLayout(cards_box)
        self.card_grid.setSpacing(6)
        self.cards: dict[str, DeltaCard] = {}
        for section, key, label, _fmt in KEY_FIGURES:
            self.cards[key] = DeltaCard(section, key, label)
            self.cards[key].setParent(cards_box)
            self.cards[key].hide()
        cards_scroll = QScrollArea()
        cards_scroll.setWidgetResizable(True)
        cards_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        cards_scroll.setFrameShape(QFrame.Shape.NoFrame)
        cards_scroll.setWidget(cards_box)
        split.addWidget(cards_scroll)
        cards_scroll.setMinimumWidth(160)
        self.cards_scroll = cards_scroll
        cards_scroll.viewport().installEventFilter(self)  # columns follow the room the cards get
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setCollapsible(1, False)
        self.split = split
        split.setSizes([self._lever_width, 10_000])  # the levers as narrow as they read well; the cards get the rest
        self._columns = 0
        self._shown_keys: list[str] = []
        self._set_enabled(False)

    # ------------------------------------------------------------------ context
    def set_context(self, document, scenario_id: int | None, catalogue) -> None:
        """Show the levers of a saved scenario (all at their saved values)."""
        self.document, self.scenario_id, self.catalogue = document, scenario_id, catalogue
        self.evaluator.cancel()
        self.parent_eval.cancel()
        self.result = None
        self.base_summary = None
        self.parent_summary = None
        self.against.blockSignals(True)
        while self.against.count() > 1:
            self.against.removeItem(1)
        self.against.setCurrentIndex(0)
        self.against.blockSignals(False)
        if document is None or scenario_id is None:
            self.saved_doc = None
            self.heading.setText("What if… (select a scenario)")
            self._set_enabled(False)
            return
        project = document.project
        info = project.scenario(scenario_id)
        self.heading.setText(f"What if… {info.name}")
        try:
            self.saved_doc = project.effective_scenario(scenario_id)
            self.saved_values = whatif.lever_values(self.saved_doc, catalogue)
        except InputError as error:
            self.saved_doc = None
            self._set_message(f"The levers need a scenario the engine accepts: {error}")
            self._set_enabled(False)
            return
        self._set_message("")
        for key, row in self.rows.items():
            applies = key in self.saved_values
            row.set_visible(applies)
            if applies:
                options = whatif.choices(row.lever, catalogue) if row.lever.is_choice else None
                row.setup(self.saved_values[key], options)
        if info.parent_id is not None:
            parent = project.scenario(info.parent_id)
            self.against.addItem(f"Changes against its parent, {parent.name}", "parent")
            self.parent_eval.request_scenario(project, parent.id)
        self._set_enabled(not document.read_only)
        self.keep_button.setEnabled(False)

    def set_base(self, summary: dict | None) -> None:
        """The saved scenario's result (the main window's evaluation)."""
        self.base_summary = summary
        if self.result is None and summary is not None:
            self._refresh_cards()

    def _set_enabled(self, on: bool) -> None:
        for row in self.rows.values():
            for w in row.widgets():
                w.setEnabled(on)
        self.reset_button.setEnabled(on)
        self.keep_button.setEnabled(on)

    def _set_message(self, text: str, severity: str = "error") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        colour = theme.SEVERITY_COLOURS.get(severity, theme.ERROR_TEXT)
        self.message.setStyleSheet(f"color: {colour};" if text else "")

    # ------------------------------------------------------------------ levers
    def values(self) -> dict:
        return {key: row.value() for key, row in self.rows.items() if key in self.saved_values}

    def changes(self) -> dict:
        """{field path: value} the levers change against the saved scenario."""
        if self.saved_doc is None:
            return {}
        return whatif.changes(self.saved_doc, self.values(), self.catalogue)

    def _lever_changed(self, _row: LeverRow) -> None:
        if self.saved_doc is None:
            return
        doc, values, catalogue = self.saved_doc, self.values(), self.catalogue
        user = self.document.project.user_catalogue() or None
        moved = bool(whatif.changes(doc, values, catalogue))
        self.keep_button.setEnabled(moved and not self.document.read_only)
        if not moved:
            self.evaluator.cancel()
            self.result = None
            self._refresh_cards()
            return

        def work(_ctx):  # worker thread: apply the levers and run the engine
            return evaluate_document(whatif.apply(doc, values, catalogue), user), False
        self.evaluator.runner.submit(self.evaluator.lane, work)

    def reset(self) -> None:
        self.evaluator.cancel()
        for key, row in self.rows.items():
            if key in self.saved_values:
                row.set_value(self.saved_values[key])
        self.result = None
        self.keep_button.setEnabled(False)
        self._set_message("")
        self._refresh_cards()

    def keep_as_variant(self) -> int | None:
        """Add a variant of the scenario holding the changed levers (one undo step)."""
        overrides = self.changes()
        if not overrides or self.document is None:
            return None
        project = self.document.project
        try:
            op = self.document.push(DuplicateAsVariant(project, self.scenario_id, overrides=overrides))
        except InputError as error:
            self._set_message(f"Cannot keep these levers as a variant: {error}")
            return None
        self.status.emit(f"Kept the levers as {project.scenario(op.scenario_id).name!r} "
                         f"({len(overrides)} change{'s' if len(overrides) != 1 else ''})")
        self.variantKept.emit(op.scenario_id)
        return op.scenario_id

    # ------------------------------------------------------------------ results
    def _show_outcome(self, outcome) -> None:
        if outcome.error is not None:
            self.result = None
            self._set_message(f"These lever settings cannot be computed: {outcome.error}")
            self._refresh_cards()
            return
        self._set_message("")
        self.result = outcome.result
        self._refresh_cards()
        self.resultShown.emit()

    def _parent_done(self, outcome) -> None:
        self.parent_summary = outcome.result.summary if outcome.result is not None else None
        if self.against.currentData() == "parent":
            self._refresh_cards()

    def reference_summary(self) -> dict | None:
        return self.parent_summary if self.against.currentData() == "parent" else self.base_summary

    def _refresh_cards(self) -> None:
        shown = self.result.summary if self.result is not None else self.base_summary
        ref = self.reference_summary()
        if shown is None:
            return
        deltas = whatif.figure_deltas(ref, shown) if ref is not None else {}
        keys = []
        for section, key, _label, fmt in KEY_FIGURES:
            value = (shown.get(section) or {}).get(key)
            card = self.cards[key]
            if value is None:
                card.hide()
                continue
            keys.append(key)
            card.show_delta(fmt(value), deltas.get(key))
        if keys != self._shown_keys:
            self._shown_keys = keys
            self._columns = 0
            self._relayout()

    def delta_texts(self) -> dict[str, tuple[str, str, str]]:
        """{key: (value, delta text, verdict)} of the cards shown (tests, copy)."""
        return {k: (self.cards[k].value.text(), self.cards[k].delta.text(), self.cards[k].verdict)
                for k in self._shown_keys}

    def eventFilter(self, watched, event):  # noqa: N802 - Qt API
        if watched is self.cards_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout()
        return super().eventFilter(watched, event)

    def _relayout(self) -> None:
        width = self.cards_scroll.viewport().width()
        columns = max(1, min(4, width // 155))
        if columns == self._columns:
            return
        self._columns = columns
        while self.card_grid.count():
            self.card_grid.takeAt(0)
        for i, key in enumerate(self._shown_keys):
            card = self.cards[key]
            self.card_grid.addWidget(card, i // columns, i % columns)
            card.show()
        for c in range(4):
            self.card_grid.setColumnStretch(c, 1 if c < columns else 0)
        self.card_grid.setRowStretch(len(self._shown_keys) // columns + 1, 1)
