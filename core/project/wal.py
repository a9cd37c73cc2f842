"""Reading a write-ahead log (``PROJECT.aisite-wal``) to find committed edits SQLite
would drop without a word.

SQLite replays a WAL frame by frame and stops at the first frame whose salt or
checksum does not match; everything after it is ignored. That is right for a log cut
short by a crash (the last transaction never finished), but when a damaged byte sits
in the middle of the log, every commit after it is silently rolled back. The two are
told apart here: each frame's checksum is also checked against the *stored* checksum
of the frame before it, so an intact frame following a broken one shows the log was
damaged, not cut short. The commit frames from the break on are the commits lost.

Format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header (magic,
version, page size, checkpoint sequence, two salts, two checksums), then frames of a
24-byte header (page number, database size after commit or 0, two salts, two
checksums) and one page. Checksums run over 32-bit words, big- or little-endian by
the magic's last bit.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import numpy as np

WAL_MAGIC = (0x377F0682, 0x377F0683)
HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
#: WALs larger than this are read in frame batches of about this size.
_BATCH_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class WalDamage:
    """A damaged log: ``lost_commits`` committed transactions SQLite will not replay."""

    lost_commits: int
    intact_commits: int
    wal_bytes: int
    kept_as: str = ""  # where the damaged log's bytes were copied

    def describe(self) -> str:
        edits = f"{self.lost_commits} saved edit{'s' if self.lost_commits != 1 else ''}"
        kept = f"; its bytes are kept in {os.path.basename(self.kept_as)}" if self.kept_as else ""
        return (f"its write-ahead log is damaged: {edits} after the last intact one cannot be "
                f"recovered{kept}; it is open read-only as it was before them "
                f"(save a copy to keep working from there)")


def _powers(n: int) -> np.ndarray:
    """M**k for k = 0..n-1 (mod 2**32), M the 2x2 matrix of one checksum step."""
    out = np.empty((n, 2, 2), dtype=np.uint64)
    m = np.eye(2, dtype=np.uint64)
    step = np.array([[1, 1], [1, 2]], dtype=np.uint64)
    for k in range(n):
        out[k] = m
        m = (step @ m) & 0xFFFFFFFF
    return out


def _checksums(words: np.ndarray, start: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """SQLite's WAL checksum of each row of ``words`` (F, n, 2), each from its own start
    (F, 2). One step is s1 += x0 + s2; s2 += x1 + s1: linear, so
    s_n = M**n s_0 + sum_k M**(n-k) (x0_k, x0_k + x1_k), all mod 2**32."""
    n = words.shape[1]
    v = np.stack([words[:, :, 0], words[:, :, 0] + words[:, :, 1]], axis=-1) & 0xFFFFFFFF
    # M**(n-1-k) applied to v_k, summed over k (uint64 wraps mod 2**64: fine mod 2**32)
    rev = powers[n - 1::-1][:n]
    acc = np.einsum("kij,fkj->fi", rev, v)
    step = np.array([[1, 1], [1, 2]], dtype=np.uint64)
    mn = (step @ powers[n - 1]) & 0xFFFFFFFF
    first = np.einsum("ij,fj->fi", mn, start.astype(np.uint64))
    # the first step adds v_0 to M s_0, so v_k carries M**(n-1-k)
    return (first + acc) & 0xFFFFFFFF


def scan(wal_path: str | os.PathLike, page_size_hint: int | None = None) -> WalDamage | None:
    """A WalDamage when the log holds committed frames SQLite will skip, else None
    (no log, an empty one, an intact one, or one whose only flaw is an unfinished tail)."""
    try:
        with open(wal_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if len(data) < HEADER_BYTES + FRAME_HEADER_BYTES:
        return None
    magic, _version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", data[:HEADER_BYTES])
    header_ok = magic in WAL_MAGIC and 512 <= page_size <= 65536 and not page_size & (page_size - 1)
    if not header_ok:
        page_size = page_size_hint or 0
    if not page_size or page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return None
    big_endian = (magic & 1) if header_ok else 1
    frame_bytes = FRAME_HEADER_BYTES + page_size
    count = (len(data) - HEADER_BYTES) // frame_bytes
    if count == 0:
        return None
    body = np.frombuffer(data, dtype=np.uint8, count=count * frame_bytes, offset=HEADER_BYTES)
    frames = body.reshape(count, frame_bytes)
    heads = frames[:, :FRAME_HEADER_BYTES].copy().view(">u4").astype(np.uint64)  # (F, 6)
    pgno, commit, fs1, fs2, fc1, fc2 = (heads[:, i] for i in range(6))
    if header_ok:
        words = np.frombuffer(data[:24], dtype=">u4" if big_endian else "<u4").astype(np.uint64)
        own = _checksums(words.reshape(1, 3, 2), np.zeros((1, 2), np.uint64), _powers(3))[0]
        header_ok = int(own[0]) == ck1 and int(own[1]) == ck2
    if not header_ok:
        # SQLite ignores the whole log: every commit in it with the first frame's salts is lost
        salted = (fs1 == fs1[0]) & (fs2 == fs2[0]) & (pgno > 0)
        lost = int(np.count_nonzero(salted & (commit > 0)))
        return WalDamage(lost, 0, len(data)) if lost else None
    salted = (fs1 == salt1) & (fs2 == salt2) & (pgno > 0)
    # each frame's checksum from the stored checksum before it (frame 0: the header's)
    prev = np.empty((count, 2), dtype=np.uint64)
    prev[0] = (ck1, ck2)
    prev[1:, 0], prev[1:, 1] = fc1[:-1], fc2[:-1]
    dtype = ">u4" if big_endian else "<u4"
    n_words = (8 + page_size) // 8
    powers = _powers(n_words)
    own_ok = np.zeros(count, dtype=bool)
    batch = max(1, _BATCH_BYTES // frame_bytes)
    for lo in range(0, count, batch):
        hi = min(count, lo + batch)
        chunk = frames[lo:hi]
        payload = np.concatenate([chunk[:, :8], chunk[:, FRAME_HEADER_BYTES:]], axis=1)
        words = np.ascontiguousarray(payload).view(dtype).astype(np.uint64).reshape(hi - lo, n_words, 2)
        sums = _checksums(words, prev[lo:hi], powers)
        own_ok[lo:hi] = (sums[:, 0] == fc1[lo:hi]) & (sums[:, 1] == fc2[lo:hi])
    good = salted & own_ok
    bad = np.flatnonzero(~good)
    if bad.size == 0:
        return None
    first_bad = int(bad[0])
    intact_commits = int(np.count_nonzero(commit[:first_bad] > 0))
    after = np.arange(count) > first_bad
    later_intact = bool(np.any(good & after & salted))
    torn_commit = bool(salted[first_bad] and commit[first_bad] > 0 and first_bad == count - 1)
    if not later_intact and not torn_commit:
        return None  # an unfinished last transaction: SQLite's normal crash recovery
    # commit frames of this log from the break on (the broken frame counts even when the
    # damage hit its salt; frames left from an older log have other salts)
    counted = salted.copy()
    counted[first_bad] = True
    lost = int(np.count_nonzero(counted[first_bad:] & (commit[first_bad:] > 0)))
    if lost == 0:
        return None
    return WalDamage(lost, intact_commits, len(data))


def scan_twice(wal_path: str | os.PathLike, page_size_hint: int | None = None) -> WalDamage | None:
    """scan(), confirmed by a second read: a log another copy is writing at that moment
    can look broken for an instant (a restart overwriting its first frames); real damage
    reads the same twice."""
    first = scan(wal_path, page_size_hint)
    if first is None:
        return None
    second = scan(wal_path, page_size_hint)
    return first if second == first else None


def keep_copy(wal_path: str | os.PathLike) -> str:
    """Copy a damaged log beside the project (``NAME-wal.damaged``, ``-2``, ...) before
    anything may replace it; an identical copy already there is reused."""

    source = str(wal_path)
    with open(source, "rb") as handle:
        data = handle.read()
    for n in range(1, 1000):
        target = f"{source}.damaged" + (f"-{n}" if n > 1 else "")
        try:
            with open(target, "rb") as existing:
                if existing.read() == data:
                    return target
            continue
        except FileNotFoundError:
            pass
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            continue  # never over a file that appeared meanwhile
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return target
    raise OSError("too many damaged log copies beside the project")
