"""IT power of the deployments: watts per accelerator, racks, nameplate MW.

All-in IT watts per accelerator at full load = chip TDP + its share of the server's
non-accelerator power (CPU, NIC, fans, PSU loss) + scale-out network + storage.
When idle, the chip draws `chip_idle_fraction` of its TDP and the rest keeps running.
The override `it_w_per_chip` fixes the all-in full-load figure for every accelerator.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from aisite.core.scenario import Deployment, Scenario


@dataclass(frozen=True)
class DeploymentPower:
    full_w_per_chip: float      # all-in IT watts per accelerator at full load
    idle_w_per_chip: float
    rack_kw: float
    servers: int
    racks: int


def deployment_power(scenario: Scenario, d: Deployment) -> DeploymentPower:
    cat = scenario.catalogue
    idle_fraction = cat.constant("chip_idle_fraction")
    storage_w = cat.constant("storage_w_per_accelerator")
    tdp = float(d.chip["tdp_w"])
    support_w = d.server_overhead_w / d.chips_per_server + float(d.network["w_per_accelerator"]) + storage_w
    full = tdp + support_w
    idle = tdp * idle_fraction + support_w
    override = scenario.overrides.get("it_w_per_chip")
    if override is not None:
        idle = override * idle / full
        full = override
    servers = math.ceil(d.count / d.chips_per_server)
    rack_kw = d.servers_per_rack * (d.chips_per_server * full) / 1000.0
    return DeploymentPower(full, idle, rack_kw, servers, math.ceil(servers / d.servers_per_rack))


def it_power(scenario: Scenario) -> tuple[list[DeploymentPower], float, float]:
    """Per-deployment power, and the site's IT MW at full load and when idle."""
    per = [deployment_power(scenario, d) for d in scenario.deployments]
    full_mw = sum(p.full_w_per_chip * d.count for p, d in zip(per, scenario.deployments)) / 1e6
    idle_mw = sum(p.idle_w_per_chip * d.count for p, d in zip(per, scenario.deployments)) / 1e6
    return per, full_mw, idle_mw
