"""Tornado: each uncertain input at its low and high, bars of the chosen result in its
units around the scenario's own value (`aisite tornado`)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox

from aisite.app import theme
from aisite.app.analyses.base import AnalysisView, fill_table, make_plot, make_table
from aisite.app.analyses.montecarlo_view import DEFAULTS_CHOICES
from aisite.app.dashboard import CategoryAxis
from aisite.core.analyses import plain_number, result_label, result_unit
from aisite.core.commands.montecarlo_cmd import SHOWN
from aisite.core.units import result_value

LOW, HIGH = "#0072B2", "#D55E00"


class TornadoView(AnalysisView):
    kind = "tornado"

    def build(self) -> None:
        self.result = QComboBox()
        self.result.setObjectName("tornado_result")
        for key in ("cost.npv_cost_usd",) + tuple(k for k in SHOWN if k != "cost.npv_cost_usd"):
            self.result.addItem(f"{result_label(key)} ({key})", key)
        self.ranges = QComboBox()
        self.ranges.setObjectName("tornado_defaults")
        for value, text in DEFAULTS_CHOICES:
            self.ranges.addItem(text, value)
        self.add_field(0, 0, "Result", self.result)
        self.add_field(0, 1, "Ranges", self.ranges, "Which uncertain inputs to vary (defaults: data/uncertainty.csv)")
        self.axis = CategoryAxis("left")
        self.plot = make_plot("tornadoChart", "Tornado", "result", "", height=340)
        self.plot.getPlotItem().setAxisItems({"left": self.axis})
        self.results_layout.addWidget(self.plot)
        self.table = make_table("tornadoTable", ["Input", "Low", "High", "Result at low", "Result at high", "Swing"])
        self.results_layout.addWidget(self.table)

    def definition(self) -> dict:
        return {"result": self.result.currentData(), "defaults": self.ranges.currentData()}

    def load_definition(self, d: dict) -> None:
        i = self.result.findData(d.get("result"))
        self.result.setCurrentIndex(max(i, 0))
        self.ranges.setCurrentIndex(max(self.ranges.findData(d.get("defaults", "auto")), 0))

    def show_result(self, summary: dict, arrays: dict) -> None:
        self.summary = summary
        key, base = summary["result"], summary.get("base")
        bars = summary["bars"]
        item = self.plot.getPlotItem()
        item.clear()
        names = [b["path"] for b in reversed(bars)]  # largest swing on top
        self.axis.set_names(names)
        if item.legend is None:
            theme.style_legend(item.addLegend(offset=(-8, -8)))
        item.legend.clear()
        lows, highs = [], []
        for i, b in enumerate(reversed(bars)):
            for value, colour, store in ((b["low_result"], LOW, lows), (b["high_result"], HIGH, highs)):
                if value is None or base is None:
                    continue
                store.append((i, value))
        for store, colour, name in ((lows, LOW, "input at its low"), (highs, HIGH, "input at its high")):
            if not store:
                continue
            ys = [i for i, _ in store]
            x0 = [min(base, v) for _, v in store]
            widths = [abs(v - base) for _, v in store]
            bar = pg.BarGraphItem(x0=x0, y=ys, height=0.35, width=widths,
                                  brush=theme.brush(colour, 210), pen=pg.mkPen(colour))
            bar.setPos(0, -0.18 if name.endswith("low") else 0.18)
            item.addItem(bar)
            item.legend.addItem(bar, name)
        if base is not None:
            item.addItem(pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen(theme.foreground(), width=1)))
        fg = theme.foreground().name()
        still = all(not b.get("swing") for b in bars)
        item.setTitle(f"{result_label(key)}: swing by input (base {result_value(key, base)})"
                      + (" — none of these inputs moves it" if still else ""), color=fg, size="11pt")
        item.getAxis("bottom").setLabel(f"{result_label(key)} ({result_unit(key, base)})")
        self.plot.setMinimumHeight(max(240, 40 * len(bars) + 90))
        rows = []
        for b in bars:
            f = (lambda v: "n/a" if v is None else result_value(key, v))
            rows.append([b["path"], plain_number(b["low_input"]), plain_number(b["high_input"]), f(b["low_result"]),
                         f(b["high_result"]), f(b["swing"])])
        fill_table(self.table, rows)
