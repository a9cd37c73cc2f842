"""What the site delivers: peak and effective PFLOPS, training days, tokens per second.

Formulas (shared/reference/models.md): training compute C = 6 x active params x tokens
(F1); time T = C / (n x peak x MFU x scaling x goodput) (F3); decode tokens/s from the
memory-bandwidth roofline and the compute bound, t = max(memory, compute) (F5).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from aisite.core.scenario import Deployment, Scenario

SECONDS_PER_YEAR = 8760 * 3600.0
BYTES_PER_PARAM = {"bf16": 2.0, "fp8": 1.0}


def chip_tflops(chip: dict, precision: str) -> float:
    """Dense TFLOPS at the precision; a chip without FP8 runs FP8 work at its BF16 rate."""
    if precision == "fp8" and chip.get("fp8_tflops"):
        return float(chip["fp8_tflops"])
    return float(chip["bf16_tflops"])


def default_mfu(chip: dict, precision: str) -> float:
    value = chip.get("mfu_fp8") if precision == "fp8" else chip.get("mfu_bf16")
    return float(value or chip.get("mfu_bf16") or 0.4)


def fabric_scaling(d: Deployment, total_accelerators: int) -> float:
    """Large-job efficiency of the scale-out fabric: a fixed loss per doubling of the
    job above the fabric's base size (data/network.csv), never below 0.5."""
    base = float(d.network.get("scaling_base_accelerators") or 1024)
    loss = float(d.network.get("scaling_loss_per_doubling") or 0.0)
    if total_accelerators <= base:
        return 1.0
    return max(0.5, 1.0 - loss * math.log2(total_accelerators / base))


def modelled_goodput(scenario: Scenario, accelerators: int) -> float:
    """Share of wall time doing useful training: interruptions grow with cluster size
    (Llama 3: 419 in 54 days on 16,384 GPUs) and each costs a restart plus lost work;
    checkpointing costs a fixed share."""
    cat = scenario.catalogue
    interruptions_per_hour = accelerators * cat.constant("failure_rate_per_gpu_hour")
    lost = interruptions_per_hour * cat.constant("hours_lost_per_interruption")
    return (1.0 - cat.constant("checkpoint_overhead_fraction")) / (1.0 + lost)


@dataclass(frozen=True)
class Throughput:
    accelerators: int
    peak_pflops: float
    effective_pflops: float
    mfu: float | None
    scaling: float
    goodput: float | None
    utilization: float
    training_days: float | None
    gpu_hours: float | None
    tokens_per_second: float | None
    tokens_per_year: float | None
    replica_accelerators: int | None = None
    replicas: int | None = None
    memory_needed_gb: float | None = None
    memory_available_gb: float | None = None


def effective_pflops(peak_pflops, mfu, scaling):
    """Delivered PFLOPS: peak x model FLOPs utilisation x fabric scaling."""
    return peak_pflops * mfu * scaling


def tokens_per_year(tokens_per_second, utilization):
    return tokens_per_second * SECONDS_PER_YEAR * utilization


def training_run(effective, goodput, active_params: float, tokens: float, accelerators: int, utilization):
    """(days, GPU-hours, tokens per second, tokens per year) of a training run: 6 FLOPs per
    active parameter per token at the effective rate, of which `goodput` is useful."""
    useful_flops_per_s = effective * 1e15 * goodput
    days = 6.0 * active_params * tokens / useful_flops_per_s / 86400.0
    tokens_per_second = useful_flops_per_s / (6.0 * active_params)
    return days, accelerators * days * 24.0, tokens_per_second, tokens_per_year(tokens_per_second, utilization)


def with_rates(tp: Throughput, scenario: Scenario, *, utilization, mfu=None, goodput=None) -> Throughput:
    """`tp` at another utilisation, MFU or goodput: scalars, or arrays over variants (the
    batch model). The peak, the fabric scaling and an inference fleet's token rate stay."""
    w = scenario.workload
    mfu = tp.mfu if mfu is None else mfu
    goodput = tp.goodput if goodput is None else goodput
    if w.kind == "inference":
        return dataclasses.replace(tp, utilization=utilization,
                                   tokens_per_year=tokens_per_year(tp.tokens_per_second, utilization))
    effective = effective_pflops(tp.peak_pflops, mfu, tp.scaling)
    if w.kind == "utilization":
        return dataclasses.replace(tp, utilization=utilization, mfu=mfu, effective_pflops=effective)
    days, gpu_hours, tps, tpy = training_run(effective, goodput, w.active_params, w.tokens, tp.accelerators,
                                             utilization)
    return dataclasses.replace(tp, utilization=utilization, mfu=mfu, goodput=goodput, effective_pflops=effective,
                               training_days=days, gpu_hours=gpu_hours, tokens_per_second=tps,
                               tokens_per_year=tpy)


def throughput_summary(tp: Throughput) -> dict:
    """The `throughput` section of the result contract."""
    return {
        "accelerators": tp.accelerators,
        "peak_pflops": tp.peak_pflops,
        "effective_pflops": tp.effective_pflops,
        "mfu": tp.mfu,
        "fabric_scaling": tp.scaling,
        "goodput": tp.goodput,
        "utilization": tp.utilization,
        "training_days": tp.training_days,
        "gpu_hours": tp.gpu_hours,
        "tokens_per_second": tp.tokens_per_second,
        "tokens_per_year": tp.tokens_per_year,
        "replica_accelerators": tp.replica_accelerators,
        "replicas": tp.replicas,
    }


def site_utilization(scenario: Scenario) -> float:
    w = scenario.workload
    if "utilization" in scenario.overrides:
        return scenario.overrides["utilization"]
    if w.utilization is not None:
        return w.utilization
    return scenario.catalogue.constant("training_utilization")


def compute_throughput(scenario: Scenario) -> Throughput:
    w = scenario.workload
    n = scenario.accelerators
    precision = w.precision if w.kind != "utilization" else "bf16"
    peak_tflops_total = sum(d.count * chip_tflops(d.chip, precision) for d in scenario.deployments)
    peak_pflops = peak_tflops_total / 1000.0
    # Weight per-chip defaults by each deployment's share of the peak.
    share = [d.count * chip_tflops(d.chip, precision) / peak_tflops_total for d in scenario.deployments]
    scaling = sum(s * fabric_scaling(d, n) for s, d in zip(share, scenario.deployments))
    utilization = site_utilization(scenario)
    if w.kind == "inference":
        return _inference(scenario, peak_pflops, scaling, utilization)
    if w.mfu is not None:
        # A planner's MFU is the cluster-level, wall-clock figure papers publish (model
        # FLOPs per second over peak, all communication included): no fabric scaling on
        # top. The catalogue's default MFUs are measured at small scale, so they keep it.
        scaling = 1.0
    mfu = w.mfu if w.mfu is not None else sum(s * default_mfu(d.chip, precision)
                                              for s, d in zip(share, scenario.deployments))
    effective = effective_pflops(peak_pflops, mfu, scaling)
    if w.kind == "utilization":
        return Throughput(n, peak_pflops, effective, mfu, scaling, None, utilization, None, None, None, None)
    goodput = scenario.overrides.get("goodput", w.goodput)
    if goodput is None:
        goodput = modelled_goodput(scenario, n)
    days, gpu_hours, tokens_per_second, tpy = training_run(effective, goodput, w.active_params, w.tokens, n,
                                                           utilization)
    bytes_per_param = scenario.catalogue.constant("training_bytes_per_param")
    memory_gb = sum(d.count * float(d.chip["memory_gb"]) for d in scenario.deployments)
    return Throughput(
        n, peak_pflops, effective, mfu, scaling, goodput, utilization,
        training_days=days, gpu_hours=gpu_hours, tokens_per_second=tokens_per_second, tokens_per_year=tpy,
        memory_needed_gb=w.params * bytes_per_param / 1e9,
        memory_available_gb=memory_gb * scenario.catalogue.constant("usable_memory_fraction"),
    )


def kv_bytes_per_token(scenario: Scenario) -> float:
    """KV-cache bytes per token of context. Given, or estimated from the parameter count
    (data/constants.csv: Llama-3-70B's 327,680 B/token scaled by sqrt(params)), halved
    at FP8."""
    w = scenario.workload
    if w.kv_bytes_per_token:
        return w.kv_bytes_per_token
    per_sqrt = scenario.catalogue.constant("kv_bytes_per_token_per_sqrt_bparam")
    return per_sqrt * math.sqrt(w.params / 1e9) * BYTES_PER_PARAM[w.precision] / 2.0


def replica_size(scenario: Scenario, chip: dict) -> tuple[int, float]:
    """Accelerators per model replica so weights and the batch's KV cache fit; and the GB needed."""
    w = scenario.workload
    usable = scenario.catalogue.constant("usable_memory_fraction")
    needed_gb = (w.params * BYTES_PER_PARAM[w.precision]
                 + w.batch * w.context_tokens * kv_bytes_per_token(scenario)) / 1e9
    return max(1, math.ceil(needed_gb / (float(chip["memory_gb"]) * usable))), needed_gb


def _inference(scenario: Scenario, peak_pflops: float, scaling: float, utilization: float) -> Throughput:
    cat = scenario.catalogue
    w = scenario.workload
    eta_mem = cat.constant("memory_bandwidth_efficiency")
    eta_flop = cat.constant("inference_flops_efficiency")
    bytes_w = BYTES_PER_PARAM[w.precision]
    kv = kv_bytes_per_token(scenario)
    # A decode step reads the weights the batch touches (an MoE batch touches more
    # experts than one token does) and every sequence's KV cache.
    weight_bytes_read = min(w.params, w.active_params * w.batch) * bytes_w
    step_bytes = weight_bytes_read + w.batch * w.context_tokens * kv
    step_flops = 2.0 * w.active_params * w.batch
    tokens_per_second = 0.0
    replicas_total = 0
    largest_replica = 0
    needed_gb = 0.0
    for d in scenario.deployments:
        g, needed_gb = replica_size(scenario, d.chip)
        largest_replica = max(largest_replica, g)
        replicas = d.count // g
        if replicas == 0:
            continue
        t_memory = step_bytes / (g * float(d.chip["memory_tbps"]) * 1e12 * eta_mem)
        t_compute = step_flops / (g * chip_tflops(d.chip, w.precision) * 1e12 * eta_flop)
        tokens_per_second += replicas * w.batch / max(t_memory, t_compute)
        replicas_total += replicas
    effective = tokens_per_second * step_flops / w.batch / 1e15
    memory_gb = sum(d.count * float(d.chip["memory_gb"]) for d in scenario.deployments)
    return Throughput(
        scenario.accelerators, peak_pflops, effective, None, scaling, None, utilization,
        None, None, tokens_per_second, tokens_per_year(tokens_per_second, utilization),
        replica_accelerators=largest_replica, replicas=replicas_total,
        memory_needed_gb=needed_gb, memory_available_gb=memory_gb * cat.constant("usable_memory_fraction"),
    )
