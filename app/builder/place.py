"""Where and how the site is cooled: the region and cooling pickers with what a planner
reads off the catalogue row (prices, carbon, climate, grid queue; PUE, rack density)."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QVBoxLayout

from aisite.app.builder.binder import FieldBinder
from aisite.app.fields import MessageLabel


@lru_cache(maxsize=32)
def region_climate(region_id: str) -> tuple[float, float, float, str] | None:
    """(mean, 1% hottest-hour, max dry-bulb °C, profile kind) of a shipped region profile."""
    try:
        from aisite.core.profiles import load_region_profile  # noqa: PLC0415

        p = load_region_profile(region_id)
    except Exception:  # noqa: BLE001 - a region without a profile just shows no climate
        return None
    t = np.asarray(p.dry_bulb_c)
    return float(t.mean()), float(np.percentile(t, 99)), float(t.max()), p.kind


def fill_combo(binder: FieldBinder, combo: QComboBox, kind: str, current) -> None:
    """Offer every catalogue entry of `kind` (the planner's own marked), select `current`;
    an inline component or an id not in the catalogue is offered as what it is."""
    combo.clear()
    user = binder.catalogue.user_ids.get(kind, frozenset())
    for item_id, row in binder.catalogue.tables[kind].items():
        label = row.get("name") or item_id
        if item_id in user:
            label += "  (yours)"
        combo.addItem(label, item_id)
        combo.setItemData(combo.count() - 1, row.get("source") or "", Qt.ItemDataRole.ToolTipRole)
    if isinstance(current, dict):
        combo.addItem(f"{current.get('name', 'custom')} (defined in this scenario)", current)
        combo.setCurrentIndex(combo.count() - 1)
    else:
        index = combo.findData(current)
        if index < 0 and current is not None:
            combo.addItem(f"{current} (not in the catalogue)", current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)


def describe_region(row: dict) -> str:
    price = row.get("electricity_usd_per_mwh")
    carbon = row.get("grid_gco2_per_kwh")
    parts = [f"<b>Electricity</b> ${price:,.0f}/MWh" if price is not None else "",
             f"<b>Grid carbon</b> {carbon:,.0f} gCO2/kWh" if carbon is not None else ""]
    climate = region_climate(str(row.get("profile") or row.get("id")))
    if climate:
        mean, p99, peak, kind = climate
        parts.append(f"<b>Climate</b> mean {mean:.1f} °C, hottest 1% of hours above {p99:.0f} °C, "
                     f"peak {peak:.0f} °C ({kind} typical year)")
    lo, mode, hi = (row.get("grid_queue_months_low"), row.get("grid_queue_months_mode"),
                    row.get("grid_queue_months_high"))
    if mode is not None:
        parts.append(f"<b>Grid queue</b> {lo:.0f}–{hi:.0f} months (most likely {mode:.0f})")
    extra = []
    if row.get("construction_cost_factor") is not None:
        extra.append(f"construction cost ×{row['construction_cost_factor']:.2f}")
    if row.get("export_tier") is not None:
        extra.append(f"export-control tier {row['export_tier']:.0f}")
    if extra:
        parts.append("<b>Also</b> " + ", ".join(extra))
    return "<br>".join(p for p in parts if p)


def describe_cooling(row: dict) -> str:
    pue = f"PUE {row.get('pue_min', 0):.2f}" + (f"–{row['pue_max']:.2f}" if row.get("pue_max") else "")
    wue = row.get("wue_l_per_kwh_max")
    return (f"<b>Up to</b> {row.get('max_kw_per_rack', 0):,.0f} kW per rack<br><b>{pue}</b> with ambient "
            f"temperature<br><b>Water</b> up to {wue or 0:g} L/kWh<br><b>Capex</b> "
            f"${row.get('capex_usd_per_kw', 0) or 0:,.0f}/kW")


class ComponentSection(QGroupBox):
    """A picker for one catalogue component of the scenario (`path`: "region", "cooling")
    and what its row says."""

    def __init__(self, binder: FieldBinder, title: str, path: str, kind: str,
                 describe: Callable[[dict], str], info_name: str = ""):
        super().__init__(title)
        self.binder, self.path, self.kind, self.describe = binder, path, kind, describe
        layout = QVBoxLayout(self)
        self.combo = binder.bind_choice(QComboBox(), path)
        self.info = QLabel()
        if info_name:
            self.info.setObjectName(info_name)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        binder.messages[path] = MessageLabel()
        layout.addWidget(self.combo)
        layout.addWidget(binder.messages[path])
        layout.addWidget(self.info)
        layout.addStretch(1)

    def fill(self) -> None:
        current = self.binder.doc.get(self.path)
        fill_combo(self.binder, self.combo, self.kind, current)
        row = self.binder.row_for(self.kind, current)
        self.info.setText(self.describe(row) if row else "")
        if row:
            self.combo.setToolTip(row.get("source") or "")
