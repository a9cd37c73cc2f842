"""The scenario's forms: workload (a page per kind), finance, overrides and the schedule's
task durations. Labels, hints and the workload defaults come from core
(core.scenario_defaults, core.schedule.TASK_NAMES)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aisite.app.builder.binder import FieldBinder
from aisite.app.fields import NumberEdit, format_number
from aisite.core.project.edits import SetWorkloadKind
from aisite.core.project.fieldpath import has_path
from aisite.core.scenario import OVERRIDE_BOUNDS, SCHEDULE_TASKS
from aisite.core.scenario_defaults import (
    FINANCE_FIELDS,
    OVERRIDE_LABELS,
    PRECISIONS,
    REQUIRED_WORKLOAD,
    WORKLOAD_FIELDS,
    WORKLOAD_KINDS,
)
from aisite.core.schedule import TASK_NAMES


def _form(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class WorkloadSection(QGroupBox):
    """Kind and precision, then the fields of the kind chosen (one page per kind)."""

    def __init__(self, binder: FieldBinder):
        super().__init__("Workload")
        self.binder = binder
        wl = QVBoxLayout(self)
        form = _form()
        self.kind = QComboBox()
        self.kind.setObjectName("field:workload.kind")
        for kind, label in WORKLOAD_KINDS.items():
            self.kind.addItem(label, kind)
        self.kind.activated.connect(self._kind_changed)
        binder.fields["workload.kind"] = self.kind
        form.addRow("Kind", self.kind)
        self.precision = binder.bind_choice(QComboBox(), "workload.precision")
        for precision, label in PRECISIONS.items():
            self.precision.addItem(label, precision)
        self.precision_label = QLabel("Precision")
        form.addRow(self.precision_label, self.precision)
        wl.addLayout(form)
        self.pages = QStackedWidget()
        self._page_index = {}
        for kind, fields in WORKLOAD_FIELDS.items():
            page = QWidget()
            pf = _form(page)
            pf.setContentsMargins(0, 0, 0, 0)
            for key, label, integer, hint in fields:
                path = f"workload.{key}"
                optional = (kind, key) not in REQUIRED_WORKLOAD
                edit = NumberEdit(path, integer=integer, optional=optional, placeholder=hint)
                edit.setObjectName(f"field:{path}:{kind}")
                pf.addRow(label, binder.bind(edit, path, page_key=kind))
            self._page_index[kind] = self.pages.addWidget(page)
        wl.addWidget(self.pages)
        wl.addStretch(1)

    def fill(self) -> None:
        wl = self.binder.doc.get("workload") or {}
        kind = wl.get("kind", "training")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.pages.setCurrentIndex(self._page_index.get(kind, 0))
        self.precision.setCurrentIndex(max(0, self.precision.findData(wl.get("precision", "bf16"))))
        self.precision.setVisible(kind != "utilization")
        self.precision_label.setVisible(kind != "utilization")

    def _kind_changed(self, _index: int) -> None:
        binder = self.binder
        kind = self.kind.currentData()
        if binder.workload_kind() != kind:
            binder.push(SetWorkloadKind(binder.project(), binder.scenario_id, kind))


class FinanceSection(QGroupBox):
    def __init__(self, binder: FieldBinder):
        super().__init__("Finance")
        self.binder = binder
        ff = _form(self)
        for key, label, hint in FINANCE_FIELDS:
            path = f"finance.{key}"
            ff.addRow(label, binder.bind(NumberEdit(path, optional=True, placeholder=hint), path))
        self.lease = QCheckBox("Lease the building (colocation)")
        self.lease.setToolTip("Pay a lease per kW instead of building the facility")
        self.lease.setObjectName("field:finance.lease")
        self.lease.clicked.connect(self._lease_changed)
        binder.fields["finance.lease"] = self.lease
        ff.addRow(self.lease)

    def fill(self) -> None:
        self.lease.setChecked(bool((self.binder.doc.get("finance") or {}).get("lease", False)))

    def _lease_changed(self, checked: bool) -> None:
        if checked:
            self.binder.push_set("finance.lease", True)
        elif has_path(self.binder.doc, "finance.lease"):
            self.binder.push_unset("finance.lease")


class OverridesSection(QGroupBox):
    def __init__(self, binder: FieldBinder):
        super().__init__("Overrides")
        self.setToolTip("Each override replaces one derived quantity for the whole scenario; blank = derived")
        of = _form(self)
        for key, (low, high, _) in OVERRIDE_BOUNDS.items():
            label, unit = OVERRIDE_LABELS.get(key, (key, ""))
            path = f"overrides.{key}"
            edit = NumberEdit(path, optional=True, placeholder="derived",
                              tooltip=f"Blank = derived by the engine; {format_number(low)} to {format_number(high)}")
            of.addRow(label + (f" ({unit})" if unit and unit != "0–1" else ""), binder.bind(edit, path))


class ScheduleSection(QGroupBox):
    def __init__(self, binder: FieldBinder):
        super().__init__("Schedule overrides (task durations in months; blank = estimated from the catalogue)")
        sg = QGridLayout(self)
        for i, task in enumerate(SCHEDULE_TASKS):
            path = f"schedule.{task}"
            sg.addWidget(QLabel(TASK_NAMES[task]), (i // 4) * 2, i % 4)
            sg.addWidget(binder.bind(NumberEdit(path, optional=True, placeholder="estimated"), path),
                         (i // 4) * 2 + 1, i % 4)
