"""Hot loops: a compiled Cython kernel per loop, each with a plain-Python reference.

`BACKEND` says which one runs: "cython" or "python (reference)". Set
AISITE_REQUIRE_EXT=1 (CI, release builds) to make a missing compiled kernel an error
instead of a silent, 200x slower fallback.
"""
from __future__ import annotations

import os

try:
    from aisite.core.kernels import _hourly_cy as _compiled
except ImportError as error:  # pragma: no cover - exercised on machines without a compiler
    if os.environ.get("AISITE_REQUIRE_EXT") == "1":
        raise ImportError(
            "the compiled kernel core.kernels._hourly_cy is missing and AISITE_REQUIRE_EXT=1; "
            "rebuild with `pip install -e .`"
        ) from error
    _compiled = None

BACKEND = "cython" if _compiled is not None else "python (reference)"
