"""Report charts drawn with QPainter from core.report.model.Chart: vector in the PDF,
crisp PNGs for HTML. Sizes are in points (1/72 inch) scaled to the device, so the same
chart reads the same on a 300 dpi PDF page and a 192 dpi image.

Each chart has its title, axis labels with units, tick labels and a legend when it
shows more than one series; colours are the dashboard's (app.colours).
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF

from aisite.app import colours
from aisite.core.report.model import Chart

FONT = "DejaVu Sans"
INK = QColor("#222222")
GRID = QColor("#D9D9D9")
AXIS = QColor("#777777")


def report_font(pixel_size: int, bold: bool = False) -> QFont:
    """The report's font. Ligatures are off so text copied or extracted from the PDF
    reads as typed ("fleet", not "ﬂeet")."""
    f = QFont(FONT)
    f.setPixelSize(max(1, pixel_size))
    f.setBold(bold)
    for tag in ("liga", "clig"):
        f.setFeature(QFont.Tag(tag), 0)
    return f


def colour(series: dict, i: int) -> QColor:
    if series.get("colour"):
        return QColor(series["colour"])
    name = series.get("name", "")
    if name in colours.SUPPLY_COLOURS:
        return QColor(colours.SUPPLY_COLOURS[name])
    return QColor(colours.CATEGORY_COLOURS[i % len(colours.CATEGORY_COLOURS)])


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (about n of them)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi - lo < 1e-12:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v <= hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def tick_text(v: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (2.5 -> one, 0.25 -> two)."""
    d = 0
    while d < 4 and abs(step * 10 ** d - round(step * 10 ** d)) > 1e-6:
        d += 1
    return f"{v:,.{d}f}"


class ChartPainter:
    """Paints one Chart into a rectangle of any QPaintDevice."""

    def __init__(self, painter: QPainter, rect: QRectF, chart: Chart):
        self.p, self.rect, self.c = painter, rect, chart
        dev = painter.device()
        self.u = dev.logicalDpiX() / 72.0  # device units per point
        self.f_title = self._font(9.5, bold=True)
        self.f_text = self._font(7.5)
        self.f_small = self._font(6.8)

    def _font(self, pt: float, bold: bool = False) -> QFont:
        return report_font(round(pt * self.u), bold)

    def pen(self, c: QColor, width_pt: float = 0.8, style=Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(c, width_pt * self.u)
        pen.setStyle(style)
        return pen

    # ------------------------------------------------------------------ frame
    def paint(self) -> None:
        p, r, c = self.p, self.rect, self.c
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self.f_title)
        fm = QFontMetricsF(self.f_title, p.device())
        p.setPen(INK)
        title_h = fm.height() * 1.3
        p.drawText(QRectF(r.left(), r.top(), r.width(), title_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, c.title)
        top = r.top() + title_h
        legend = self._legend_entries()
        if legend:
            top += self._draw_legend(legend, QRectF(r.left(), top, r.width(), 0))
        area = QRectF(r.left(), top, r.width(), r.bottom() - top)
        getattr(self, "_" + c.kind)(area)
        p.restore()

    def _legend_entries(self) -> list[tuple[str, QColor, str]]:
        c = self.c
        if c.kind in ("hbars", "gantt", "tornado"):
            if c.kind == "gantt":
                return [("Critical path", QColor(colours.CRITICAL), "box"), ("Other tasks", QColor(colours.NORMAL_TASK), "box")]
            if c.kind == "tornado":
                return [("Input at its low", QColor("#4C78A8"), "box"), ("Input at its high", QColor("#E45756"), "box")]
            return []
        entries = [(s["name"], colour(s, i), "line" if c.kind == "lines" or (c.kind == "bars_line" and i == 1) else "box")
                   for i, s in enumerate(c.series)]
        if c.extra.get("line"):
            entries.append((c.extra["line"]["name"], INK, "line"))
        if c.extra.get("right"):
            entries.append((c.extra["right"]["name"], QColor("#D55E00"), "line"))
        return entries if len(entries) > 1 or c.extra.get("legend") else []

    def _draw_legend(self, entries, rect: QRectF) -> float:
        p = self.p
        p.setFont(self.f_text)
        fm = QFontMetricsF(self.f_text, p.device())
        x, y, h = rect.left(), rect.top(), fm.height() * 1.35
        sw = 9 * self.u
        for name, col, kind in entries:
            w = sw + 3 * self.u + fm.horizontalAdvance(name) + 10 * self.u
            if x + w > rect.right() and x > rect.left():
                x, y = rect.left(), y + h
            mid = y + h / 2
            if kind == "box":
                p.fillRect(QRectF(x, mid - sw / 2.6, sw, sw / 1.3), col)
            else:
                p.setPen(self.pen(col, 1.6))
                p.drawLine(QPointF(x, mid), QPointF(x + sw, mid))
            p.setPen(INK)
            p.drawText(QRectF(x + sw + 3 * self.u, y, w, h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            x += w
        return y + h - rect.top() + 2 * self.u

    def _plot_box(self, area: QRectF, y_ticks: list[float], *, left_labels: list[str] | None = None,
                  right: bool = False, right_ticks: list[float] | None = None) -> QRectF:
        """The plot rectangle inside `area`, leaving room for tick labels and axis titles."""
        fm = QFontMetricsF(self.f_small, self.p.device())
        fm_t = QFontMetricsF(self.f_text, self.p.device())
        step = (y_ticks[1] - y_ticks[0]) if len(y_ticks) > 1 else 1
        labels = left_labels if left_labels is not None else [tick_text(v, step) for v in y_ticks]
        left_w = max((fm.horizontalAdvance(t) for t in labels), default=0) + 4 * self.u
        if self.c.y_label:
            left_w += fm_t.height() * 1.2
        right_w = 16 * self.u  # room for the last x tick label
        if right and right_ticks:
            rs = right_ticks[1] - right_ticks[0] if len(right_ticks) > 1 else 1
            right_w = max(fm.horizontalAdvance(tick_text(v, rs)) for v in right_ticks) + 4 * self.u + fm_t.height() * 1.2
        bottom_h = fm.height() * 1.4 + (fm_t.height() * 1.3 if self.c.x_label else 0)
        return QRectF(area.left() + left_w, area.top() + fm.height() * 0.6, area.width() - left_w - right_w,
                      area.height() - bottom_h - fm.height() * 0.6)

    def _y_axis(self, box: QRectF, ticks: list[float], to_y, *, side: str = "left", label: str | None = None) -> None:
        p = self.p
        fm = QFontMetricsF(self.f_small, p.device())
        step = (ticks[1] - ticks[0]) if len(ticks) > 1 else 1
        p.setFont(self.f_small)
        for v in ticks:
            y = to_y(v)
            if side == "left":
                p.setPen(self.pen(GRID, 0.5))
                p.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))
            p.setPen(INK)
            t = tick_text(v, step)
            if side == "left":
                p.drawText(QRectF(box.left() - 200 * self.u - 3 * self.u, y - fm.height() / 2, 200 * self.u, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, t)
            else:
                p.drawText(QRectF(box.right() + 3 * self.u, y - fm.height() / 2, 200 * self.u, fm.height()),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, t)
        label = self.c.y_label if label is None else label
        if label:
            p.save()
            p.setFont(self.f_text)
            fm_t = QFontMetricsF(self.f_text, p.device())
            if side == "left":
                x = self.rect.left() + fm_t.height() * 0.1
                p.translate(x, box.center().y())
                p.rotate(-90)
            else:
                x = self.rect.right() - fm_t.height() * 0.1
                p.translate(x, box.center().y())
                p.rotate(90)
            p.drawText(QRectF(-box.height() / 2, 0, box.height(), fm_t.height()), Qt.AlignmentFlag.AlignCenter, label)
            p.restore()

    def _x_title(self, box: QRectF) -> None:
        if not self.c.x_label:
            return
        p = self.p
        p.setFont(self.f_text)
        fm = QFontMetricsF(self.f_text, p.device())
        p.setPen(INK)
        p.drawText(QRectF(box.left(), self.rect.bottom() - fm.height() * 1.2, box.width(), fm.height() * 1.2),
                   Qt.AlignmentFlag.AlignCenter, self.c.x_label)

    def _frame(self, box: QRectF) -> None:
        self.p.setPen(self.pen(AXIS, 0.7))
        self.p.drawLine(box.bottomLeft(), box.bottomRight())
        self.p.drawLine(box.bottomLeft(), box.topLeft())

    def _category_labels(self, box: QRectF, cats: list[str]) -> None:
        p = self.p
        p.setFont(self.f_small)
        fm = QFontMetricsF(self.f_small, p.device())
        p.setPen(INK)
        n = max(1, len(cats))
        w = box.width() / n
        every = max(1, math.ceil(max((fm.horizontalAdvance(c) for c in cats), default=0) * 1.15 / w))
        for i, cat in enumerate(cats):
            if i % every:
                continue
            p.drawText(QRectF(box.left() + i * w - w, box.bottom() + 2 * self.u, 3 * w, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, cat)

    def _x_numeric(self, box: QRectF, ticks: list[float], to_x) -> None:
        p = self.p
        p.setFont(self.f_small)
        fm = QFontMetricsF(self.f_small, p.device())
        step = (ticks[1] - ticks[0]) if len(ticks) > 1 else 1
        for v in ticks:
            x = to_x(v)
            p.setPen(self.pen(GRID, 0.5))
            p.drawLine(QPointF(x, box.top()), QPointF(x, box.bottom()))
            p.setPen(INK)
            p.drawText(QRectF(x - 40 * self.u, box.bottom() + 2 * self.u, 80 * self.u, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, tick_text(v, step))

    def _value_frame(self, area: QRectF, values: list[float]):
        """The plot box and value-to-y mapping of a chart whose axis runs from 0 (or the
        lowest negative value) to the highest value, with its axis drawn."""
        values = list(values) or [0.0]
        ticks = nice_ticks(min(0.0, min(values)), max(values) or 1.0)
        box = self._plot_box(area, ticks)
        lo, hi = ticks[0], ticks[-1]

        def to_y(v):
            return box.bottom() - (v - lo) / (hi - lo) * box.height()

        self._y_axis(box, ticks, to_y)
        return box, to_y

    # ------------------------------------------------------------------ kinds
    def _stacked_bars(self, area: QRectF) -> None:
        c = self.c
        n = len(c.categories)
        totals = [sum(max(0.0, s["values"][i]) for s in c.series) for i in range(n)]
        box, to_y = self._value_frame(area, totals)
        w = box.width() / max(1, n)
        for i in range(n):
            base = 0.0
            for j, s in enumerate(c.series):
                v = max(0.0, s["values"][i])
                if v <= 0:
                    continue
                self.p.fillRect(QRectF(box.left() + i * w + w * 0.15, to_y(base + v), w * 0.7, to_y(base) - to_y(base + v)),
                                colour(s, j))
                base += v
        self._frame(box)
        self._category_labels(box, c.categories)
        self._x_title(box)

    def _grouped_bars(self, area: QRectF) -> None:
        c = self.c
        n, k = len(c.categories), max(1, len(c.series))
        box, to_y = self._value_frame(area, [v for s in c.series for v in s["values"]])
        w = box.width() / max(1, n)
        bw = w * 0.8 / k
        for i in range(n):
            for j, s in enumerate(c.series):
                v = s["values"][i]
                y0, y1 = to_y(0.0), to_y(v)
                self.p.fillRect(QRectF(box.left() + i * w + w * 0.1 + j * bw, min(y0, y1), bw * 0.92, abs(y1 - y0)),
                                colour(s, j))
        self._frame(box)
        self._category_labels(box, c.categories)
        self._x_title(box)

    def _stacked_area(self, area: QRectF) -> None:
        c = self.c
        xs = c.x
        n = len(xs)
        stack = [0.0] * n
        layers = []
        for s in c.series:
            lower = stack[:]
            stack = [a + max(0.0, b) for a, b in zip(stack, s["values"])]
            layers.append((lower, stack[:]))
        line = c.extra.get("line")
        box, to_y = self._value_frame(area, stack + (line["values"] if line else []))
        x0, x1 = xs[0], xs[-1] if n > 1 else xs[0] + 1

        def to_x(v):
            return box.left() + (v - x0) / (x1 - x0) * box.width()

        self._x_numeric(box, [t for t in nice_ticks(x0, x1, 7) if x0 <= t <= x1], to_x)
        for j, (s, (lower, upper)) in enumerate(zip(c.series, layers)):
            poly = QPolygonF([QPointF(to_x(x), to_y(v)) for x, v in zip(xs, upper)] +
                             [QPointF(to_x(x), to_y(v)) for x, v in reversed(list(zip(xs, lower)))])
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(QBrush(colour(s, j)))
            self.p.drawPolygon(poly)
        if line:
            self._polyline(xs, line["values"], to_x, to_y, INK, 1.3)
        self._frame(box)
        self._x_title(box)

    def _polyline(self, xs, ys, to_x, to_y, col: QColor, width: float) -> None:
        path = QPainterPath()
        first = True
        for x, y in zip(xs, ys):
            if y is None or not math.isfinite(y):
                first = True
                continue
            pt = QPointF(to_x(x), to_y(y))
            if first:
                path.moveTo(pt)
                first = False
            else:
                path.lineTo(pt)
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.setPen(self.pen(col, width))
        self.p.drawPath(path)

    def _lines(self, area: QRectF) -> None:
        c = self.c
        vals = [v for s in c.series for v in s["values"] if v is not None and math.isfinite(v)] or [0.0]
        lo = min(0.0, min(vals))
        ticks = nice_ticks(lo, max(vals) or 1.0)
        right = c.extra.get("right")
        r_ticks = None
        if right:
            rv = [v for v in right["values"] if math.isfinite(v)]
            r_ticks = nice_ticks(min(rv) - 0.02, max(rv) + 0.02, 4)
        box = self._plot_box(area, ticks, right=bool(right), right_ticks=r_ticks)
        all_x = [x for s in c.series for x in s.get("x", c.x)]
        x0, x1 = min(all_x), max(all_x)
        x1 = x1 if x1 > x0 else x0 + 1

        def to_x(v):
            return box.left() + (v - x0) / (x1 - x0) * box.width()

        def to_y(v):
            return box.bottom() - (v - ticks[0]) / (ticks[-1] - ticks[0]) * box.height()

        self._y_axis(box, ticks, to_y)
        xt = [t for t in nice_ticks(x0, x1, 8) if x0 - 1e-9 <= t <= x1 + 1e-9]
        self._x_numeric(box, xt, to_x)
        for j, s in enumerate(c.series):
            self._polyline(s.get("x", c.x), s["values"], to_x, to_y, colour(s, j), 1.4)
        if right:
            def to_yr(v):
                return box.bottom() - (v - r_ticks[0]) / (r_ticks[-1] - r_ticks[0]) * box.height()

            self._y_axis(box, r_ticks, to_yr, side="right", label=right.get("label", ""))
            self._polyline(c.x, right["values"], to_x, to_yr, QColor("#D55E00"), 1.0)
        self._frame(box)
        self._x_title(box)

    def _bars_line(self, area: QRectF) -> None:
        c = self.c
        bars, line = c.series[0], c.series[1]
        box, to_y = self._value_frame(area, list(bars["values"]) + list(line["values"]))
        n = len(c.categories)
        w = box.width() / max(1, n)
        for i, v in enumerate(bars["values"]):
            y0, y1 = to_y(0.0), to_y(v)
            self.p.fillRect(QRectF(box.left() + i * w + w * 0.2, min(y0, y1), w * 0.6, abs(y1 - y0)), colour(bars, 0))
        self._polyline([box.left() + (i + 0.5) * w for i in range(n)], line["values"], lambda x: x, to_y,
                       colour(line, 1), 1.5)
        self._frame(box)
        self._category_labels(box, c.categories)
        self._x_title(box)

    def _row_chart(self, area: QRectF, labels: list[str], lo: float, hi: float):
        """Shared frame of charts with one row per category (hbars, gantt, tornado)."""
        ticks = nice_ticks(lo, hi, 6)
        fm = QFontMetricsF(self.f_small, self.p.device())
        box = self._plot_box(area, [0.0], left_labels=labels)
        x0, x1 = ticks[0], ticks[-1]

        def to_x(v):
            return box.left() + (v - x0) / (x1 - x0) * box.width()

        self._x_numeric(box, ticks, to_x)
        n = max(1, len(labels))
        h = box.height() / n
        self.p.setFont(self.f_small)
        self.p.setPen(INK)
        for i, lab in enumerate(labels):
            self.p.drawText(QRectF(area.left(), box.top() + i * h, box.left() - area.left() - 4 * self.u, h),
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, lab)
        del fm
        return box, to_x, h

    def _hbars(self, area: QRectF) -> None:
        c = self.c
        vals = c.series[0]["values"]
        box, to_x, h = self._row_chart(area, c.categories, min(0.0, min(vals, default=0.0)), max(vals, default=1.0) or 1.0)
        fm = QFontMetricsF(self.f_small, self.p.device())
        for i, v in enumerate(vals):
            col = QColor(colours.CATEGORY_COLOURS[i % len(colours.CATEGORY_COLOURS)])
            x0, x1 = to_x(0.0), to_x(v)
            self.p.fillRect(QRectF(min(x0, x1), box.top() + i * h + h * 0.18, abs(x1 - x0), h * 0.64), col)
            self.p.setPen(INK)
            text = f"{v:,.1f}"
            tw = fm.horizontalAdvance(text) + 4 * self.u
            tx = x1 + 3 * self.u if x1 + tw < box.right() else x1 - tw
            self.p.drawText(QRectF(tx, box.top() + i * h, tw, h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        self._frame(box)
        self._x_title(box)

    def _gantt(self, area: QRectF) -> None:
        c = self.c
        ends = [s["end"] for s in c.series] + [m[0] for m in c.extra.get("markers", [])]
        box, to_x, h = self._row_chart(area, c.categories, 0.0, max(ends, default=1.0) or 1.0)
        for i, s in enumerate(c.series):
            col = QColor(colours.CRITICAL if s.get("critical") else colours.NORMAL_TASK)
            x0, x1 = to_x(s["start"]), to_x(s["end"])
            self.p.fillRect(QRectF(x0, box.top() + i * h + h * 0.2, max(x1 - x0, 0.5 * self.u), h * 0.6), col)
        fm = QFontMetricsF(self.f_small, self.p.device())
        for k, (v, label) in enumerate(c.extra.get("markers", [])):
            x = to_x(v)
            self.p.setPen(self.pen(INK, 0.8, Qt.PenStyle.DashLine))
            self.p.drawLine(QPointF(x, box.top()), QPointF(x, box.bottom()))
            self.p.setFont(self.f_small)
            text = f"{label}: month {v:.0f}"
            tw = fm.horizontalAdvance(text) + 4 * self.u
            # The first marker's label sits left of its line, later ones right; each goes
            # to the other side when it would leave the chart, one line lower so none overlap.
            left_x, right_x = x - tw - 2 * self.u, x + 2 * self.u
            fits_left, fits_right = left_x >= box.left(), right_x + tw <= self.rect.right()
            tx = left_x if (k == 0 and fits_left) or not fits_right else right_x
            label_rect = QRectF(tx, box.top() + k * fm.height() * 1.1, tw, fm.height())
            self.p.fillRect(label_rect, QColor("white"))  # a line it crosses must not strike it through
            self.p.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, text)
        self._frame(box)
        self._x_title(box)

    def _tornado(self, area: QRectF) -> None:
        c = self.c
        base = c.extra.get("base") or 0.0
        vals = [v for s in c.series for v in (s["low"], s["high"])] + [base]
        span = (max(vals) - min(vals)) or abs(base) or 1.0
        box, to_x, h = self._row_chart(area, c.categories, min(vals) - 0.05 * span, max(vals) + 0.05 * span)
        for i, s in enumerate(c.series):
            for v, col in ((s["low"], "#4C78A8"), (s["high"], "#E45756")):
                x0, x1 = to_x(base), to_x(v)
                self.p.fillRect(QRectF(min(x0, x1), box.top() + i * h + h * 0.2, abs(x1 - x0), h * 0.6), QColor(col))
        self.p.setPen(self.pen(INK, 0.9))
        self.p.drawLine(QPointF(to_x(base), box.top()), QPointF(to_x(base), box.bottom()))
        self._frame(box)
        self._x_title(box)


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    ChartPainter(painter, rect, chart).paint()


def chart_image(chart: Chart, width_pt: float, dpi: int = 200) -> QImage:
    """The chart as an image `width_pt` points wide at `dpi` (white background)."""
    scale = dpi / 72.0
    w, h = int(width_pt * scale), int(width_pt * chart.height * scale)
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    img.fill(QColor("white"))
    p = QPainter(img)
    paint_chart(p, QRectF(0, 0, w, h), chart)
    p.end()
    return img
