"""Scenario reports as data: sections, tables and figures (core/report/content.py), the
year-by-year cash flow, and the Excel and CSV writers. The PDF and HTML are drawn by
app/report with Qt from the same content, so every format shows the same numbers."""
