"""Many variants of one scenario at once: the engine of Monte Carlo (and of any batch
that varies inputs by path).

`BatchModel(doc, paths)` takes a scenario dict and the paths of the inputs that vary;
`run(values)` takes one row of values per variant and returns every numeric result key
(`section.key`, core.explore.results) as an array over the variants.

Two ways to get there, with the same numbers:

- the fast path, for the inputs a planner most often varies (schedule task durations,
  electricity price, utilisation, MFU, goodput, PUE and the cooling curve, grid carbon,
  chip prices, discount rate, power-source MW and MWh): the variants' kernel parameters
  and schedule rows are laid out as arrays, the compiled Monte Carlo kernel runs every
  variant's hourly year and schedule without the GIL on both cores, and throughput,
  energy and cost follow as numpy arithmetic over all variants at once, mirroring
  core.throughput, core.energy and core.cost formula by formula;
- the general path, for any other numeric input: each variant is loaded and evaluated
  by core.evaluate (about 0.3 ms each).

Tests hold the fast path to the general one on every supported input.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from core.cost import CAPEX_CATEGORIES
from core.energy import site_inputs
from core.errors import Cancelled
from core.evaluate import evaluate
from core.explore import paths as P
from core.explore.results import flatten
from core.kernels import layout as L
from core.kernels.montecarlo import montecarlo_batch
from core.kernels.montecarlo_layout import N_SCHED, S_GRID_MW, S_NEED_FIRST, S_NEED_FULL, S_ONSITE_MW, \
    S_PHASE_SPAN, SCHED_TASKS
from core.scenario import load_scenario
from core.schedule import durations
from core.throughput import SECONDS_PER_YEAR, compute_throughput

Progress = Callable[[int, int], "bool | None"]
INTEGER_FIELDS = ("count", "chips_per_server", "servers_per_rack", "batch", "horizon_years")

_DEP_PRICE = re.compile(r"^deployments\[(\d+)\]\.chip\.price_usd$")
_POWER = re.compile(r"^power\[(\d+)\]\.(mw|mwh)$")
_SCHED = re.compile(r"^schedule\.(\w+)$")
_COOLING = re.compile(r"^cooling\.(pue_min|pue_max|pue_slope_per_c)$")


class BatchModel:
    def __init__(self, doc: dict, paths: list[str], catalogue=None, bounds: list[tuple[float, float]] | None = None):
        self.doc = doc
        self.catalogue = catalogue
        self.paths = [P.normalise(p) for p in paths]
        self.scenario = load_scenario(doc, catalogue)
        self.base_result = evaluate(self.scenario, with_hourly=False)
        self.base = flatten(self.base_result.summary)
        self.tp = compute_throughput(self.scenario)
        self.inputs = site_inputs(self.scenario, self.tp.utilization)
        bounds = bounds or [(None, None)] * len(self.paths)
        self.handlers = [self._classify(p, b) for p, b in zip(self.paths, bounds)]
        self.fast = all(h is not None for h in self.handlers)

    # -- which inputs the fast path covers --------------------------------------------
    def _classify(self, path: str, bound) -> tuple | None:
        sc = self.scenario
        low = bound[0]
        raw = self.doc
        overrides = raw.get("overrides") or {}
        if path == "overrides.electricity_usd_per_mwh" or (
                path == "region.electricity_usd_per_mwh" and "electricity_usd_per_mwh" not in sc.overrides):
            return ("price",)
        if path == "region.electricity_usd_per_mwh":
            return ("none",)
        if path == "overrides.utilization" or (path == "workload.utilization" and "utilization" not in overrides):
            return ("util",)
        if path == "overrides.pue":
            return ("pue_fixed",)
        if path == "overrides.grid_gco2_per_kwh":
            return ("ci",)
        if sc.workload.kind == "training" and (
                path == "overrides.goodput" or (path == "workload.goodput" and "goodput" not in overrides)):
            return ("goodput",)
        if path == "workload.mfu" and sc.workload.kind in ("training", "utilization"):
            return ("mfu",)
        if path in ("finance.discount_rate", "finance.market_rec_fraction"):
            return (path.split(".")[1],)
        m = _SCHED.match(path)
        if m and m.group(1) in durations(sc):
            return ("sched", m.group(1))
        m = _DEP_PRICE.match(path)
        if m and int(m.group(1)) < len(sc.deployments):
            return ("chip_price", int(m.group(1)))
        m = _COOLING.match(path)
        if m and "pue" not in sc.overrides:
            return ("cooling", m.group(1))
        m = _POWER.match(path)
        if m and int(m.group(1)) < len(sc.power):
            i, what = int(m.group(1)), m.group(2)
            entry = sc.power[i]
            if what == "mwh" and entry.source["kind"] != "storage":
                return None
            # The schedule's task list depends on which sources have MW > 0: keep it fixed.
            if what == "mw" and (entry.mw <= 0 or low is None or low <= 0):
                return None
            if what == "mw" and entry.source["kind"] == "storage" and "mwh" not in self._power_raw(i):
                return None  # its MWh follows its MW through the default duration
            return ("power", i, what)
        return None

    def base_value(self, path: str) -> float | None:
        """The value the scenario as written uses at `path`, including derived ones (an unset
        utilisation override is the site's utilisation); None for a fixed PUE not set."""
        path = P.normalise(path)
        value = P.get_number(self.doc, path, self.catalogue, self.scenario)
        if value is not None:
            return value
        derived = {
            "overrides.utilization": self.tp.utilization,
            "overrides.goodput": self.tp.goodput,
            "overrides.electricity_usd_per_mwh": float(self.scenario.region["electricity_usd_per_mwh"]),
            "overrides.grid_gco2_per_kwh": self.inputs.grid_ci_mean,
        }
        return derived.get(path)

    def _power_raw(self, i: int) -> dict:
        return self.doc["power"][i]

    # -- running ----------------------------------------------------------------------
    def run(self, values: np.ndarray, *, progress: Progress | None = None, chunk: int = 250,
            threads: int | None = None, reference: bool = False, force_general: bool = False,
            backend: str = "compiled") -> dict:
        """Every result key over the variants. `backend` picks the per-variant year and
        schedule on the fast path: "compiled" (the Cython kernel), "reference" (the plain-
        Python specification; same as reference=True) or "numpy" (vectorised over variants,
        for the benchmark's like-for-like comparison)."""
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 2 or values.shape[1] != len(self.paths):
            raise ValueError(f"values must be n x {len(self.paths)}")
        values = self._round_integers(values)
        if self.fast and not force_general:
            return self._run_fast(values, progress, chunk, threads, "reference" if reference else backend)
        return self._run_general(values, progress, chunk)

    def _round_integers(self, values):
        values = values.copy()
        for j, path in enumerate(self.paths):
            if path.rsplit(".", 1)[-1] in INTEGER_FIELDS:
                values[:, j] = np.round(values[:, j])
        return values

    def variant(self, row) -> dict:
        doc = self.doc
        import copy
        doc = copy.deepcopy(doc)
        for path, value in zip(self.paths, row):
            P.set_number(doc, path, float(value))
        return doc

    def _run_general(self, values, progress, chunk) -> dict:
        n = values.shape[0]
        keys = list(self.base)
        out = {k: np.full(n, np.nan) for k in keys}
        for s in range(n):
            result = evaluate(load_scenario(self.variant(values[s]), self.catalogue), with_hourly=False)
            flat = flatten(result.summary)
            for k in keys:
                v = flat.get(k)
                if v is not None:
                    out[k][s] = v
            if progress is not None and ((s + 1) % chunk == 0 or s + 1 == n):
                if progress(s + 1, n) is False:
                    raise Cancelled(f"stopped after {s + 1} of {n} samples")
        return out

    def _run_fast(self, values, progress, chunk, threads, backend) -> dict:
        sc, tp, inp = self.scenario, self.tp, self.inputs
        cat = sc.catalogue
        n = values.shape[0]

        def full(x):
            return np.full(n, float(x))

        util = full(tp.utilization)
        mfu = full(tp.mfu) if tp.mfu is not None else None
        goodput = full(tp.goodput) if tp.goodput is not None else None
        base_price = sc.overrides.get("electricity_usd_per_mwh", float(sc.region["electricity_usd_per_mwh"]))
        price = full(base_price)
        ci = None
        pue_fixed = None
        rate = full(sc.finance.discount_rate)
        rec = full(sc.finance.market_rec_fraction)
        chip_price = [full(float(d.chip.get("price_usd") or 0.0)) for d in sc.deployments]
        mw = [full(e.mw) for e in sc.power]
        mwh = [full(e.mwh) for e in sc.power]
        dur = {task: full(v) for task, v in durations(sc).items()}
        params = np.tile(inp.params, (n, 1))
        power_changed = False
        for j, h in enumerate(self.handlers):
            col = values[:, j]
            kind = h[0]
            if kind == "price":
                price = col
            elif kind == "util":
                util = col
            elif kind == "pue_fixed":
                pue_fixed = col
            elif kind == "ci":
                ci = col
            elif kind == "goodput":
                goodput = col
            elif kind == "mfu":
                mfu = col
            elif kind == "discount_rate":
                rate = col
            elif kind == "market_rec_fraction":
                rec = col
            elif kind == "sched":
                dur[h[1]] = col
            elif kind == "chip_price":
                chip_price[h[1]] = col
            elif kind == "cooling":
                column = {"pue_min": L.P_PUE_MIN, "pue_max": L.P_PUE_MAX, "pue_slope_per_c": L.P_PUE_SLOPE}[h[1]]
                params[:, column] = col
                if h[1] == "pue_min" and not sc.cooling.get("pue_max"):
                    params[:, L.P_PUE_MAX] = col  # pue_max defaults to pue_min
            elif kind == "power":
                power_changed = True
                (mw if h[2] == "mw" else mwh)[h[1]] = col

        # Kernel parameters (core.energy.site_inputs, row by row).
        params[:, L.P_UTIL_SCALE] = util          # with an all-ones utilisation profile
        if pue_fixed is not None:
            params[:, L.P_PUE_FIXED] = pue_fixed
        profile_mean = float(np.mean(inp.profile.grid_gco2_per_kwh))
        if ci is not None:
            params[:, L.P_GRID_CI_SCALE] = ci / profile_mean if profile_mean > 0 else 1.0
            ci_mean = ci
        else:
            ci_mean = full(inp.grid_ci_mean)
        if power_changed:
            self._power_params(params, mw, mwh)

        # Schedule rows (core.schedule.schedule_summary).
        max_temp = inp.max_temp
        fixed = params[:, L.P_PUE_FIXED]
        pue_peak = np.where(fixed > 0, fixed, np.minimum(
            params[:, L.P_PUE_MIN] + params[:, L.P_PUE_SLOPE] * np.maximum(max_temp - params[:, L.P_ECON_T], 0.0),
            params[:, L.P_PUE_MAX]))
        sched = np.full((n, N_SCHED), np.nan)
        for i, task in enumerate(SCHED_TASKS):
            if task in dur:
                sched[:, i] = dur[task]
        sched[:, S_GRID_MW] = params[:, L.P_GRID_MW]
        firm_backup = self._firm_backup_mw(mw)
        sched[:, S_ONSITE_MW] = params[:, L.P_FIRM_MW:L.P_FIRM_MW + L.N_FIRM].sum(axis=1) + firm_backup
        starts = [d.start_month for d in sc.deployments]
        first_phase = min(starts)
        need_first = np.zeros(n)
        need_full = np.zeros(n)
        for power, d, start in zip(inp.per_deployment, sc.deployments, starts):
            mw_d = power.full_w_per_chip * d.count / 1e6 * pue_peak
            need_full = need_full + mw_d
            if start == first_phase:
                need_first = need_first + mw_d
        sched[:, S_NEED_FIRST] = need_first
        sched[:, S_NEED_FULL] = need_full
        sched[:, S_PHASE_SPAN] = max(starts) - first_phase

        ones = np.ones(L.HOURS)
        if backend == "numpy":
            totals, milestones = _numpy_batch(params, sched, (inp.temp, inp.solar_cf, inp.wind_cf, inp.grid_ci, ones))
        else:
            totals, milestones = montecarlo_batch(params, sched, inp.temp, inp.solar_cf, inp.wind_cf, inp.grid_ci,
                                                  ones, progress=progress, chunk=chunk, threads=threads,
                                                  reference=backend == "reference")
        out = {k: np.full(n, np.nan if v is None else v) for k, v in self.base.items()}

        # Throughput (core.throughput.compute_throughput).
        w = sc.workload
        effective = full(tp.effective_pflops)
        days = gpu_hours = tps = tpy = None
        if w.kind in ("training", "utilization"):
            effective = tp.peak_pflops * mfu * tp.scaling
        if w.kind == "training":
            useful = effective * 1e15 * goodput
            days = 6.0 * w.active_params * w.tokens / useful / 86400.0
            gpu_hours = tp.accelerators * days * 24.0
            tps = useful / (6.0 * w.active_params)
            tpy = tps * SECONDS_PER_YEAR * util
        elif w.kind == "inference":
            tps = full(tp.tokens_per_second)
            tpy = tps * SECONDS_PER_YEAR * util
        out["throughput.effective_pflops"] = effective
        out["throughput.utilization"] = util
        if mfu is not None:
            out["throughput.mfu"] = mfu
        if goodput is not None and tp.goodput is not None:
            out["throughput.goodput"] = goodput
        for key, value in (("training_days", days), ("gpu_hours", gpu_hours), ("tokens_per_second", tps),
                           ("tokens_per_year", tpy)):
            if value is not None:
                out[f"throughput.{key}"] = value

        # Energy (core.energy.energy_summary and the workload figures of core.evaluate).
        T = totals
        it_mwh = T[:, L.R_IT_MWH]
        fac = T[:, L.R_FACILITY_MWH]
        onsite_tco2 = T[:, L.R_TCO2_LOCATION] - T[:, L.R_GRID_TCO2]
        e = {
            "facility_peak_mw": inp.it_full_mw * pue_peak,
            "it_average_mw": it_mwh / L.HOURS,
            "facility_average_mw": fac / L.HOURS,
            "pue_annual": _div(fac, it_mwh),
            "annual_it_mwh": it_mwh,
            "annual_facility_mwh": fac,
            "tco2e_per_year_location": T[:, L.R_TCO2_LOCATION],
            "tco2e_per_year_market": onsite_tco2 + T[:, L.R_GRID_MWH] * ci_mean / 1000.0 * (1.0 - rec),
            "water_m3_per_year": T[:, L.R_WATER_M3],
            "carbon_free_fraction": _div(T[:, L.R_CARBON_FREE_MWH], fac),
            "unserved_mwh": T[:, L.R_UNSERVED_MWH],
            "unserved_hours": np.floor(T[:, L.R_UNSERVED_HOURS]),
            "grid_import_mwh": T[:, L.R_GRID_MWH],
            "grid_peak_mw": T[:, L.R_GRID_PEAK_MW],
            "solar_mwh": T[:, L.R_SOLAR_GEN_MWH],
            "wind_mwh": T[:, L.R_WIND_GEN_MWH],
            "battery_discharge_mwh": T[:, L.R_DISCHARGE_MWH],
            "battery_charge_mwh": T[:, L.R_CHARGE_MWH],
            "curtailed_mwh": T[:, L.R_CURTAILED_MWH],
            "backup_mwh": T[:, L.R_BACKUP_MWH],
            "grid_gco2_per_kwh_mean": ci_mean,
            "firm_capacity_mw": (params[:, L.P_GRID_MW] + params[:, L.P_FIRM_MW:L.P_FIRM_MW + L.N_FIRM].sum(axis=1)
                                 + firm_backup),
        }
        if days is not None:
            pue_or_one = np.where(np.isfinite(e["pue_annual"]) & (e["pue_annual"] != 0), e["pue_annual"], 1.0)
            run_fac = inp.it_full_mw * days * 24.0 * pue_or_one
            e["workload_facility_mwh"] = run_fac
            e["workload_tco2e_location"] = run_fac * (T[:, L.R_TCO2_LOCATION] / fac)
        for k, src in enumerate(inp.firm_sources):
            e[f"firm_onsite_mwh.{src['id']}"] = T[:, L.R_FIRM_MWH + k]
        for key, value in e.items():
            out[f"energy.{key}"] = value

        # Cost (core.cost.cost_summary).
        items = []
        chip_life = cat.constant("chip_life_years")
        for i, (d, power) in enumerate(zip(sc.deployments, inp.per_deployment)):
            items.append(("accelerators", d.count * chip_price[i], chip_life))
            items.append(("servers", full(power.servers * float(d.server.get("price_usd") or 0.0)),
                          cat.constant("server_life_years")))
            items.append(("network", full(d.count * float(d.network.get("usd_per_accelerator") or 0.0)),
                          cat.constant("network_life_years")))
        items.append(("storage", full(sc.accelerators * cat.constant("storage_usd_per_accelerator")),
                      cat.constant("server_life_years")))
        if not sc.finance.lease:
            it_mw = inp.it_full_mw
            facility = (it_mw * cat.constant("facility_usd_per_mw_it")
                        * float(sc.region.get("construction_cost_factor") or 1.0)
                        + it_mw * 1000.0 * float(sc.cooling.get("capex_usd_per_kw") or 0.0))
            items.append(("facility", full(facility), cat.constant("facility_life_years")))
        for i, entry in enumerate(sc.power):
            src = entry.source
            dollars = mw[i] * 1000.0 * float(src.get("capex_usd_per_kw") or 0.0) \
                + mwh[i] * 1000.0 * float(src.get("capex_usd_per_kwh") or 0.0)
            items.append(("grid_connection" if src["kind"] == "grid" else "onsite_power", dollars,
                          float(src.get("life_years") or 20.0)))
        capex = {c: np.zeros(n) for c in CAPEX_CATEGORIES}
        for category, dollars, _ in items:
            capex[category] = capex[category] + dollars
        opex = self._opex(T, items, mw, price, n)
        opex_total = sum(opex.values())
        horizon = sc.finance.horizon_years
        tco, npv = _lifetime_costs(items, opex_total, horizon, rate)
        annualised = sum(dollars * _crf(rate, life) for _, dollars, life in items) + opex_total
        gpu_hours_year = tp.accelerators * 8760.0
        used_hours_year = gpu_hours_year * util
        per_gpu_hour = annualised / gpu_hours_year
        per_used = _div(annualised, used_hours_year)
        pflop_hours = effective * 8760.0 * util
        c = {
            "capex_usd": sum(capex.values()),
            "opex_usd_per_year": opex_total,
            "tco_usd": tco,
            "npv_cost_usd": npv,
            "annualized_cost_usd_per_year": annualised,
            "usd_per_gpu_hour": per_gpu_hour,
            "usd_per_utilized_gpu_hour": per_used,
            "breakeven_cloud_usd_per_gpu_hour": per_used,
            "usd_per_pflop_hour": _div(annualised, pflop_hours),
            "electricity_usd_per_mwh": price,
            "delay_cost_usd_per_month": annualised / 12.0,
        }
        if tpy is not None:
            c["usd_per_million_tokens"] = _div(annualised, tpy) * 1e6
        if gpu_hours is not None:
            c["workload_cost_usd"] = per_gpu_hour * gpu_hours
        for category, value in capex.items():
            c[f"capex_breakdown_usd.{category}"] = value
        for category, value in opex.items():
            c[f"opex_breakdown_usd_per_year.{category}"] = value
        for key, value in c.items():
            out[f"cost.{key}"] = value

        # Schedule.
        out["schedule.first_compute_month"] = np.where(np.isfinite(milestones[:, 0]), milestones[:, 0], np.nan)
        out["schedule.full_capacity_month"] = np.where(np.isfinite(milestones[:, 1]), milestones[:, 1], np.nan)
        return {k: np.asarray(v, dtype=np.float64) * np.ones(n) for k, v in out.items()}

    def _firm_backup_mw(self, mw):
        """Available MW of firm on-site sources run as backup (core.energy.onsite_firm_mw)."""
        total = 0.0
        for i, entry in enumerate(self.scenario.power):
            if entry.runs_as_backup and entry.source["kind"] == "firm":
                total = total + mw[i] * float(entry.source.get("availability") or 1.0)
        return total

    def _power_params(self, params, mw, mwh):
        """Aggregate the power entries into kernel columns (core.energy._aggregate_power)."""
        sc = self.scenario
        n = params.shape[0]
        grid = np.zeros(n)
        solar = np.zeros(n)
        wind = np.zeros(n)
        batt_mw = np.zeros(n)
        batt_mwh = np.zeros(n)
        backup = np.zeros(n)
        backup_tco2 = np.zeros(n)
        firm: dict[str, np.ndarray] = {}
        for i, entry in enumerate(sc.power):
            src = entry.source
            kind = src["kind"]
            if kind == "grid":
                grid = grid + mw[i]
            elif kind == "variable":
                if src.get("profile") == "wind":
                    wind = wind + mw[i]
                else:
                    solar = solar + mw[i]
            elif kind == "storage":
                batt_mw = batt_mw + mw[i]
                batt_mwh = batt_mwh + mwh[i]
            elif entry.runs_as_backup:
                available = mw[i] * float(src.get("availability") or 1.0)
                backup = backup + available
                backup_tco2 = backup_tco2 + available * float(src.get("gco2_per_kwh") or 0.0) / 1000.0
            elif kind == "firm":
                firm[src["id"]] = firm.get(src["id"], 0.0) + mw[i]
        params[:, L.P_BACKUP_TCO2_PER_MWH] = np.where(backup > 0, backup_tco2 / np.where(backup > 0, backup, 1.0), 0.0)
        params[:, L.P_GRID_MW] = grid
        params[:, L.P_SOLAR_MW] = solar
        params[:, L.P_WIND_MW] = wind
        params[:, L.P_BATT_MW] = batt_mw
        params[:, L.P_BATT_MWH] = batt_mwh
        params[:, L.P_BACKUP_MW] = backup
        for k, src in enumerate(self.inputs.firm_sources):
            params[:, L.P_FIRM_MW + k] = firm[src["id"]] * float(src.get("availability") or 1.0)

    def _opex(self, T, items, mw, price, n) -> dict:
        """core.cost.opex_per_year over all variants."""
        sc, inp = self.scenario, self.inputs
        cat = sc.catalogue
        fuel = np.zeros(n)
        om = np.zeros(n)
        firm_mwh = {src["id"]: T[:, L.R_FIRM_MWH + k] for k, src in enumerate(inp.firm_sources)}
        power = sc.power

        def share(total, i, same_ids):
            same = sum(mw[j] for j in same_ids)
            same = np.where(same == 0, 1.0, same)
            return total * mw[i] / same

        for i, entry in enumerate(power):
            src = entry.source
            kind = src["kind"]
            if entry.runs_as_backup:
                # Shared in proportion to available MW (core.cost.opex_per_year).
                avail = [mw[j] * float(e.source.get("availability") or 1.0) for j, e in enumerate(power)]
                same = sum(avail[j] for j, e in enumerate(power) if e.runs_as_backup)
                same = np.where(same == 0, 1.0, same)
                mwh = T[:, L.R_BACKUP_MWH] * avail[i] / same
            elif kind == "firm":
                same_ids = [j for j, e in enumerate(power) if e.source["id"] == src["id"] and not e.runs_as_backup]
                mwh = share(firm_mwh.get(src["id"], np.zeros(n)), i, same_ids)
            elif kind == "variable":
                is_wind = src.get("profile") == "wind"
                generated = T[:, L.R_WIND_GEN_MWH] if is_wind else T[:, L.R_SOLAR_GEN_MWH]
                same_ids = [j for j, e in enumerate(power) if e.source["kind"] == "variable"
                            and (e.source.get("profile") == "wind") == is_wind]
                mwh = share(generated, i, same_ids)
            elif kind == "storage":
                same_ids = [j for j, e in enumerate(power) if e.source["kind"] == "storage"]
                mwh = share(T[:, L.R_DISCHARGE_MWH], i, same_ids)
            else:
                mwh = np.zeros(n)
            fuel = fuel + mwh * float(src.get("fuel_usd_per_mwh") or 0.0)
            om = om + mw[i] * 1000.0 * float(src.get("fixed_om_usd_per_kw_year") or 0.0) \
                + mwh * float(src.get("variable_om_usd_per_mwh") or 0.0)
        facility_capex = sum((d for c, d, _ in items if c == "facility"), np.zeros(n))
        hardware = sum((d for c, d, _ in items if c in ("accelerators", "servers", "network", "storage")),
                       np.zeros(n))
        om = om + facility_capex * cat.constant("facility_om_fraction_per_year")
        lease = 0.0
        if sc.finance.lease:
            lease = inp.it_full_mw * 1000.0 * float(sc.region.get("lease_usd_per_kw_month") or 0.0) * 12.0
        return {
            "energy": T[:, L.R_GRID_MWH] * price,
            "fuel": fuel,
            "om": om,
            "hardware_support": hardware * cat.constant("hardware_support_fraction_per_year"),
            "staff": np.full(n, inp.it_full_mw * cat.constant("staff_usd_per_mw_it_year")),
            "lease": np.full(n, lease),
        }


def _numpy_batch(params, sched, profiles):
    """The numpy formulation of the same per-variant work (benchmark only): the hourly year
    vectorised over variants (core.kernels.hourly_numpy) and the schedule as array maths."""
    from core.kernels import hourly_numpy
    from core.schedule import timeline

    totals = hourly_numpy.hourly_year_batch(params, *profiles)
    d = {task: sched[:, i] for i, task in enumerate(SCHED_TASKS) if not np.isnan(sched[0, i])}
    _, first, full = timeline(d, sched[:, S_GRID_MW], sched[:, S_ONSITE_MW], sched[:, S_NEED_FIRST],
                              sched[:, S_NEED_FULL], sched[:, S_PHASE_SPAN])
    return totals, np.stack([first, full], axis=1)


def _div(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def _crf(rate, life):
    if life <= 0:
        return np.ones_like(rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rate == 0, 1.0 / life, rate / (1.0 - (1.0 + rate) ** -life))


def _annuity(rate, years):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rate == 0, years, (1.0 - (1.0 + rate) ** -years) / np.where(rate == 0, 1.0, rate))


def _lifetime_costs(items, opex_total, horizon, rate):
    """core.cost.lifetime_costs with the discount rate (and so everything) as arrays."""
    tco = opex_total * horizon
    npv = opex_total * _annuity(rate, horizon)
    for _, dollars, life in items:
        purchase = 0.0
        while purchase < horizon - 1e-9:
            tco = tco + dollars
            npv = npv + dollars / (1.0 + rate) ** purchase
            purchase += life
        remaining = purchase - horizon
        residual = dollars * remaining / life if life > 0 else 0.0 * dollars
        npv = npv - residual / (1.0 + rate) ** horizon
    return tco, npv


__all__ = ["BatchModel"]
