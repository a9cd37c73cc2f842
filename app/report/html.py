"""The HTML of a report: one self-contained file (CSS inline, charts as embedded PNGs at
twice the shown size), every piece of the planner's text escaped."""
from __future__ import annotations

import base64
from html import escape
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from aisite.app.report.charts import chart_image
from aisite.core.errors import Cancelled
from aisite.core.report.model import Chart, Paragraph, Report, Table

CHART_WIDTH_PX = 820  # CSS pixels; the image holds twice as many
STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 0;
       background: #f3f5f8; }
main { max-width: 900px; margin: 0 auto; padding: 24px 32px 48px; background: white; }
h1 { font-size: 24px; margin: 8px 0 12px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #dde5ee; }
h3 { font-size: 14px; margin: 18px 0 6px; }
p { font-size: 14px; line-height: 1.45; margin: 6px 0 10px; }
p.note { font-size: 12px; color: #555; }
p.alert { color: #b22222; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 4px 0 16px; }
th { background: #dde5ee; text-align: left; padding: 5px 7px; vertical-align: bottom; }
td { padding: 4px 7px; border-bottom: 1px solid #d5dbe2; vertical-align: top; white-space: pre-line;
     overflow-wrap: anywhere; }
th { overflow-wrap: anywhere; }
tr:nth-child(even) td { background: #f6f8fa; }
td.r, th.r { text-align: right; }
tr.b td { font-weight: bold; }
table.meta td { border: none; background: none !important; padding: 2px 12px 2px 0; font-size: 14px; }
table.meta td:first-child { color: #555; font-weight: bold; width: 130px; }
figure { margin: 10px 0 18px; }
figure img { width: 100%; height: auto; display: block; }
.better { color: #1a7f37; } .worse { color: #c62828; }
nav { font-size: 13px; margin: 8px 0 18px; }
nav a { margin-right: 12px; color: #0b5cad; text-decoration: none; }
@media print { body { background: white; } main { max-width: none; } h2 { break-before: auto; } }
"""


def _png_data_uri(chart: Chart) -> str:
    img = chart_image(chart, CHART_WIDTH_PX * 0.75, dpi=192)  # 0.75 pt per CSS px; 2x pixels
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


def _verdicts(cell: str) -> str:
    """Comparison verdicts in the dashboard's colours (applied to already escaped text)."""
    return (cell.replace("\u25b2\u00a0better", '<span class="better">\u25b2\u00a0better</span>')
            .replace("\u25bc\u00a0worse", '<span class="worse">\u25bc\u00a0worse</span>'))


def _table(t: Table) -> str:
    out = []
    if t.title:
        out.append(f"<h3>{escape(t.title)}</h3>")
    out.append("<table>")
    if t.widths:
        total = sum(t.widths)
        out.append("<colgroup>" + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in t.widths)
                   + "</colgroup>")
    if any(t.columns):
        out.append("<thead><tr>" + "".join(
            f'<th class="{t.alignment(i)}">{escape(c)}</th>' for i, c in enumerate(t.columns)) + "</tr></thead>")
    out.append("<tbody>")
    for n, row in enumerate(t.rows):
        cls = ' class="b"' if n in t.bold_rows else ""
        out.append(f"<tr{cls}>" + "".join(f'<td class="{t.alignment(i)}">{_verdicts(escape(str(c)))}</td>'
                                          for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(report: Report, progress: Callable[[int, int], object] | None = None) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(report.title)}</title>", f"<style>{STYLE}</style></head><body><main>",
             f"<h1>{escape(report.title)}</h1>", '<table class="meta">']
    parts += [f"<tr><td>{escape(k)}</td><td>{escape(str(v))}</td></tr>" for k, v in report.meta]
    parts.append("</table>")
    parts.append("<nav>" + "".join(f'<a href="#s{i}">{escape(s.title)}</a>' for i, s in enumerate(report.sections))
                 + "</nav>")
    total = len(report.sections)
    for i, section in enumerate(report.sections):
        if progress is not None and progress(i, total + 1) is False:
            raise Cancelled()
        parts.append(f'<section id="s{i}"><h2>{escape(section.title)}</h2>')
        for block in section.blocks:
            if progress is not None and progress(i, total + 1) is False:
                raise Cancelled()
            if isinstance(block, Table):
                parts.append(_table(block))
            elif isinstance(block, Paragraph):
                parts.append(f'<p class="{escape(block.style)}">{escape(block.text)}</p>')
            elif isinstance(block, Chart):
                parts.append(f'<figure><img alt="{escape(block.title)}" src="{_png_data_uri(block)}"></figure>')
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_html(report: Report, path: str, progress: Callable[[int, int], object] | None = None) -> None:
    text = render_html(report, progress)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
