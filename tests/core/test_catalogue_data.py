"""The shipped catalogue in data/: schema, sources, required ids and references."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aisite.core.paths import data_dir

SCHEMAS = {
    "chips.csv": "id,name,vendor,bf16_tflops,fp8_tflops,memory_gb,memory_tbps,tdp_w,price_usd,default_server,export_class,mfu_bf16,mfu_fp8,lead_time_months_low,lead_time_months_mode,lead_time_months_high,release_year,source,year,estimated",
    "servers.csv": "id,name,chips_per_server,overhead_w,price_usd,servers_per_rack,source,year,estimated",
    "network.csv": "id,name,usd_per_accelerator,w_per_accelerator,scaling_loss_per_doubling,scaling_base_accelerators,source,year,estimated",
    "cooling.csv": "id,name,max_kw_per_rack,pue_min,pue_max,econ_temp_c,pue_slope_per_c,temp_basis,wue_l_per_kwh_min,wue_l_per_kwh_max,wue_temp_c,wue_slope_per_c,capex_usd_per_kw,lead_time_months_low,lead_time_months_mode,lead_time_months_high,source,year,estimated",
    "power_sources.csv": "id,name,kind,profile,capex_usd_per_kw,capex_usd_per_kwh,fixed_om_usd_per_kw_year,variable_om_usd_per_mwh,fuel_usd_per_mwh,gco2_per_kwh,gco2_per_kwh_lifecycle,availability,round_trip_efficiency,usable_soc_min,usable_soc_max,default_duration_h,life_years,lead_time_months_low,lead_time_months_mode,lead_time_months_high,merit_order,source,year,estimated",
    "regions.csv": "id,name,country,electricity_usd_per_mwh,grid_gco2_per_kwh,grid_queue_months_low,grid_queue_months_mode,grid_queue_months_high,construction_cost_factor,export_tier,lease_usd_per_kw_month,profile,profile_kind,utc_offset,latitude,longitude,elevation_m,wind_shear_alpha,source,year,estimated",
    "constants.csv": "key,value,unit,source,year,estimated",
}
TEXT_COLUMNS = {
    "id", "key", "name", "vendor", "default_server", "export_class", "temp_basis", "kind",
    "profile", "profile_kind", "country", "unit", "source", "estimated",
}
REQUIRED_IDS = {
    "chips.csv": [
        "nvidia-a100-80gb", "nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200", "nvidia-h800",
        "nvidia-h20", "nvidia-b200", "nvidia-gb200", "nvidia-b300", "amd-mi300x", "amd-mi325x",
        "amd-mi355x", "google-tpu-v5p", "google-tpu-v6e", "aws-trainium2", "intel-gaudi3",
        "aws-trainium3", "google-tpu-v5e", "microsoft-maia-100",
    ],
    "servers.csv": [
        "hgx-h100-8gpu", "hgx-b200-8gpu", "nvl72-compute-tray", "hgx-a100-8gpu", "pcie-8gpu",
        "amd-oam-8gpu", "tpu-host-4chip", "trainium2-16chip", "gaudi3-8",
    ],
    "network.csv": ["infiniband-ndr", "infiniband-xdr", "ethernet-roce-400g", "ethernet-roce-800g"],
    "cooling.csv": ["air", "rear-door", "direct-liquid", "immersion"],
    "power_sources.csv": [
        "grid", "gas-turbine", "gas-engine", "solar-pv", "wind-onshore", "battery", "smr",
        "fuel-cell", "diesel",
    ],
    "regions.csv": [
        "us-virginia", "us-texas", "us-oregon", "ireland", "germany", "france", "sweden", "norway",
        "singapore", "japan", "uae", "saudi-arabia", "india", "china",
    ],
}
REQUIRED_CONSTANTS = [
    "facility_usd_per_mw_it", "facility_life_years", "chip_life_years", "server_life_years",
    "network_life_years", "storage_usd_per_accelerator", "storage_w_per_accelerator",
    "staff_usd_per_mw_it_year", "hardware_support_fraction_per_year",
    "facility_om_fraction_per_year", "chip_idle_fraction", "training_utilization",
    "failure_rate_per_gpu_hour", "hours_lost_per_interruption", "checkpoint_overhead_fraction",
    "memory_bandwidth_efficiency", "inference_flops_efficiency", "usable_memory_fraction",
    "kv_bytes_per_token_per_sqrt_bparam", "training_bytes_per_param", "discount_rate",
    "horizon_years", "market_rec_fraction",
] + [
    f"{task}_months_{p}"
    for task in ("permitting", "building", "electrical_equipment", "install")
    for p in ("low", "mode", "high")
]


def read(name: str) -> tuple[list[str], list[dict]]:
    with open(data_dir() / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def by_id(name: str) -> dict[str, dict]:
    return {r["id"]: r for r in read(name)[1]}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_and_sources(name):
    header, rows = read(name)
    assert header == SCHEMAS[name].split(","), name
    assert rows, f"{name} has no rows"
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"{name} line {i}: more fields than the header"
        assert all(v is not None for v in row.values()), f"{name} line {i}: fewer fields than the header"
        assert row["source"].strip(), f"{name} line {i}: empty source"
        assert 1990 <= int(row["year"]) <= 2030, f"{name} line {i}: year {row['year']}"
        for field in filter(None, row["estimated"].split(";")):
            assert field in header and field not in ("source", "year", "estimated"), (
                f"{name} line {i}: estimated names unknown field {field!r}"
            )


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_numeric_columns_parse(name):
    header, rows = read(name)
    for i, row in enumerate(rows, start=2):
        for col in header:
            if col in TEXT_COLUMNS or row[col] == "":
                continue
            float(row[col])  # raises on a bad number
            assert "," not in row[col]


@pytest.mark.parametrize("name", sorted(REQUIRED_IDS))
def test_required_ids_unique(name):
    _, rows = read(name)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
    missing = set(REQUIRED_IDS[name]) - set(ids)
    assert not missing, f"{name} lacks {sorted(missing)}"


def test_chips():
    servers = by_id("servers.csv")
    for cid, c in by_id("chips.csv").items():
        assert c["default_server"] in servers, f"{cid}: default_server {c['default_server']!r}"
        assert c["export_class"] in ("controlled", "china-variant", "unrestricted"), cid
        for col in ("bf16_tflops", "memory_gb", "memory_tbps", "tdp_w", "price_usd", "mfu_bf16"):
            assert float(c[col]) > 0, (cid, col)
        if c["fp8_tflops"]:
            assert c["mfu_fp8"], f"{cid}: FP8 peak without an FP8 MFU"
        assert 0.2 <= float(c["mfu_bf16"]) <= 0.6, cid
        lo, mode, hi = (float(c[f"lead_time_months_{p}"]) for p in ("low", "mode", "high"))
        assert 0 <= lo <= mode <= hi, cid
    chips = by_id("chips.csv")
    assert chips["nvidia-a100-80gb"]["fp8_tflops"] == ""
    assert chips["google-tpu-v5p"]["fp8_tflops"] == ""
    assert chips["nvidia-h20"]["export_class"] == "china-variant"
    assert chips["nvidia-h800"]["export_class"] == "controlled"
    assert float(chips["nvidia-h100-sxm"]["bf16_tflops"]) == 989


def test_servers_and_racks():
    for sid, s in by_id("servers.csv").items():
        assert int(s["chips_per_server"]) >= 1, sid
        assert float(s["overhead_w"]) >= 0 and float(s["price_usd"]) >= 0, sid
        assert int(s["servers_per_rack"]) >= 1, sid
    s = by_id("servers.csv")["hgx-h100-8gpu"]
    assert float(s["overhead_w"]) == 10200 - 8 * 700  # DGX H100 10.2 kW max
    tray = by_id("servers.csv")["nvl72-compute-tray"]
    assert (int(tray["chips_per_server"]), int(tray["servers_per_rack"])) == (4, 18)
    # An NVL72 rack lands in the published 120-140 kW and fits direct-liquid cooling.
    gb200 = by_id("chips.csv")["nvidia-gb200"]
    rack_kw = 18 * (4 * float(gb200["tdp_w"]) + float(tray["overhead_w"])) / 1000
    assert 115 <= rack_kw <= 140
    assert rack_kw <= float(by_id("cooling.csv")["direct-liquid"]["max_kw_per_rack"])


def test_network():
    for nid, n in by_id("network.csv").items():
        assert 0 < float(n["scaling_loss_per_doubling"]) < 0.05, nid
        assert float(n["scaling_base_accelerators"]) >= 1, nid
    ndr = by_id("network.csv")["infiniband-ndr"]
    assert 1700 <= float(ndr["usd_per_accelerator"]) <= 2300


def test_cooling():
    for cid, c in by_id("cooling.csv").items():
        assert c["temp_basis"] in ("dry_bulb", "wet_bulb"), cid
        assert 1.0 <= float(c["pue_min"]) <= float(c["pue_max"]) < 2.0, cid
        assert 0 <= float(c["wue_l_per_kwh_min"]) <= float(c["wue_l_per_kwh_max"]), cid
    cool = by_id("cooling.csv")
    assert float(cool["air"]["capex_usd_per_kw"]) == 0
    assert float(cool["direct-liquid"]["capex_usd_per_kw"]) == pytest.approx(400, abs=50)
    order = [float(cool[k]["pue_min"]) for k in ("immersion", "direct-liquid", "rear-door", "air")]
    assert order == sorted(order)


def test_power_sources():
    rows = by_id("power_sources.csv")
    kinds = {k: r["kind"] for k, r in rows.items()}
    assert kinds["grid"] == "grid" and kinds["battery"] == "storage" and kinds["diesel"] == "backup"
    assert kinds["solar-pv"] == kinds["wind-onshore"] == "variable"
    assert rows["solar-pv"]["profile"] == "solar" and rows["wind-onshore"]["profile"] == "wind"
    for pid, r in rows.items():
        assert r["kind"] in ("grid", "variable", "storage", "firm", "backup"), pid
        if r["kind"] in ("firm", "backup"):
            assert r["merit_order"] and r["availability"] and r["fuel_usd_per_mwh"], pid
            assert 0 < float(r["availability"]) <= 1, pid
        lo, mode, hi = (float(r[f"lead_time_months_{p}"]) for p in ("low", "mode", "high"))
        assert 0 <= lo <= mode <= hi, pid
    b = rows["battery"]
    assert float(b["capex_usd_per_kw"]) + 4 * float(b["capex_usd_per_kwh"]) == pytest.approx(1280)
    assert 0.8 <= float(b["round_trip_efficiency"]) <= 0.95 and float(b["default_duration_h"]) == 4
    merit = {k: int(rows[k]["merit_order"]) for k in ("smr", "fuel-cell", "gas-engine", "gas-turbine", "diesel")}
    assert sorted(merit, key=merit.get) == ["smr", "fuel-cell", "gas-engine", "gas-turbine", "diesel"]
    assert float(rows["solar-pv"]["gco2_per_kwh_lifecycle"]) == 48
    assert float(rows["wind-onshore"]["gco2_per_kwh_lifecycle"]) == 11
    assert float(rows["smr"]["gco2_per_kwh_lifecycle"]) == 12


def test_regions():
    profiles = Path(data_dir()) / "profiles"
    for rid, r in by_id("regions.csv").items():
        assert r["profile"] == rid
        assert (profiles / f"{rid}.csv").is_file(), rid
        assert r["profile_kind"] in ("measured", "synthetic"), rid
        assert int(r["export_tier"]) in (1, 2, 3), rid
        assert 0 < float(r["construction_cost_factor"]) < 2, rid
        assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
        lo, mode, hi = (float(r[f"grid_queue_months_{p}"]) for p in ("low", "mode", "high"))
        assert 0 <= lo <= mode <= hi, rid
    regions = by_id("regions.csv")
    assert regions["china"]["export_tier"] == "3"
    assert regions["us-texas"]["export_tier"] == "1"
    assert float(regions["us-texas"]["construction_cost_factor"]) == pytest.approx(9.3 / 11.7, abs=0.01)
    synthetic = {k for k, r in regions.items() if r["profile_kind"] == "synthetic"}
    assert synthetic == {"ireland", "france", "norway", "japan", "uae"}


def test_constants():
    _, rows = read("constants.csv")
    values = {r["key"]: float(r["value"]) for r in rows}
    assert len(values) == len(rows), "duplicate constant keys"
    missing = set(REQUIRED_CONSTANTS) - set(values)
    assert not missing, f"constants.csv lacks {sorted(missing)}"
    assert values["facility_usd_per_mw_it"] == 11.7e6
    assert values["failure_rate_per_gpu_hour"] == pytest.approx(419 / (54 * 24 * 16384), rel=1e-3)
    assert values["kv_bytes_per_token_per_sqrt_bparam"] == pytest.approx(327680 / 70**0.5, rel=1e-4)
    assert values["training_bytes_per_param"] == 16
    # Llama 3: >90 % goodput on 16,384 GPUs.
    lost = 16384 * values["failure_rate_per_gpu_hour"] * values["hours_lost_per_interruption"]
    assert 1 - lost - values["checkpoint_overhead_fraction"] > 0.90
    for task in ("permitting", "building", "electrical_equipment", "install"):
        lo, mode, hi = (values[f"{task}_months_{p}"] for p in ("low", "mode", "high"))
        assert 0 < lo <= mode <= hi, task
