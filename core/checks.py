"""Checks a planner should see: each has a code, a severity, a sentence and the field
it concerns (so the GUI can select the offending input).

Codes are part of the contract: rack_over_cooling_limit, power_short_of_peak,
unserved_energy, export_restricted_chip, model_does_not_fit, input_out_of_range.
"""
from __future__ import annotations

from aisite.core.scenario import Scenario
from aisite.core.throughput import Throughput


def _check(code: str, severity: str, message: str, field: str) -> dict:
    return {"code": code, "severity": severity, "message": message, "field": field}


def _mw(value: float) -> str:
    return f"{value:,.1f} MW"


def run_checks(scenario: Scenario, tp: Throughput, energy: dict, per_deployment) -> list[dict]:
    checks = []
    cooling = scenario.cooling
    limit = float(cooling["max_kw_per_rack"])
    for i, (d, power) in enumerate(zip(scenario.deployments, per_deployment)):
        if power.rack_kw > limit:
            checks.append(_check(
                "rack_over_cooling_limit", "error",
                f"A rack of {d.servers_per_rack} servers with {d.chip['name']} draws {power.rack_kw:,.0f} kW; "
                f"{cooling['name']} handles at most {limit:,.0f} kW per rack. Choose denser cooling or put "
                f"fewer servers in each rack.", f"deployments[{i}].servers_per_rack"))

    firm = energy["firm_capacity_mw"]
    peak = energy["facility_peak_mw"]
    if energy["unserved_mwh"] > 1e-6:
        checks.append(_check(
            "unserved_energy", "error",
            f"The power sources leave {energy['unserved_mwh']:,.0f} MWh a year unserved "
            f"({energy['unserved_hours']:,} hours short). Add grid import, firm on-site power or storage.",
            "power"))
    if firm + 1e-9 < peak:
        severity = "error" if energy["unserved_mwh"] > 1e-6 else "warning"
        checks.append(_check(
            "power_short_of_peak", severity,
            f"Firm power (grid import and on-site firm sources) is {_mw(firm)}, short of the facility's "
            f"design peak of {_mw(peak)} (IT at full load in the hottest hour)"
            + ("; solar, wind and batteries cover the gap only some of the time." if severity == "warning" else "."),
            "power"))

    tier = int(float(scenario.region.get("export_tier") or 1))
    for i, d in enumerate(scenario.deployments):
        export_class = d.chip.get("export_class") or "unrestricted"
        name, region = d.chip["name"], scenario.region["name"]
        if export_class == "controlled" and tier >= 3:
            checks.append(_check(
                "export_restricted_chip", "error",
                f"{name} is under US export control and cannot be shipped to {region} (tier {tier}).",
                f"deployments[{i}].chip"))
        elif export_class == "controlled" and tier == 2:
            checks.append(_check(
                "export_restricted_chip", "warning",
                f"{name} needs a US export licence for {region} (tier 2); plan for licence time and volume caps.",
                f"deployments[{i}].chip"))
        elif export_class == "china-variant" and tier >= 3:
            checks.append(_check(
                "export_restricted_chip", "warning",
                f"{name} was designed under the export thresholds but has needed a licence for {region} "
                f"since April 2025.", f"deployments[{i}].chip"))

    w = scenario.workload
    if tp.memory_needed_gb is not None and w.kind == "inference":
        for i, d in enumerate(scenario.deployments):
            replica = tp.replica_accelerators or 0
            if replica > d.count:
                checks.append(_check(
                    "model_does_not_fit", "error",
                    f"One replica of the model needs {tp.memory_needed_gb:,.0f} GB (weights and KV cache for a "
                    f"batch of {w.batch}); {d.count:,} x {d.chip['name']} cannot hold it.", f"deployments[{i}].count"))
    elif tp.memory_needed_gb is not None and w.kind == "training":
        if tp.memory_needed_gb > tp.memory_available_gb:
            checks.append(_check(
                "model_does_not_fit", "error",
                f"Training a {w.params / 1e9:,.0f}B-parameter model needs about {tp.memory_needed_gb:,.0f} GB for "
                f"weights, gradients and optimiser state; the cluster has {tp.memory_available_gb:,.0f} GB usable.",
                "workload.params"))

    checks.extend(_range_checks(scenario, tp, energy))
    return checks


def _range_checks(scenario: Scenario, tp: Throughput, energy: dict) -> list[dict]:
    out = []
    w = scenario.workload

    def warn(message, field):
        out.append(_check("input_out_of_range", "warning", message, field))

    if w.mfu is not None and not 0.1 <= w.mfu <= 0.75:
        warn(f"An MFU of {w.mfu:.0%} is outside what large training runs achieve (30-65% observed).",
             "workload.mfu")
    if w.kind == "training" and w.tokens / w.active_params > 2000:
        warn(f"{w.tokens / w.active_params:,.0f} training tokens per parameter is far beyond common practice "
             f"(20-200).", "workload.tokens")
    if w.kind in ("training", "inference") and w.precision == "fp8":
        for i, d in enumerate(scenario.deployments):
            if not d.chip.get("fp8_tflops"):
                warn(f"{d.chip['name']} has no FP8 units; its BF16 rate is used.", f"deployments[{i}].chip")
    if tp.utilization < 0.05:
        warn(f"A utilisation of {tp.utilization:.0%} leaves the site almost idle.", "workload.utilization")
    pue = scenario.overrides.get("pue")
    if pue is not None and pue < 1.02:
        warn(f"A PUE of {pue:.2f} is below what any operating site reports (best ~1.03).", "overrides.pue")
    goodput = scenario.overrides.get("goodput", w.goodput)
    if goodput is not None and goodput < 0.5:
        warn(f"A goodput of {goodput:.0%} means most of the run is lost to interruptions.", "workload.goodput")
    if scenario.overrides.get("electricity_usd_per_mwh", 50) < 10:
        warn("An electricity price under $10/MWh is below any industrial tariff.", "overrides.electricity_usd_per_mwh")
    return out
