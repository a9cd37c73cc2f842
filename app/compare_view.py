"""The Compare tab: 2 to 6 scenarios of the project (across sites) side by side.

Every number comes from core.compare on the scenarios as `aisite compare FILE --scenario
A --scenario B --json` loads them (core.report.evaluated.from_project: stored results
when current), computed on the task runner's "compare" lane. "Same site in other
regions" adds one scenario per chosen region in one undo step (core.compare.region_variants
decides what a copy in another place keeps) and compares them with the original.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aisite.app import theme
from aisite.app.analyses.base import fill_table, make_plot, make_table
from aisite.app.dashboard import CategoryAxis
from aisite.core.compare import MAX_SCENARIOS, MIN_SCENARIOS, REGION_BOUND, compare, region_variants
from aisite.core.errors import InputError
from aisite.core.project.edits import AddScenario, Compound, DuplicateAsVariant, unique_name
from aisite.core.project.fieldpath import get_path
from aisite.core.units import months

LANE = "compare"
# The siting question: one small bar chart each.
HEADLINE = ("tco2e_per_year_location", "pue_annual", "water_m3_per_year", "npv_cost_usd", "capex_usd",
            "first_compute_month")
VERDICT_COLOURS = {"better": "#1A9850", "worse": "#D62728"}


class CompareView(QWidget):
    status = Signal(str)
    comparisonShown = Signal()

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("CompareView")
        self.runner = runner
        self.document = None
        self.data: dict | None = None
        runner.finished.connect(self._done)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Compare</b><br>2 to 6; the first<br>checked is the<br>reference"))
        side.addStretch(1)
        top.addLayout(side)
        self.picker = QListWidget()
        self.picker.setObjectName("comparePicker")
        self.picker.setMaximumHeight(100)
        self.picker.itemChanged.connect(lambda _i: self._picked())
        top.addWidget(self.picker, 1)
        buttons = QVBoxLayout()
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compareRun")
        self.compare_button.clicked.connect(self.run)
        buttons.addWidget(self.compare_button)
        self.regions_button = QPushButton("Other regions…")
        self.regions_button.setObjectName("compareRegions")
        self.regions_button.setToolTip("The same site in other regions: copy the reference scenario into "
                                       "regions you choose and compare them")
        self.regions_button.clicked.connect(self.regions_dialog)
        buttons.addWidget(self.regions_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        outer.addLayout(top)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.heading = QLabel("Pick two to six scenarios and press Compare.")
        self.body.addWidget(self.heading)
        # The results stay hidden until a comparison is shown: no empty tables and charts.
        self.results_box = QWidget()
        inner = QVBoxLayout(self.results_box)
        inner.setContentsMargins(0, 0, 0, 0)
        self.results_box.setVisible(False)
        self.table = make_table("compareTable", ["Key figure"])
        self.table.setWordWrap(False)
        inner.addWidget(self.table)
        inner.addWidget(QLabel("<b>Key figures</b> (reference first)"))
        grid = QGridLayout()
        self.bars = {}
        for i, key in enumerate(HEADLINE):
            axis = CategoryAxis("left")
            plot = make_plot(f"compareBar_{key}", "", "", "", height=190)  # titled when drawn
            plot.getPlotItem().setAxisItems({"left": axis})
            self.bars[key] = (plot, axis)
            grid.addWidget(plot, i // 2, i % 2)
        inner.addLayout(grid)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Any key figure:"))
        self.figure_pick = QComboBox()
        self.figure_pick.setObjectName("compareFigure")
        self.figure_pick.currentIndexChanged.connect(lambda _i: self._draw_picked())
        pick.addWidget(self.figure_pick, 1)
        inner.addLayout(pick)
        self.any_axis = CategoryAxis("left")
        self.any_bar = make_plot("compareBarAny", "", "", "", height=190)
        self.any_bar.getPlotItem().setAxisItems({"left": self.any_axis})
        inner.addWidget(self.any_bar)

        energy = QHBoxLayout()
        energy.addWidget(QLabel("Monthly energy from:"))
        self.source_pick = QComboBox()
        self.source_pick.setObjectName("compareSource")
        self.source_pick.currentIndexChanged.connect(lambda _i: self._draw_monthly())
        energy.addWidget(self.source_pick, 1)
        inner.addLayout(energy)
        self.monthly = make_plot("compareMonthly", "Monthly energy by source", "month", "energy (MWh)")
        self.monthly.getPlotItem().getAxis("bottom").setTicks(
            [[(i, m) for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                             "Nov", "Dec"])]])
        inner.addWidget(self.monthly)
        self.cash = make_plot("compareCash", "Cumulative cash flow",
                              "year (0 = first compute, negative = construction)", "cumulative net cash (USD)")
        inner.addWidget(self.cash)
        inner.addWidget(QLabel("<b>Schedules</b> (months from the start; * on the critical path)"))
        self.schedules = make_table("compareSchedules", ["Task"])
        inner.addWidget(self.schedules)
        inner.addWidget(QLabel("<b>Checks</b> (export control, grid, power)"))
        self.checks = make_table("compareChecks", ["Check"])
        inner.addWidget(self.checks)
        inner.addWidget(QLabel("<b>Inputs that differ</b>"))
        self.diffs = make_table("compareDiffs", ["Input"])
        inner.addWidget(self.diffs)
        self.body.addWidget(self.results_box)
        self.body.addStretch(1)

    # ------------------------------------------------------------------ picking
    def set_document(self, document) -> None:
        if self.document is not document:
            self.data = None
        self.document = document
        self.refresh_picker()

    def refresh_picker(self, check: list[int] | None = None) -> None:
        checked = check if check is not None else self.checked_ids()
        self.picker.blockSignals(True)
        self.picker.clear()
        if self.document is not None:
            project = self.document.project
            sites = {s.id: s.name for s in project.sites()}
            by_id = {s.id: s for s in project.scenarios()}
            for info in project.scenarios():
                root = info
                while root.site_id is None and root.parent_id in by_id:
                    root = by_id[root.parent_id]
                item = QListWidgetItem(info.name)
                item.setToolTip(f"{info.name} — site: {sites.get(root.site_id, 'none')}")
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                item.setCheckState(Qt.CheckState.Checked if info.id in checked else Qt.CheckState.Unchecked)
                self.picker.addItem(item)
        self.picker.blockSignals(False)
        self._order = [i for i in checked if i in self._ids()]
        self._picked()

    def _ids(self) -> list[int]:
        return [self.picker.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.picker.count())]

    def checked_ids(self) -> list[int]:
        """Checked scenarios in the order they were checked (the first is the reference)."""
        order = getattr(self, "_order", [])
        now = {self.picker.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.picker.count())
               if self.picker.item(i).checkState() == Qt.CheckState.Checked}
        return [i for i in order if i in now] + [i for i in self._ids() if i in now and i not in order]

    def set_checked(self, ids: list[int]) -> None:
        self.refresh_picker(list(ids))

    def _picked(self) -> None:
        self._order = self.checked_ids()
        n = len(self._order)
        ok = MIN_SCENARIOS <= n <= MAX_SCENARIOS
        self.compare_button.setEnabled(ok and self.document is not None)
        self.regions_button.setEnabled(n >= 1 and self.document is not None and not self.document.read_only)
        self.message.setText("" if ok or n == 0 else
                             f"{n} checked: compare takes {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios.")

    # ------------------------------------------------------------------ running
    def run(self) -> None:
        if self.document is None:
            return
        project = self.document.project
        names = [project.scenario(i).name for i in self.checked_ids()]
        path = self.document.path
        self.heading.setText(f"Comparing {len(names)} scenarios…")
        self.compare_button.setEnabled(False)

        def work(_ctx):  # worker thread: as `aisite compare PATH --scenario ... --json` does
            from aisite.core.report.evaluated import from_project  # noqa: PLC0415

            return compare(from_project(path, names))
        self.runner.submit(LANE, work, supersede=True)

    def _done(self, outcome) -> None:
        if outcome.lane != LANE:
            return
        self._picked()
        if outcome.cancelled:
            return
        if outcome.error is not None:
            self.heading.setText(f"Cannot compare: {outcome.error}")
            return
        self.show_comparison(outcome.value)

    # ------------------------------------------------------------------ regions
    def regions_dialog(self) -> None:
        ids = self.checked_ids()
        if not ids or self.document is None:
            return
        project = self.document.project
        ref = project.scenario(ids[0])
        doc = project.effective_scenario(ref.id)
        catalogue = self._catalogue()
        dialog = QDialog(self)
        dialog.setWindowTitle("Same site in other regions")
        lay = QVBoxLayout(dialog)
        lay.addWidget(QLabel(f"Copy <b>{ref.name}</b> into these regions (up to {MAX_SCENARIOS - 1}):"))
        regions = QListWidget()
        regions.setObjectName("regionPicker")
        for rid, row in catalogue.tables["regions"].items():
            if rid == doc.get("region"):
                continue
            item = QListWidgetItem(str(row.get("name") or rid))
            item.setData(Qt.ItemDataRole.UserRole, rid)
            item.setCheckState(Qt.CheckState.Unchecked)
            regions.addItem(item)
        lay.addWidget(regions)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        lay.addWidget(buttons)
        self._region_dialog = (dialog, regions)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen = [regions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(regions.count())
                      if regions.item(i).checkState() == Qt.CheckState.Checked]
            self.same_site_in_regions(ref.id, chosen)

    def _catalogue(self):
        from aisite.core.catalogue import load_catalogue  # noqa: PLC0415

        return load_catalogue(self.document.project.user_catalogue() or None)

    def same_site_in_regions(self, scenario_id: int, region_ids: list[str]) -> list[int]:
        """One scenario per region (a variant when the site holds nothing tied to its place,
        else a copy without those inputs), in one undo step; then compare them."""
        if not region_ids:
            return []
        if len(region_ids) > MAX_SCENARIOS - 1:
            self.message.setText(f"Choose at most {MAX_SCENARIOS - 1} regions (compare shows {MAX_SCENARIOS}).")
            return []
        project = self.document.project
        info = project.scenario(scenario_id)
        doc = project.effective_scenario(scenario_id)
        copies = region_variants(doc, region_ids, self._catalogue())
        place_bound = [p for p in REGION_BOUND if _has(doc, p)]
        ops, taken = [], set()
        for rid, copy_doc in zip(region_ids, copies):
            name = unique_name(project, copy_doc["name"])
            while name in taken:
                name += " (2)"
            taken.add(name)
            if place_bound:
                ops.append(AddScenario(copy_doc, name, site_id=_site_of(project, info)))
            else:
                ops.append(DuplicateAsVariant(project, scenario_id, name, overrides={"region": rid}))
        try:
            self.document.push(Compound(ops, f"Copy {info.name!r} into {len(ops)} other region"
                                             f"{'s' if len(ops) != 1 else ''}"))
        except InputError as error:
            self.message.setText(f"Cannot copy into those regions: {error}")
            return []
        new_ids = [op.scenario_id for op in ops]
        self.set_checked([scenario_id] + new_ids)
        self.status.emit(f"Added {len(new_ids)} scenario{'s' if len(new_ids) != 1 else ''} in other regions"
                         + (f" (without {', '.join(place_bound)}, which belong to the old place)" if place_bound else ""))
        self.run()
        return new_ids

    # ------------------------------------------------------------------ showing
    def show_comparison(self, data: dict) -> None:
        self.data = data
        names = [s["name"] for s in data["scenarios"]]
        self.heading.setText(f"<b>{len(names)} scenarios</b>, deltas against <b>{names[0]}</b>")
        self.results_box.setVisible(True)
        # key figures: value, and under it the change against the reference
        self.table.setColumnCount(len(names) + 1)
        self.table.setHorizontalHeaderLabels(["Key figure"] + _distinct(names))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # every scenario fits the width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c, sc in enumerate(data["scenarios"]):
            self.table.horizontalHeaderItem(c + 1).setToolTip(f"{sc['name']}" + (f"\nsite: {sc['site']}" if sc["site"] else ""))
        self.table.setRowCount(len(data["figures"]))
        for r, row in enumerate(data["figures"]):
            self.table.setItem(r, 0, QTableWidgetItem(row["label"]))
            for c, (text, d) in enumerate(zip(row["formatted"], row["deltas"])):
                cell = text if d is None or d["verdict"] == "same" else f"{text}\n{d['text']}"
                item = QTableWidgetItem(cell)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if d is not None and d["verdict"] in VERDICT_COLOURS:
                    item.setForeground(QColor(VERDICT_COLOURS[d["verdict"]]))
                    item.setToolTip(d["verdict"])
                self.table.setItem(r, c + 1, item)
        self.table.resizeRowsToContents()
        self.table.setMinimumHeight(min(900, sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
                                        + self.table.horizontalHeader().height() + 8))
        by_key = {row["key"]: row for row in data["figures"]}
        for key, (plot, axis) in self.bars.items():
            self._bar(plot, axis, by_key.get(key), names)
        self.figure_pick.blockSignals(True)
        current = self.figure_pick.currentData()
        self.figure_pick.clear()
        for row in data["figures"]:
            self.figure_pick.addItem(row["label"], row["key"])
        self.figure_pick.setCurrentIndex(max(self.figure_pick.findData(current or "tco_usd"), 0))
        self.figure_pick.blockSignals(False)
        self._draw_picked()
        sources = [k for k in (data["monthly_mwh"][0] or {}) if any(
            np.any(np.asarray(m.get(k, [0])) > 0) for m in data["monthly_mwh"] if m)]
        self.source_pick.blockSignals(True)
        self.source_pick.clear()
        for s in sources:
            self.source_pick.addItem(s)
        self.source_pick.setCurrentIndex(max(self.source_pick.findText("Grid"), 0))
        self.source_pick.blockSignals(False)
        self._draw_monthly()
        self._draw_cash(names)
        self._fill_schedules(names)
        self._fill_checks(names)
        self.diffs.setColumnCount(len(names) + 1)
        self.diffs.setHorizontalHeaderLabels(["Input"] + _distinct(names))
        fill_table(self.diffs, [[d["path"]] + ["–" if v is None else _short(v) for v in d["values"]]
                                for d in data["differences"]])
        self.comparisonShown.emit()

    def _bar(self, plot, axis, row, names) -> None:
        item = plot.getPlotItem()
        item.clear()
        if row is None:
            item.setTitle("")
            return
        values = [v if isinstance(v, (int, float)) else np.nan for v in row["values"]]
        # short names on the axis; each bar carries its value in planners' units
        axis.set_names(_distinct(names, 14)[::-1])
        colours = [theme.CATEGORY_COLOURS[0]] + [
            VERDICT_COLOURS.get((d or {}).get("verdict"), theme.CATEGORY_COLOURS[6]) for d in row["deltas"][1:]]
        n = len(values)
        ys = list(range(n))[::-1]
        item.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=values,
                                     brushes=[theme.brush(c, 200) for c in colours]))
        for y, v, text in zip(ys, values, row["formatted"]):
            if np.isfinite(v):
                label = pg.TextItem(text, color=theme.foreground(), anchor=(0, 0.5))
                label.setPos(0, y)
                item.addItem(label)
        from aisite.core.analyses import result_unit  # noqa: PLC0415

        unit = result_unit(row["key"]) or row["label"]
        item.setTitle(row["label"], color=theme.foreground().name(), size="10pt")
        item.getAxis("bottom").setLabel(unit)

    def _draw_picked(self) -> None:
        if not self.data:
            return
        key = self.figure_pick.currentData()
        row = next((r for r in self.data["figures"] if r["key"] == key), None)
        self._bar(self.any_bar, self.any_axis, row, [s["name"] for s in self.data["scenarios"]])

    def _draw_monthly(self) -> None:
        item = self.monthly.getPlotItem()
        item.clear()
        if not self.data:
            return
        source = self.source_pick.currentText()
        if item.legend is None:
            theme.style_legend(item.addLegend(offset=(-8, 8)))
        item.legend.clear()
        labels = _distinct([sc["name"] for sc in self.data["scenarios"]], 30)
        for i, (s, m) in enumerate(zip(self.data["scenarios"], self.data["monthly_mwh"])):
            if not m or source not in m:
                continue
            colour = theme.CATEGORY_COLOURS[i % len(theme.CATEGORY_COLOURS)]
            item.plot(list(range(12)), m[source], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                      symbolBrush=colour, name=labels[i])
        item.setTitle(f"Monthly energy from {source.lower()}", color=theme.foreground().name(), size="11pt")

    def _draw_cash(self, names) -> None:
        item = self.cash.getPlotItem()
        item.clear()
        if item.legend is None:
            theme.style_legend(item.addLegend(offset=(8, 8)))
        item.legend.clear()
        for i, (name, cf) in enumerate(zip(_distinct(names, 30), self.data["cash_flow"])):
            colour = theme.CATEGORY_COLOURS[i % len(theme.CATEGORY_COLOURS)]
            # from the first construction spend (negative years), so a later first compute shows
            item.plot(cf["timeline_year"], cf["timeline_cumulative_usd"], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                      symbolBrush=colour, name=name)
        item.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(theme.foreground(), width=1)))

    def _fill_schedules(self, names) -> None:
        tasks: list[tuple[str, str]] = []
        for s in self.data["schedules"]:
            for t in s.get("tasks") or []:
                if (t["id"], t["name"]) not in tasks:
                    tasks.append((t["id"], t["name"]))
        rows = [["First compute"] + [months(s.get("first_compute_month")) for s in self.data["schedules"]],
                ["Full capacity"] + [months(s.get("full_capacity_month")) for s in self.data["schedules"]]]
        for tid, tname in tasks:
            row = [tname]
            for s in self.data["schedules"]:
                t = next((t for t in s.get("tasks") or [] if t["id"] == tid), None)
                row.append("–" if t is None else
                           f"{t['start_month']:.0f}–{t['end_month']:.0f}{' *' if t.get('critical') else ''}")
            rows.append(row)
        self.schedules.setColumnCount(len(names) + 1)
        self.schedules.setHorizontalHeaderLabels(["Task"] + _distinct(names))
        fill_table(self.schedules, rows)

    def _fill_checks(self, names) -> None:
        codes: list[str] = []
        for cs in self.data["checks"]:
            for c in cs:
                if c["code"] not in codes:
                    codes.append(c["code"])
        rows = []
        for code in codes:
            row = [code]
            for cs in self.data["checks"]:
                c = next((c for c in cs if c["code"] == code), None)
                row.append("passes" if c is None else f"{c['severity']}: {c['message'][:60]}")
            rows.append(row)
        if not rows:
            rows = [["every check"] + ["passes"] * len(names)]
        self.checks.setColumnCount(len(names) + 1)
        self.checks.setHorizontalHeaderLabels(["Check"] + _distinct(names))
        fill_table(self.checks, rows)
        for r in range(self.checks.rowCount()):
            for c in range(1, self.checks.columnCount()):
                item = self.checks.item(r, c)
                if item is not None and item.text() != "passes":
                    item.setForeground(QColor(theme.SEVERITY_COLOURS.get(item.text().split(":")[0], theme.ERROR_TEXT)))
                    item.setToolTip(item.text())


def _has(doc: dict, path: str) -> bool:
    try:
        return get_path(doc, path) is not None
    except (InputError, KeyError, IndexError, TypeError):
        return False


def _site_of(project, info):
    by_id = {s.id: s for s in project.scenarios()}
    while info.site_id is None and info.parent_id in by_id:
        info = by_id[info.parent_id]
    return info.site_id


def _short(value, width: int = 40) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _distinct(names: list[str], width: int = 22) -> list[str]:
    """Column titles that tell the scenarios apart in little room: a prefix every name
    shares ("Nordic sovereign AI site in …") is shown once, in the first."""
    prefix = names[0]
    for n in names[1:]:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    whole_words = all(len(n) == len(prefix) or n[len(prefix)] == " " for n in names)
    cut = (len(prefix) if whole_words else prefix.rfind(" ") + 1) if len(prefix) >= 8 else 0
    out = []
    for i, n in enumerate(names):
        shown = n if i == 0 or cut == 0 or len(n) <= cut else "…" + n[cut:].strip()
        out.append(f"{i + 1}. {_short(shown, width)}")
    return out
