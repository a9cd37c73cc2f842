"""Throughput formulas against hand calculations and the published calibration cases
of shared/reference/models.md."""
import math

import pytest

from aisite.core.evaluate import evaluate_dict
from aisite.core.scenario import load_scenario
from aisite.core.throughput import compute_throughput, fabric_scaling, kv_bytes_per_token, modelled_goodput
from tests.core.engine_helpers import small_site, training


def test_peak_pflops_is_count_times_dense_tflops():
    tp = compute_throughput(load_scenario(small_site()))
    assert tp.peak_pflops == pytest.approx(1024 * 989 / 1000)


def test_training_days_by_hand():
    # A given MFU is cluster-level: no fabric scaling on top of it.
    tp = compute_throughput(load_scenario(training(7e10, 2e12, 4096, mfu=0.4, goodput=0.9)))
    flops = 6 * 7e10 * 2e12
    seconds = flops / (4096 * 312e12 * 0.4 * 0.9)
    assert tp.scaling == 1.0
    assert tp.training_days == pytest.approx(seconds / 86400)
    assert tp.gpu_hours == pytest.approx(4096 * seconds / 3600)
    assert tp.effective_pflops == pytest.approx(4096 * 312 * 0.4 / 1000)


def test_catalogue_mfu_gets_fabric_scaling():
    data = training(7e10, 2e12, 4096, goodput=0.9)
    tp = compute_throughput(load_scenario(data))
    scaling = 1 - 0.015 * math.log2(4096 / 1024)  # infiniband-ndr: 1.5% per doubling above 1,024
    assert tp.scaling == pytest.approx(scaling)
    assert tp.effective_pflops == pytest.approx(4096 * 312 * tp.mfu * scaling / 1000)
    explicit = compute_throughput(load_scenario(training(7e10, 2e12, 4096, mfu=tp.mfu, goodput=0.9)))
    assert explicit.training_days == pytest.approx(tp.training_days * scaling)


def test_moe_uses_active_parameters():
    dense = compute_throughput(load_scenario(training(1e12, 1e13, 8192, mfu=0.4)))
    moe = compute_throughput(load_scenario(training(1e12, 1e13, 8192, mfu=0.4, active_params=1e11)))
    assert dense.training_days / moe.training_days == pytest.approx(10.0)


def test_goodput_falls_with_cluster_size_and_matches_llama3():
    scenario = load_scenario(small_site())
    g16k = modelled_goodput(scenario, 16384)
    assert 0.90 <= g16k <= 0.93  # Llama 3: ">90% effective training time" on 16k GPUs
    assert modelled_goodput(scenario, 1024) > g16k > modelled_goodput(scenario, 131072)


def test_fabric_scaling_is_one_below_its_base():
    scenario = load_scenario(small_site())
    d = scenario.deployments[0]
    assert fabric_scaling(d, 512) == 1.0
    assert fabric_scaling(d, 2048) < 1.0


# models.md case 3: Llama 2 model card (A100-80GB, 400 W, PUE 1.1, 385 g/kWh), with the
# catalogue's default MFU and modelled losses: a real calibration, not a fit.
@pytest.mark.parametrize("params,gpu_hours,tco2", [
    (7e9, 184_320, 31.22), (13e9, 368_640, 62.44), (70e9, 1_720_320, 291.42)])
def test_calibration_llama2(params, gpu_hours, tco2):
    summary = evaluate_dict(training(params, 2.0e12, 2048), with_hourly=False).summary
    assert summary["throughput"]["gpu_hours"] == pytest.approx(gpu_hours, rel=0.15)
    assert summary["energy"]["workload_tco2e_location"] == pytest.approx(tco2, rel=0.15)


# models.md case 4: LLaMA-1 Table 15 (same normalisation); llm-analysis reproduces it at MFU 0.5.
@pytest.mark.parametrize("params,tokens,gpu_hours,mwh,tco2", [
    (6.7e9, 1.0e12, 82_432, 36, 14), (13e9, 1.0e12, 135_168, 59, 23),
    (32.5e9, 1.4e12, 530_432, 233, 90), (65.2e9, 1.4e12, 1_022_362, 449, 173)])
def test_calibration_llama1(params, tokens, gpu_hours, mwh, tco2):
    summary = evaluate_dict(training(params, tokens, 2048, mfu=0.5), with_hourly=False).summary
    assert summary["throughput"]["gpu_hours"] == pytest.approx(gpu_hours, rel=0.15)
    assert summary["energy"]["workload_facility_mwh"] == pytest.approx(mwh, rel=0.15)
    assert summary["energy"]["workload_tco2e_location"] == pytest.approx(tco2, rel=0.15)


def inference(count=64, chip="nvidia-h100-sxm", **workload):
    return small_site(deployments=[{"chip": chip, "count": count}],
                      workload={"kind": "inference", "params": 7e10, "precision": "bf16", "batch": 16,
                                "context_tokens": 4096, "utilization": 0.5, **workload})


def test_inference_roofline_by_hand():
    data = inference(kv_bytes_per_token=327_680)
    tp = compute_throughput(load_scenario(data))
    weights = 7e10 * 2
    kv = 16 * 4096 * 327_680
    replica = math.ceil((weights + kv) / 1e9 / (80 * 0.9))  # H100 80 GB, 90% usable
    assert tp.replica_accelerators == replica
    t_mem = (weights + kv) / (replica * 3.35e12 * 0.8)
    t_compute = 2 * 7e10 * 16 / (replica * 989e12 * 0.7)
    per_replica = 16 / max(t_mem, t_compute)
    assert tp.tokens_per_second == pytest.approx((64 // replica) * per_replica)
    assert tp.tokens_per_year == pytest.approx(tp.tokens_per_second * 0.5 * 8760 * 3600)


def test_kv_cache_estimate_matches_llama3_70b_and_halves_at_fp8():
    scenario = load_scenario(inference())
    assert kv_bytes_per_token(scenario) == pytest.approx(327_680, rel=0.01)
    assert kv_bytes_per_token(load_scenario(inference(precision="fp8"))) == pytest.approx(327_680 / 2, rel=0.01)


def test_model_that_does_not_fit_is_flagged():
    summary = evaluate_dict(inference(count=1, batch=256), with_hourly=False).summary
    assert "model_does_not_fit" in {c["code"] for c in summary["checks"]}
    assert summary["throughput"]["tokens_per_second"] == 0
