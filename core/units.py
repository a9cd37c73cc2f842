"""Numbers as planners read them: units and rounding, the same in the app, the CLI and
reports (MW to one decimal, money in $k/$M/$B, ...)."""
from __future__ import annotations

import math
from typing import Any, Callable


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def money(value: float | None, *, decimals: int | None = None) -> str:
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= limit:
            scaled = v / limit
            d = decimals if decimals is not None else (2 if scaled < 10 else 1 if scaled < 100 else 0)
            return f"{sign}${scaled:,.{d}f}{suffix}"
    d = decimals if decimals is not None else 2
    return f"{sign}${v:,.{d}f}"


def unit_money(value: float | None, unit: str) -> str:
    """Small per-unit prices ($/GPU-hour, $/M tokens) keep cents."""
    if _missing(value):
        return "–"
    return f"${value:,.2f}/{unit}" if value < 1000 else f"{money(value)}/{unit}"


def mw(value: float | None) -> str:
    return "–" if _missing(value) else f"{value:,.1f} MW"


def mwh(value: float | None) -> str:
    if _missing(value):
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} TWh"
    if abs(value) >= 1e3:
        return f"{value / 1e3:,.1f} GWh"
    return f"{value:,.0f} MWh"


def count(value: float | None, unit: str = "") -> str:
    if _missing(value):
        return "–"
    text = f"{value:,.0f}"
    return f"{text} {unit}".strip()


def large(value: float | None, unit: str = "") -> str:
    """Big quantities with an SI-style suffix: 1.2 M, 3.4 B, 5.6 T."""
    if _missing(value):
        return "–"
    v = abs(value)
    for limit, suffix in ((1e15, " P"), (1e12, " T"), (1e9, " B"), (1e6, " M"), (1e3, " k")):
        if v >= limit:
            return f"{value / limit:,.2f}{suffix}{(' ' + unit) if unit else ''}".replace("  ", " ")
    return f"{value:,.1f}{(' ' + unit) if unit else ''}"


def fixed(value: float | None, decimals: int, unit: str = "") -> str:
    if _missing(value):
        return "–"
    return f"{value:,.{decimals}f}{(' ' + unit) if unit else ''}"


def percent(value: float | None, decimals: int = 0) -> str:
    return "–" if _missing(value) else f"{value * 100:.{decimals}f}%"


def tonnes(value: float | None) -> str:
    if _missing(value):
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} Mt CO2e"
    if abs(value) >= 1e3:
        return f"{value / 1e3:,.1f} kt CO2e"
    return f"{value:,.0f} t CO2e"


def water(value: float | None) -> str:
    if _missing(value):
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} million m³"
    return f"{value:,.0f} m³"


def months(value: float | None) -> str:
    return "–" if _missing(value) else f"{value:,.0f} months"


# (section, key, label, formatter): the key figures, in the order planners read them.
KEY_FIGURES: list[tuple[str, str, str, Callable[[Any], str]]] = [
    ("throughput", "accelerators", "Accelerators", count),
    ("throughput", "peak_pflops", "Peak compute", lambda v: fixed(v, 0, "PFLOPS")),
    ("throughput", "effective_pflops", "Effective compute", lambda v: fixed(v, 0, "PFLOPS")),
    ("throughput", "training_days", "Training time", lambda v: fixed(v, 1, "days")),
    ("throughput", "gpu_hours", "GPU-hours (training run)", lambda v: large(v)),
    ("throughput", "tokens_per_second", "Tokens per second", lambda v: large(v)),
    ("throughput", "tokens_per_year", "Tokens per year", lambda v: large(v)),
    ("energy", "it_peak_mw", "IT load (full)", mw),
    ("energy", "facility_peak_mw", "Facility peak", mw),
    ("energy", "pue_annual", "PUE (annual)", lambda v: fixed(v, 2)),
    ("energy", "annual_facility_mwh", "Facility energy / yr", mwh),
    ("energy", "tco2e_per_year_location", "Carbon / yr (location)", tonnes),
    ("energy", "tco2e_per_year_market", "Carbon / yr (market)", tonnes),
    ("energy", "carbon_free_fraction", "Carbon-free (on-site)", percent),
    ("energy", "water_m3_per_year", "Water / yr (on-site)", water),
    ("energy", "unserved_mwh", "Unserved energy / yr", mwh),
    ("cost", "capex_usd", "Capex", money),
    ("cost", "opex_usd_per_year", "Opex / yr", money),
    ("cost", "tco_usd", "TCO (horizon)", money),
    ("cost", "npv_cost_usd", "NPV of cost", money),
    ("cost", "usd_per_gpu_hour", "Cost per GPU-hour", lambda v: unit_money(v, "GPU-h")),
    ("cost", "breakeven_cloud_usd_per_gpu_hour", "Break-even cloud rate", lambda v: unit_money(v, "GPU-h")),
    ("cost", "usd_per_million_tokens", "Cost per million tokens", lambda v: unit_money(v, "M tok")),
    ("cost", "workload_cost_usd", "Training run cost", money),
    ("schedule", "first_compute_month", "First compute", months),
    ("schedule", "full_capacity_month", "Full capacity", months),
]


def key_figure_rows(summary: dict) -> list[tuple[str, str, str]]:
    """(section, label, formatted value) for every key figure that applies."""
    rows = []
    for section, key, label, fmt in KEY_FIGURES:
        value = summary.get(section, {}).get(key)
        if value is None:
            continue
        rows.append((section, label, fmt(value)))
    return rows


def result_value(key: str, value) -> str:
    """A result addressed as `section.key` (or a bare key), in its unit: the formatter is
    chosen from the key's unit suffix, as the contract names keys (`_usd`, `_mw`, ...)."""
    if value is None or isinstance(value, (dict, list, str, bool)):
        return "–" if value is None else str(value)
    name = key.rsplit(".", 1)[-1]
    for section, k, _label, fmt in KEY_FIGURES:
        if k == name:
            return fmt(value)
    if "tco2e" in name:
        return tonnes(value)
    if name.endswith("_usd") or name.startswith("usd_per") or "_usd_" in name:
        return money(value) if abs(value) >= 100 else f"${value:,.2f}"
    if name.endswith("_mwh"):
        return mwh(value)
    if name.endswith("_mw"):
        return mw(value)
    if name.endswith("_m3") or "m3_per" in name:
        return water(value)
    if name.endswith("_month") or name.endswith("_months"):
        return fixed(value, 1, "months")
    if name.endswith("fraction") or name in ("mfu", "goodput", "utilization", "fabric_scaling"):
        return percent(value, 1)
    return large(value) if abs(value) >= 1e4 else fixed(value, 3 if abs(value) < 10 else 1)
