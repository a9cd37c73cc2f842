"""The Excel workbook of a report (xlsxwriter): numbers stored as numbers, units in the
headers, frozen header rows, widths that fit, one sheet per table an analyst re-works."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from aisite.core.compare import flatten_inputs
from aisite.core.errors import Cancelled
from aisite.core.explore.results import flatten
from aisite.core.report.content import CAPEX_LABELS, HOURLY_COLUMNS, OPEX_LABELS, hour_stamps
from aisite.core.report.model import Report

MAX_WIDTH = 60


CHECK_EVERY_ROWS = 500


class _Sheets:
    def __init__(self, path: str, progress=None, sheets: int = 1):
        import xlsxwriter

        # constant_memory: rows go to disk as they are written (each sheet row by row), so
        # closing the workbook is quick and Cancel is heard during the long hourly sheet.
        self.book = xlsxwriter.Workbook(path, {"nan_inf_to_errors": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False,
                                               "constant_memory": True})
        self.progress, self.sheets, self.done = progress, max(1, sheets), 0
        self.head = self.book.add_format({"bold": True, "bg_color": "#DDE5EE", "bottom": 1, "text_wrap": True,
                                          "valign": "top"})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.formats: dict[str, Any] = {}
        self.names = {"about"}

    def check(self) -> None:
        """Report progress (sheets written of those planned); Cancel raises Cancelled."""
        if self.progress is not None and self.progress(min(self.done, self.sheets), self.sheets + 1) is False:
            raise Cancelled()

    def fmt(self, num_format: str):
        if num_format not in self.formats:
            self.formats[num_format] = self.book.add_format({"num_format": num_format})
        return self.formats[num_format]

    def table(self, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              formats: Sequence[str | None] = (), widths: Sequence[float] = ()) -> None:
        """A sheet with a frozen, filtered header row and one row per record."""
        name, n = name[:31], 1
        while name.lower() in self.names:  # Excel keeps 31 characters; keep names distinct
            n += 1
            name = f"{name[:27]} ({n})"
        self.names.add(name.lower())
        self.check()
        self.done += 1
        ws = self.book.add_worksheet(name)
        ws.write_row(0, 0, list(headers), self.head)
        ws.freeze_panes(1, 0)
        seen = [len(str(h)) for h in headers]
        for r, row in enumerate(rows, start=1):
            if r % CHECK_EVERY_ROWS == 0:
                self.check()
            for c, value in enumerate(row):
                num = formats[c] if c < len(formats) else None
                if value is None or (isinstance(value, float) and not math.isfinite(value)):
                    continue
                if isinstance(value, (bool, np.bool_)):
                    ws.write_boolean(r, c, bool(value))
                elif isinstance(value, (int, float, np.integer, np.floating)):
                    ws.write_number(r, c, float(value), self.fmt(num) if num else None)
                    seen[c] = max(seen[c], 12)
                elif hasattr(value, "year"):
                    ws.write_datetime(r, c, value, self.fmt(num or "yyyy-mm-dd hh:mm"))
                    seen[c] = max(seen[c], 17)
                else:
                    ws.write_string(r, c, str(value))
                    seen[c] = max(seen[c], min(MAX_WIDTH, len(str(value))))
        for c, n in enumerate(seen):
            width = widths[c] if c < len(widths) and widths[c] else min(MAX_WIDTH, n + 2)
            ws.set_column(c, c, width, self.wrap if width >= MAX_WIDTH else None)
        if rows:
            ws.autofilter(0, 0, len(rows), len(headers) - 1)

    def close(self) -> None:
        self.book.close()


def write_excel(report: Report, path: str, progress=None) -> None:
    """The workbook; ``progress(done, total)`` hears of each sheet and may return False
    to cancel (core.errors.Cancelled)."""
    d = report.data
    e = d["evaluated"]
    s = e.summary
    x = _Sheets(path, progress, 11 + 2 * len(d["analyses"]) + (2 if d.get("comparison") else 0))

    ws = x.book.add_worksheet("About")
    ws.write_string(0, 0, report.title, x.title)
    for i, (label, value) in enumerate(report.meta, start=2):
        ws.write_string(i, 0, label, x.bold)
        ws.write_string(i, 1, str(value))
    note_row = len(report.meta) + 3
    ws.write_string(note_row, 0, "Sheets", x.bold)
    ws.write_string(note_row, 1, "Key results, All results, Inputs, Capex, Opex, Cash flow, Hourly (8,760 hours "
                                 "of the typical year), Schedule, analyses when stored, Comparison when asked, "
                                 "Sources. Values are numbers in the unit named in each header.")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)

    x.table("Key results", ["Section", "Figure", "Value", "Unit", "As shown in the app"],
            [[r["section"], r["label"], r["value"], r["unit"], r["shown"]] for r in d["key_results"]],
            ["", "", "#,##0.###", "", ""], [12, 28, 20, 16, 22])
    flat = flatten(s)
    x.table("All results", ["Result (section.key)", "Value"], [[k, v] for k, v in flat.items()],
            ["", "#,##0.####"], [46, 22])
    x.table("Inputs", ["Input (field path)", "Value"],
            [[p, v if isinstance(v, (int, float, str)) else str(v)] for p, v in flatten_inputs(e.document).items()],
            ["", "General"], [40, 40])
    cost = s["cost"]
    x.table("Capex", ["Category", "Capex (USD)", "Share"],
            [[CAPEX_LABELS.get(k, k), v, v / cost["capex_usd"] if cost["capex_usd"] else None]
             for k, v in cost["capex_breakdown_usd"].items()], ["", "#,##0", "0.0%"], [20, 18, 10])
    opex = cost["opex_breakdown_usd_per_year"]
    total = cost["opex_usd_per_year"]
    x.table("Opex", ["Category", "Opex (USD per year)", "Share"],
            [[OPEX_LABELS.get(k, k), v, v / total if total else None] for k, v in opex.items()],
            ["", "#,##0", "0.0%"], [20, 20, 10])
    flow = d["cash_flow"]
    cols = ["capex_usd", "opex_usd", "interest_during_construction_usd", "residual_value_usd", "net_usd",
            "cumulative_usd", "discounted_usd", "cumulative_discounted_usd"]
    heads = ["Capex (USD)", "Opex (USD)", "Interest during construction (USD)", "Residual value credited (USD)",
             "Net spend (USD)", "Cumulative spend (USD)", "Value at first compute (USD)",
             "Cumulative value at first compute (USD)"]
    x.table("Cash flow", ["Year (0 = build, to first compute)", *heads],
            [[int(y), *(float(flow[c][i]) for c in cols)] for i, y in enumerate(flow["year"])],
            ["0", *["#,##0"] * len(cols)], [14, *[18] * len(cols)])
    build = flow["construction"]
    cats = list(build["capex_by_category_usd"])
    x.table("Construction", ["Year before first compute (-1 = the 12 months before)",
                             *(f"{CAPEX_LABELS.get(c, c)} (USD)" for c in cats), "Paid (USD)",
                             "Interest to first compute (USD)", "Value at first compute (USD)"],
            [[int(y), *(float(build["capex_by_category_usd"][c][i]) for c in cats), float(build["capex_usd"][i]),
              float(build["interest_during_construction_usd"][i]), float(build["value_at_first_compute_usd"][i])]
             for i, y in enumerate(build["year"])],
            ["0", *["#,##0"] * (len(cats) + 3)], [22, *[18] * (len(cats) + 3)])
    h = e.result.hourly
    if h:
        keys = [(k, head) for k, head in HOURLY_COLUMNS if k in h]
        arrays = [np.asarray(h[k], dtype=float) for k, _ in keys]
        stamps = hour_stamps()
        rows = [[i, stamps[i], *(a[i] for a in arrays)] for i in range(len(stamps))]
        x.table("Hourly", ["Hour", "Time (typical year)", *(head for _, head in keys)], rows,
                ["0", "yyyy-mm-dd hh:mm", *["0.000"] * len(keys)], [7, 17, *[14] * len(keys)])
    tasks = s["schedule"].get("tasks") or []
    x.table("Schedule", ["Task", "Start (month)", "End (month)", "Duration (months)", "Critical path"],
            [[t["name"], t["start_month"], t["end_month"], t["end_month"] - t["start_month"],
              "yes" if t["critical"] else "no"] for t in tasks], ["", "0.0", "0.0", "0.0", ""], [30, 14, 14, 16, 12])
    for a in d["analyses"]:
        _analysis_sheets(x, a)
    if d.get("comparison"):
        _comparison_sheet(x, d["comparison"])
    x.table("Sources", ["Kind", "Id", "Name or value", "Source", "Year", "Estimated"],
            [[r["kind"], r["id"], r["name"], r["source"], r["year"], r["estimated"]] for r in d["sources"]],
            widths=[14, 30, 30, 60, 8, 40])
    x.check()
    x.close()


def _sheet_name(prefix: str, name: str) -> str:
    bad = '[]:*?/\\'
    clean = "".join("_" if ch in bad else ch for ch in name)
    return f"{prefix} {clean}"[:31]


def _analysis_sheets(x: _Sheets, a: dict) -> None:
    s = a["summary"]
    if isinstance(s.get("results"), dict):
        x.table(_sheet_name("MC", a["name"]), ["Result (section.key)", "P10", "P50", "P90", "Mean", "Min", "Max"],
                [[k, *(st.get(q) for q in ("p10", "p50", "p90", "mean", "min", "max"))]
                 for k, st in s["results"].items() if isinstance(st, dict)],
                ["", *["#,##0.###"] * 6], [44, *[16] * 6])
        samples = _samples(a)
        if samples:
            names = list(samples)
            n = max(len(v) for v in samples.values())
            x.table(_sheet_name("MC samples", a["name"]), ["Sample", *names],
                    [[i + 1, *(samples[k][i] if i < len(samples[k]) else None for k in names)] for i in range(n)],
                    ["0", *["General"] * len(names)])
    elif isinstance(s.get("bars"), list):
        x.table(_sheet_name("Tornado", a["name"]),
                ["Input", "Low input", "High input", "Base input", f"{s.get('result')} at low",
                 f"{s.get('result')} at high", "Swing"],
                [[b.get("path"), b.get("low_input"), b.get("high_input"), b.get("base_input"), b.get("low_result"),
                  b.get("high_result"), b.get("swing")] for b in s["bars"]], ["", *["General"] * 6],
                [36, *[16] * 6])


def _samples(a: dict) -> dict[str, list]:
    """Monte Carlo samples stored with an analysis, a column per input and per result.
    The app stores them as arrays (``inputs``: samples x inputs in the summary's input
    order; ``r:<result key>`` per result); `aisite montecarlo --json --include-samples`
    puts them in the summary (``sample_values``, ``sample_results``)."""
    s = a["summary"]
    out: dict[str, list] = {}
    for group in ("sample_values", "sample_results"):
        if isinstance(s.get(group), dict):
            out.update({k: list(v) for k, v in s[group].items()})
    arrays = a.get("arrays") or {}
    inputs = np.asarray(arrays["inputs"]) if "inputs" in arrays else None
    paths = [u.get("path", f"input {j + 1}") for j, u in enumerate(s.get("inputs") or [])]
    if inputs is not None and inputs.ndim == 2 and inputs.shape[1] == len(paths):
        for j, path in enumerate(paths):
            out.setdefault(path, inputs[:, j].tolist())
    for k, v in arrays.items():
        arr = np.asarray(v)
        if k.startswith("r:") and arr.ndim == 1:
            out.setdefault(k[2:], arr.tolist())
    return out


def _comparison_sheet(x: _Sheets, data: dict) -> None:
    names = [sc["name"] for sc in data["scenarios"]]
    rows = []
    for f in data["figures"]:
        rows.append([f["label"], *f["values"], *[(dd or {}).get("abs") for dd in f["deltas"][1:]],
                     *[(dd or {}).get("pct") for dd in f["deltas"][1:]],
                     *[(dd or {}).get("verdict", "") for dd in f["deltas"][1:]]])
    others = names[1:]
    x.table("Comparison", ["Key figure", *names, *(f"Δ {n}" for n in others), *(f"Δ% {n}" for n in others),
                           *(f"Verdict {n}" for n in others)], rows,
            ["", *["#,##0.###"] * (2 * len(others) + 1), *["0.0%"] * len(others)])
    x.table("Inputs that differ", ["Input (field path)", *names],
            [[dd["path"], *(v if isinstance(v, (int, float, str)) or v is None else str(v) for v in dd["values"])]
             for dd in data["differences"]])
