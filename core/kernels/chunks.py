"""Run a kernel over rows in chunks on a small thread pool (the Orange3 pattern).

The compiled kernels release the GIL, so chunks on two threads use both cores. After
each chunk the progress callback runs on the calling thread; returning False stops the
work within one chunk per worker and raises Cancelled.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from aisite.core.errors import Cancelled

Progress = Callable[[int, int], "bool | None"]  # (done, total) -> False to cancel


def default_threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def run_chunked(n: int, run: Callable[[int, int], None], *, chunk: int, threads: int | None = None,
                progress: Progress | None = None) -> None:
    """Call run(start, stop) over 0..n in chunks of `chunk` rows."""
    bounds = [(s, min(n, s + chunk)) for s in range(0, n, max(1, chunk))]
    threads = threads or default_threads()

    def work(bound):
        run(*bound)
        return bound[1] - bound[0]

    done = 0
    if threads == 1 or len(bounds) <= 1:
        for bound in bounds:
            done += work(bound)
            if progress is not None and progress(done, n) is False:
                raise Cancelled(f"stopped after {done} of {n} samples")
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        # A window of one chunk per worker: a cancel stops within one chunk.
        pending = []
        queue = list(bounds)
        while queue or pending:
            while queue and len(pending) < threads:
                pending.append(pool.submit(work, queue.pop(0)))
            done += pending.pop(0).result()
            if progress is not None and progress(done, n) is False:
                for future in pending:
                    future.result()
                raise Cancelled(f"stopped after {done} of {n} samples")
