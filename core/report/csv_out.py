"""CSV exports: the hourly year (one row per hour, every series, with timestamps) or,
with ``summary``, the key results (value, unit and the app's formatting)."""
from __future__ import annotations

import csv

import numpy as np

from aisite.core.report.content import HOURLY_COLUMNS, hour_stamps
from aisite.core.report.model import Report


def write_csv(report: Report, path: str, *, summary: bool = False) -> None:
    e = report.data["evaluated"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        if summary:
            out.writerow(["scenario", "section", "key", "label", "value", "unit", "as_shown"])
            for r in report.data["key_results"]:
                out.writerow([e.name, r["section"], r["key"], r["label"], repr(float(r["value"])), r["unit"],
                              r["shown"]])
            return
        h = e.result.hourly
        keys = [(k, head) for k, head in HOURLY_COLUMNS if k in h]
        out.writerow(["hour", "time", *(head for _, head in keys)])
        arrays = [np.asarray(h[k], dtype=float) for k, _ in keys]
        for i, stamp in enumerate(hour_stamps()):
            out.writerow([i, stamp.strftime("%Y-%m-%dT%H:%M"), *(repr(float(a[i])) for a in arrays)])
