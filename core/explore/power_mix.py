"""Cheapest power mix: the capacities of a site's power sources that minimise the NPV of
cost under a planner's constraints (unserved energy at most X MWh a year, carbon-free
fraction at least Y, location-based emissions at most Z tCO2e a year, first compute by
month M).

Method: a linear program over the 8,760 hours of the typical year, solved with HiGHS
(highspy). Why an LP rather than a search with the fast kernel: with the facility's
hourly load fixed (it does not depend on the power mix), every cost in core.cost that
depends on the mix is linear in the capacities (capex with replacements and residual
value, fixed O&M) and in the hourly energies (grid energy, fuel, variable O&M), and
every constraint (hourly balance, capacity limits, battery state of charge, annual
unserved energy, carbon-free share, emissions) is linear too. So the LP gives the exact
optimum of the sizing-and-dispatch problem in seconds, where a search over 6-8
capacities with the kernel could only promise a gap. The schedule constraint is not
linear (which sources count depends on their lead times); it is handled exactly by
solving one LP per way power can be ready by month M (grid alone; on-site sources
whose lead time fits, with or without the grid) and keeping the cheapest.

The LP dispatches optimally (it may hold battery energy for a high-carbon or short
hour); the engine's hourly kernel dispatches in fixed merit order. The engine's dispatch
is one of the LP's feasible dispatches, so the LP optimum is a lower bound on the NPV of
every mix that meets the constraints in the engine. The answer is then evaluated by the
engine (`aisite.core.evaluate`); where the merit-order dispatch misses a constraint the LP's
dispatch meets, the mix is repaired with the fast kernel (firm supply topped up by the
largest hourly shortfall; solar, wind and storage scaled up by the smallest factor that
meets the carbon constraints), and reported with its gap to the LP bound: the cheapest
mix the engine accepts costs between the bound and the answer.

Dispatch rules shared with the kernel: solar and wind serve load, charge the battery or
are curtailed; the battery charges only from on-site renewables and starts the year
half full; firm on-site sources run up to capacity x availability; grid import up to its
MW; diesel backup up to MW x availability; the rest is unserved.
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field

import numpy as np

from aisite.core.cost import (construction_interest_factor, cost_summary, npv_of_yearly, source_npv_per_unit,
                       spend_months)
from aisite.core.errors import InputError
from aisite.core.evaluate import evaluate
from aisite.core.explore import lp_process
from aisite.core.explore.results import flatten
from aisite.core.kernels import layout as L
from aisite.core.kernels.hourly import hourly_year
from aisite.core.scenario import load_scenario
from aisite.core.schedule import durations
from aisite.core.throughput import compute_throughput

KINDS_ORDER = ("grid", "variable", "storage", "firm", "backup")


@dataclass
class Unit:
    """One candidate source: a capacity variable (two for a battery: MW and MWh)."""
    id: str
    kind: str
    row: dict
    ref: object            # what goes in the scenario's power entry ("solar-pv" or an inline dict)


@dataclass
class PowerMixResult:
    status: str
    capacities: dict[str, dict]          # source id -> {"mw": ..., "mwh": ...}
    lp_npv_cost_usd: float               # lower bound: constant part + LP objective
    lp_power_npv_usd: float              # the mix-dependent part alone
    lp: dict                             # LP dispatch figures
    engine: dict                         # the engine's figures for the answer
    engine_meets_constraints: dict[str, bool]
    constraints: dict
    case: str
    solve_seconds: float
    scenario: dict = field(repr=False, default_factory=dict)
    cases: list = field(default_factory=list)

    @property
    def gap_usd(self) -> float:
        return self.engine["cost.npv_cost_usd"] - self.lp_npv_cost_usd

    def to_json(self) -> dict:
        return {
            "format": "aisite.power_mix/1",
            "method": "linear program over 8,760 hours (HiGHS)",
            "status": self.status,
            "case": self.case,
            "constraints": self.constraints,
            "capacities": self.capacities,
            "lp_npv_cost_usd": self.lp_npv_cost_usd,
            "engine_npv_cost_usd": self.engine["cost.npv_cost_usd"],
            "gap_usd": self.gap_usd,
            "gap_fraction": self.gap_usd / self.lp_npv_cost_usd if self.lp_npv_cost_usd else None,
            "lp_dispatch": self.lp,
            "engine": self.engine,
            "engine_meets_constraints": self.engine_meets_constraints,
            "solve_seconds": self.solve_seconds,
            "cases": self.cases,
            "power": self.scenario.get("power"),
        }


def _bare_npv(bare, spend) -> float:
    """NPV of cost of a scenario with no power sources, on a given spending schedule."""
    from aisite.core.energy import site_inputs

    tp = compute_throughput(bare)
    inputs = site_inputs(bare, tp.utilization)
    totals, _ = hourly_year(inputs.params, inputs.temp, inputs.solar_cf, inputs.wind_cf, inputs.grid_ci,
                            inputs.util, with_hourly=False)
    return float(cost_summary(bare, inputs, totals, tp, spend=spend)["npv_cost_usd"])


def _capex_carry(scenario, inputs) -> dict[str, float]:
    """Interest during construction on a dollar of grid-connection and of on-site power
    capex, at the base scenario's schedule (core.cost.spend_months)."""
    months, first = spend_months(scenario, inputs)
    rate = scenario.finance.discount_rate
    return {"grid": float(construction_interest_factor(rate, first - months["grid_connection"])),
            "onsite": float(construction_interest_factor(rate, first - months["onsite_power"]))}


def _units(doc: dict, scenario, extra_sources, catalogue) -> list[Unit]:
    units: dict[str, Unit] = {}
    for raw, entry in zip(doc.get("power", []), scenario.power):
        src = entry.source
        if src["id"] not in units:
            units[src["id"]] = Unit(src["id"], src["kind"], src, raw["source"])
    for sid in extra_sources or []:
        if sid in units:
            continue
        row = scenario.catalogue.get("power_sources", sid, "--sources")
        units[sid] = Unit(sid, row["kind"], row, sid)
    if not units:
        raise InputError("power", "the scenario has no power sources to size; list some or use --sources")
    storage = [u for u in units.values() if u.kind == "storage"]
    if len(storage) > 1:
        raise InputError("--sources", "at most one kind of storage can be sized")
    if sum(u.kind == "firm" for u in units.values()) > L.N_FIRM:
        raise InputError("--sources", f"at most {L.N_FIRM} firm on-site sources")
    return sorted(units.values(), key=lambda u: KINDS_ORDER.index(u.kind))


def optimise_power(doc: dict, *, max_unserved_mwh: float = 0.0, min_carbon_free: float | None = None,
                   max_tco2e: float | None = None, first_compute_by: float | None = None,
                   sources: list[str] | None = None, catalogue=None, fixed: dict[str, float] | None = None,
                   time_limit: float = 300.0, on_case=None, progress=None) -> PowerMixResult:
    """The cheapest mix (see the module note). `fixed` pins capacities ({"grid": 250,
    "battery.mwh": 400}); used by the brute-force check. `on_case(i, n, name)` is called
    for each case's LP before they are solved side by side (inputs are valid by then).
    `progress(done, total)` is asked every 50 ms while the LPs solve (cases done of all);
    False stops them (Cancelled)."""
    if max_unserved_mwh is None or not math.isfinite(max_unserved_mwh) or max_unserved_mwh < 0:
        raise InputError("--max-unserved-mwh", f"must be a number of at least 0, got {max_unserved_mwh}")
    if min_carbon_free is not None and not 0 <= min_carbon_free <= 1:
        raise InputError("--min-carbon-free", f"must be a fraction between 0 and 1, got {min_carbon_free:g}")
    if max_tco2e is not None and (not math.isfinite(max_tco2e) or max_tco2e < 0):
        raise InputError("--max-tco2e", f"must be a number of at least 0, got {max_tco2e:g}")
    if not time_limit > 0:
        raise InputError("--time-limit", f"must be a positive number of seconds, got {time_limit:g}")
    if first_compute_by is not None and (not math.isfinite(first_compute_by) or first_compute_by < 0):
        raise InputError("--first-compute-by", f"must be a month number of at least 0, got {first_compute_by:g}")
    scenario = load_scenario(doc, catalogue)
    units = _units(doc, scenario, sources, catalogue)
    base = evaluate(scenario, with_hourly=True)
    load = np.asarray(base.hourly["facility_mw"], dtype=np.float64)
    from aisite.core.energy import site_inputs
    inputs = site_inputs(scenario, base.summary["throughput"]["utilization"])
    constants = {
        "price": scenario.overrides.get("electricity_usd_per_mwh", float(scenario.region["electricity_usd_per_mwh"])),
        "ci": np.asarray(inputs.grid_ci, dtype=np.float64) * inputs.params[L.P_GRID_CI_SCALE] * 0.001,
        "solar": np.asarray(inputs.solar_cf, dtype=np.float64),
        "wind": np.asarray(inputs.wind_cf, dtype=np.float64),
        "rate": scenario.finance.discount_rate,
        "carry": _capex_carry(scenario, inputs),
        "horizon": scenario.finance.horizon_years,
    }
    constraints = {"max_unserved_mwh": max_unserved_mwh, "min_carbon_free": min_carbon_free,
                   "max_tco2e": max_tco2e, "first_compute_by": first_compute_by}

    # The mix-independent part of the NPV: the site with no power sources at all, its
    # spending carried to first compute on the base scenario's schedule (a site with no
    # power never reaches first compute).
    bare = copy.deepcopy(doc)
    bare["power"] = []
    constant_npv = _bare_npv(load_scenario(bare, catalogue), spend_months(scenario, inputs))

    cases = _schedule_cases(scenario, units, base, first_compute_by)
    if not cases:
        raise InputError("--first-compute-by", _no_case_message(scenario, base, first_compute_by))
    best = None
    tried = []
    start = time.perf_counter()
    # Every case's LP is built first and all are solved side by side (one child process per
    # core, core.explore.lp_process); a case with no LP to solve has its verdict already.
    built = [_build(units, load, constants, constraints, case, fixed or {}) for case in cases]
    for i, case in enumerate(cases):
        if on_case is not None and not isinstance(built[i], dict):
            on_case(i, len(cases), case["name"])
    to_solve = [i for i, b in enumerate(built) if not isinstance(b, dict)]
    done = [len(cases) - len(to_solve)]

    def finished(_k):
        done[0] += 1

    poll = None if progress is None else (lambda: progress(done[0], len(cases)))
    solutions = lp_process.solve([built[i][0] for i in to_solve], time_limit=time_limit, poll=poll,
                                 on_done=finished) if to_solve else []
    for i, solution in zip(to_solve, solutions):
        built[i] = built[i][1](solution)
    for case, solved in zip(cases, built):
        tried.append({"case": case["name"], "status": solved["status"],
                      "lp_power_npv_usd": solved.get("objective")})
        if solved["status"] == "optimal" and (best is None or solved["objective"] < best[1]["objective"]):
            best = (case, solved)
    seconds = time.perf_counter() - start
    if best is None:
        if any("time limit" in c["status"] for c in tried):
            raise InputError("--time-limit", f"the linear program did not finish within {time_limit:g} s; "
                                             f"allow longer or consider fewer sources")
        raise InputError("", "no mix of these sources meets the constraints "
                                           f"({'; '.join(c['case'] + ': ' + c['status'] for c in tried)})")
    case, solved = best
    answer = copy.deepcopy(doc)
    answer["power"] = _power_entries(units, solved["capacities"])
    repaired = _repair_unserved(answer, units, case, max_unserved_mwh, catalogue)
    tol = 1e-6

    def check(candidate) -> tuple[dict, dict]:
        flat = flatten(evaluate(load_scenario(candidate, catalogue), with_hourly=False).summary)
        engine = {k: flat.get(k) for k in ENGINE_KEYS}
        meets = {"max_unserved_mwh": bool(engine["energy.unserved_mwh"]
                                          <= max_unserved_mwh + tol * max(1.0, float(load.sum())))}
        if min_carbon_free is not None:
            meets["min_carbon_free"] = bool((engine["energy.carbon_free_fraction"] or 0.0) >= min_carbon_free - tol)
        if max_tco2e is not None:
            meets["max_tco2e"] = bool(engine["energy.tco2e_per_year_location"] <= max_tco2e * (1 + tol) + tol)
        if first_compute_by is not None:
            fc = engine["schedule.first_compute_month"]
            meets["first_compute_by"] = bool(fc is not None and fc <= first_compute_by + 1e-9)
        return engine, meets

    engine, meets = check(answer)
    scale = 1.0
    if not all(meets.values()) and (min_carbon_free is not None or max_tco2e is not None):
        answer, scale, engine, meets = _repair_carbon(answer, units, check, engine, meets)
    engine["top_up_mw"] = repaired
    engine["clean_scale"] = scale
    capacities = {}
    for entry in answer["power"]:
        sid = entry["source"] if isinstance(entry["source"], str) else entry["source"].get("id")
        capacities[sid] = {k: entry[k] for k in ("mw", "mwh") if k in entry}
    for u in units:
        capacities.setdefault(u.id, {"mw": 0.0, **({"mwh": 0.0} if u.kind == "storage" else {})})
    return PowerMixResult("optimal", capacities, constant_npv + solved["objective"], solved["objective"],
                          solved["dispatch"], engine, meets, constraints, case["name"], seconds, answer, tried)


def _power_entries(units, capacities) -> list[dict]:
    entries = []
    for u in units:
        cap = capacities[u.id]
        mw, mwh = _round_up(cap["mw"]), _round_up(cap.get("mwh", 0.0))
        if mw <= 0 and mwh <= 0:
            continue
        entry = {"source": copy.deepcopy(u.ref), "mw": mw}
        if u.kind == "storage":
            entry["mwh"] = mwh
        entries.append(entry)
    return entries


ENGINE_KEYS = ("cost.npv_cost_usd", "cost.capex_usd", "cost.opex_usd_per_year", "energy.unserved_mwh",
               "energy.carbon_free_fraction", "energy.tco2e_per_year_location", "energy.grid_import_mwh",
               "schedule.first_compute_month")
CLEAN_KINDS = ("variable", "storage")


def _scaled(answer: dict, units, factor: float) -> dict:
    """The mix with solar, wind and storage (MW and MWh) scaled by `factor`."""
    kinds = {u.id: u.kind for u in units}
    out = copy.deepcopy(answer)
    for entry in out["power"]:
        sid = entry["source"] if isinstance(entry["source"], str) else entry["source"].get("id")
        if kinds.get(sid) in CLEAN_KINDS:
            entry["mw"] = _round_up(entry["mw"] * factor)
            if "mwh" in entry:
                entry["mwh"] = _round_up(entry["mwh"] * factor)
    return out


def _repair_carbon(answer, units, check, engine, meets, max_factor: float = 4.0):
    """The engine dispatches in merit order (the battery as soon as there is a deficit,
    firm on-site sources before the grid), so it may miss a carbon-free share or an
    emissions cap that the LP's optimal dispatch meets. Scale the clean capacities (solar,
    wind, storage) up by the smallest factor, to 0.1%, at which the engine meets every
    constraint; the engine's NPV of that mix minus the LP bound is the stated gap.
    Returns (answer, factor, engine, meets); factor 1.0 when scaling does not help."""
    high = 1.0
    while high < max_factor:
        high = min(max_factor, high * 1.25)
        e, m = check(_scaled(answer, units, high))
        if all(m.values()):
            break
    else:
        return answer, 1.0, engine, meets
    low = 1.0
    best = (e, m)
    while high - low > 1e-3:
        mid = 0.5 * (low + high)
        e, m = check(_scaled(answer, units, mid))
        if all(m.values()):
            high, best = mid, (e, m)
        else:
            low = mid
    return _scaled(answer, units, high), high, best[0], best[1]


def _repair_unserved(answer: dict, units, case, max_unserved_mwh: float, catalogue) -> float:
    """The engine dispatches the battery greedily (discharging as soon as there is a
    deficit), so a mix that the LP serves fully by holding battery energy for the peak
    may leave some hours short in the engine. Top up the grid connection (or, where the
    grid may not be built, the first firm on-site source) by the largest hourly shortfall:
    more firm supply only fills hours that were short, so the engine's unserved energy
    becomes zero. Returns the MW added (0 when none was needed)."""
    allowed = [u for u in units if u.id in case["allowed"]]
    unit = next((u for u in allowed if u.kind == "grid"), None) or \
        next((u for u in allowed if u.kind == "firm"), None)
    result = evaluate(load_scenario(answer, catalogue), with_hourly=True)
    if result.summary["energy"]["unserved_mwh"] <= max_unserved_mwh + 1e-6 or unit is None:
        return 0.0
    availability = 1.0 if unit.kind == "grid" else float(unit.row.get("availability") or 1.0)
    top_up = _round_up(float(np.max(result.hourly["unserved_mw"])) / availability)
    for entry in answer["power"]:
        sid = entry["source"] if isinstance(entry["source"], str) else entry["source"].get("id")
        if sid == unit.id:
            entry["mw"] = round(entry["mw"] + top_up, 3)
            return top_up
    answer["power"].insert(0, {"source": copy.deepcopy(unit.ref), "mw": top_up})
    return top_up


def _round_up(value: float) -> float:
    """Capacities to a kW, rounded up (so the rounded mix still meets the constraints);
    solver noise below a kW is zero."""
    if value <= 1e-3:
        return 0.0
    return math.ceil(value * 1000.0 - 1e-6) / 1000.0


def _needs(scenario, base) -> tuple[float, float]:
    """Facility MW (full load, hottest hour) of the first phase and of the whole site:
    the firm power (grid import plus firm on-site) the schedule needs before compute
    can start and before full capacity (core.schedule)."""
    from aisite.core.it_load import it_power

    per, it_full_mw, _ = it_power(scenario)
    pue_peak = base.summary["energy"]["facility_peak_mw"] / it_full_mw
    starts = [dep.start_month for dep in scenario.deployments]
    by_deployment = [p.full_w_per_chip * dep.count / 1e6 * pue_peak for p, dep in zip(per, scenario.deployments)]
    first = sum(mw for mw, s in zip(by_deployment, starts) if s == min(starts))
    return first, sum(by_deployment)


def _schedule_cases(scenario, units, base, month) -> list[dict]:
    """Ways the site can have power by `month`: each fixes which sources may be built and
    which capacity must cover the first phase's facility MW. In every case the grid and
    firm on-site sources together must cover the whole site's facility MW, or the engine's
    schedule would never reach compute at full capacity."""
    need_first, need_full = _needs(scenario, base)
    if month is None:
        return [{"name": "no schedule constraint", "allowed": {u.id for u in units},
                 "need": {"together": need_full}}]
    summary = base.summary["schedule"]
    ends = {t["id"]: t["end_month"] for t in summary["tasks"]}
    install_end = ends["install"]
    if install_end > month + 1e-9:
        return []
    d = durations(scenario)
    permit_end = d["permitting"]
    grid_months = scenario.schedule.get("grid_connection",
                                        float(scenario.region.get("grid_queue_months_mode") or 0.0))
    grid_ok = grid_months <= month + 1e-9 and any(u.kind == "grid" for u in units)
    cases = []
    if grid_ok:
        cases.append({"name": "grid connected by the month", "allowed": {u.id for u in units},
                      "need": {"grid": need_first, "together": need_full}})
    onsite_override = scenario.schedule.get("onsite_power")

    def lead(u):
        return onsite_override if onsite_override is not None else float(u.row.get("lead_time_months_mode") or 0.0)

    fast = {u.id for u in units if u.kind != "grid" and permit_end + lead(u) <= month + 1e-9}
    if any(u.kind == "firm" and u.id in fast for u in units):
        # A grid connection that comes later does not delay on-site power: it may still be
        # built; it counts towards the first phase only when it is ready by the month.
        allowed = fast | {u.id for u in units if u.kind == "grid"}
        name = "on-site firm power" + (" with the grid" if grid_ok else "") + " by the month"
        cases.append({"name": name, "allowed": allowed,
                      "need": {"onsite": need_first, "with_grid": grid_ok, "together": need_full}})
    return cases


def _no_case_message(scenario, base, month) -> str:
    ends = {t["id"]: t["end_month"] for t in base.summary["schedule"]["tasks"]}
    if ends["install"] > month:
        return (f"first compute by month {month:g} cannot be met by any power mix: the building, equipment "
                f"and accelerators are installed at month {ends['install']:g}")
    return (f"first compute by month {month:g} cannot be met: neither the grid connection nor any on-site "
            f"firm source among the candidates can be ready by then")


def _build(units, load, c, constraints, case, fixed):
    """The case's LP and the function that reads its solution into the answer (capacities,
    objective, dispatch figures); or, when the case cannot be met whatever the LP says,
    that verdict ({"status": ...})."""
    H = L.HOURS
    rate, horizon = c["rate"], c["horizon"]
    inf = np.inf
    cols_cost: list[float] = []
    cols_lo: list[float] = []
    cols_hi: list[float] = []

    def add(n, cost, lo=0.0, hi=inf):
        start = len(cols_cost)
        cost = np.broadcast_to(np.asarray(cost, dtype=np.float64), (n,))
        cols_cost.extend(cost.tolist())
        cols_lo.extend([lo] * n if np.ndim(lo) == 0 else list(lo))
        cols_hi.extend([hi] * n if np.ndim(hi) == 0 else list(hi))
        return start

    allowed = case["allowed"]
    cap = {}
    hourly = {}
    # Cost coefficients: what one more MW, MWh of storage or MWh delivered adds to the
    # NPV of cost, from core.cost's own functions.
    per_unit = {u.id: source_npv_per_unit(u.row, horizon, rate, c["carry"]["grid" if u.kind == "grid" else "onsite"])
                for u in units}
    for u in units:
        row = u.row
        per_mw = per_unit[u.id]["mw"]
        if u.kind == "variable":
            cf = c["wind"] if row.get("profile") == "wind" else c["solar"]
            per_mw += per_unit[u.id]["energy_mwh"] * float(cf.sum())
        hi = inf if u.id in allowed else 0.0
        lo = 0.0
        if u.id in fixed:
            lo = hi = float(fixed[u.id])
        cap[u.id] = add(1, per_mw, lo, hi)
        if u.kind == "storage":
            lo_e, hi_e = 0.0, (inf if u.id in allowed else 0.0)
            if f"{u.id}.mwh" in fixed:
                lo_e = hi_e = float(fixed[f"{u.id}.mwh"])
            cap[u.id + ".mwh"] = add(1, per_unit[u.id]["mwh"], lo_e, hi_e)
    # Hourly variables.
    variable = [u for u in units if u.kind == "variable"]
    storage = next((u for u in units if u.kind == "storage"), None)
    firm = [u for u in units if u.kind == "firm"]
    grid = next((u for u in units if u.kind == "grid"), None)
    backup = [u for u in units if u.kind == "backup"]
    if storage is not None:
        hourly["charge"] = add(H, 0.0)
        hourly["discharge"] = add(H, per_unit[storage.id]["energy_mwh"])
        hourly["soc"] = add(H, 0.0)
    for u in firm:
        hourly[u.id] = add(H, per_unit[u.id]["energy_mwh"])
    if grid is not None:
        hourly["grid"] = add(H, npv_of_yearly(c["price"], horizon, rate))
    for u in backup:
        hourly[u.id] = add(H, per_unit[u.id]["energy_mwh"])
    # No hour can be short by more than the year may be (with none allowed, the unserved
    # columns are fixed at zero and the solver drops them).
    hourly["unserved"] = add(H, 0.0, 0.0, constraints["max_unserved_mwh"])

    rows_lo: list[np.ndarray] = []
    rows_hi: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    index: list[np.ndarray] = []
    value: list[np.ndarray] = []
    nnz = [0]
    n_rows = [0]

    def add_rows(idx_matrix, val_matrix, lo, hi):
        """Rows with the same number of terms: idx/val are (rows x terms)."""
        idx_matrix = np.atleast_2d(np.asarray(idx_matrix, dtype=np.int32))
        val_matrix = np.broadcast_to(np.asarray(val_matrix, dtype=np.float64), idx_matrix.shape)
        r, t = idx_matrix.shape
        starts.append(nnz[0] + np.arange(r, dtype=np.int32) * t)
        index.append(idx_matrix.ravel())
        value.append(np.ascontiguousarray(val_matrix).ravel())
        rows_lo.append(np.broadcast_to(np.asarray(lo, dtype=np.float64), (r,)).copy())
        rows_hi.append(np.broadcast_to(np.asarray(hi, dtype=np.float64), (r,)).copy())
        nnz[0] += r * t
        n_rows[0] += r

    hours = np.arange(H, dtype=np.int32)

    def cf_of(u):
        return c["wind"] if u.row.get("profile") == "wind" else c["solar"]

    def col(name):
        return hourly[name] + hours

    def cap_col(name):
        return np.full(H, cap[name], dtype=np.int32)

    # Balance: sum_r cap_r cf_rh - charge + discharge + firm + grid + backup + unserved >= load.
    # The excess in an hour is curtailed renewable energy. (Writing the balance as an
    # inequality removes 8,760 curtailment columns; burning fuel or importing more than
    # the load never pays, so at the optimum only renewables are curtailed.)
    idx, val = [], []
    for u in variable:
        idx.append(cap_col(u.id))
        val.append(cf_of(u))
    if storage is not None:
        idx += [col("charge"), col("discharge")]
        val += [-np.ones(H), np.ones(H)]
    for u in firm + backup:
        idx.append(col(u.id))
        val.append(np.ones(H))
    if grid is not None:
        idx.append(col("grid"))
        val.append(np.ones(H))
    idx.append(col("unserved"))
    val.append(np.ones(H))
    add_rows(np.stack(idx, axis=1), np.stack(val, axis=1), load, inf)
    # The battery charges only from on-site renewables: charge <= sum_r cap_r cf_rh.
    if storage is not None:
        if variable:
            add_rows(np.stack([col("charge")] + [cap_col(u.id) for u in variable], axis=1),
                     np.stack([np.ones(H)] + [-cf_of(u) for u in variable], axis=1), -inf, 0.0)
        else:
            add_rows(col("charge")[:, None], 1.0, 0.0, 0.0)   # nothing to charge from
    if storage is not None:
        rt = float(storage.row.get("round_trip_efficiency") or 0.85)
        # Only the usable state-of-charge window cycles, as in the kernel.
        e_per_mwh = math.sqrt(rt) * max(float(storage.row.get("usable_soc_max") or 1.0)
                                      - float(storage.row.get("usable_soc_min") or 0.0), 0.0)
        # soc_h = soc_{h-1} + rt * charge_h - discharge_h; soc_{-1} = 0.5 * e_per_mwh * MWh
        # (the kernel's deliverable energy e, capped at e_per_mwh x MWh: one-way efficiency x usable window)
        first = np.array([[hourly["soc"], hourly["charge"], hourly["discharge"], cap[storage.id + ".mwh"]]])
        add_rows(first, np.array([[1.0, -rt, 1.0, -0.5 * e_per_mwh]]), 0.0, 0.0)
        h1 = hours[1:]
        add_rows(np.stack([hourly["soc"] + h1, hourly["soc"] + h1 - 1, hourly["charge"] + h1,
                           hourly["discharge"] + h1], axis=1),
                 np.array([1.0, -1.0, -rt, 1.0]), 0.0, 0.0)
        add_rows(np.stack([col("soc"), cap_col(storage.id + ".mwh")], axis=1), np.array([1.0, -e_per_mwh]), -inf, 0.0)
        # charge + discharge <= MW: one row an hour for both limits. Exact, because some
        # optimum never charges and discharges in the same hour (lowering both, keeping the
        # state of charge, only adds (1 - rt) x charge of supply and saves variable O&M),
        # and there the sum is the larger of the two.
        add_rows(np.stack([col("charge"), col("discharge"), cap_col(storage.id)], axis=1),
                 np.array([1.0, 1.0, -1.0]), -inf, 0.0)
    for u in firm + backup:
        avail = float(u.row.get("availability") or 1.0)
        add_rows(np.stack([col(u.id), cap_col(u.id)], axis=1), np.array([1.0, -avail]), -inf, 0.0)
    if grid is not None:
        add_rows(np.stack([col("grid"), cap_col(grid.id)], axis=1), np.array([1.0, -1.0]), -inf, 0.0)
    # Annual constraints.
    add_rows(col("unserved")[None, :], 1.0, -inf, constraints["max_unserved_mwh"])
    zero_carbon = [u for u in firm if float(u.row.get("gco2_per_kwh") or 0.0) == 0.0]
    if constraints["min_carbon_free"] is not None:
        # Carbon-free energy = renewables to load + battery discharge + zero-carbon firm
        # = load - (grid + backup + emitting firm + unserved), hour by hour; so the share
        # is at least Y when those sum to at most (1 - Y) x the annual load.
        idx = [col("unserved")]
        if grid is not None:
            idx.append(col("grid"))
        idx += [col(u.id) for u in firm + backup if u not in zero_carbon]
        add_rows(np.concatenate(idx)[None, :], 1.0, -inf, (1.0 - constraints["min_carbon_free"]) * float(load.sum()))
    if constraints["max_tco2e"] is not None:
        idx, val = [], []
        if grid is not None:
            idx.append(col("grid"))
            val.append(c["ci"])
        for u in firm + backup:
            t = float(u.row.get("gco2_per_kwh") or 0.0) / 1000.0
            if t:
                idx.append(col(u.id))
                val.append(np.full(H, t))
        if idx:
            add_rows(np.concatenate(idx)[None, :], np.concatenate(val)[None, :], -inf, constraints["max_tco2e"])
    need = case.get("need") or {}
    firm_terms = [(cap[u.id], float(u.row.get("availability") or 1.0)) for u in firm if u.id in case["allowed"]]
    grid_term = [(cap[grid.id], 1.0)] if grid is not None and grid.id in case["allowed"] else []
    if "grid" in need:
        add_rows(np.array([[cap[grid.id]]]), 1.0, need["grid"], inf)
    if "onsite" in need:
        terms = firm_terms + (grid_term if need.get("with_grid") else [])
        add_rows(np.array([[t for t, _ in terms]]), np.array([[a for _, a in terms]]), need["onsite"], inf)
    if "together" in need:
        terms = firm_terms + grid_term
        if not terms:
            return {"status": "infeasible (no grid or firm on-site source to carry the site's peak)"}
        add_rows(np.array([[t for t, _ in terms]]), np.array([[a for _, a in terms]]), need["together"], inf)

    lp = lp_process.LP(np.array(cols_cost), np.array(cols_lo), np.array(cols_hi), np.concatenate(rows_lo),
                       np.concatenate(rows_hi), np.concatenate(starts), np.concatenate(index), np.concatenate(value))
    return lp, lambda solution: _read(solution, units, load, c, cap, hourly, variable, firm, backup, grid,
                                      zero_carbon, cf_of)


def _read(solution, units, load, c, cap, hourly, variable, firm, backup, grid, zero_carbon, cf_of) -> dict:
    H = L.HOURS
    if not solution.optimal:
        return {"status": solution.status.lower()}
    x, objective = solution.x, solution.objective
    capacities = {}
    for u in units:
        mw = max(0.0, float(x[cap[u.id]]))
        entry = {"mw": mw}
        if u.kind == "storage":
            entry["mwh"] = max(0.0, float(x[cap[u.id + ".mwh"]]))
        capacities[u.id] = entry

    def total(name):
        return float(x[hourly[name]:hourly[name] + H].sum()) if name in hourly else 0.0

    fossil = total("grid") + total("unserved") + sum(total(u.id) for u in firm + backup if u not in zero_carbon)
    renewables = sum(capacities[u.id]["mw"] * float(cf_of(u).sum()) for u in variable)
    served_by_others = sum(total(u.id) for u in firm + backup) + total("grid") + total("unserved")
    curtailed = renewables - total("charge") + total("discharge") + served_by_others - float(load.sum())
    cf = float(load.sum()) - fossil
    tco2 = (float(x[hourly["grid"]:hourly["grid"] + H] @ c["ci"]) if grid is not None else 0.0) + sum(
        total(u.id) * float(u.row.get("gco2_per_kwh") or 0.0) / 1000.0 for u in firm + backup)
    dispatch = {"unserved_mwh": total("unserved"), "carbon_free_fraction": cf / float(load.sum()),
                "tco2e_per_year_location": tco2, "grid_import_mwh": total("grid"),
                "curtailed_mwh": max(0.0, curtailed), "battery_discharge_mwh": total("discharge")}
    return {"status": "optimal", "objective": objective, "capacities": capacities, "dispatch": dispatch}
