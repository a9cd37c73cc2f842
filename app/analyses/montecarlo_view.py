"""Monte Carlo: histogram and cumulative curve of a chosen result with P10/P50/P90, the
percentile table of the key figures, the uncertain inputs and which drive the spread."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSpinBox

from aisite.app import theme
from aisite.app.analyses.base import AnalysisView, fill_table, make_plot, make_table
from aisite.app.analyses.uncertain_editor import UncertainInputsEditor
from aisite.core.analyses import montecarlo_view, plain_number, result_label, result_unit
from aisite.core.commands.montecarlo_cmd import SHOWN
from aisite.core.units import result_value

DEFAULTS_CHOICES = [("auto", "scenario's own, else shipped"),  # short: the combo shares a row at 1366 px
                    ("add", "scenario's own + shipped"),
                    ("none", "only the scenario's own")]
QUANTILE_COLOURS = {"P10": "#0072B2", "P50": "#000000", "P90": "#D55E00"}


class MonteCarloView(AnalysisView):
    kind = "montecarlo"

    def build(self) -> None:
        self.samples = QSpinBox()
        self.samples.setObjectName("mc_samples")
        self.samples.setRange(10, 100_000)
        self.samples.setSingleStep(500)
        self.samples.setGroupSeparatorShown(True)
        self.seed = QSpinBox()
        self.seed.setObjectName("mc_seed")
        self.seed.setRange(0, 2_000_000_000)
        self.ranges = QComboBox()
        self.ranges.setObjectName("mc_defaults")
        for value, text in DEFAULTS_CHOICES:
            self.ranges.addItem(text, value)
        self.result = QComboBox()
        self.result.setObjectName("mc_result")
        for key in SHOWN:
            self.result.addItem(f"{result_label(key)} ({key})", key)
        self.result.currentIndexChanged.connect(lambda _i: self._draw())
        self.add_field(0, 0, "Samples", self.samples, "How many whole-year samples of the site")
        self.add_field(0, 1, "Seed", self.seed, "The same seed gives the same numbers (as aisite montecarlo --seed)")
        self.add_field(1, 0, "Ranges", self.ranges,
                       "Which ranges to sample: the scenario's own uncertain inputs (listed below), the shipped "
                       "default ranges (data/uncertainty.csv), or both")
        self.add_field(1, 1, "Result", self.result, "The result shown in the charts and ranked against the inputs")

        self.uncertain = UncertainInputsEditor()
        self.results_layout.addWidget(self.uncertain)

        charts = QGridLayout()
        self.hist = make_plot("mcHistogram", "Distribution", "result", "samples")
        self.cdf = make_plot("mcCumulative", "Cumulative probability", "result", "share of samples (%)")
        charts.addWidget(self.hist, 0, 0)
        charts.addWidget(self.cdf, 0, 1)
        self.results_layout.addLayout(charts)
        self.quantiles = QLabel("")
        self.quantiles.setObjectName("mcQuantiles")
        self.results_layout.addWidget(self.quantiles)
        self.results_layout.addWidget(QLabel("<b>Inputs that drive the spread</b> (Spearman rank correlation "
                                             "with the result above)"))
        self.drivers = make_table("mcDrivers", ["Uncertain input", "Distribution", "Correlation"])
        self.results_layout.addWidget(self.drivers)
        self.results_layout.addWidget(QLabel("<b>Percentiles of the key figures</b>"))
        self.table = make_table("mcPercentiles", ["Result", "P10", "P50", "P90", "Mean"])
        self.results_layout.addWidget(self.table)

    def definition(self) -> dict:
        return {"samples": self.samples.value(), "seed": self.seed.value(),
                "defaults": self.ranges.currentData(), "result": self.result.currentData()}

    def load_definition(self, d: dict) -> None:
        self.samples.setValue(int(d.get("samples", 1000)))
        self.seed.setValue(int(d.get("seed", 0)))
        self.ranges.setCurrentIndex(max(self.ranges.findData(d.get("defaults", "auto")), 0))
        i = self.result.findData(d.get("result"))
        if i < 0 and d.get("result"):
            self.result.addItem(d["result"], d["result"])
            i = self.result.count() - 1
        self.result.setCurrentIndex(max(i, 0))

    def show_result(self, summary: dict, arrays: dict) -> None:
        self.summary, self.arrays = summary, arrays
        self.view = montecarlo_view(summary, arrays)
        stats = summary.get("results", {})
        rows = []
        for key in SHOWN:
            s = stats.get(key)
            if not s or not s.get("count"):
                continue
            rows.append([result_label(key)] + [result_value(key, s[q]) for q in ("p10", "p50", "p90", "mean")])
        fill_table(self.table, rows)
        self._draw()

    def _draw(self) -> None:
        for plot in (self.hist, self.cdf):
            plot.getPlotItem().clear()
        if not self.summary:
            return
        key = self.result.currentData()
        s = self.summary.get("results", {}).get(key)
        values = self.view.results.get(key) if hasattr(self, "view") else None
        label = result_label(key)
        unit = result_unit(key, s['p50']) if s and s.get('count') else ''
        for plot, title in ((self.hist, f"Distribution of {label}"), (self.cdf, f"{label}: cumulative")):
            plot.getPlotItem().setTitle(title, color=theme.foreground().name(), size="11pt")
            plot.getPlotItem().getAxis("bottom").setLabel(f"{label}{f' ({unit})' if unit else ''}")
        if not s or not s.get("count") or values is None:
            self.quantiles.setText(f"{label} does not apply to this scenario.")
            self.drivers.setRowCount(0)
            return
        if s["max"] - s["min"] <= 1e-9 * max(abs(s["max"]), 1.0):
            self.quantiles.setText(f"{label} is {result_value(key, s['p50'])} in every one of the {s['count']:,} "
                                   "samples: none of the uncertain inputs moves it.")
            self._fill_drivers(key)
            return
        edges = np.asarray(s["histogram"]["edges"], dtype=float)
        counts = np.asarray(s["histogram"]["counts"], dtype=float)
        if len(edges) == len(counts) + 1 and len(counts):
            widths = np.diff(edges)
            widths = np.where(widths > 0, widths, max(abs(edges[0]) * 0.01, 1e-9))
            self.hist.addItem(pg.BarGraphItem(x0=edges[:-1], width=widths, height=counts,
                                              brush=theme.brush("#4C78A8", 200), pen=pg.mkPen(theme.background())))
        finite = np.sort(values[np.isfinite(values)])
        if finite.size:
            share = np.arange(1, finite.size + 1) / finite.size * 100.0
            self.cdf.plot(finite, share, pen=pg.mkPen("#4C78A8", width=2), stepMode=None)
        for name in ("P10", "P50", "P90"):
            x = s[name.lower()]
            for plot in (self.hist, self.cdf):
                line = pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(QUANTILE_COLOURS[name], width=2,
                                                                      style=pg.QtCore.Qt.PenStyle.DashLine),
                                       label=name, labelOpts={"position": 0.92, "color": QUANTILE_COLOURS[name]})
                plot.addItem(line)
        self.quantiles.setText(
            f"{label}: P10 {result_value(key, s['p10'])}, P50 {result_value(key, s['p50'])}, "
            f"P90 {result_value(key, s['p90'])} over {s['count']:,} samples (seed {self.summary.get('seed')}).")
        self._fill_drivers(key)

    def _fill_drivers(self, key: str) -> None:
        inputs = {i["path"]: i for i in self.summary.get("inputs", [])}
        rows = []
        for c in self.view.correlations(key):
            u = inputs.get(c["path"], {})
            rng = _range_text(u)
            r = c["spearman"]
            rows.append([c["path"], rng, "–" if r is None else f"{r:+.2f}"])
        fill_table(self.drivers, rows)


def _range_text(u: dict) -> str:
    dist = u.get("dist") or u.get("distribution") or ""
    lo, hi = u.get("low"), u.get("high")
    if lo is None or hi is None:
        return dist
    return f"{dist} {plain_number(lo)} – {plain_number(hi)}".strip()
