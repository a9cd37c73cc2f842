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

from aisite.app import theme
from aisite.app.chart_export import add_export_menu
from aisite.core.units import KEY_FIGURES

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
        add_export_menu(self.plot)
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
        from PySide6.QtGui import QFontMetrics  # noqa: PLC0415

        self.names = list(names)
        self.setTicks([[(i, n) for i, n in enumerate(self.names)]])
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=40)
        self.setWidth(widest + 18)


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
        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(10)
        body.addWidget(self.content)
        content.addLayout(self._card_grid)
        for section, key, label, _fmt in KEY_FIGURES:
            self.cards[key] = KeyFigureCard(section, key, label)
        self._columns = 0

        charts = QGridLayout()
        charts.setSpacing(10)
        content.addLayout(charts)
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
        from PySide6.QtWidgets import QPushButton  # noqa: PLC0415

        self.peak_week = QPushButton("Peak-load week")
        self.peak_week.setObjectName("peakWeek")
        self.peak_week.setToolTip("Show the week with the highest facility load")
        self.peak_week.clicked.connect(lambda: self._jump_to("facility_mw"))
        self.short_week = QPushButton("Most unserved week")
        self.short_week.setObjectName("shortWeek")
        self.short_week.setToolTip("Show the week with the most energy the power sources could not supply")
        self.short_week.clicked.connect(lambda: self._jump_to("unserved_mw"))
        controls.addWidget(self.peak_week)
        controls.addWidget(self.short_week)
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
        # Axis-aligned bars and steps need no antialiasing (it costs most of the paint time).
        for box in (self.dispatch, self.monthly, self.capex, self.opex, self.gantt):
            box.plot.setAntialiasing(False)
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
        result = self.result
        self._clear_charts()
        if result is not None:
            self.show_result(result)

    def resizeEvent(self, event):  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._relayout_cards()

    def _relayout_cards(self) -> None:
        width = max(self.width() - 40, 300)
        columns = max(2, min(6, width // 165))
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
        self.content.hide()
        for card in self.cards.values():
            card.value.setText("–")
        self._clear_charts()

    def _clear_charts(self) -> None:
        for box in (self.dispatch, self.monthly, self.capex, self.opex, self.gantt, self.pue):
            box.plot.getPlotItem().clear()
            box.items = {}
            box.legend_key = None
            if box.legend is not None:
                box.legend.clear()

    def card_texts(self) -> dict[str, tuple[str, str]]:
        """{key: (label, value)} of the cards shown (for tests and copy)."""
        return {k: (c.title.text(), c.value.text()) for k, c in self.cards.items()
                if c.property("applies") is not False}

    def show_result(self, result) -> None:
        self.result = result
        self.content.show()
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
            card.setToolTip(f"{section}.{key} = {value!r} in `aisite evaluate --json`" if applies else "")
        if changed:
            self._columns = 0
            self._relayout_cards()
        self.short_week.setVisible(bool(s["energy"].get("unserved_mwh")))
        self._draw_dispatch()
        self._draw_monthly()
        self._draw_breakdown(self.capex, self.capex_axis, s["cost"].get("capex_breakdown_usd", {}), CAPEX_LABELS)
        self._draw_breakdown(self.opex, self.opex_axis, s["cost"].get("opex_breakdown_usd_per_year", {}),
                             OPEX_LABELS)
        self._draw_gantt()
        self._draw_pue()

    # ------------------------------------------------------------------ charts
    # Items are made once per chart and updated in place (setData/setOpts): rebuilding
    # them on every result costs several times more on the GUI thread.
    def _items(self, box: ChartBox) -> dict:
        if not hasattr(box, "items"):
            box.items = {}
            box.legend_key = None
        return box.items

    def _set_legend(self, box: ChartBox, entries: list, columns: int = 1) -> None:
        """(item, name) pairs; rebuilt only when the names change (or the palette did)."""
        key = (tuple(name for _, name in entries), theme.foreground().name())
        if box.legend is None:
            box.add_legend(colCount=columns)
        if getattr(box, "legend_key", None) == key:
            return
        shown = [(sample.item, label) for sample, label in box.legend.items]
        if (getattr(box, "legend_key", None) is not None and key[1] == box.legend_key[1]
                and [item for item, _ in shown] == [item for item, _ in entries]):
            # Same series, new wording (e.g. "Annual PUE 1.14"): relabel in place, which
            # costs a fraction of rebuilding the legend on every result.
            for (_, label), (_, name) in zip(shown, entries):
                label.setText(name)  # keeps the legend's colour and size
            box.legend_key = key
            return
        box.legend.clear()
        theme.style_legend(box.legend)
        for item, name in entries:
            box.legend.addItem(item, name)
        box.legend_key = key

    def _jump_to(self, series: str) -> None:
        """Show the week holding the largest hourly value of `series`."""
        if self.result is None or series not in self.result.hourly:
            return
        hour = int(np.argmax(self.result.hourly[series]))
        self.week.setValue(min(52, hour // HOURS_PER_WEEK + 1))

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
        items = self._items(self.dispatch)
        n = stop - start
        x = np.arange(n, dtype=float) + 0.5
        edges = np.arange(n + 1, dtype=float)
        if "load" not in items:
            # Highest layer first: each is filled to zero, so a source shows as the band
            # between its top and the layer below it.
            for name, _key in reversed(DISPATCH_SERIES):
                colour = theme.SUPPLY_COLOURS[name]
                items[name] = pg.PlotDataItem(stepMode="center", fillLevel=0, fillBrush=theme.brush(colour),
                                              pen=pg.mkPen(colour, width=1))
                plot.addItem(items[name])
                items["legend:" + name] = pg.BarGraphItem(x=[0], height=[0], width=0, brush=theme.brush(colour),
                                                          pen=pg.mkPen(None))
            items["load"] = pg.PlotDataItem(pen=pg.mkPen(theme.load_line(), width=2))
            items["charge"] = pg.PlotDataItem(pen=pg.mkPen(theme.SUPPLY_COLOURS["Battery"], width=1.5,
                                                           style=Qt.PenStyle.DashLine))
            plot.addItem(items["load"])
            plot.addItem(items["charge"])
        base = np.zeros(n)
        legend = []
        for name, key in DISPATCH_SERIES:
            present = float(np.max(h[key])) > 1e-9  # a source the site has
            values = np.asarray(h[key][start:stop], dtype=float)
            base = base + values
            items[name].setVisible(present)
            if present:
                items[name].setData(edges, base.copy())
                legend.append((items["legend:" + name], name))
        facility = np.asarray(h["facility_mw"][start:stop], dtype=float)
        charge = np.asarray(h["battery_charge_mw"][start:stop], dtype=float)
        items["load"].setPen(pg.mkPen(theme.load_line(), width=2))
        items["load"].setData(x, facility)
        legend.append((items["load"], "Facility load"))
        has_charge = bool(np.any(h["battery_charge_mw"] > 0))
        items["charge"].setVisible(has_charge)
        if has_charge:
            items["charge"].setData(x, facility + charge)
            legend.append((items["charge"], "Load + battery charging"))
        self._set_legend(self.dispatch, legend, columns=4)
        days = [_dt.date(2025, 1, 1) + _dt.timedelta(hours=start + d * 24) for d in range(7)]
        plot.getAxis("bottom").setTicks([[(d * 24, "") for d in range(8)],
                                         [(d * 24 + 12, f"{day:%a %d %b}") for d, day in enumerate(days)]])
        plot.setXRange(0, n, padding=0.01)
        top = max(float(base.max(initial=0)), float(np.max(facility + charge, initial=0)))
        plot.setYRange(0, top * 1.5 if top > 0 else 1, padding=0)  # room for the legend

    def _draw_monthly(self) -> None:
        monthly = self.result.monthly_mwh()
        plot = self.monthly.plot.getPlotItem()
        items = self._items(self.monthly)
        x = np.arange(12, dtype=float)
        base = np.zeros(12)
        legend = []
        for name, values in monthly.items():
            gwh = np.asarray(values, dtype=float) / 1000.0
            if name not in items:
                items[name] = pg.BarGraphItem(x=x, height=np.zeros(12), width=0.7, y0=np.zeros(12),
                                              brush=theme.brush(theme.SUPPLY_COLOURS.get(name, "#888888")),
                                              pen=pg.mkPen(None))
                plot.addItem(items[name])
            present = bool(np.any(gwh > 1e-9))
            items[name].setVisible(present)
            if present:
                items[name].setOpts(x=x, height=gwh, y0=base.copy(), width=0.7)
                legend.append((items[name], name))
                base = base + gwh
        self._set_legend(self.monthly, legend, columns=2)
        plot.setXRange(-0.6, 11.6, padding=0)
        plot.setYRange(0, float(base.max(initial=0)) * 1.45 or 1, padding=0)

    def _draw_breakdown(self, box: ChartBox, axis: CategoryAxis, data: dict, labels: dict) -> None:
        from aisite.core.units import money  # noqa: PLC0415 - formatting shared with the CLI

        plot = box.plot.getPlotItem()
        items = self._items(box)
        pairs = [(labels.get(k, k.replace("_", " ").capitalize()), float(v or 0.0)) for k, v in data.items()]
        names = [n for n, _ in pairs]
        values = np.array([v for _, v in pairs], dtype=float) / 1e6
        if axis.names != names:
            axis.set_names(names)
        brushes = [theme.brush(theme.CATEGORY_COLOURS[i % len(theme.CATEGORY_COLOURS)]) for i in range(len(pairs))]
        if "bars" not in items:
            items["bars"] = pg.BarGraphItem(x0=np.zeros(1), y=np.zeros(1), height=0.65, width=np.zeros(1),
                                            pen=pg.mkPen(None))
            plot.addItem(items["bars"])
            items["texts"] = []
        items["bars"].setOpts(x0=np.zeros(len(pairs)), y=np.arange(len(pairs), dtype=float), height=0.65,
                              width=values, brushes=brushes)
        texts = items["texts"]
        while len(texts) < len(pairs):
            text = pg.TextItem("", anchor=(0, 0.5))
            plot.addItem(text)
            texts.append(text)
        total = float(values.sum())
        fg = theme.foreground()
        for i, text in enumerate(texts):
            if i >= len(pairs):
                text.setVisible(False)
                continue
            share = f" ({values[i] / total * 100:.0f}%)" if total > 0 else ""
            text.setText(money(pairs[i][1]) + share, color=fg)
            text.setPos(float(values[i]), float(i))
            text.setVisible(True)
        plot.setYRange(-0.6, len(pairs) - 0.4, padding=0)
        plot.setXRange(0, float(values.max(initial=0)) * 1.5 or 1, padding=0)

    def _draw_gantt(self) -> None:
        sched = self.result.summary.get("schedule", {})
        tasks = sched.get("tasks", [])
        plot = self.gantt.plot.getPlotItem()
        items = self._items(self.gantt)
        names = [t["name"] for t in tasks]
        if self.task_axis.names != names:
            self.task_axis.set_names(names)
        fg = theme.foreground()
        if "critical" not in items:
            for key, colour in (("critical", theme.CRITICAL), ("other", theme.NORMAL_TASK)):
                items[key] = pg.BarGraphItem(x0=[0], y=[0], height=0.6, width=[0], brush=theme.brush(colour),
                                             pen=pg.mkPen(None))
                plot.addItem(items[key])
            for key, style, position in (("first_compute_month", Qt.PenStyle.DashLine, 0.04),
                                         ("full_capacity_month", Qt.PenStyle.DotLine, 0.12)):
                items[key] = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(fg, width=1.5, style=style),
                                             label="", labelOpts={"position": position, "color": fg,
                                                                  "anchors": [(1, 0.5), (1, 0.5)]})
                plot.addItem(items[key])
        legend = []
        for critical, key, label in ((True, "critical", "Critical path"), (False, "other", "Other tasks")):
            idx = [i for i, t in enumerate(tasks) if bool(t.get("critical")) == critical]
            items[key].setVisible(bool(idx))
            if idx:
                starts = np.array([tasks[i]["start_month"] for i in idx], dtype=float)
                ends = np.array([tasks[i]["end_month"] for i in idx], dtype=float)
                items[key].setOpts(x0=starts, y=np.array(idx, dtype=float), height=0.6,
                                   width=np.maximum(ends - starts, 0.05))
                legend.append((items[key], label))
        self._set_legend(self.gantt, legend, columns=2)
        self.gantt.legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(8, -8))
        end = max([t["end_month"] for t in tasks], default=1.0)
        for key, label in (("first_compute_month", "First compute"), ("full_capacity_month", "Full capacity")):
            month = sched.get(key)
            line = items[key]
            line.setVisible(month is not None)
            if month is None:
                continue
            line.setPos(float(month))
            line.label.setFormat(f"{label}: month {month:.0f}")
            line.label.setColor(fg)
            end = max(end, float(month))
        plot.setXRange(0, end * 1.08, padding=0)
        plot.setYRange(-0.6, len(tasks) + 0.2, padding=0)

    def _draw_pue(self) -> None:
        h = self.result.hourly
        plot = self.pue.plot.getPlotItem()
        items = self._items(self.pue)
        temp = np.asarray(h["ambient_c"], dtype=float)
        pue = np.asarray(h["pue"], dtype=float)
        ok = np.isfinite(pue) & (pue > 0)
        # Hours that would land on the same screen pixel are drawn once (0.1 °C x 0.0005).
        # One sortable key per cell (a 1-D unique is far cheaper than unique rows).
        t_cell, p_cell = np.round(temp[ok] * 10), np.round(pue[ok] * 2000)
        _, first = np.unique(t_cell * 1e7 + p_cell, return_index=True)
        cells = np.stack([t_cell[first], p_cell[first]], axis=1)
        fg = theme.foreground()
        if "scatter" not in items:
            items["scatter"] = pg.ScatterPlotItem(size=4, pen=None, brush=theme.brush(theme.CATEGORY_COLOURS[0], 140))
            plot.addItem(items["scatter"])
            items["annual"] = pg.InfiniteLine(pos=0, angle=0)
            plot.addItem(items["annual"])
            items["annual_sample"] = pg.PlotDataItem([], [])
        items["scatter"].setData(cells[:, 0] / 10.0, cells[:, 1] / 2000.0)
        annual = self.result.summary["energy"].get("pue_annual")
        dash = pg.mkPen(fg, width=1.2, style=Qt.PenStyle.DashLine)
        items["annual"].setPen(dash)
        items["annual_sample"].setPen(dash)
        items["annual"].setVisible(bool(annual))
        legend = [(items["scatter"], "Hourly PUE")]
        if annual:
            items["annual"].setPos(float(annual))
            legend.append((items["annual_sample"], f"Annual PUE {annual:.2f}"))
        self._set_legend(self.pue, legend)
        if ok.any():
            lo, hi = float(pue[ok].min()), float(pue[ok].max())
            pad = max((hi - lo) * 0.35, 0.02)
            plot.setYRange(lo - pad * 0.3, hi + pad, padding=0)
            plot.setXRange(float(temp.min()) - 1, float(temp.max()) + 1, padding=0)
