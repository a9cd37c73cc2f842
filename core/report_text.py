"""The plain-text results table of `aisite evaluate` (no --json)."""
from __future__ import annotations

from aisite.core.units import key_figure_rows, money
from aisite.core.validate import terminal_safe

SECTION_TITLES = {"throughput": "Delivers", "energy": "Draws", "cost": "Costs", "schedule": "Online"}


def summary_table(summary: dict) -> str:
    title = terminal_safe(summary.get("scenario", "Scenario"))  # a name never acts on the terminal
    lines = [title, "=" * len(title)]
    section = None
    for sec, label, value in key_figure_rows(summary):
        if sec != section:
            lines.append("")
            lines.append(SECTION_TITLES.get(sec, sec.title()))
            section = sec
        lines.append(f"  {label:<28} {value:>20}")
    capex = summary["cost"]["capex_breakdown_usd"]
    lines.append("")
    lines.append("Capex by category")
    for key, value in capex.items():
        lines.append(f"  {key.replace('_', ' '):<28} {money(value):>20}")
    path = summary["schedule"].get("critical_path") or []
    if path:
        lines.append("")
        lines.append("Critical path: " + " -> ".join(path))
    checks = summary.get("checks") or []
    lines.append("")
    if checks:
        lines.append("Checks")
        for c in checks:
            lines.append(f"  [{c['severity']}] {c['code']}: {terminal_safe(c['message'])}")
    else:
        lines.append("Checks: none raised")
    return "\n".join(lines) + "\n"
