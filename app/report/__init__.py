"""Reports drawn with Qt: charts (charts.py), the PDF (pdf.py) and self-contained HTML
(html.py); export.py writes any format safely; report_cmd.py is `aisite report`."""
