"""The building blocks of a report, as plain data every writer understands.

A Report is a title block and Sections; a Section holds Paragraphs, Tables and Charts.
Text is the planner's own (never pre-escaped): each writer escapes for its format.
Chart data are numbers with titles, axis labels and units; app/report draws them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # "body", "note" (smaller, grey), "alert" (a check that needs action)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    align: str = ""  # one letter per column, "l" or "r"; default: first left, rest right
    title: str = ""
    widths: list[float] | None = None  # relative column widths; default from the text
    bold_rows: set[int] = field(default_factory=set)  # e.g. totals, the critical path

    def alignment(self, i: int) -> str:
        if self.align and i < len(self.align):
            return self.align[i]
        return "l" if i == 0 else "r"


@dataclass
class Chart:
    """kind: "stacked_bars" (categories x series), "stacked_area" (x numbers x series, with an
    optional "line" overlay), "lines" (x numbers x series), "hbars" (categories, one series),
    "gantt" (tasks with start/end and critical flags), "tornado" (low/high around a base),
    "bars_line" (bars per category and a line series on the same axis)."""
    kind: str
    title: str
    x_label: str
    y_label: str
    categories: list[str] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)  # {name, values, colour?}
    extra: dict[str, Any] = field(default_factory=dict)
    height: float = 0.42  # of the width


@dataclass
class Section:
    title: str
    blocks: list[Any] = field(default_factory=list)
    new_page: bool = False


@dataclass
class Report:
    title: str
    scenario: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    # What the Excel and CSV writers need beyond the printed content.
    data: dict[str, Any] = field(default_factory=dict)
