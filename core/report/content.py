"""What a scenario report says: sections, tables and charts built from one evaluation,
with optional stored analyses and a comparison. Every writer (PDF, HTML, Excel, CSV)
renders this one content, so all formats show the same numbers, formatted by core.units
as the dashboard formats them.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Sequence

import numpy as np

from aisite.core.catalogue import read_table
from aisite.core.compare import compare, flatten_inputs
from aisite.core.evaluate import MONTH_STARTS
from aisite.core.kernels import BACKEND
from aisite.core.paths import data_dir
from aisite.core.report.cash_flow import scenario_cash_flow
from aisite.core.report.evaluated import Evaluated
from aisite.core.report.model import Chart, Paragraph, Report, Section, Table
from aisite.core.schedule import TASK_NAMES
from aisite.core.units import (
    KEY_FIGURES,
    count,
    fixed,
    key_figure_rows,
    money,
    months,
    mw,
    mwh,
    percent,
    result_value,
    tonnes,
    unit_money,
    water,
)
from aisite.core.version import __version__

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SECTION_TITLES = {"throughput": "Delivers", "energy": "Draws", "cost": "Costs", "schedule": "Online"}
CAPEX_LABELS = {"accelerators": "Accelerators", "servers": "Servers", "network": "Network",
                "storage": "Storage", "facility": "Facility", "onsite_power": "On-site power",
                "grid_connection": "Grid connection"}
OPEX_LABELS = {"energy": "Energy", "fuel": "Fuel", "om": "O&M", "hardware_support": "Hardware support",
               "staff": "Staff", "lease": "Lease"}
# The unit of each key figure as stored (what an Excel "Value" column holds).
KEY_UNITS = {
    "accelerators": "count", "peak_pflops": "PFLOPS", "effective_pflops": "PFLOPS", "training_days": "days",
    "gpu_hours": "GPU-hours", "tokens_per_second": "tokens/s", "tokens_per_year": "tokens",
    "it_peak_mw": "MW", "facility_peak_mw": "MW", "pue_annual": "ratio", "annual_facility_mwh": "MWh",
    "tco2e_per_year_location": "t CO2e", "tco2e_per_year_market": "t CO2e",
    "carbon_free_fraction": "fraction (0-1)", "water_m3_per_year": "m³", "unserved_mwh": "MWh",
    "capex_usd": "USD", "opex_usd_per_year": "USD/yr", "tco_usd": "USD", "npv_cost_usd": "USD",
    "usd_per_gpu_hour": "USD/GPU-h", "breakeven_cloud_usd_per_gpu_hour": "USD/GPU-h",
    "usd_per_million_tokens": "USD/M tokens", "workload_cost_usd": "USD",
    "first_compute_month": "months", "full_capacity_month": "months",
}
# Hourly series: (key, header with unit) in the order of the hourly sheet and CSV.
HOURLY_COLUMNS = [
    ("it_mw", "IT load (MW)"), ("facility_mw", "Facility load (MW)"), ("pue", "PUE"),
    ("solar_mw", "Solar (MW)"), ("wind_mw", "Wind (MW)"), ("battery_discharge_mw", "Battery discharge (MW)"),
    ("battery_charge_mw", "Battery charge (MW)"), ("battery_soc_mwh", "Battery state of charge (MWh)"),
    ("firm_mw", "On-site firm (MW)"), ("grid_mw", "Grid import (MW)"), ("backup_mw", "Backup (MW)"),
    ("unserved_mw", "Unserved (MW)"), ("curtailed_mw", "Curtailed (MW)"), ("water_m3", "Water (m³)"),
    ("ambient_c", "Ambient temperature (°C)"),
]
# Labels and formatters of the other figures of a result (the key figures use KEY_FIGURES).
MORE_FIGURES = {
    "mfu": ("Model FLOPs utilisation (MFU)", lambda v: percent(v, 1)),
    "fabric_scaling": ("Fabric scaling efficiency", lambda v: percent(v, 1)),
    "goodput": ("Goodput", lambda v: percent(v, 1)),
    "utilization": ("Utilisation", lambda v: percent(v, 1)),
    "replica_accelerators": ("Accelerators per model replica", count),
    "replicas": ("Model replicas", count),
    "it_average_mw": ("IT load (average)", mw),
    "facility_average_mw": ("Facility load (average)", mw),
    "annual_it_mwh": ("IT energy / yr", mwh),
    "workload_facility_mwh": ("Facility energy (training run)", mwh),
    "workload_tco2e_location": ("Carbon (training run, location)", tonnes),
    "unserved_hours": ("Hours with unserved energy / yr", lambda v: count(v, "hours")),
    "grid_import_mwh": ("Grid import / yr", mwh),
    "grid_peak_mw": ("Grid import peak", mw),
    "solar_mwh": ("Solar output / yr", mwh),
    "wind_mwh": ("Wind output / yr", mwh),
    "battery_discharge_mwh": ("Battery discharge / yr", mwh),
    "battery_charge_mwh": ("Battery charge / yr", mwh),
    "curtailed_mwh": ("Curtailed renewables / yr", mwh),
    "backup_mwh": ("Backup generation / yr", mwh),
    "grid_gco2_per_kwh_mean": ("Grid carbon intensity (mean)", lambda v: fixed(v, 0, "g CO2e/kWh")),
    "firm_capacity_mw": ("Firm supply capacity", mw),
    "annualized_cost_usd_per_year": ("Annualised cost / yr", money),
    "usd_per_utilized_gpu_hour": ("Cost per utilised GPU-hour", lambda v: unit_money(v, "GPU-h")),
    "usd_per_pflop_hour": ("Cost per PFLOP-hour", lambda v: unit_money(v, "PFLOP-h")),
    "electricity_usd_per_mwh": ("Electricity price", lambda v: unit_money(v, "MWh")),
    "delay_cost_usd_per_month": ("Cost of a month's delay", money),
}
TYPICAL_YEAR = 2025  # a non-leap year: hour 0 is 1 January 00:00 of the typical year
MAX_ANALYSIS_ROWS = 15


def figure_label(key: str) -> str:
    """A result key (``cost.npv_cost_usd``) as planners read it ("NPV of cost")."""
    name = key.rsplit(".", 1)[-1]
    for _s, k, label, _f in KEY_FIGURES:
        if k == name:
            return label
    if name in MORE_FIGURES:
        return MORE_FIGURES[name][0]
    return key


def axis_scale(key: str) -> tuple[float, str]:
    """(divide by, unit) to show a result on a chart axis in planners' units."""
    name = key.rsplit(".", 1)[-1]
    if name.endswith("_usd") or name.endswith("_usd_per_year"):
        return 1e6, "$M"
    if name.endswith("_mwh"):
        return 1e3, "GWh"
    if "tco2e" in name:
        return 1e3, "kt CO2e"
    if name.endswith("_month") or name.endswith("_months"):
        return 1.0, "months"
    return 1.0, ""


def hour_stamps() -> list[_dt.datetime]:
    start = _dt.datetime(TYPICAL_YEAR, 1, 1)
    return [start + _dt.timedelta(hours=h) for h in range(8760)]


def key_figure_table(summary: dict) -> Table:
    rows, bold = [], set()
    section = None
    for sec, label, value in key_figure_rows(summary):
        if sec != section:
            bold.add(len(rows))
            rows.append([SECTION_TITLES.get(sec, sec.title()), ""])
            section = sec
        rows.append(["    " + label, value])
    return Table(["Key figure", "Value"], rows, "lr", widths=[3, 2], bold_rows=bold)


def key_results(summary: dict) -> list[dict]:
    """One row per key figure that applies: section, key, label, value, unit, as shown."""
    out = []
    for section, key, label, fmt in KEY_FIGURES:
        value = summary.get(section, {}).get(key)
        if value is None:
            continue
        out.append({"section": section, "key": key, "label": label, "value": value,
                    "unit": KEY_UNITS.get(key, ""), "shown": fmt(value)})
    return out


def checks_blocks(summary: dict) -> list:
    checks = summary.get("checks") or []
    if not checks:
        return [Paragraph("Checks: none raised.", "note")]
    rows = [[c["severity"].capitalize(), c["code"], c["message"]] for c in checks]
    return [Table(["Severity", "Check", "What it means"], rows, "lll", title="Checks", widths=[1.1, 2.2, 6.5])]


def _figures_table(section: str, summary: dict, title: str, skip: Sequence[str] = ()) -> Table:
    rows = []
    labels = {k: (label, fmt) for _s, k, label, fmt in KEY_FIGURES} | MORE_FIGURES
    for key, value in summary.get(section, {}).items():
        if key in skip or isinstance(value, (dict, list, str, bool)) or value is None:
            continue
        label, fmt = labels.get(key, (key.replace("_", " ").capitalize(), lambda v, k=key: result_value(k, v)))
        rows.append([label, fmt(value)])
    return Table(["Figure", "Value"], rows, "lr", title=title, widths=[3, 2])


def _site_section(e: Evaluated) -> Section:
    s, sc = e.summary, e.scenario
    site = s["site"]
    rows = [
        ["Region", f"{sc.region.get('name', site['region'])} ({site['region']})"],
        ["Cooling", f"{sc.cooling.get('name', site['cooling'])}"],
        ["Racks", count(site["racks"])], ["Servers", count(site["servers"])],
        ["Densest rack", fixed(site["rack_kw"], 1, "kW")],
        ["IT power per accelerator", fixed(site["it_w_per_accelerator"], 0, "W")],
        ["Hourly profile", f"{site['profile']} ({site['profile_kind']})"],
    ]
    deps = [[d.chip.get("name", d.chip.get("id", "")), count(d.count), d.server.get("name", ""),
             d.network.get("name", ""), months(d.start_month)] for d in sc.deployments]
    power = [[p.source.get("name", p.source.get("id", "")), p.source["kind"], mw(p.mw),
              mwh(p.mwh) if p.mwh else "–", p.dispatch] for p in sc.power]
    w = sc.workload
    work = [["Kind", w.kind], ["Precision", w.precision]]
    for label, value in (("Model parameters", w.params), ("Active parameters", w.active_params),
                         ("Training tokens", w.tokens), ("Context tokens", w.context_tokens)):
        if value:
            work.append([label, result_value("x", value)])
    for label, value in (("MFU", w.mfu), ("Goodput", w.goodput), ("Utilisation", w.utilization)):
        if value is not None:
            work.append([label, percent(value, 1)])
    f = sc.finance
    work += [["Finance horizon", fixed(f.horizon_years, 0, "years")], ["Discount rate", percent(f.discount_rate, 1)],
             ["Leased facility", "yes" if f.lease else "no"]]
    blocks = [
        Table(["Site", ""], rows, "ll", title="Site", widths=[2, 3]),
        Table(["Accelerator", "Count", "Server", "Network", "Phase start"], deps, "lrllr",
              title="Deployments", widths=[3, 1.3, 3, 2.4, 1.6]),
        Table(["Power source", "Kind", "Capacity", "Storage", "Dispatch"], power, "llrrl",
              title="Power", widths=[3, 1.4, 1.6, 1.6, 1.4]),
        Table(["Workload and finance", ""], work, "ll", widths=[2, 3]),
    ]
    if e.document.get("description"):
        blocks.insert(0, Paragraph(str(e.document["description"])))
    return Section("Site composition", blocks, new_page=True)


def _peak_week_start(facility: np.ndarray) -> int:
    weekly = np.add.reduceat(facility[: 52 * 168], np.arange(0, 52 * 168, 168))
    return int(np.argmax(weekly)) * 168


def _energy_section(e: Evaluated) -> Section:
    s = e.summary
    blocks: list[Any] = [_figures_table("energy", s, "Energy and carbon", skip=("water_m3_per_year",))]
    h = e.result.hourly
    if h:
        monthly = e.result.monthly_mwh()
        series = [{"name": k, "values": (np.asarray(v) / 1000.0).tolist()} for k, v in monthly.items()
                  if np.any(np.asarray(v) > 0)]
        blocks.append(Chart("stacked_bars", "Energy by source per month", "Month", "Energy (GWh)",
                            categories=MONTHS, series=series, extra={"legend": True}))
        start = _peak_week_start(np.asarray(h["facility_mw"]))
        sl = slice(start, start + 168)
        supply = [("Solar", "solar_mw"), ("Wind", "wind_mw"), ("Battery", "battery_discharge_mw"),
                  ("On-site firm", "firm_mw"), ("Grid", "grid_mw"), ("Backup", "backup_mw"),
                  ("Unserved", "unserved_mw")]
        ser = [{"name": n, "values": np.asarray(h[k])[sl].tolist()} for n, k in supply if np.any(np.asarray(h[k])[sl] > 0)]
        day0 = hour_stamps()[start]
        blocks.append(Chart("stacked_area", f"Hourly supply by source, peak-load week (from {day0:%d %b})",
                            "Hour of the week", "Power (MW)", x=list(range(168)), series=ser,
                            extra={"line": {"name": "Facility load", "values": np.asarray(h["facility_mw"])[sl].tolist()}}))
        daily = np.asarray(h["facility_mw"]).reshape(365, 24)
        pue = np.asarray(h["pue"]).reshape(365, 24)
        blocks.append(Chart("lines", "Facility load and PUE through the year (daily mean)", "Day of the year",
                            "Facility load (MW)", x=list(range(1, 366)),
                            series=[{"name": "Facility load (MW)", "values": daily.mean(axis=1).tolist()}],
                            extra={"right": {"name": "PUE", "label": "PUE", "values": pue.mean(axis=1).tolist()}},
                            height=0.34))
    return Section("Energy and carbon", blocks, new_page=True)


def _water_section(e: Evaluated) -> Section:
    s = e.summary
    en = s["energy"]
    rows = [["Water / yr (on-site)", water(en.get("water_m3_per_year"))]]
    if en.get("annual_it_mwh"):
        rows.append(["Water use effectiveness (WUE)",
                     fixed(en["water_m3_per_year"] * 1000.0 / (en["annual_it_mwh"] * 1000.0), 2, "L/kWh IT")])
    blocks: list[Any] = [Table(["Figure", "Value"], rows, "lr", title="Water", widths=[3, 2])]
    h = e.result.hourly
    if h and "water_m3" in h and np.any(np.asarray(h["water_m3"]) > 0):
        monthly = np.add.reduceat(np.asarray(h["water_m3"]), MONTH_STARTS[:-1])
        blocks.append(Chart("stacked_bars", "On-site water use per month", "Month", "Water (thousand m³)",
                            categories=MONTHS, series=[{"name": "Water", "values": (monthly / 1000.0).tolist(),
                                                        "colour": "#56B4E9"}], height=0.3))
    else:
        blocks.append(Paragraph("This cooling uses no water on site.", "note"))
    return Section("Water", blocks)


def _cost_section(e: Evaluated, flow: dict) -> Section:
    c = e.summary["cost"]
    capex = c["capex_breakdown_usd"]
    opex = c["opex_breakdown_usd_per_year"]
    cap_rows = [[CAPEX_LABELS.get(k, k), money(v), percent(v / c["capex_usd"], 1) if c["capex_usd"] else "–"]
                for k, v in capex.items()]
    cap_rows.append(["Total", money(c["capex_usd"]), "100%"])
    op_total = c["opex_usd_per_year"]
    op_rows = [[OPEX_LABELS.get(k, k), money(v), percent(v / op_total, 1) if op_total else "–"] for k, v in opex.items()]
    op_rows.append(["Total", money(op_total), "100%"])
    years = ["0 (build)" if y == 0 else str(int(y)) for y in flow["year"]]
    cf_rows = [[y, money(a), money(b), money(-r) if r else "–", money(n), money(cu), money(d)]
               for y, a, b, r, n, cu, d in zip(years, flow["capex_usd"], flow["opex_usd"],
                                               flow["residual_value_usd"], flow["net_usd"],
                                               flow["cumulative_usd"], flow["discounted_usd"])]
    cf_rows.append(["Total", money(float(np.sum(flow["capex_usd"]))), money(float(np.sum(flow["opex_usd"]))),
                    money(-float(np.sum(flow["residual_value_usd"]))), money(float(np.sum(flow["net_usd"]))), "",
                    money(float(np.sum(flow["discounted_usd"])))])
    timeline = [_year_label(y) for y in flow["timeline_year"]]
    return Section("Capital and operating cost", [
        _figures_table("cost", e.summary, "Cost figures", skip=("electricity_usd_per_mwh",)),
        Chart("hbars", "Capital cost by category", "Capex ($M)", "",
              categories=[CAPEX_LABELS.get(k, k) for k in capex], series=[{"name": "Capex",
                                                                          "values": [v / 1e6 for v in capex.values()]}],
              height=0.3),
        Table(["Capex category", "Amount", "Share"], cap_rows, "lrr", widths=[3, 2, 1.2], bold_rows={len(cap_rows) - 1}),
        Chart("hbars", "Operating cost per year by category", "Opex ($M per year)", "",
              categories=[OPEX_LABELS.get(k, k) for k in opex], series=[{"name": "Opex",
                                                                        "values": [v / 1e6 for v in opex.values()]}],
              height=0.28),
        Table(["Opex category (per year)", "Amount", "Share"], op_rows, "lrr", widths=[3, 2, 1.2],
              bold_rows={len(op_rows) - 1}),
        Chart("bars_line", "Cash flow by year from the first spend (negative years: construction)",
              "Year (0 = first compute)", "Spend ($M)", categories=timeline,
              series=[{"name": "Net spend in the year", "values": (np.asarray(flow["timeline_net_usd"]) / 1e6).tolist(),
                       "colour": "#0072B2"},
                      {"name": "Cumulative", "values": (np.asarray(flow["timeline_cumulative_usd"]) / 1e6).tolist(),
                       "colour": "#D55E00"}], height=0.34),
        *_construction_blocks(flow["construction"]),
        Paragraph("Year 0 is the build: everything bought before or at first compute (the construction years "
                  "above), its discounted value carried to first compute with interest during construction. Year k "
                  "is the opex paid in year k and the equipment bought again when its life ends. The residual value "
                  "of what is left at the end of the horizon is credited in the last year. Valued at first compute "
                  "at the scenario's discount rate, the net adds up to the NPV of cost; capex plus opex adds up to "
                  "the TCO.", "note"),
        Table(["Year", "Capex", "Opex", "Residual", "Net", "Cumulative", "Discounted"], cf_rows, "lrrrrrr",
              title="Cash flow by year", widths=[1, 1.5, 1.5, 1.5, 1.5, 1.6, 1.6], bold_rows={len(cf_rows) - 1}),
    ], new_page=True)


def _year_label(year) -> str:
    return f"\u2212{-int(year)}" if year < 0 else str(int(year))


# Construction spend grouped as a planner budgets it: the building, power, and the IT
# hardware that arrives for installation.
_BUILD_GROUPS = (("Facility", ("facility",)), ("On-site power", ("onsite_power",)),
                 ("Grid connection", ("grid_connection",)),
                 ("IT hardware", ("accelerators", "servers", "network", "storage")))


def _construction_blocks(build: dict) -> list:
    """The build by year before first compute: what is paid, and what it is worth at first compute."""
    by_cat = build["capex_by_category_usd"]
    groups = [(name, sum(by_cat[c] for c in cats if c in by_cat)) for name, cats in _BUILD_GROUPS
              if any(c in by_cat for c in cats)]
    rows = []
    for i, year in enumerate(build["year"]):
        if not build["capex_usd"][i]:
            continue           # a construction year (or first compute) with nothing paid
        label = "At first compute" if year == 0 else f"{_year_label(year)} ({-12 * int(year) - 12}–{-12 * int(year)} months)"
        rows.append([label, *(money(float(v[i])) if v[i] else "–" for _, v in groups),
                     money(float(build["capex_usd"][i])), money(float(build["interest_during_construction_usd"][i])),
                     money(float(build["value_at_first_compute_usd"][i]))])
    rows.append(["Total", *(money(float(np.sum(v))) for _, v in groups), money(float(np.sum(build["capex_usd"]))),
                 money(float(np.sum(build["interest_during_construction_usd"]))),
                 money(float(np.sum(build["value_at_first_compute_usd"])))])
    heads = ["Year (months before first compute)", *(n for n, _ in groups), "Paid", "Interest to first compute", "Value at first compute"]
    return [Table(heads, rows, "l" + "r" * (len(heads) - 1), title="Construction spend before first compute",
                  widths=[2.6, *[1.35] * len(groups), 1.1, 1.4, 1.5], bold_rows={len(rows) - 1})]


def _schedule_section(e: Evaluated) -> Section:
    sch = e.summary["schedule"]
    tasks = sch.get("tasks") or []
    rows = [[t["name"], fixed(t["start_month"], 1), fixed(t["end_month"], 1),
             fixed(t["end_month"] - t["start_month"], 1), "yes" if t["critical"] else ""] for t in tasks]
    path = " → ".join(TASK_NAMES.get(t, t) for t in sch.get("critical_path") or []) or "none (power never suffices)"
    return Section("Schedule", [
        Paragraph(f"First compute at {months(sch.get('first_compute_month'))}, full capacity at "
                  f"{months(sch.get('full_capacity_month'))}. Critical path: {path}."),
        Chart("gantt", "Schedule (critical path in red)", "Months from project start", "",
              categories=[t["name"] for t in tasks],
              series=[{"name": t["name"], "start": t["start_month"], "end": t["end_month"], "critical": t["critical"]}
                      for t in tasks],
              extra={"markers": [(v, lbl) for v, lbl in ((sch.get("first_compute_month"), "First compute"),
                                                         (sch.get("full_capacity_month"), "Full capacity"))
                                 if v is not None]}, height=0.36),
        Table(["Task", "Start (month)", "End (month)", "Months", "Critical"], rows, "lrrrl",
              widths=[3.2, 1.3, 1.3, 1.1, 1], bold_rows={i for i, t in enumerate(tasks) if t["critical"]}),
    ])


def _analysis_sections(analyses: Sequence[dict]) -> list[Section]:
    """Monte Carlo percentiles and tornado bars from analyses stored in the project."""
    blocks: list[Any] = []
    for a in analyses:
        s = a["summary"]
        if isinstance(s.get("results"), dict):  # Monte Carlo
            rows, keys = [], []
            for key, st in list(s["results"].items()):
                if not isinstance(st, dict) or not st.get("count"):
                    continue
                rows.append([figure_label(key), *(result_value(key, st.get(q)) for q in ("p10", "p50", "p90", "mean"))])
                keys.append(key)
            rows = [r for r, k in zip(rows, keys) if k in _MC_SHOWN] or rows[:MAX_ANALYSIS_ROWS]
            blocks.append(Paragraph(f"Monte Carlo \u201c{a['name']}\u201d: {count(s.get('samples'))} samples, "
                                    f"seed {s.get('seed')}, {len(s.get('inputs') or [])} uncertain inputs."))
            blocks.append(Table(["Result", "P10", "P50", "P90", "Mean"], rows, "lrrrr",
                                widths=[3.4, 1.5, 1.5, 1.5, 1.5]))
            inputs = [[u.get("path", ""), u.get("dist", u.get("distribution", "")),
                       ", ".join(f"{k} {u[k]:g}" for k in ("low", "mode", "high")
                                 if isinstance(u.get(k), (int, float)))] for u in s.get("inputs") or []]
            if inputs:
                blocks.append(Table(["Uncertain input", "Distribution", "Range"], inputs, "lll", widths=[3, 1.5, 3]))
        elif isinstance(s.get("bars"), list):  # tornado
            key = s.get("result", "")
            bars = [b for b in s["bars"] if b.get("low_result") is not None and b.get("high_result") is not None]
            bars = bars[:MAX_ANALYSIS_ROWS]
            label = figure_label(key)
            div, unit = axis_scale(key)
            blocks.append(Paragraph(f"Tornado \u201c{a['name']}\u201d of {label} ({key}): base "
                                    f"{result_value(key, s.get('base'))}. Each input at its low and its high, "
                                    "the others at base."))
            blocks.append(Chart("tornado", f"What moves {label} most", f"{label} ({unit})" if unit else label, "",
                                categories=[b["path"] for b in bars],
                                series=[{"name": b["path"], "low": b["low_result"] / div, "high": b["high_result"] / div}
                                        for b in bars], extra={"base": (s.get("base") or 0.0) / div, "key": key},
                                height=max(0.22, 0.05 * len(bars) + 0.1)))
            blocks.append(Table(["Input", "Low", "High", "Result at low", "Result at high", "Swing"],
                                [[b["path"], f"{b['low_input']:,.6g}", f"{b['high_input']:,.6g}",
                                  result_value(key, b["low_result"]), result_value(key, b["high_result"]),
                                  result_value(key, b.get("swing"))] for b in bars], "lrrrrr",
                                widths=[3, 1.1, 1.1, 1.6, 1.6, 1.4]))
    return [Section("Uncertainty", blocks, new_page=True)] if blocks else []


_MC_SHOWN = ("schedule.first_compute_month", "schedule.full_capacity_month", "throughput.training_days",
             "throughput.tokens_per_year", "energy.facility_peak_mw", "energy.annual_facility_mwh",
             "energy.pue_annual", "energy.tco2e_per_year_location", "energy.carbon_free_fraction",
             "energy.unserved_mwh", "cost.capex_usd", "cost.opex_usd_per_year", "cost.npv_cost_usd",
             "cost.usd_per_gpu_hour", "cost.usd_per_million_tokens")


def _comparison_section(data: dict) -> Section:
    names = [s["name"] for s in data["scenarios"]]
    rows, bold = [], set()
    for f in data["figures"]:
        row = [f["label"], f["formatted"][0]]
        for v, d in zip(f["formatted"][1:], f["deltas"][1:]):
            # a no-break space keeps the arrow with its word when the cell wraps
            mark = {"better": " ▲\u00a0better", "worse": " ▼\u00a0worse"}.get(d["verdict"], "") if d else ""
            row.append(v + ("\n" + d["text"] + mark if d and d["verdict"] != "same" else ""))
        rows.append(row)
    widths = [2.6] + [2.2] * len(names)
    blocks: list[Any] = [
        Paragraph("Deltas are against the first scenario; ▲ is better and ▼ worse for a planner "
                  "(lower cost, carbon, water, PUE and months; more compute and tokens).", "note"),
        Table(["Key figure", *names], rows, "l" + "r" * len(names), widths=widths, bold_rows=bold),
        Chart("lines", "Cumulative spend by year from the first construction spend", "Year (0 = first compute)",
              "Cumulative spend ($M)", x=[float(y) for y in data["cash_flow"][0]["timeline_year"]],
              series=[{"name": n, "values": (np.asarray(cf["timeline_cumulative_usd"]) / 1e6).tolist(),
                       "x": [float(y) for y in cf["timeline_year"]]} for n, cf in zip(names, data["cash_flow"])],
              height=0.36),
    ]
    if all(m for m in data["monthly_mwh"]):
        sources = [k for k in data["monthly_mwh"][0]
                   if any(sum(m.get(k, [])) > 0 for m in data["monthly_mwh"])]
        blocks.append(Chart("grouped_bars", "Energy by source per year", "Source", "Energy (GWh per year)",
                            categories=sources,
                            series=[{"name": n, "values": [sum(m.get(k, [])) / 1000.0 for k in sources]}
                                    for n, m in zip(names, data["monthly_mwh"])], height=0.34))
    sched_rows = [[n, months(s.get("first_compute_month")), months(s.get("full_capacity_month")),
                   " → ".join(TASK_NAMES.get(t, t) for t in s.get("critical_path") or []) or "–"]
                  for n, s in zip(names, data["schedules"])]
    blocks.append(Table(["Scenario", "First compute", "Full capacity", "Critical path"], sched_rows, "lrrl",
                        title="Schedules", widths=[2.4, 1.4, 1.4, 4]))
    diffs = data["differences"]
    if diffs:
        blocks.append(Table(["Input", *names],
                            [[d["path"], *(_show(v) for v in d["values"])] for d in diffs],
                            "l" * (len(names) + 1), title="Inputs that differ", widths=[3.3] + [2.2] * len(names)))
    else:
        blocks.append(Paragraph("The scenarios have the same inputs.", "note"))
    return Section("Comparison", blocks, new_page=True)


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _estimated(row: dict) -> str:
    est = str(row.get("estimated") or "").strip()
    if not est:
        return "no"
    if est == "value":
        return "yes"
    return "estimated: " + ", ".join(f.replace("_", " ") for f in est.split(";"))


CATALOGUE_KINDS = (("regions", "Region"), ("cooling", "Cooling"), ("chips", "Accelerator"),
                   ("servers", "Server"), ("network", "Network"), ("power_sources", "Power source"))


def sources_rows(e: Evaluated) -> list[dict]:
    """Every catalogue entry and constant the scenario used, with source and estimate flag."""
    sc = e.scenario
    used: list[tuple[str, dict]] = [("regions", sc.region), ("cooling", sc.cooling)]
    for d in sc.deployments:
        used += [("chips", d.chip), ("servers", d.server), ("network", d.network)]
    used += [("power_sources", p.source) for p in sc.power]
    out, seen = [], set()
    user_ids = getattr(sc.catalogue, "user_ids", {})
    for kind, row in used:
        rid = row.get("id") or row.get("name", "inline")
        if (kind, rid) in seen:
            continue
        seen.add((kind, rid))
        own = rid in user_ids.get(kind, ()) or "source" not in row
        out.append({"kind": dict(CATALOGUE_KINDS)[kind], "id": str(rid), "name": str(row.get("name", "")),
                    "source": "the project's own entry" if own and not row.get("source") else str(row.get("source", "")),
                    "year": str(row.get("year") or ""), "estimated": "planner's input" if own else _estimated(row)})
    for row in read_table(data_dir() / "constants.csv"):
        out.append({"kind": "Assumption", "id": str(row["key"]), "name": f"{row['value']:g} {row.get('unit') or ''}".strip()
                    if isinstance(row["value"], (int, float)) else str(row["value"]),
                    "source": str(row.get("source") or ""), "year": str(row.get("year") or ""),
                    "estimated": _estimated(row)})
    return out


def _appendix(e: Evaluated) -> Section:
    rows = sources_rows(e)
    entries = [[r["kind"], f"{r['name']} ({r['id']})" if r["kind"] != "Assumption" else r["id"],
                *([r["name"]] if r["kind"] == "Assumption" else [""]), r["source"], r["estimated"]] for r in rows]
    cat = [[k, n, s, est] for k, n, _v, s, est in entries if k != "Assumption"]
    const = [[n, v, s, est] for k, n, v, s, est in entries if k == "Assumption"]
    inputs = [[p, _show(v)] for p, v in flatten_inputs(e.document).items()]
    return Section("Appendix: sources and assumptions", [
        Paragraph("Every catalogue entry and engine assumption this scenario used, with its source. "
                  "\u201cEstimated\u201d lists the fields that are estimates rather than published figures.", "note"),
        Table(["Kind", "Entry", "Source", "Estimated"], cat, "llll", title="Catalogue entries",
              widths=[1.3, 2.6, 4.6, 2.4]),
        Table(["Assumption", "Value", "Source", "Estimated"], const, "lrll", title="Engine assumptions",
              widths=[2.6, 1.6, 4.8, 1.3]),
        Table(["Input (field path)", "Value"], inputs, "ll", title="Scenario inputs", widths=[2, 3]),
    ], new_page=True)


def build_report(e: Evaluated, *, project_title: str = "", analyses: Sequence[dict] = (),
                 compare_with: Sequence[Evaluated] = (), created: _dt.datetime | None = None) -> Report:
    """The whole report of one evaluated scenario. ``analyses``: stored analyses of this
    scenario as {name, kind, summary, arrays}; ``compare_with``: scenarios compared against it."""
    created = created or _dt.datetime.now().astimezone()
    s = e.summary
    flow = scenario_cash_flow(e.scenario, s)
    meta = [("Project", project_title or e.source), ("Scenario", e.name)]
    if e.site:
        meta.append(("Site", e.site))
    meta += [("Date", created.strftime("%d %B %Y, %H:%M")),
             ("App version", f"AI Site Planner {__version__}"),
             ("Engine", f"{s.get('engine', {}).get('version', __version__)}, {s.get('engine', {}).get('backend', BACKEND)}")]
    summary = Section("Executive summary", [key_figure_table(s), *checks_blocks(s)])
    sections = [summary, _site_section(e),
                Section("Throughput", [_figures_table("throughput", s, "What the site delivers")]),
                _energy_section(e), _water_section(e), _cost_section(e, flow), _schedule_section(e)]
    sections += _analysis_sections(analyses)
    comparison = None
    if compare_with:
        comparison = compare([e, *compare_with])
        sections.append(_comparison_section(comparison))
    sections.append(_appendix(e))
    return Report(title=f"Scenario report: {e.name}", scenario=e.name, meta=meta, sections=sections,
                  data={"evaluated": e, "cash_flow": flow, "analyses": list(analyses), "comparison": comparison,
                        "key_results": key_results(s), "sources": sources_rows(e)})


