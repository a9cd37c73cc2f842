"""The report's content as data: what the appendix lists and how sections read."""
from aisite.core.report.content import build_report, figure_label, key_results
from aisite.core.report.evaluated import from_project
from aisite.core.report.model import Chart, Table
from aisite.core.units import KEY_FIGURES

TEXAS = "Texas B200 training campus"


def test_appendix_lists_every_entry_used_with_its_source_and_estimate(sample_project):
    e = from_project(sample_project, [TEXAS])[0]
    report = build_report(e)
    sources = report.data["sources"]
    used = {(r["kind"], r["id"]) for r in sources}
    for d in e.scenario.deployments:
        if d.chip.get("source"):
            assert ("Accelerator", d.chip["id"]) in used
    assert ("Region", e.scenario.region["id"]) in used and ("Cooling", e.scenario.cooling["id"]) in used
    assert all(("Power source", p.source["id"]) in used for p in e.scenario.power)
    region = next(r for r in sources if r["kind"] == "Region")
    assert region["source"] == e.scenario.region["source"] and region["estimated"].startswith("estimated: ")
    inline = [r for r in sources if r["estimated"] == "planner's input"]
    assert inline and all(r["source"] == "the project's own entry" for r in inline)  # the sample's "Next-gen X"
    constants = [r for r in sources if r["kind"] == "Assumption"]
    assert {"facility_usd_per_mw_it", "discount_rate"} <= {r["id"] for r in constants}
    assert all(r["source"] for r in constants)


def test_sections_in_order_with_titled_charts_and_key_results(sample_project):
    e = from_project(sample_project, [TEXAS])[0]
    report = build_report(e)
    titles = [s.title for s in report.sections]
    assert titles == ["Executive summary", "Site composition", "Throughput", "Energy and carbon", "Water",
                      "Capital and operating cost", "Schedule", "Appendix: sources and assumptions"]
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) >= 8 and all(c.title and c.x_label for c in charts)
    rows = key_results(e.summary)
    assert [r["label"] for r in rows] == [lab for sec, k, lab, _f in KEY_FIGURES if e.summary[sec].get(k) is not None]
    summary_table = next(b for b in report.sections[0].blocks if isinstance(b, Table))
    assert ["    Capex", rows[[r["key"] for r in rows].index("capex_usd")]["shown"]] in summary_table.rows
    assert figure_label("cost.npv_cost_usd") == "NPV of cost" and figure_label("energy.solar_mwh") == "Solar output / yr"
