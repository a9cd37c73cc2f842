"""Sweep: one input (a line per chosen result) or two (a heatmap with a colour bar and the
contour of a threshold the planner types), over `aisite sweep`."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QListWidget, QListWidgetItem

from aisite.app import theme
from aisite.app.analyses.base import AnalysisView, fill_table, make_plot, make_table
from aisite.core.analyses import input_paths, result_label, result_unit
from aisite.core.errors import InputError
from aisite.core.explore.sweep import DEFAULT_KEYS, parse_values
from aisite.core.units import result_value


def _values_text(values: list[float]) -> str:
    return ",".join(f"{v:g}" for v in values)


class SweepView(AnalysisView):
    kind = "sweep"

    def build(self) -> None:
        self.param1 = self._path_box("sweep_param1")
        self.values1 = QLineEdit()
        self.values1.setObjectName("sweep_values1")
        self.values1.setPlaceholderText("0:500:50 or 100,200,300")
        self.two = QCheckBox("Second input (heatmap)")
        self.two.setObjectName("sweep_two")
        self.param2 = self._path_box("sweep_param2")
        self.values2 = QLineEdit()
        self.values2.setObjectName("sweep_values2")
        self.values2.setPlaceholderText("e.g. 0.3:0.5:0.05")
        self.two.toggled.connect(self._two_toggled)
        self.keys = QListWidget()
        self.keys.setObjectName("sweep_keys")
        self.keys.setMaximumHeight(90)
        self.keys.setMinimumWidth(120)
        for key in DEFAULT_KEYS + ("cost.tco_usd", "energy.water_m3_per_year", "energy.unserved_mwh"):
            item = QListWidgetItem(f"{result_label(key)} ({key})")
            item.setData(256, key)
            item.setCheckState(pg.QtCore.Qt.CheckState.Unchecked)
            self.keys.addItem(item)
        self.keys.itemChanged.connect(lambda _i: self._draw())
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("sweep_threshold")
        self.threshold.setRange(-1e15, 1e15)
        self.threshold.setDecimals(3)
        self.threshold.setToolTip("The heatmap outlines where the first result crosses this value")
        self.threshold.valueChanged.connect(lambda _v: self._draw())
        self.add_field(0, 0, "Input", self.param1, "A numeric input path, as `aisite sweep --param`")
        self.add_field(0, 1, "Values", self.values1, "A list 100,200,300 or a range START:STOP:STEP")
        self.form.addWidget(self.two, 1, 0, 1, 2)
        self.add_field(2, 0, "Second input", self.param2)
        self.add_field(2, 1, "Values", self.values2)
        self.add_field(3, 0, "Results", self.keys, "Lines for a 1-D sweep; the first checked one is the heatmap")
        self.add_field(3, 1, "Threshold", self.threshold)
        self.form.setColumnStretch(1, 1)
        self.form.setColumnStretch(3, 1)
        self.plot = make_plot("sweepChart", "Sweep", "input", "result", height=320)
        for side in ("bottom", "left"):  # inputs read as typed (0.35, not 350 x0.001)
            self.plot.getPlotItem().getAxis(side).enableAutoSIPrefix(False)
        self.results_layout.addWidget(self.plot)
        self.table = make_table("sweepTable", ["Point"])
        self.results_layout.addWidget(self.table)
        self._two_toggled(False)

    def _path_box(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.setEditable(True)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(18)
        return box

    def set_scenario_doc(self, doc: dict | None) -> None:
        super().set_scenario_doc(doc)
        for box in (self.param1, self.param2):
            current = box.currentText()
            box.clear()
            for path, label in input_paths(doc or {}):
                box.addItem(path, label)
                box.setItemData(box.count() - 1, label, pg.QtCore.Qt.ItemDataRole.ToolTipRole)
            box.setEditText(current)

    def _input_label(self, path: str) -> str:
        labels = dict(input_paths(self.scenario_doc or {}))
        return f"{labels[path]} ({path})" if path in labels else path

    def _two_toggled(self, on: bool) -> None:
        kind = "sweep2d" if on else "sweep"
        if kind != self.kind and self.sender() is self.two:  # start the new shape from its defaults
            self.kind = kind
            self.load_definition(self.defaults())
        self.kind = kind
        for w in (self.param2, self.values2, self.threshold):
            w.setEnabled(on)

    def checked_keys(self) -> list[str]:
        return [self.keys.item(i).data(256) for i in range(self.keys.count())
                if self.keys.item(i).checkState() == pg.QtCore.Qt.CheckState.Checked]

    def definition(self) -> dict:
        params = [self.param1.currentText().strip()]
        values = [parse_values(self.values1.text(), "values")]
        if self.two.isChecked():
            params.append(self.param2.currentText().strip())
            values.append(parse_values(self.values2.text(), "second values"))
        keys = self.checked_keys()
        if not keys:
            raise InputError("results", "check at least one result to show")
        return {"params": params, "values": values, "keys": keys}

    def load_definition(self, d: dict) -> None:
        params, values = d.get("params", []), d.get("values", [])
        self.two.blockSignals(True)
        self.two.setChecked(len(params) > 1)
        self.two.blockSignals(False)
        self._two_toggled(len(params) > 1)
        if params:
            self.param1.setEditText(params[0])
            self.values1.setText(_values_text(values[0]))
        if len(params) > 1:
            self.param2.setEditText(params[1])
            self.values2.setText(_values_text(values[1]))
        wanted = set(d.get("keys") or [])
        self.keys.blockSignals(True)
        for i in range(self.keys.count()):
            item = self.keys.item(i)
            item.setCheckState(pg.QtCore.Qt.CheckState.Checked if item.data(256) in wanted
                               else pg.QtCore.Qt.CheckState.Unchecked)
        self.keys.blockSignals(False)

    def show_result(self, summary: dict, arrays: dict) -> None:
        self.summary = summary
        cols = summary["columns"]
        self.table.setColumnCount(len(cols))
        params = summary["params"]
        self.table.setHorizontalHeaderLabels([result_label(c) if c not in params else c for c in cols])
        fill_table(self.table, [[result_value(c, row.get(c)) if c not in params else f"{row.get(c):,.6g}"
                                 for c in cols] for row in summary["rows"]])
        if len(params) == 2 and self.threshold.value() == 0:
            key = next((c for c in cols if c not in params), None)
            vals = [r.get(key) for r in summary["rows"] if isinstance(r.get(key), (int, float))]
            if vals:
                self.threshold.blockSignals(True)
                self.threshold.setValue(float(np.median(vals)))
                self.threshold.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        for child in list(self.plot.scene().items()):
            if isinstance(child, pg.ColorBarItem):
                self.plot.scene().removeItem(child)
        if hasattr(self, "_bar") and self._bar is not None:
            item.layout.removeItem(self._bar)
            self._bar = None
        if not self.summary:
            return
        params = self.summary["params"]
        keys = [c for c in self.summary["columns"] if c not in params]
        rows = self.summary["rows"]
        fg = theme.foreground().name()
        if len(params) == 1:
            x = np.array([r[params[0]] for r in rows], dtype=float)
            shown = [k for k in self.checked_keys() if k in keys] or keys[:1]
            if item.legend is None:
                theme.style_legend(item.addLegend(offset=(8, 8)))
            item.legend.clear()
            for i, key in enumerate(shown):
                y = np.array([np.nan if r.get(key) is None else r[key] for r in rows], dtype=float)
                # each result on its own scale would hide the others: show share of its own range
                colour = theme.CATEGORY_COLOURS[i % len(theme.CATEGORY_COLOURS)]
                if len(shown) > 1:
                    lo, hi = np.nanmin(y), np.nanmax(y)
                    y = (y - lo) / (hi - lo) * 100.0 if hi > lo else y * 0 + 50.0
                    name = f"{result_label(key)} ({result_value(key, lo)} – {result_value(key, hi)})"
                else:
                    name = result_label(key)
                item.plot(x, y, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5, symbolBrush=colour, name=name)
            ylab = ("share of each result's range (%)" if len(shown) > 1 else
                    f"{result_label(shown[0])} ({_unit(shown[0], rows)})")
            item.setTitle(f"Sweep of {_short(params[0])}", color=fg, size="11pt")
            item.getAxis("bottom").setLabel(self._input_label(params[0]))
            item.getAxis("left").setLabel(ylab)
            return
        key = next((k for k in self.checked_keys() if k in keys), keys[0])
        xs = sorted({r[params[0]] for r in rows})
        ys = sorted({r[params[1]] for r in rows})
        grid = np.full((len(xs), len(ys)), np.nan)
        for r in rows:
            v = r.get(key)
            if isinstance(v, (int, float)):
                grid[xs.index(r[params[0]]), ys.index(r[params[1]])] = v
        x0, x1 = xs[0], xs[-1]
        y0, y1 = ys[0], ys[-1]
        dx = (x1 - x0) / max(len(xs) - 1, 1) or 1.0
        dy = (y1 - y0) / max(len(ys) - 1, 1) or 1.0
        image = pg.ImageItem(grid)
        image.setRect(pg.QtCore.QRectF(x0 - dx / 2, y0 - dy / 2, dx * len(xs), dy * len(ys)))
        item.addItem(image)
        finite = grid[np.isfinite(grid)]
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
            if hi <= lo:
                hi = lo + 1.0
            self._bar = pg.ColorBarItem(values=(lo, hi), colorMap=pg.colormap.get("viridis"), interactive=False,
                                        label=f"{result_label(key)} ({_unit(key, rows)})")
            self._bar.setImageItem(image, insert_in=item)
            level = self.threshold.value()
            if lo < level < hi:
                # contour on the point grid, drawn in data coordinates
                iso = pg.IsocurveItem(data=np.nan_to_num(grid, nan=lo), level=level,
                                      pen=pg.mkPen("#FFFFFF", width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
                iso.setParentItem(image)
                iso.setTransform(pg.QtGui.QTransform().translate(0.5, 0.5))
        item.setTitle(f"{result_label(key)} (dashed: {result_value(key, self.threshold.value())})",
                      color=fg, size="11pt")
        item.getAxis("bottom").setLabel(self._input_label(params[0]))
        item.getAxis("left").setLabel(self._input_label(params[1]))


def _unit(key: str, rows: list[dict]) -> str:
    return result_unit(key, next((r.get(key) for r in rows if isinstance(r.get(key), (int, float))), None))


def _short(path: str) -> str:
    return path if len(path) <= 32 else "…" + path[-31:]
