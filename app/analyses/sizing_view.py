"""Sizing (the most accelerators that fit a power cap, a budget or a rack count) and the
cheapest power mix (a linear program over the year): the constraints as a form, the
answer, the binding constraint and the gap to the bound in planners' units, and
"Apply as variant"."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QLineEdit, QPushButton

from aisite.app.analyses.base import AnalysisView, fill_table, make_table
from aisite.core.units import count, fixed, money, mw, mwh, percent, tonnes


def _optional(name: str, maximum: float, decimals: int, suffix: str, step: float) -> tuple[QCheckBox, QDoubleSpinBox]:
    check = QCheckBox()
    check.setObjectName(f"{name}_on")
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, maximum)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setGroupSeparatorShown(True)
    spin.setMinimumWidth(70)  # a wide range must not widen the window
    check.toggled.connect(spin.setEnabled)
    spin.setEnabled(False)
    return check, spin


class _ConstraintForm(AnalysisView):
    FIELDS: list = []  # (key, label, maximum, decimals, suffix, step, scale, tip)

    def build(self) -> None:
        self.fields = {}
        for i, (key, label, maximum, decimals, suffix, step, scale, tip) in enumerate(self.FIELDS):
            check, spin = _optional(f"{self.kind}_{key}", maximum, decimals, suffix, step)
            check.setText(label)
            check.setToolTip(tip)
            spin.setToolTip(tip)
            self.form.addWidget(check, i // 2, (i % 2) * 2)
            self.form.addWidget(spin, i // 2, (i % 2) * 2 + 1)
            self.fields[key] = (check, spin, scale)
        self.form.setColumnStretch(4, 1)
        self.answer = QLabel("")
        self.answer.setObjectName(f"{self.kind}_answer")
        self.answer.setWordWrap(True)
        self.results_layout.addWidget(self.answer)
        self.apply_button = QPushButton("Apply as variant")
        self.apply_button.setObjectName(f"{self.kind}_apply")
        self.apply_button.setToolTip("Add a variant of the scenario with this answer (one undo step)")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self._apply)
        self.results_layout.addWidget(self.apply_button)
        self.build_results()

    def build_results(self) -> None:
        pass

    def definition(self) -> dict:
        out = dict(self.defaults())
        for key, (check, spin, scale) in self.fields.items():
            out[key] = spin.value() / scale if check.isChecked() else None
        return out

    def load_definition(self, d: dict) -> None:
        for key, (check, spin, scale) in self.fields.items():
            value = d.get(key)
            check.setChecked(value is not None)
            spin.setEnabled(value is not None)
            if value is not None:
                spin.setValue(float(value) * scale)

    def _apply(self) -> None:
        overrides, what = self.variant_overrides()
        if overrides:
            self.applyRequested.emit(overrides, what)


class SizingView(_ConstraintForm):
    kind = "size"
    FIELDS = [("max_facility_mw", "Facility cap", 100_000, 1, " MW", 10, 1.0,
               "Facility design peak (IT at full load × PUE of the hottest hour)"),
              ("max_capex_usd", "Capex budget", 1_000_000, 0, " $M", 100, 1e-6, "Total capital cost"),
              ("max_racks", "Rack limit", 1_000_000, 0, " racks", 10, 1.0, "Racks the building holds")]

    def build_results(self) -> None:
        self.table = make_table("sizeTable", ["", "At the answer", "With one more accelerator", "Limit"])
        self.results_layout.addWidget(self.table)

    def show_result(self, summary: dict, arrays: dict) -> None:
        self.summary = summary
        # one accelerator adds about a kilowatt and tens of thousands of dollars: enough
        # digits that the step across the limit shows
        fmt = {"facility_mw": lambda v: "–" if v is None else f"{v:,.3f} MW",
               "capex_usd": lambda v: "–" if v is None else f"{money(v)} (${v:,.0f})",
               "racks": lambda v: count(v, "racks")}
        names = {"facility_mw": "Facility design peak", "capex_usd": "Capex", "racks": "Racks"}
        binding = [names.get(b, b) for b in summary.get("binding", [])]
        limits = summary.get("limits", {})
        at = summary.get("at_count", {})
        parts = [f"{fmt[b](at.get(b))} of {fmt[b](limits.get(b))}" for b in summary.get("binding", []) if b in fmt]
        self.answer.setText(
            f"<b>{count(summary['count'])} {summary['chip']}</b> in deployment {summary['deployment'] + 1} "
            f"({count(summary['accelerators_total'])} accelerators on the site). "
            f"Binding: {', '.join(binding) or 'none'}{' (' + '; '.join(parts) + ')' if parts else ''}.")
        rows = []
        for key in ("facility_mw", "capex_usd", "racks"):
            rows.append([names[key], fmt[key](at.get(key)), fmt[key](summary.get("at_count_plus_one", {}).get(key)),
                         fmt[key](limits[key]) if key in limits else "no limit"])
        fill_table(self.table, rows)
        self.apply_button.setEnabled(True)

    def variant_overrides(self) -> tuple[dict, str]:
        s = self.summary
        return {f"deployments[{s['deployment']}].count": int(s["count"])}, f"{count(s['count'])} accelerators"


class PowerMixView(_ConstraintForm):
    kind = "optimize"
    FIELDS = [("min_carbon_free", "Carbon-free ≥", 100, 1, " %", 5, 100.0,
               "Share of the facility's energy from on-site carbon-free supply"),
              ("max_unserved_mwh", "Unserved ≤", 1e9, 0, " MWh/yr", 100, 1.0,
               "Energy the sources may fail to supply in a year"),
              ("max_tco2e", "Carbon ≤", 1e9, 0, " t CO2e/yr", 1000, 1.0, "Location-based carbon per year"),
              ("first_compute_by", "Compute by", 240, 0, " months", 1, 1.0,
               "Month by which power must be there for first compute")]

    def build_results(self) -> None:
        self.sources = QLineEdit()
        self.sources.setObjectName("optimize_sources")
        self.sources.setPlaceholderText("e.g. solar-pv,wind-onshore,battery")
        self.sources.setToolTip("Catalogue power sources to consider besides the site's own "
                                "(as aisite optimize-power --sources)")
        row = (len(self.FIELDS) + 1) // 2
        self.form.addWidget(QLabel("Also consider"), row, 0)
        self.form.addWidget(self.sources, row, 1, 1, 3)
        self.table = make_table("mixTable", ["Source", "Power", "Storage energy"])
        self.results_layout.addWidget(self.table)

    def definition(self) -> dict:
        out = super().definition()
        if out.get("max_unserved_mwh") is None:
            out["max_unserved_mwh"] = 0.0
        ids = [s.strip() for s in self.sources.text().split(",") if s.strip()]
        out["sources"] = ids or None
        return out

    def load_definition(self, d: dict) -> None:
        super().load_definition(d)
        self.sources.setText(",".join(d.get("sources") or []))

    def show_result(self, summary: dict, arrays: dict) -> None:
        self.summary = summary
        e = summary.get("engine", {})
        gap = summary.get("gap_usd")
        frac = summary.get("gap_fraction")
        met = summary.get("engine_meets_constraints", {})
        unmet = [k for k, ok in met.items() if not ok]
        self.answer.setText(
            f"<b>Cheapest mix</b> ({summary.get('case')}; solved in {fixed(summary.get('solve_seconds'), 1, 's')}): "
            f"NPV of cost {money(summary.get('engine_npv_cost_usd'))}, "
            f"{money(gap)} ({percent(frac, 2)}) above the linear program's lower bound "
            f"{money(summary.get('lp_npv_cost_usd'))}. Carbon-free {percent(e.get('energy.carbon_free_fraction'), 1)}, "
            f"carbon {tonnes(e.get('energy.tco2e_per_year_location'))}/yr, unserved {mwh(e.get('energy.unserved_mwh'))}/yr."
            + (f" <span style='color:#D62728'>Not met by the engine's dispatch: {', '.join(unmet)}.</span>"
               if unmet else " Every constraint is met by the engine's dispatch."))
        rows = []
        for sid, cap in (summary.get("capacities") or {}).items():
            storage = cap.get("mwh")
            rows.append([sid, mw(cap.get("mw")), mwh(storage) if storage else ""])
        fill_table(self.table, rows)
        self.apply_button.setEnabled(bool(summary.get("power") is not None))

    def variant_overrides(self) -> tuple[dict, str]:
        return {"power": self.summary["power"]}, "the cheapest power mix"

