"""The Monte Carlo view's uncertain inputs: a table of what the scenario varies, and a
form to add, change or remove one. Each change is one core operation
(SetUncertainInput / RemoveUncertainInput) through the project's undo history; the
form starts from core's suggestion (data/uncertainty.csv, else a spread around the
scenario's value) and a value the core refuses is shown under the form with the core's
own message, the offending field outlined."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aisite.app import theme
from aisite.app.analyses.base import fill_table, make_table
from aisite.core.analyses import input_paths, plain_number, scenario_inputs
from aisite.core.distributions import DISTS
from aisite.core.errors import InputError
from aisite.core.explore.uncertain import check_entry, default_inputs, suggested_distribution
from aisite.core.project.edits import RemoveUncertainInput, SetUncertainInput

#: every parameter a distribution may have, in the order the form shows them
PARAMS = (("low", "Low"), ("mode", "Most likely"), ("high", "High"), ("mean", "Mean"), ("sd", "Std dev"),
          ("median", "Median"), ("sigma", "Sigma (log)"))
USES = {"triangular": ("low", "mode", "high"), "uniform": ("low", "high"),
        "normal": ("mean", "sd", "low", "high"), "lognormal": ("median", "sigma", "low", "high")}
ORIGINS = {"scenario": "this scenario", "project": "every scenario (project-wide)",
           "file": "the scenario's own file section"}


class UncertainInputsEditor(QWidget):
    """`edited()` after this editor changed the project (the stored answer may be stale)."""

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("uncertainEditor")
        self.document = None
        self.scenario_id: int | None = None
        self.entries: dict[str, tuple[str, dict]] = {}  # path -> (origin, {"dist": .., params})
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(QLabel("<b>Uncertain inputs</b> (what a run varies when Ranges uses the scenario's own; "
                             "pick a row to change it)"))
        self.table = make_table("uncertainTable", ["Input", "Distribution", "Defined for"])
        self.table.itemSelectionChanged.connect(self._row_picked)
        lay.addWidget(self.table)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(4)
        self.path = QComboBox()
        self.path.setObjectName("uncertainPath")
        self.path.setEditable(True)
        self.path.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.path.setMinimumContentsLength(18)
        self.path.setToolTip("A numeric input of the scenario, as `aisite montecarlo` reads it (pick one or type a path)")
        self.path.lineEdit().setPlaceholderText("pick an input to vary, or a row above")
        self.path.activated.connect(lambda _i: self._prefill())
        self.path.lineEdit().editingFinished.connect(self._prefill)
        self.dist = QComboBox()
        self.dist.setObjectName("uncertainDist")
        for name in DISTS:
            self.dist.addItem(name, name)
        self.dist.activated.connect(lambda _i: self._prefill(keep_bounds=True))
        form.addWidget(QLabel("Input"), 0, 0)
        form.addWidget(self.path, 0, 1, 1, 3)
        form.addWidget(QLabel("Distribution"), 0, 4)
        form.addWidget(self.dist, 0, 5)
        self.fields: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        for i, (key, text) in enumerate(PARAMS):
            edit = QLineEdit()
            edit.setObjectName(f"uncertain_{key}")
            edit.setMinimumWidth(64)
            edit.returnPressed.connect(self.apply)
            label = QLabel(text)
            label.setBuddy(edit)
            self.fields[key], self.labels[key] = edit, label
            row, col = 1 + i // 3, (i % 3) * 2
            form.addWidget(label, row, col)
            form.addWidget(edit, row, col + 1)
        for column in (1, 3, 5):
            form.setColumnStretch(column, 1)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.set_button = QPushButton("Set for this scenario")
        self.set_button.setObjectName("uncertainSet")
        self.set_button.setToolTip("Store this distribution for the input (one undo step)")
        self.set_button.clicked.connect(self.apply)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("uncertainRemove")
        self.remove_button.setToolTip("Stop varying this input (one undo step)")
        self.remove_button.clicked.connect(self.remove)
        self.error = QLabel("")
        self.error.setObjectName("uncertainError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS.get('error', '#C0392B')};")
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.error, 1)
        lay.addLayout(buttons)
        self._show_fields("triangular")

    # ------------------------------------------------------------------ context
    def set_context(self, document, scenario_id: int | None) -> None:
        if self.document is not None and self.document is not document:
            try:
                self.document.changed.disconnect(self._changed)
            except (RuntimeError, TypeError):
                pass
        if document is not None and document is not self.document:
            document.changed.connect(self._changed)
        self.document, self.scenario_id = document, scenario_id
        self.refresh()

    def _changed(self, _op, _effects) -> None:
        self.refresh()

    def _doc(self) -> dict:
        return self.document.project.effective_scenario(self.scenario_id)

    def refresh(self) -> None:
        """The table from the project as stored; the form keeps what is typed in it."""
        ready = self.document is not None and self.scenario_id is not None
        editable = ready and not self.document.read_only
        for w in (self.path, self.dist, self.set_button, self.remove_button, *self.fields.values()):
            w.setEnabled(editable)
        self.entries = {}
        if not ready:
            fill_table(self.table, [])
            fit_rows(self.table)
            return
        project = self.document.project
        for row in project.uncertain_inputs(self.scenario_id):
            origin = "project" if row.scenario_id is None else "scenario"
            self.entries[row.path] = (origin, {"dist": row.distribution, **row.params})
        doc = project.effective_scenario(self.scenario_id)
        own = doc.get("uncertain")
        if isinstance(own, dict):  # the document's own section wins over the rows (effective_uncertain)
            for path, spec in own.items():
                self.entries[path] = ("file", spec)
        fill_table(self.table, [[path, describe(spec), ORIGINS[origin]] for path, (origin, spec) in self.entries.items()])
        fit_rows(self.table)
        try:
            resolved, catalogue = scenario_inputs(project, self.scenario_id)
            shipped = [u.path for u in default_inputs(resolved, catalogue)]
        except InputError:  # a scenario the engine refuses: its own paths are still offered
            shipped = []
        current = self.path.currentText()
        self.path.blockSignals(True)
        self.path.clear()
        for path in dict.fromkeys([*self.entries, *shipped, *(p for p, _ in input_paths(doc))]):
            self.path.addItem(path)
        self.path.setEditText(current)
        self.path.blockSignals(False)

    # ------------------------------------------------------------------ the form
    def _row_picked(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return
        path = self.table.item(rows[0].row(), 0).text()
        self.path.setEditText(path)
        self._prefill()

    def _prefill(self, keep_bounds: bool = False) -> None:
        """Fill the parameters: the input's stored distribution, else core's suggestion."""
        if self.document is None or self.scenario_id is None:
            return
        path = self.path.currentText().strip()
        if not path:
            return
        dist = self.dist.currentData()
        stored = self.entries.get(path)
        if stored is not None and not keep_bounds:
            spec = stored[1]
        elif stored is not None and stored[1].get("dist", "triangular") == dist:
            spec = stored[1]
        else:
            try:
                doc, catalogue = scenario_inputs(self.document.project, self.scenario_id)
                spec = suggested_distribution(doc, path, dist, catalogue)
            except InputError as error:
                self.show_error(error)
                return
        self.dist.setCurrentIndex(max(self.dist.findData(spec.get("dist", "triangular")), 0))
        self._show_fields(self.dist.currentData())
        for key, edit in self.fields.items():
            value = spec.get(key)
            edit.setText("" if value is None else plain_number(value).replace(",", ""))
        self.show_error(None)

    def _show_fields(self, dist: str) -> None:
        for key, edit in self.fields.items():
            used = key in USES.get(dist, ())
            edit.setVisible(used)
            self.labels[key].setVisible(used)

    def spec(self) -> dict:
        """The form as an ``uncertain`` entry: numbers where they parse, the text as typed
        where not (so the core names the field and says what is wrong)."""
        dist = self.dist.currentData()
        out: dict = {"dist": dist}
        for key in USES[dist]:
            text = self.fields[key].text().strip().replace(",", "")
            if not text:
                continue
            try:
                out[key] = float(text)
            except ValueError:
                out[key] = text
        return out

    def apply(self) -> bool:
        """Store the form's distribution for the input: one undo step. False (and the core's
        message under the form) when the core refuses it."""
        def op(project, path):
            if not path:
                raise InputError("uncertain", "choose the input to vary")
            spec = self.spec()
            doc, catalogue = scenario_inputs(project, self.scenario_id)
            checked = check_entry(doc, path, spec, catalogue)  # what a run would refuse, refused now
            params = {k: v for k, v in spec.items() if k != "dist"}
            return SetUncertainInput(project, self.scenario_id, checked.path, spec["dist"], params)
        return self._push(op)

    def remove(self) -> bool:
        """Stop varying the input: one undo step."""
        def op(project, path):
            origin = self.entries.get(path, ("",))[0]
            if origin not in ("scenario", "project"):
                raise InputError(f"uncertain.{path}", "is not an uncertain input of this scenario")
            return RemoveUncertainInput(project, self.scenario_id if origin == "scenario" else None, path)
        return self._push(op)

    def _push(self, make_op) -> bool:
        """Build the operation for the form's input and do it; the core's refusal under the form."""
        if self.document is None or self.scenario_id is None:
            return False
        path = self.path.currentText().strip()
        try:
            if self.entries.get(path, ("",))[0] == "file":  # effective_uncertain: the file's section wins
                raise InputError(f"uncertain.{path}", "is set in the scenario's own file section; "
                                                      "change it there (import the scenario again)")
            self.document.push(make_op(self.document.project, path))
        except InputError as error:
            self.show_error(error)
            return False
        self.show_error(None)
        self.edited.emit()
        return True

    def show_error(self, error: InputError | None) -> None:
        """The core's message under the form; the field it names outlined."""
        self.error.setText("" if error is None else str(error))
        named = "" if error is None else str(error.field).rsplit(".", 1)[-1]
        for key, edit in self.fields.items():
            edit.setStyleSheet("border: 2px solid #C0392B;" if key == named and edit.isVisible() else "")


def describe(spec: dict) -> str:
    """A distribution as a planner reads it: "triangular: low 24, most likely 42, high 72"."""
    dist = spec.get("dist", "triangular")
    names = dict(PARAMS)
    parts = [f"{names[k].lower()} {plain_number(spec[k])}" for k in USES.get(dist, ()) if spec.get(k) is not None]
    return f"{dist}: {', '.join(parts)}"


def fit_rows(table) -> None:
    """Text columns read from the left; the table is as tall as its rows (no empty band)."""
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    rows = sum(table.rowHeight(r) for r in range(table.rowCount())) or table.verticalHeader().defaultSectionSize()
    height = rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 6
    table.setMinimumHeight(min(height, 220))
    table.setMaximumHeight(max(height, 60) if height <= 220 else 220)
