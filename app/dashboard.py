"""The results dashboard: key-figure cards and pyqtgraph charts of one evaluation.

It only presents: every number comes from core.evaluate's Result (summary, hourly
series, monthly energy) and is formatted by core.units, as `aisite evaluate` does.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import theme
from core.units import KEY_FIGURES

HOURS_PER_WEEK = 168
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CAPEX_LABELS = {"accelerators": "Accelerators", "servers": "Servers", "network": "Network",
                "storage": "Storage", "facility": "Facility", "onsite_power": "On-site power",
                "grid_connection": "Grid connection"}
OPEX_LABELS = {"energy": "Energy", "fuel": "Fuel", "om": "O&M", "hardware_support": "Hardware support",
               "staff": "Staff", "lease": "Lease"}
# Hourly series behind each supply colour in the dispatch chart (gross output).
DISPATCH_SERIES = [("Solar", "solar_mw"), ("Wind", "wind_mw"), ("Battery", "battery_discharge_mw"),
                   ("On-site firm", "firm_mw"), ("Grid", "grid_mw"), ("Backup", "backup_mw"),
                   ("Unserved", "unserved_mw")]


class KeyFigureCard(QFrame):
    def __init__(self, section: str, key: str, label: str, parent=None):
        super().__init__(parent)
        self.section, self.key = section, key
        self.setObjectName(f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("card", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        self.title = QLabel(label)
        self.title.setProperty("cardTitle", True)
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class ChartBox(QFrame):
    """A titled chart with optional controls above it."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName(f"{name}_plot")
        self.plot.setMinimumHeight(270)
        self.plot.setAntialiasing(True)
        self.layout_.addWidget(self.plot)
        self.legend = None

    def add_legend(self, **kwargs) -> pg.LegendItem:
        self.legend = self.plot.getPlotItem().addLegend(offset=(8, 8), **kwargs)
        return self.legend


class CategoryAxis(pg.AxisItem):
    """An axis that shows category names at integer positions."""

    def __init__(self, orientation="left"):
        super().__init__(orientation)
        self.names: list[str] = []

    def set_names(self, names: list[str]) -> None:
        self.names = list(names)
        self.setTicks([[(i, n) for i, n in enumerate(self.names)]])


class ResultsDashboard(QWidget):
    """Key figures and charts. `show_result(result)` updates everything in place."""

    weekChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ResultsDashboard")
        self.result = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("resultsBanner")
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(10, 6, 10, 6)
        self.banner.hide()
        outer.addWidget(self.banner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self.body = QWidget()
        scroll.setWidget(self.body)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(10, 10, 10, 10)
        body.setSpacing(10)
        self.heading = QLabel("No results yet")
        hf = QFont(self.heading.font())
        hf.setPointSizeF(hf.pointSizeF() * 1.3)
        hf.setBold(True)
        self.heading.setFont(hf)
        body.addWidget(self.heading)

        self.cards: dict[str, KeyFigureCard] = {}
        self._card_grid = QGridLayout()
        self._card_grid.setSpacing(8)
        body.addLayout(self._card_grid)
        for section, key, label, _fmt in KEY_FIGURES:
            self.cards[key] = KeyFigureCard(section, key, label)
        self._columns = 0

        charts = QGridLayout()
        charts.setSpacing(10)
        body.addLayout(charts)
        self.dispatch = ChartBox("dispatchChart")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Week of the typical year:"))
        self.week = QSpinBox()
        self.week.setObjectName("weekSpin")
        self.week.setRange(1, 52)
        self.week.setValue(29)
        self.week.setToolTip("Which week the hourly dispatch chart shows (1 = first week of January)")
        self.week.valueChanged.connect(self._draw_dispatch)
        self.week.valueChanged.connect(self.weekChanged)
        controls.addWidget(self.week)
        self.week_dates = QLabel()
        controls.addWidget(self.week_dates)
        controls.addStretch(1)
        self.dispatch.layout_.insertLayout(0, controls)
        self.monthly = ChartBox("monthlyChart")
        self.capex_axis = CategoryAxis("left")
        self.opex_axis = CategoryAxis("left")
        self.task_axis = CategoryAxis("left")
        self.capex = self._category_chart("capexChart", self.capex_axis)
        self.opex = self._category_chart("opexChart", self.opex_axis)
        self.gantt = self._category_chart("ganttChart", self.task_axis)
        self.pue = ChartBox("pueChart")
        charts.addWidget(self.dispatch, 0, 0, 1, 2)
        charts.addWidget(self.monthly, 1, 0)
        charts.addWidget(self.pue, 1, 1)
        charts.addWidget(self.capex, 2, 0)
        charts.addWidget(self.opex, 2, 1)
        charts.addWidget(self.gantt, 3, 0, 1, 2)
        self.dispatch.plot.setMinimumHeight(300)
        self.gantt.plot.setMinimumHeight(300)
        body.addStretch(1)
        self._setup_charts()
        self._relayout_cards()

    # ------------------------------------------------------------------ setup
    def _category_chart(self, name: str, axis: CategoryAxis) -> ChartBox:
        box = ChartBox.__new__(ChartBox)
        QFrame.__init__(box)
        box.setObjectName(name)
        box.layout_ = QVBoxLayout(box)
        box.layout_.setContentsMargins(0, 0, 0, 0)
        box.plot = pg.PlotWidget(axisItems={"left": axis})
        box.plot.setObjectName(f"{name}_plot")
        box.plot.setMinimumHeight(270)
        box.plot.setAntialiasing(True)
        box.layout_.addWidget(box.plot)
        box.legend = None
        return box

    def _setup_charts(self) -> None:
        theme.style_plot(self.dispatch.plot, "Hourly supply by source (stacked) and facility load",
                         "Day of the typical year (hourly)", "Power (MW)")
        theme.style_plot(self.monthly.plot, "Energy by source per month", "Month", "Energy (GWh)")
        theme.style_plot(self.capex.plot, "Capital cost by category", "Capex ($M)", "")
        theme.style_plot(self.opex.plot, "Operating cost per year by category", "Opex ($M per year)", "")
        theme.style_plot(self.gantt.plot, "Schedule (critical path in red)", "Months from project start", "")
        theme.style_plot(self.pue.plot, "PUE against ambient temperature (hourly)",
                         "Ambient temperature (°C)", "PUE")
        for box in (self.capex, self.opex, self.gantt):
            box.plot.getPlotItem().showGrid(x=True, y=False, alpha=0.15)
            box.plot.getPlotItem().getViewBox().invertY(True)
        self.monthly.plot.getPlotItem().getAxis("bottom").setTicks([[(i, m) for i, m in enumerate(MONTHS)]])
        for box in (self.dispatch, self.monthly, self.capex, self.opex, self.gantt, self.pue):
            box.plot.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
            box.plot.getPlotItem().hideButtons()

    def apply_palette(self) -> None:
        """Re-style the charts after the application palette changed."""
        self._setup_charts()
        if self.result is not None:
            self.show_result(self.result)

    def resizeEvent(self, event):  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._relayout_cards()

    def _relayout_cards(self) -> None:
        width = max(self.width() - 40, 300)
        columns = max(2, min(6, width // 190))
        visible = [c for c in self.cards.values() if not c.isHidden() or self._columns == 0]
        if columns == self._columns and self._card_grid.count() == len(visible):
            return
        self._columns = columns
        while self._card_grid.count():
            self._card_grid.takeAt(0)
        shown = [c for c in self.cards.values() if c.property("applies") is not False]
        for i, card in enumerate(shown):
            self._card_grid.addWidget(card, i // columns, i % columns)
        for c in range(6):
            self._card_grid.setColumnStretch(c, 1 if c < columns else 0)

    # ------------------------------------------------------------------ data
    def show_message(self, text: str, severity: str = "error") -> None:
        """A banner above the figures (e.g. the scenario cannot be evaluated)."""
        if not text:
            self.banner.hide()
            return
        colour = theme.SEVERITY_COLOURS.get(severity, theme.ERROR_TEXT)
        self.banner.setStyleSheet(f"QLabel#resultsBanner {{ border-left: 4px solid {colour}; }}")
        self.banner.setText(text)
        self.banner.show()

    def clear(self, heading: str = "No results yet") -> None:
        self.result = None
        self.heading.setText(heading)
        for card in self.cards.values():
            card.value.setText("–")
        for box in (self.dispatch, self.monthly, self.capex, self.opex, self.gantt, self.pue):
            box.plot.getPlotItem().clear()
            if box.legend is not None:
                box.legend.clear()

    def card_texts(self) -> dict[str, tuple[str, str]]:
        """{key: (label, value)} of the cards shown (for tests and copy)."""
        return {k: (c.title.text(), c.value.text()) for k, c in self.cards.items()
                if c.property("applies") is not False}

    def show_result(self, result) -> None:
        from app import boolguard  # noqa: PLC0415 - see boolguard: PySide6/pyqtgraph refcount bug

        boolguard.top_up()
        self.result = result
        s = result.summary
        self.heading.setText(f"Results: {s.get('scenario', '')}")
        changed = False
        for section, key, _label, fmt in KEY_FIGURES:
            card = self.cards[key]
            value = s.get(section, {}).get(key)
            applies = value is not None
            if (card.property("applies") is not False) != applies:
                changed = True
            card.setProperty("applies", applies)
            card.setVisible(applies)
            card.value.setText(fmt(value) if applies else "–")
        if changed:
            self._columns = 0
            self._relayout_cards()
        self._draw_dispatch()
        self._draw_monthly()
        self._draw_breakdown(self.capex, self.capex_axis, s["cost"].get("capex_breakdown_usd", {}), CAPEX_LABELS)
        self._draw_breakdown(self.opex, self.opex_axis, s["cost"].get("opex_breakdown_usd_per_year", {}),
                             OPEX_LABELS)
        self._draw_gantt()
        self._draw_pue()

    def _legend(self, box: ChartBox, columns: int = 1) -> pg.LegendItem:
        if box.legend is None:
            box.add_legend(colCount=columns)
        box.legend.clear()
        theme.style_legend(box.legend)
        return box.legend

    def _draw_dispatch(self) -> None:
        if self.result is None or not self.result.hourly:
            return
        week = self.week.value()
        start = (week - 1) * HOURS_PER_WEEK
        stop = min(start + HOURS_PER_WEEK, 8760)
        first = _dt.date(2025, 1, 1) + _dt.timedelta(hours=start)
        last = _dt.date(2025, 1, 1) + _dt.timedelta(hours=stop - 1)
        self.week_dates.setText(f"{first:%d %b} – {last:%d %b} (typical year)")
        h = self.result.hourly
        plot = self.dispatch.plot.getPlotItem()
        plot.clear()
        legend = self._legend(self.dispatch, columns=4)
        n = stop - start
        x = np.arange(n, dtype=float) + 0.5
        edges = np.arange(n + 1, dtype=float)
        layers = []
        base = np.zeros(n)
        for name, key in DISPATCH_SERIES:
            values = np.asarray(h[key][start:stop], dtype=float)
            if float(np.max(h[key])) <= 1e-9:
                continue  # a source the site does not have
            base = base + values
            layers.append((name, base.copy()))
        # Stacked as steps (one per hour): draw the highest layer first, each filled to zero,
        # so every source shows as the band between its top and the layer below it.
        for name, top in reversed(layers):
            colour = theme.SUPPLY_COLOURS[name]
            item = pg.PlotDataItem(edges, top, stepMode="center", fillLevel=0, fillBrush=theme.brush(colour),
                                   pen=pg.mkPen(colour, width=1))
            plot.addItem(item)
        for name, _top in layers:
            colour = theme.SUPPLY_COLOURS[name]
            legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0, brush=theme.brush(colour),
                                           pen=pg.mkPen(None)), name)
        load = pg.PlotDataItem(x, np.asarray(h["facility_mw"][start:stop]), pen=pg.mkPen(theme.load_line(), width=2))
        plot.addItem(load)
        legend.addItem(load, "Facility load")
        charge = np.asarray(h["battery_charge_mw"][start:stop])
        if np.any(charge > 0):
            line = pg.PlotDataItem(x, np.asarray(h["facility_mw"][start:stop]) + charge,
                                   pen=pg.mkPen(theme.SUPPLY_COLOURS["Battery"], width=1.5, style=Qt.PenStyle.DashLine))
            plot.addItem(line)
            legend.addItem(line, "Load + battery charging")
        days = [_dt.date(2025, 1, 1) + _dt.timedelta(hours=start + d * 24) for d in range(7)]
        plot.getAxis("bottom").setTicks([[(d * 24, "") for d in range(8)],
                                         [(d * 24 + 12, f"{day:%a %d %b}") for d, day in enumerate(days)]])
        plot.setXRange(0, stop - start, padding=0.01)
        top = max(float(base.max(initial=0)), float(np.max(h["facility_mw"][start:stop] + charge, initial=0)))
        plot.setYRange(0, top * 1.35 if top > 0 else 1, padding=0)

    def _draw_monthly(self) -> None:
        monthly = self.result.monthly_mwh()
        plot = self.monthly.plot.getPlotItem()
        plot.clear()
        legend = self._legend(self.monthly, columns=2)
        x = np.arange(12, dtype=float)
        base = np.zeros(12)
        for name, values in monthly.items():
            gwh = np.asarray(values, dtype=float) / 1000.0
            if not np.any(gwh > 1e-9):
                continue
            bars = pg.BarGraphItem(x=x, height=gwh, width=0.7, y0=base.copy(),
                                   brush=theme.brush(theme.SUPPLY_COLOURS.get(name, "#888888")), pen=pg.mkPen(None))
            plot.addItem(bars)
            legend.addItem(bars, name)
            base = base + gwh
        plot.setXRange(-0.6, 11.6, padding=0)
        plot.setYRange(0, float(base.max(initial=0)) * 1.45 or 1, padding=0)

    def _draw_breakdown(self, box: ChartBox, axis: CategoryAxis, data: dict, labels: dict) -> None:
        plot = box.plot.getPlotItem()
        plot.clear()
        items = [(labels.get(k, k.replace("_", " ").capitalize()), float(v or 0.0)) for k, v in data.items()]
        names = [n for n, _ in items]
        values = np.array([v for _, v in items], dtype=float) / 1e6
        axis.set_names(names)
        brushes = [theme.brush(theme.CATEGORY_COLOURS[i % len(theme.CATEGORY_COLOURS)]) for i in range(len(items))]
        bars = pg.BarGraphItem(x0=np.zeros(len(items)), y=np.arange(len(items), dtype=float), height=0.65,
                               width=values, brushes=brushes, pen=pg.mkPen(None))
        plot.addItem(bars)
        total = float(values.sum())
        fg = theme.foreground()
        from core.units import money  # noqa: PLC0415 - formatting shared with the CLI

        for i, (_name, value) in enumerate(items):
            share = f" ({value / (total * 1e6) * 100:.0f}%)" if total > 0 else ""
            text = pg.TextItem(money(value) + share, color=fg, anchor=(0, 0.5))
            text.setPos(float(values[i]), float(i))
            plot.addItem(text)
        plot.setYRange(-0.6, len(items) - 0.4, padding=0)
        plot.setXRange(0, float(values.max(initial=0)) * 1.35 or 1, padding=0)

    def _draw_gantt(self) -> None:
        sched = self.result.summary.get("schedule", {})
        tasks = sched.get("tasks", [])
        plot = self.gantt.plot.getPlotItem()
        plot.clear()
        legend = self._legend(self.gantt, columns=2)
        legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(8, -8))
        self.task_axis.set_names([t["name"] for t in tasks])
        for critical, colour, label in ((True, theme.CRITICAL, "Critical path"),
                                        (False, theme.NORMAL_TASK, "Other tasks")):
            idx = [i for i, t in enumerate(tasks) if bool(t.get("critical")) == critical]
            if not idx:
                continue
            starts = np.array([tasks[i]["start_month"] for i in idx], dtype=float)
            ends = np.array([tasks[i]["end_month"] for i in idx], dtype=float)
            bars = pg.BarGraphItem(x0=starts, y=np.array(idx, dtype=float), height=0.6,
                                   width=np.maximum(ends - starts, 0.05), brush=theme.brush(colour),
                                   pen=pg.mkPen(None))
            plot.addItem(bars)
            legend.addItem(bars, label)
        fg = theme.foreground()
        end = max([t["end_month"] for t in tasks], default=1.0)
        for key, label, style in (("first_compute_month", "First compute", Qt.PenStyle.DashLine),
                                  ("full_capacity_month", "Full capacity", Qt.PenStyle.DotLine)):
            month = sched.get(key)
            if month is None:
                continue
            line = pg.InfiniteLine(pos=float(month), angle=90, pen=pg.mkPen(fg, width=1.5, style=style),
                                   label=f"{label}: month {month:.0f}",
                                   labelOpts={"position": 0.04 if key.startswith("first") else 0.12,
                                              "color": fg, "anchors": [(1, 0.5), (1, 0.5)]})
            plot.addItem(line)
            end = max(end, float(month))
        plot.setXRange(0, end * 1.08, padding=0)
        plot.setYRange(-0.6, len(tasks) + 0.2, padding=0)

    def _draw_pue(self) -> None:
        h = self.result.hourly
        plot = self.pue.plot.getPlotItem()
        plot.clear()
        legend = self._legend(self.pue)
        temp = np.asarray(h["ambient_c"], dtype=float)
        pue = np.asarray(h["pue"], dtype=float)
        ok = np.isfinite(pue) & (pue > 0)
        colour = theme.CATEGORY_COLOURS[0]
        scatter = pg.ScatterPlotItem(temp[ok], pue[ok], size=3, pen=None, brush=theme.brush(colour, 110))
        plot.addItem(scatter)
        legend.addItem(scatter, "Hourly PUE")
        annual = self.result.summary["energy"].get("pue_annual")
        if annual:
            line = pg.InfiniteLine(pos=float(annual), angle=0,
                                   pen=pg.mkPen(theme.foreground(), width=1.2, style=Qt.PenStyle.DashLine))
            plot.addItem(line)
            sample = pg.PlotDataItem([], [], pen=pg.mkPen(theme.foreground(), width=1.2, style=Qt.PenStyle.DashLine))
            legend.addItem(sample, f"Annual PUE {annual:.2f}")
        if ok.any():
            lo, hi = float(pue[ok].min()), float(pue[ok].max())
            pad = max((hi - lo) * 0.35, 0.02)
            plot.setYRange(lo - pad * 0.3, hi + pad, padding=0)
            plot.setXRange(float(temp.min()) - 1, float(temp.max()) + 1, padding=0)
