"""Scenario files (`aisite.scenario/1`): parsing, validation and catalogue resolution.

`load_scenario(dict)` turns the planner's JSON into a `Scenario` whose components are
resolved catalogue rows (or inline objects with the same fields), with every default
filled in. Every problem is an InputError naming the field, e.g.
`deployments[0].count: must be a positive integer, got -5`.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from aisite.core.catalogue import Catalogue, load_catalogue
from aisite.core.distributions import parse_distribution
from aisite.core.errors import InputError
from aisite.core.paths import scenario_path
from aisite.core.validate import (
    MAX_PROFILE_BYTES,
    _show,
    MAX_SCENARIO_BYTES,
    number,
    read_limited,
    regular_file,
    reject_unknown,
    require_list,
    require_mapping,
    text,
)

FORMAT = "aisite.scenario/1"
#: Ten times the largest cluster announced so far (about a million accelerators):
#: a count past this is a typo (1e30), and would give capex beyond any meaning.
MAX_ACCELERATORS_PER_DEPLOYMENT = 10_000_000
SCHEDULE_TASKS = ("permitting", "grid_connection", "onsite_power", "building",
                  "cooling_equipment", "electrical_equipment", "accelerator_delivery", "install")
WORKLOAD_KINDS = ("training", "inference", "utilization")
PRECISIONS = ("bf16", "fp8")
OVERRIDE_BOUNDS = {
    # key: (minimum, maximum, exclusive minimum)
    "pue": (1.0, 5.0, False),
    "it_w_per_chip": (0.0, 100_000.0, True),
    "grid_gco2_per_kwh": (0.0, 2_000.0, False),
    "electricity_usd_per_mwh": (0.0, 10_000.0, False),
    "utilization": (0.0, 1.0, False),
    "goodput": (0.0, 1.0, True),
}
TOP_LEVEL = {"format", "name", "description", "region", "deployments", "cooling", "power",
             "workload", "finance", "overrides", "schedule", "uncertain", "network", "profiles"}
# A planner's own hourly data: an EPW weather file, or 8,760-row CSVs per profile column.
PROFILE_KEYS = ("weather", "dry_bulb_c", "wet_bulb_c", "rel_humidity_pct", "solar_cf", "wind_cf",
                "grid_gco2_per_kwh")

# Fields an inline object must give; the rest default as below.
INLINE_REQUIRED = {
    "chips": ("name", "bf16_tflops", "memory_gb", "memory_tbps", "tdp_w", "price_usd"),
    "servers": ("chips_per_server", "overhead_w", "price_usd"),
    "cooling": ("name", "max_kw_per_rack", "pue_min"),
    "power_sources": ("name", "kind"),
    "regions": ("name", "electricity_usd_per_mwh", "grid_gco2_per_kwh"),
    "network": ("name", "usd_per_accelerator", "w_per_accelerator"),
}
INLINE_DEFAULTS = {
    "chips": {"fp8_tflops": None, "export_class": "unrestricted", "mfu_bf16": 0.40, "mfu_fp8": 0.35,
              "lead_time_months_low": 6.0, "lead_time_months_mode": 9.0, "lead_time_months_high": 15.0,
              "default_server": None, "vendor": "custom"},
    "servers": {"name": "custom server", "servers_per_rack": 8.0},
    "cooling": {"pue_max": None, "econ_temp_c": 18.0, "pue_slope_per_c": 0.0, "temp_basis": "dry_bulb",
                "wue_l_per_kwh_min": 0.0, "wue_l_per_kwh_max": 0.0, "wue_temp_c": 20.0, "wue_slope_per_c": 0.0,
                "capex_usd_per_kw": 0.0, "lead_time_months_low": 6.0, "lead_time_months_mode": 8.0,
                "lead_time_months_high": 12.0},
    "power_sources": {"profile": "", "capex_usd_per_kw": 0.0, "capex_usd_per_kwh": 0.0,
                      "fixed_om_usd_per_kw_year": 0.0, "variable_om_usd_per_mwh": 0.0, "fuel_usd_per_mwh": 0.0,
                      "gco2_per_kwh": 0.0, "availability": 1.0, "round_trip_efficiency": 0.85,
                      "usable_soc_min": 0.15, "usable_soc_max": 0.95,
                      "default_duration_h": 4.0, "life_years": 20.0, "lead_time_months_low": 12.0,
                      "lead_time_months_mode": 18.0, "lead_time_months_high": 30.0, "merit_order": 5.0},
    "regions": {"grid_queue_months_low": 24.0, "grid_queue_months_mode": 36.0, "grid_queue_months_high": 60.0,
                "construction_cost_factor": 1.0, "export_tier": 1.0, "lease_usd_per_kw_month": None,
                "profile": None},
    "network": {"scaling_loss_per_doubling": 0.015, "scaling_base_accelerators": 1024.0},
}
POWER_KINDS = ("grid", "variable", "storage", "firm", "backup")
DISPATCH_MODES = ("merit", "backup")


@dataclass(frozen=True)
class Deployment:
    chip: dict
    count: int
    start_month: float
    server: dict
    chips_per_server: int
    servers_per_rack: int
    server_overhead_w: float
    network: dict


@dataclass(frozen=True)
class PowerEntry:
    source: dict
    mw: float
    mwh: float
    # "merit": a firm on-site source runs before grid import (in merit order);
    # "backup": it runs only when grid import falls short, like diesel (a gas bridge
    # that stays on as backup once the grid is connected).
    dispatch: str = "merit"

    @property
    def runs_as_backup(self) -> bool:
        return self.source["kind"] == "backup" or self.dispatch == "backup"


@dataclass(frozen=True)
class Workload:
    kind: str
    params: float | None = None
    active_params: float | None = None
    tokens: float | None = None
    precision: str = "bf16"
    mfu: float | None = None
    goodput: float | None = None
    batch: int | None = None
    context_tokens: float | None = None
    utilization: float | None = None
    kv_bytes_per_token: float | None = None


@dataclass(frozen=True)
class Finance:
    horizon_years: float
    discount_rate: float
    lease: bool = False
    market_rec_fraction: float = 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    region: dict
    deployments: tuple[Deployment, ...]
    cooling: dict
    power: tuple[PowerEntry, ...]
    workload: Workload
    finance: Finance
    overrides: Mapping[str, float]
    schedule: Mapping[str, float]
    profiles: Mapping[str, str]
    catalogue: Catalogue = field(repr=False, compare=False)
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def accelerators(self) -> int:
        return sum(d.count for d in self.deployments)


def read_scenario_file(path: str | Path) -> dict:
    """A scenario file's JSON object exactly as written (nothing filled in or rewritten, so
    JSON -> project -> JSON is exact). Malformed JSON names the line and column; NaN and
    Infinity, which Python would accept silently, are refused. Relative `profiles` paths
    stay as written: resolve them with `resolve_profiles(data, folder)`. `sample:NAME`
    reads a shipped sample (core.paths.scenario_path)."""
    path = scenario_path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a scenario file")
    raw = read_limited(path, str(path), max_bytes=MAX_SCENARIO_BYTES)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"is not a UTF-8 text file (byte {error.start}); a scenario file is JSON") from None
    try:
        data = json.loads(content, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(str(path), f"is not valid JSON: {error.msg} at line {error.lineno}, "
                                    f"column {error.colno}") from None
    except RecursionError:
        raise InputError(str(path), "is not valid JSON: nested too deeply") from None
    except _ConstantError as error:
        raise InputError(str(path), str(error)) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise InputError(str(path), "holds a number with far too many digits to be a scenario value") from None
    if not isinstance(data, dict):
        raise InputError(str(path), f"a scenario file holds one JSON object, got {type(data).__name__}")
    return data


def resolve_profiles(data: dict, folder: str | Path) -> dict:
    """A copy of `data` whose relative `profiles` file paths are made absolute from
    `folder` (the scenario file's folder, or the project's)."""
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, dict) or not profiles:
        return data
    out = dict(data)
    out["profiles"] = {
        key: (str((Path(folder) / value).resolve()) if isinstance(value, str) and value
              and not Path(value).is_absolute() else value)
        for key, value in profiles.items()
    }
    return out


class _ConstantError(ValueError):
    pass


def _reject_constant(name: str):
    # NaN and Infinity are not JSON; Python would accept them silently.
    raise _ConstantError(f"{name} is not a valid number in a scenario file")


def _component(cat: Catalogue, kind: str, value: Any, path: str) -> dict:
    """A catalogue id, or an inline object with the catalogue's fields."""
    if isinstance(value, str):
        row = cat.get(kind, value, path)
        _check_finite(row, path, value)  # a project's own entry may hold NaN (a damaged or hand-made file)
        return row
    if isinstance(value, Mapping):
        base_id = value.get("id") if isinstance(value.get("id"), str) else None
        if base_id and base_id in cat.tables[kind]:
            # An inline object with a known id overrides fields of that entry.
            row = dict(cat.tables[kind][base_id])
        else:
            for key in INLINE_REQUIRED[kind]:
                if key not in value:
                    raise InputError(f"{path}.{key}", "is required for an inline object")
            row = {"id": base_id or f"inline:{value.get('name', kind)}", **INLINE_DEFAULTS[kind]}
        numeric = _numeric_fields(cat, kind)
        for key, item in value.items():
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                number(value, key, path)  # finite check with a clear message
                row[key] = float(item)
            elif key in numeric and item is not None:
                raise InputError(f"{path}.{key}", f"must be a number, got {_show(item)}")
            else:
                row[key] = item
        _check_component_numbers(kind, row, path)
        return row
    raise InputError(path, f"must be a catalogue id or an object, got {type(value).__name__}")


def _numeric_fields(cat: Catalogue, kind: str) -> frozenset[str]:
    """Fields that hold numbers in the catalogue's entries of this kind: an inline object
    must give numbers there too (a text " " as a price would reach the cost model)."""
    fields = {k for row in cat.tables[kind].values() for k, v in row.items()
              if isinstance(v, (int, float)) and not isinstance(v, bool)}
    fields |= {k for k, v in INLINE_DEFAULTS[kind].items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return frozenset(fields)


def _check_finite(row: Mapping[str, Any], path: str, entry_id: str) -> None:
    for key, item in row.items():
        if isinstance(item, float) and not math.isfinite(item):
            raise InputError(f"{path}.{key}", f"must be a finite number, got {item!r} "
                                              f"(in catalogue entry {entry_id!r})")


_POSITIVE = {
    "chips": ("bf16_tflops", "memory_gb", "memory_tbps", "tdp_w"),
    "servers": ("chips_per_server",),
    "cooling": ("max_kw_per_rack", "pue_min"),
    "regions": (),
    "power_sources": (),
    "network": (),
}


def _check_component_numbers(kind: str, row: dict, path: str) -> None:
    for key in _POSITIVE[kind]:
        number(row, key, path, minimum=0, exclusive_minimum=True)
    for key, value in row.items():
        if key in ("year", "release_year", "merit_order", "utc_offset", "latitude", "longitude",
                   "econ_temp_c", "wue_temp_c", "capex_usd_per_kw"):
            continue
        if isinstance(value, float) and value < 0:
            raise InputError(f"{path}.{key}", f"must not be negative, got {value:g}")
    if kind == "cooling" and row.get("pue_min", 1.0) < 1.0:
        raise InputError(f"{path}.pue_min", f"must be at least 1, got {row['pue_min']:g}")
    if kind == "power_sources" and row.get("kind") not in POWER_KINDS:
        raise InputError(f"{path}.kind", f"must be one of {', '.join(POWER_KINDS)}, got {_show(row.get('kind'))}")


def _deployment(cat: Catalogue, data: Any, path: str, default_network: Any) -> Deployment:
    data = require_mapping(data, path)
    reject_unknown(data, {"chip", "count", "start_month", "server", "chips_per_server",
                          "server_overhead_w", "servers_per_rack", "network"}, path)
    if "chip" not in data:
        raise InputError(f"{path}.chip", "is required")
    chip = _component(cat, "chips", data["chip"], f"{path}.chip")
    count = number(data, "count", path, minimum=0, exclusive_minimum=True, integer=True,
                   maximum=MAX_ACCELERATORS_PER_DEPLOYMENT)
    start = number(data, "start_month", path, default=0.0, minimum=0, maximum=240)
    server_ref = data.get("server", chip.get("default_server"))
    if server_ref:
        server = _component(cat, "servers", server_ref, f"{path}.server")
    else:
        if "chips_per_server" not in data or "server_overhead_w" not in data:
            raise InputError(f"{path}.server", "is required for a chip with no default server "
                                               "(or give chips_per_server and server_overhead_w)")
        server = {"id": "inline:server", "name": "custom server", "price_usd": 0.0,
                  "servers_per_rack": 8.0, "chips_per_server": 8.0, "overhead_w": 0.0}
    chips_per_server = number(data, "chips_per_server", path, default=server["chips_per_server"],
                              minimum=0, exclusive_minimum=True, integer=True, maximum=1024)
    overhead = number(data, "server_overhead_w", path, default=server["overhead_w"], minimum=0,
                      maximum=1_000_000)
    per_rack = number(data, "servers_per_rack", path, default=server["servers_per_rack"], minimum=0,
                      exclusive_minimum=True, integer=True, maximum=1024)
    network_ref = data.get("network", default_network)
    network = _component(cat, "network", network_ref, f"{path}.network")
    return Deployment(chip, int(count), start, server, int(chips_per_server), int(per_rack), overhead, network)


def _power(cat: Catalogue, data: Any, path: str) -> PowerEntry:
    data = require_mapping(data, path)
    reject_unknown(data, {"source", "mw", "mwh", "dispatch"}, path)
    if "source" not in data:
        raise InputError(f"{path}.source", "is required")
    source = _component(cat, "power_sources", data["source"], f"{path}.source")
    mw = number(data, "mw", path, minimum=0, maximum=100_000)
    dispatch = "backup" if source["kind"] == "backup" else "merit"
    if "dispatch" in data:
        dispatch = text(data, "dispatch", path, choices=DISPATCH_MODES)
        if source["kind"] == "backup" and dispatch != "backup":
            raise InputError(f"{path}.dispatch", f"{source['id']} is a backup source; it runs only when "
                                                 f"grid import falls short")
        if source["kind"] not in ("firm", "backup"):
            raise InputError(f"{path}.dispatch", f"applies only to firm on-site sources; {source['id']} "
                                                 f"is {source['kind']}")
    if source["kind"] == "storage":
        default_mwh = mw * float(source.get("default_duration_h") or 4.0)
        mwh = number(data, "mwh", path, default=default_mwh, minimum=0, maximum=1_000_000)
    else:
        if "mwh" in data:
            raise InputError(f"{path}.mwh", f"applies only to storage; {source['id']} is {source['kind']}")
        mwh = 0.0
    return PowerEntry(source, mw, mwh, dispatch)


def _workload(data: Any, path: str = "workload") -> Workload:
    data = require_mapping(data, path)
    kind = text(data, "kind", path, choices=WORKLOAD_KINDS)
    allowed = {"kind"}
    if kind == "training":
        allowed |= {"params", "active_params", "tokens", "precision", "mfu", "goodput", "utilization"}
        reject_unknown(data, allowed, path)
        params = number(data, "params", path, minimum=0, exclusive_minimum=True, maximum=1e16)
        active = number(data, "active_params", path, default=params, minimum=0, exclusive_minimum=True,
                        maximum=params)
        return Workload(
            kind, params, active,
            tokens=number(data, "tokens", path, minimum=0, exclusive_minimum=True, maximum=1e18),
            precision=text(data, "precision", path, default="bf16", choices=PRECISIONS),
            mfu=number(data, "mfu", path, default=None, minimum=0, exclusive_minimum=True, maximum=1),
            goodput=number(data, "goodput", path, default=None, minimum=0, exclusive_minimum=True, maximum=1),
            utilization=number(data, "utilization", path, default=None, minimum=0, maximum=1),
        )
    if kind == "inference":
        allowed |= {"params", "active_params", "precision", "batch", "context_tokens", "utilization",
                    "kv_bytes_per_token"}
        reject_unknown(data, allowed, path)
        params = number(data, "params", path, minimum=0, exclusive_minimum=True, maximum=1e16)
        return Workload(
            kind, params,
            number(data, "active_params", path, default=params, minimum=0, exclusive_minimum=True, maximum=params),
            precision=text(data, "precision", path, default="bf16", choices=PRECISIONS),
            batch=number(data, "batch", path, default=32, minimum=0, exclusive_minimum=True, integer=True,
                         maximum=100_000),
            context_tokens=number(data, "context_tokens", path, default=4096, minimum=0, exclusive_minimum=True,
                                  maximum=100_000_000),
            utilization=number(data, "utilization", path, default=0.6, minimum=0, maximum=1),
            kv_bytes_per_token=number(data, "kv_bytes_per_token", path, default=None, minimum=0,
                                      exclusive_minimum=True),
        )
    reject_unknown(data, allowed | {"utilization"}, path)
    return Workload(kind, utilization=number(data, "utilization", path, minimum=0, maximum=1))


def load_scenario(data: Mapping[str, Any], catalogue: Catalogue | None = None) -> Scenario:
    """Validate an aisite.scenario/1 dict and resolve it against the catalogue."""
    cat = catalogue or load_catalogue()
    data = require_mapping(data, "scenario")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InputError("format", f"must be {FORMAT!r}, got {_show(fmt)}")
    reject_unknown(data, TOP_LEVEL, "")
    name = text(data, "name", "", default="Untitled scenario")
    if "region" not in data:
        raise InputError("region", "is required")
    region = _component(cat, "regions", data["region"], "region")
    default_network = data.get("network", "infiniband-ndr")
    for required in ("deployments", "cooling", "workload"):
        if required not in data:
            raise InputError(required, "is required")
    deployments = tuple(
        _deployment(cat, item, f"deployments[{i}]", default_network)
        for i, item in enumerate(require_list(data["deployments"], "deployments", non_empty=True))
    )
    cooling = _component(cat, "cooling", data["cooling"], "cooling")
    power = tuple(_power(cat, item, f"power[{i}]")
                  for i, item in enumerate(require_list(data.get("power", []), "power")))
    firm_ids = {p.source["id"] for p in power if p.source["kind"] == "firm" and not p.runs_as_backup}
    if len(firm_ids) > 4:
        raise InputError("power", f"at most 4 different firm on-site sources, got {len(firm_ids)}")
    workload = _workload(data["workload"])
    finance_data = require_mapping(data.get("finance", {}), "finance")
    reject_unknown(finance_data, {"horizon_years", "discount_rate", "lease", "market_rec_fraction"}, "finance")
    lease = finance_data.get("lease", False)
    if not isinstance(lease, bool):
        raise InputError("finance.lease", f"must be true or false, got {_show(lease)}")
    finance = Finance(
        horizon_years=number(finance_data, "horizon_years", "finance", default=cat.constant("horizon_years"),
                             minimum=1, maximum=50),
        discount_rate=number(finance_data, "discount_rate", "finance", default=cat.constant("discount_rate"),
                             minimum=0, maximum=1),
        lease=lease,
        market_rec_fraction=number(finance_data, "market_rec_fraction", "finance",
                                   default=cat.constant("market_rec_fraction"), minimum=0, maximum=1),
    )
    overrides_data = require_mapping(data.get("overrides", {}), "overrides")
    reject_unknown(overrides_data, set(OVERRIDE_BOUNDS), "overrides")
    overrides = {}
    for key, (low, high, exclusive) in OVERRIDE_BOUNDS.items():
        if key in overrides_data:
            overrides[key] = number(overrides_data, key, "overrides", minimum=low, maximum=high,
                                    exclusive_minimum=exclusive)
    schedule_data = require_mapping(data.get("schedule", {}), "schedule")
    reject_unknown(schedule_data, set(SCHEDULE_TASKS), "schedule")
    schedule = {key: number(schedule_data, key, "schedule", minimum=0, maximum=240) for key in schedule_data}
    if "uncertain" in data:
        # Distribution shapes are checked here; whether each path names a numeric input
        # is checked by core.explore.uncertain when an analysis uses them.
        for path, spec in require_mapping(data["uncertain"], "uncertain").items():
            parse_distribution(spec, f"uncertain.{path}")
    profiles = _profiles(data.get("profiles", {}))
    return Scenario(name, region, deployments, cooling, power, workload, finance, overrides, schedule,
                    profiles, cat, data)


def _profiles(data: Any) -> dict[str, str]:
    data = require_mapping(data, "profiles")
    reject_unknown(data, set(PROFILE_KEYS), "profiles")
    out = {}
    for key in data:
        path = text(data, key, "profiles")
        suffix = ".epw" if key == "weather" else ".csv"
        if not path.lower().endswith(suffix):
            raise InputError(f"profiles.{key}", f"must be a {suffix} file, got {path!r}")
        regular_file(path, f"profiles.{key}", max_bytes=MAX_PROFILE_BYTES)
        out[key] = path
    return out
