"""Many variants of one scenario at once: the engine of Monte Carlo (and of any batch
that varies inputs by path).

`BatchModel(doc, paths)` takes a scenario dict and the paths of the inputs that vary;
`run(values)` takes one row of values per variant and returns every numeric result key
(`section.key`, core.explore.results) as an array over the variants.

Two ways to get there, with the same numbers:

- the fast path, for the inputs a planner most often varies (schedule task durations,
  electricity price, utilisation, MFU, goodput, PUE and the cooling curve, grid carbon,
  chip prices, discount rate, power-source MW and MWh): the variants' inputs are laid out
  as arrays (a scenario, kernel parameters, throughput and schedule rows holding one
  element per variant), the compiled Monte Carlo kernel runs every variant's hourly year
  and schedule without the GIL on both cores, and throughput, energy and cost come from
  the very functions `aisite.core.evaluate` calls (core.throughput, core.energy, core.cost are
  written over scalars or arrays alike), over all variants at once;
- the general path, for any other numeric input: each variant is loaded and evaluated
  by core.evaluate (about 0.3 ms each).

Tests hold the fast path to the general one on every supported input.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable

import numpy as np

from aisite.core.cost import cost_summary, electricity_price
from aisite.core.energy import design_pue, energy_summary, facility_mw_by_deployment, grid_mean_gco2, onsite_firm_mw, \
    power_columns, site_inputs
from aisite.core.errors import Cancelled
from aisite.core.evaluate import evaluate
from aisite.core.explore import paths as P
from aisite.core.explore.results import flatten
from aisite.core.kernels import layout as L
from aisite.core.kernels.layout import N_SCHED, S_GRID_MW, S_NEED_FIRST, S_NEED_FULL, S_ONSITE_MW, S_PHASE_SPAN, \
    SCHED_TASKS
from aisite.core.kernels.montecarlo import montecarlo_batch
from aisite.core.scenario import Scenario, load_scenario
from aisite.core.schedule import durations, phase_needs
from aisite.core.throughput import compute_throughput, throughput_summary, with_rates

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
        n = values.shape[0]

        def full(x):
            return np.full(n, float(x))

        util = full(tp.utilization)
        mfu = full(tp.mfu) if tp.mfu is not None else None
        goodput = full(tp.goodput) if tp.goodput is not None else None
        price = full(electricity_price(sc))
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

        # The scenario, its kernel inputs and its throughput with the varied inputs laid
        # out as arrays over the variants; the model (core.throughput, core.energy,
        # core.cost) is written over scalars or arrays alike and does the rest.
        variants = self._variant_scenario(price, rate, rec, chip_price, mw, mwh)
        params[:, L.P_UTIL_SCALE] = util          # with an all-ones utilisation profile
        if pue_fixed is not None:
            params[:, L.P_PUE_FIXED] = pue_fixed
        profile_mean = grid_mean_gco2(inp.profile)
        if ci is not None:
            params[:, L.P_GRID_CI_SCALE] = ci / profile_mean if profile_mean > 0 else 1.0
            ci_mean = ci
        else:
            ci_mean = inp.grid_ci_mean
        firm_backup = inp.firm_backup_mw
        if power_changed:
            columns, _, firm_backup = power_columns(variants.power)
            for column, value in columns.items():
                params[:, column] = value
        inputs = dataclasses.replace(inp, params=params, grid_ci_mean=ci_mean, firm_backup_mw=firm_backup)
        tp_v = with_rates(tp, sc, utilization=util, mfu=mfu, goodput=goodput)

        # Schedule rows (core.schedule.schedule_summary).
        sched = np.full((n, N_SCHED), np.nan)
        for i, task in enumerate(SCHED_TASKS):
            if task in dur:
                sched[:, i] = dur[task]
        sched[:, S_GRID_MW] = params[:, L.P_GRID_MW]
        sched[:, S_ONSITE_MW] = onsite_firm_mw(inputs)
        need_first, need_full, span = phase_needs(sc, facility_mw_by_deployment(
            sc, inputs, design_pue(params, inp.max_temp)))
        sched[:, S_NEED_FIRST] = need_first
        sched[:, S_NEED_FULL] = need_full
        sched[:, S_PHASE_SPAN] = span

        ones = np.ones(L.HOURS)
        if backend == "numpy":
            totals, milestones = _numpy_batch(params, sched, (inp.temp, inp.solar_cf, inp.wind_cf, inp.grid_ci, ones))
        else:
            totals, milestones = montecarlo_batch(params, sched, inp.temp, inp.solar_cf, inp.wind_cf, inp.grid_ci,
                                                  ones, progress=progress, chunk=chunk, threads=threads,
                                                  reference=backend == "reference")
        out = {k: np.full(n, np.nan if v is None else v) for k, v in self.base.items()}
        sections = {
            "throughput": throughput_summary(tp_v),
            "energy": energy_summary(inputs, totals, rec, tp_v.training_days),
            "cost": cost_summary(variants, inputs, totals, tp_v, dur),
        }
        for section, figures in sections.items():
            _set_figures(out, section, figures)
        # A milestone never reached (infinite) is not applicable, as in the JSON result.
        for key, column in (("first_compute_month", L.M_FIRST_COMPUTE), ("full_capacity_month", L.M_FULL_CAPACITY)):
            month = milestones[:, column]
            out[f"schedule.{key}"] = np.where(np.isfinite(month), month, np.nan)
        return {k: np.asarray(v, dtype=np.float64) * np.ones(n) for k, v in out.items()}

    def _variant_scenario(self, price, rate, rec, chip_price, mw, mwh) -> Scenario:
        """The scenario with the varied inputs as arrays (what the cost model reads)."""
        sc = self.scenario
        return dataclasses.replace(
            sc,
            deployments=tuple(dataclasses.replace(d, chip={**d.chip, "price_usd": p})
                              for d, p in zip(sc.deployments, chip_price)),
            power=tuple(dataclasses.replace(e, mw=a, mwh=b) for e, a, b in zip(sc.power, mw, mwh)),
            finance=dataclasses.replace(sc.finance, discount_rate=rate, market_rec_fraction=rec),
            overrides={**sc.overrides, "electricity_usd_per_mwh": price},
        )


def _set_figures(out: dict, prefix: str, figures: dict) -> None:
    """Every figure of a result section into `out` as `prefix.key` (None: not applicable,
    left as the base result has it)."""
    for key, value in figures.items():
        if isinstance(value, dict):
            _set_figures(out, f"{prefix}.{key}", value)
        elif value is not None:
            out[f"{prefix}.{key}"] = value


def _numpy_batch(params, sched, profiles):
    """The numpy formulation of the same per-variant work (benchmark only): the hourly year
    vectorised over variants (core.kernels.hourly_numpy) and the schedule as array maths."""
    from aisite.core.kernels import hourly_numpy
    from aisite.core.schedule import timeline

    totals = hourly_numpy.hourly_year_batch(params, *profiles)
    d = {task: sched[:, i] for i, task in enumerate(SCHED_TASKS) if not np.isnan(sched[0, i])}
    _, first, full = timeline(d, sched[:, S_GRID_MW], sched[:, S_ONSITE_MW], sched[:, S_NEED_FIRST],
                              sched[:, S_NEED_FULL], sched[:, S_PHASE_SPAN])
    return totals, np.stack([first, full], axis=1)


__all__ = ["BatchModel"]
