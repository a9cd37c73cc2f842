"""One kernel layout: core/kernels/layout.py is the only place the indices are written;
the Cython kernels compile them from the generated _layout.pxd."""
import re
from pathlib import Path

import pytest

from aisite.core.kernels import BACKEND
from aisite.core.kernels import layout as L
from aisite.core.scenario import SCHEDULE_TASKS

KERNELS = Path(L.__file__).resolve().parent
PYX = sorted(KERNELS.glob("*.pyx"))


def test_committed_pxd_is_generated_from_layout():
    assert (KERNELS / L.PXD_NAME).read_text() == L.pxd_text(), \
        "core/kernels/_layout.pxd is stale: run python -m aisite.core.kernels.layout and rebuild the kernels"


@pytest.mark.skipif(BACKEND != "cython", reason="compiled kernels not built")
@pytest.mark.parametrize("module", ["_hourly_cy", "_montecarlo_cy"])
def test_compiled_constants_equal_layout(module):
    import importlib

    compiled = importlib.import_module(f"aisite.core.kernels.{module}").LAYOUT
    assert compiled == L.constants()


def test_layout_constants_are_the_modules_and_consistent():
    c = L.constants()
    assert c["N_PARAMS"] == L.N_PARAMS == L.P_PUE_FIXED_SHARE + 1
    assert c["N_RESULTS"] == L.N_RESULTS == L.R_FIRM_MWH + L.N_FIRM
    assert [c[f"H_{s.upper()}"] for s in L.HOURLY_SERIES] == list(range(L.N_HOURLY))
    assert [c[f"S_{t.upper()}"] for t in L.SCHED_TASKS] == list(range(len(L.SCHED_TASKS)))
    assert L.SCHED_TASKS == SCHEDULE_TASKS
    # no two parameter (or result) names share an index
    for prefix in ("P_", "R_"):
        values = [v for k, v in c.items() if k.startswith(prefix)]
        assert len(values) == len(set(values)), prefix


@pytest.mark.parametrize("path", PYX, ids=lambda p: p.name)
def test_kernels_write_no_index_of_their_own(path):
    code = "\n".join(line.split("#")[0] for line in path.read_text().splitlines())
    assert not re.search(r"^\s*DEF\s", code, re.M), "DEF constants: take them from _layout.pxd"
    # p[21 + k], out[3], hourly[2 * stride + h], params[s, 7]; not &params[s, 0] (where a row starts)
    raw = re.findall(r"(?<![&\w])(?:p|out|params\[s,|params\[start,|s|hourly)\s*\[?\s*\d+\s*(?:\+|\*|\])", code)
    assert not raw, f"raw indices in {path.name}: {raw}"
