"""The PDF of a report, painted with QPainter on Qt's own QPdfWriter (no browser).

Layout runs first (every block measured with the PDF's font metrics and placed on a
page), then painting, so each page knows "page n of N". Tables break only between rows
and repeat their header on the next page; a heading never ends a page; charts are
vector drawings (app.report.charts).
"""
from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextLayout,
    QTextOption,
)

from aisite.app.report.charts import paint_chart, report_font
from aisite.core.errors import Cancelled
from aisite.core.report.model import Chart, Paragraph, Report, Table

DPI = 300
MARGINS_MM = QMarginsF(16, 18, 16, 16)
HEAD_BG = QColor("#DDE5EE")
ZEBRA = QColor("#F4F6F9")
RULE = QColor("#B8C2CC")
GREY = QColor("#555555")
ALERT = QColor("#B22222")
WRAP = Qt.TextFlag.TextWordWrap


class Laid:
    """Text wrapped to a width (at spaces, or inside a word too long for the width, such as
    a long scenario name or field path) by one QTextLayout per line of the text, so what
    is measured is exactly what is drawn, and nothing runs into the next column."""

    def __init__(self, text: str, font: QFont, width: float, device,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft):
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.layouts: list[QTextLayout] = []
        y = 0.0
        for part in text.split("\n"):
            layout = QTextLayout(part, font, device)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(max(1.0, width))
                line.setPosition(QPointF(0.0, y))
                y += line.height()
            layout.endLayout()
            self.layouts.append(layout)
        self.height = y

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        for layout in self.layouts:
            layout.draw(painter, QPointF(x, y))


def page_size(name: str) -> QPageSize:
    return QPageSize(QPageSize.PageSizeId.Letter if name.lower() == "letter" else QPageSize.PageSizeId.A4)


@dataclass
class _Fonts:
    body: QFont
    small: QFont
    table: QFont
    table_bold: QFont
    h1: QFont
    h2: QFont
    h3: QFont
    running: QFont


class PdfLayout:
    def __init__(self, writer: QPdfWriter, report: Report, progress: Callable[[int, int], object] | None = None):
        self.w, self.report, self.progress = writer, report, progress
        self.u = DPI / 72.0
        # The painter's origin is the top left of the printable area (inside the margins).
        rect = writer.pageLayout().paintRectPixels(DPI)
        self.left, self.width = 0.0, float(rect.width())
        self.page_top = 0.0
        self.page_bottom = float(rect.height())
        self.f = _Fonts(self._font(9.5), self._font(8), self._font(8), self._font(8, True), self._font(18, True),
                        self._font(13.5, True), self._font(10, True), self._font(7))
        self.running_h = self._fm(self.f.running).height() * 2.2
        self.top = self.page_top + self.running_h
        self.bottom = self.page_bottom - self.running_h
        self.pages: list[list[Callable[[QPainter], None]]] = [[]]
        self.y = self.page_top

    def _font(self, pt: float, bold: bool = False) -> QFont:
        return report_font(round(pt * self.u), bold)

    def _fm(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.w)

    def _text_h(self, font: QFont, width: float, text: str) -> float:
        return Laid(text, font, width, self.w).height

    # ------------------------------------------------------------------ placing
    def _new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def _room(self) -> float:
        return self.bottom - self.y

    def _place(self, op: Callable[[QPainter], None]) -> None:
        self.pages[-1].append(op)

    def _text(self, font: QFont, text: str, *, colour: QColor | None = None, gap_after: float = 4.0,
              width: float | None = None) -> None:
        width = width or self.width
        laid = Laid(text, font, width, self.w)
        h = laid.height
        if h > self._room():
            self._new_page()
        x, y = self.left, self.y

        def op(p, laid=laid, colour=colour, x=x, y=y):
            p.setPen(colour or QColor("#111111"))
            laid.draw(p, x, y)
        self._place(op)
        self.y += h + gap_after * self.u

    # ------------------------------------------------------------------ blocks
    def _first_height(self, block) -> float:
        """The least height a block needs on the page it starts on (to keep headings with it)."""
        if isinstance(block, Chart):
            return self.width * block.height
        if isinstance(block, Table):
            cols = self._col_widths(block)
            h = self._row_h(block.columns, cols, self.f.table_bold) + (
                self._row_h(block.rows[0], cols, self.f.table) if block.rows else 0)
            return h + (self._fm(self.f.h3).height() * 1.6 if block.title else 0)
        if isinstance(block, Paragraph):
            return min(self._text_h(self.f.body, self.width, block.text), self._fm(self.f.body).height() * 3)
        return 0.0

    def _col_widths(self, t: Table) -> list[float]:
        rel = t.widths or [max(4, max([len(c)] + [len(r[i]) for r in t.rows])) for i, c in enumerate(t.columns)]
        total = sum(rel)
        return [self.width * w / total for w in rel]

    def _row_h(self, cells, widths, font) -> float:
        pad = 2.2 * self.u
        return max(self._text_h(font, w - 2 * 3 * self.u, str(c)) for c, w in zip(cells, widths)) + 2 * pad

    def _table(self, t: Table) -> None:
        widths = self._col_widths(t)
        head_h = self._row_h(t.columns, widths, self.f.table_bold)
        title_h = self._fm(self.f.h3).height() * 1.5 if t.title else 0.0
        first = self._row_h(t.rows[0], widths, self.f.table) if t.rows else 0.0
        # A short table that does not fit moves whole to the next page rather than split.
        whole = title_h + head_h + sum(self._row_h(r, widths, self.f.table) for r in t.rows)
        short = whole < 0.4 * (self.bottom - self.top)
        if title_h + head_h + first > self._room() or (short and whole > self._room()):
            self._new_page()
        if t.title:
            self._text(self.f.h3, t.title, gap_after=1.5)
        self._header(t, widths, head_h)
        for i, row in enumerate(t.rows):
            font = self.f.table_bold if i in t.bold_rows else self.f.table
            h = self._row_h(row, widths, font)
            if h > self._room():
                self._new_page()
                if t.title:
                    self._text(self.f.h3, t.title + " (continued)", gap_after=1.5)
                self._header(t, widths, head_h)
            self._row(t, row, widths, h, font, shade=i % 2 == 1)
        self.y += 7 * self.u

    def _header(self, t: Table, widths, h) -> None:
        self._row(t, t.columns, widths, h, self.f.table_bold, fill=HEAD_BG)

    def _row(self, t: Table, cells, widths, h, font, *, fill: QColor | None = None, shade: bool = False) -> None:
        y, left, u = self.y, self.left, self.u
        bg = fill or (ZEBRA if shade else None)
        laid = []
        x = left
        for i, (cell, w) in enumerate(zip(cells, widths)):
            align = Qt.AlignmentFlag.AlignRight if t.alignment(i) == "r" else Qt.AlignmentFlag.AlignLeft
            laid.append((x + 3 * u, Laid(str(cell), font, w - 6 * u, self.w, align)))
            x += w

        def op(p):
            if bg is not None:
                p.fillRect(QRectF(left, y, sum(widths), h), bg)
            p.setPen(RULE)
            p.drawLine(QRectF(left, y, sum(widths), h).bottomLeft(), QRectF(left, y, sum(widths), h).bottomRight())
            p.setPen(QColor("#111111"))
            for x, text in laid:
                text.draw(p, x, y + 2.2 * u)
        self._place(op)
        self.y += h

    def _chart(self, c: Chart) -> None:
        h = self.width * c.height
        if h > self._room():
            self._new_page()
        rect = QRectF(self.left, self.y, self.width, h)
        self._place(lambda p, rect=rect, c=c: paint_chart(p, rect, c))
        self.y += h + 8 * self.u

    def _paragraph(self, para: Paragraph) -> None:
        font = self.f.small if para.style == "note" else self.f.body
        colour = GREY if para.style == "note" else ALERT if para.style == "alert" else None
        words = para.text.split(" ")
        # A paragraph longer than the room left is split between words.
        while words and self._text_h(font, self.width, " ".join(words)) > self._room():
            lo, hi = 0, len(words)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self._text_h(font, self.width, " ".join(words[:mid])) <= self._room():
                    lo = mid
                else:
                    hi = mid - 1
            if lo == 0:
                self._new_page()
                continue
            self._text(font, " ".join(words[:lo]), colour=colour, gap_after=0)
            words = words[lo:]
            self._new_page()
        if words:
            self._text(font, " ".join(words), colour=colour, gap_after=5)

    # ------------------------------------------------------------------ whole report
    def layout(self) -> None:
        r = self.report
        self.y = self.page_top
        self._text(self.f.h1, r.title, gap_after=6)
        meta = Table(["", ""], [[k, v] for k, v in r.meta], "ll", widths=[1, 4])
        widths = self._col_widths(meta)
        for k, v in r.meta:
            h = max(self._text_h(self.f.table_bold, widths[0], k), self._text_h(self.f.body, widths[1], v))
            y, left = self.y, self.left
            label = Laid(k, self.f.table_bold, widths[0], self.w)
            value = Laid(v, self.f.body, widths[1], self.w)

            def op(p, y=y, label=label, value=value, left=left):
                p.setPen(GREY)
                label.draw(p, left, y)
                p.setPen(QColor("#111111"))
                value.draw(p, left + widths[0], y)
            self._place(op)
            self.y += h
        self.y += 10 * self.u
        total = len(r.sections)
        for n, section in enumerate(r.sections):
            if self.progress is not None and self.progress(n, total + 1) is False:
                raise Cancelled()
            if section.new_page and self.pages[-1] and self.y > self.top + 1:
                self._new_page()
            need = self._fm(self.f.h2).height() * 1.8 + (self._first_height(section.blocks[0]) if section.blocks else 0)
            if need > self._room():
                self._new_page()
            self._text(self.f.h2, section.title, gap_after=5)
            for block in section.blocks:
                if self.progress is not None and self.progress(n, total + 1) is False:
                    raise Cancelled()
                if isinstance(block, Table):
                    self._table(block)
                elif isinstance(block, Chart):
                    self._chart(block)
                elif isinstance(block, Paragraph):
                    self._paragraph(block)

    def paint(self, painter: QPainter) -> None:
        n = len(self.pages)
        for i, ops in enumerate(self.pages):
            if i:
                self.w.newPage()
            for op in ops:
                painter.save()
                op(painter)
                painter.restore()
            self._running(painter, i + 1, n)

    def _running(self, p: QPainter, page: int, pages: int) -> None:
        p.save()
        p.setFont(self.f.running)
        p.setPen(GREY)
        fm_h = self._fm(self.f.running).height()
        flags = int(Qt.AlignmentFlag.AlignVCenter)
        if page > 1:
            head = QRectF(self.left, self.page_top, self.width, fm_h * 1.4)
            p.drawText(head, flags | int(Qt.AlignmentFlag.AlignLeft), f"AI Site Planner \u00b7 {self.report.title}")
            p.drawText(head, flags | int(Qt.AlignmentFlag.AlignRight), dict(self.report.meta).get("Project", ""))
            p.setPen(RULE)
            p.drawLine(head.bottomLeft(), head.bottomRight())
            p.setPen(GREY)
        foot = QRectF(self.left, self.page_bottom - fm_h * 1.4, self.width, fm_h * 1.4)
        p.drawText(foot, flags | int(Qt.AlignmentFlag.AlignLeft), dict(self.report.meta).get("Date", ""))
        p.drawText(foot, flags | int(Qt.AlignmentFlag.AlignRight), f"Page {page} of {pages}")
        p.restore()


def write_pdf(report: Report, path: str, *, paper: str = "a4",
              progress: Callable[[int, int], object] | None = None) -> int:
    """Write the report to `path` (a new file); returns the number of pages."""
    writer = QPdfWriter(path)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(page_size(paper), QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(report.title)
    writer.setCreator("AI Site Planner")
    layout = PdfLayout(writer, report, progress)
    layout.layout()
    painter = QPainter()
    if not painter.begin(writer):  # Qt says only "returned false": the file could not be opened
        raise OSError(errno.EACCES, "the file cannot be opened for writing")
    try:
        layout.paint(painter)
    finally:
        painter.end()
    if progress is not None:
        progress(len(report.sections) + 1, len(report.sections) + 1)
    return len(layout.pages)


