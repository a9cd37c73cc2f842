"""Stored results: input hashes, and numpy arrays as raw bytes (never pickle).

An array is stored as its raw bytes (C order) with its dtype string (``"<f8"``), its
shape as a JSON list and the sha256 of the bytes; hourly series that compress well
(flat or zero rows, on/off sources) are stored zlib-compressed, which is the same
raw bytes after ``zlib.decompress``. Only plain numeric dtypes are accepted, so a
stored array can never turn into Python objects.

The input hash covers everything a result depends on: the scenario's effective
document, the project's own catalogue entries, the shipped catalogue files and the
engine version. A result whose hash differs from the current inputs is stale: it is
not shown, and is recomputed.
"""
from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from aisite.core.project.json_io import canonical
from aisite.core.version import ENGINE_TAG, __version__

_DTYPE = re.compile(r"[<>|][biufc](1|2|4|8|16)")
#: Compress when zlib saves at least this fraction of the raw size.
COMPRESS_IF_SAVES = 0.25
MAX_DIMS = 8


class BadArray(ValueError):
    """A stored array whose header or bytes do not check out."""


def engine_version() -> str:
    """The version of the numbers: the app version, plus the engine's own tag if it has one
    (core.version.ENGINE_TAG; read there, since the store never imports the engine)."""
    return f"{__version__}+{ENGINE_TAG}" if ENGINE_TAG else __version__


@lru_cache(maxsize=1)
def shipped_catalogue_fingerprint() -> str:
    """sha256 over the shipped data files (catalogue CSVs and profiles), once per process."""
    try:
        from aisite.core.paths import data_dir
        root = data_dir()
    except (FileNotFoundError, ImportError):
        return "no-data"
    h = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file() and "samples" not in p.relative_to(root).parts)
    for p in files:
        h.update(str(p.relative_to(root).as_posix()).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def input_hash(effective: Mapping[str, Any], user_catalogue: Mapping[str, list], *,
               extra: Any = None) -> str:
    """sha256 of the inputs of a computation (``extra``: an analysis definition etc.)."""
    payload = canonical({
        "scenario": effective,
        "user_catalogue": user_catalogue,
        "shipped_catalogue": shipped_catalogue_fingerprint(),
        "engine": engine_version(),
        "extra": extra,
    })
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EncodedArray:
    name: str
    dtype: str
    shape: str
    codec: str
    nbytes: int
    sha256: str
    data: bytes


def encode_array(name: str, value: Any) -> EncodedArray:
    arr = np.asarray(value)
    if arr.dtype.kind not in "biufc":
        raise ValueError(f"result array {name!r}: only numeric arrays are stored, got dtype {arr.dtype}")
    if arr.ndim > MAX_DIMS:
        raise ValueError(f"result array {name!r}: more than {MAX_DIMS} dimensions")
    arr = np.ascontiguousarray(arr)
    raw = arr.tobytes(order="C")
    dtype = arr.dtype.str
    if arr.dtype.itemsize == 1:
        dtype = "|" + dtype[1:]
    codec, data = "raw", raw
    if len(raw) >= 256:
        packed = zlib.compress(raw, 1)
        if len(packed) <= (1.0 - COMPRESS_IF_SAVES) * len(raw):
            codec, data = "zlib", packed
    return EncodedArray(
        name=name, dtype=dtype, shape=json.dumps(list(arr.shape)), codec=codec,
        nbytes=len(raw), sha256=hashlib.sha256(raw).hexdigest(), data=data,
    )


def decode_array(dtype: str, shape: str, codec: str, nbytes: int, sha256: str, data: bytes) -> np.ndarray:
    """The array, or BadArray when anything about it does not check out."""
    if not isinstance(dtype, str) or not _DTYPE.fullmatch(dtype):
        raise BadArray(f"dtype {dtype!r} is not a plain numeric dtype")
    try:
        dims = json.loads(shape)
    except (TypeError, ValueError):
        raise BadArray("shape is not JSON") from None
    if (not isinstance(dims, list) or len(dims) > MAX_DIMS
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in dims)):
        raise BadArray("shape is not a list of sizes")
    dt = np.dtype(dtype)
    count = 1
    for d in dims:
        count *= d
    if not isinstance(nbytes, int) or count * dt.itemsize != nbytes:
        raise BadArray("size does not match dtype and shape")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BadArray("data is not bytes")
    if codec == "raw":
        raw = bytes(data)
    elif codec == "zlib":
        try:
            dec = zlib.decompressobj()
            raw = dec.decompress(bytes(data), nbytes + 1)
            if not dec.eof or dec.unconsumed_tail:
                raise BadArray("compressed data does not end where it should")
        except zlib.error:
            raise BadArray("compressed data is damaged") from None
    else:
        raise BadArray(f"unknown codec {codec!r}")
    if len(raw) != nbytes:
        raise BadArray("data length does not match")
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise BadArray("data does not match its checksum")
    return np.frombuffer(raw, dtype=dt).reshape(dims).copy()


@dataclass
class StoredResult:
    """A result read back from a project. ``arrays`` may be loaded lazily (see Project)."""

    owner: str  # "scenario" or "analysis"
    owner_id: int
    input_hash: str
    app_version: str
    computed_at: str
    compute_ms: float | None
    summary: dict
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    damaged_arrays: list[str] = field(default_factory=list)
