"""The app's fixed series colours, free of pyqtgraph and widgets so that reports drawn
offscreen (app.report) load fast; app.theme re-exports them with the chart styling.

Series colours are fixed (a planner learns that grid is grey and solar is amber).
"""
from __future__ import annotations

# Supply series, in stacking order (bottom first). Colour-blind-aware (Okabe-Ito based).
SUPPLY_COLOURS = {
    "Solar": "#E69F00",
    "Wind": "#56B4E9",
    "Battery": "#009E73",
    "On-site firm": "#CC79A7",
    "Grid": "#8C8C8C",
    "Backup": "#D55E00",
    "Unserved": "#E41A1C",
}
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C8C8C", "#F0E442"]
CRITICAL = "#D62728"
NORMAL_TASK = "#4C78A8"
SEVERITY_COLOURS = {"error": "#D62728", "warning": "#E69F00", "info": "#4C78A8"}
ERROR_TEXT = "#D62728"
