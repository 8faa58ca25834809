"""Independent work split over the cores, in forked workers where a fork is safe; else here, in order.

A fork is safe only in a process with no other thread (`mkdocs build`, `planpub build`, `check`);
under `mkdocs serve` (its HTTP and watcher threads) the work runs in this process. Workers inherit
the function and its inputs from the fork: only item indices go to them and only results come
back, so the inputs (a corpus, a jinja environment) are never pickled. The results are in the
order of the items whatever the workers did, so the output never depends on the split.

This process works too: with N cores it forks N - 1 workers, which take the chunks from the first
while it takes them from the last. Each worker holds its own copy of every page of the inputs it
touches (CPython's reference counts write to them), so one fork fewer is that much memory less.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 16  # a worker has one chunk running and one queued: the last two are what this process may wait for
_TASK: tuple[Callable, Sequence] | None = None  # set just before the fork, read by the workers


def _run(indices: list[int]) -> list:
    fn, items = _TASK  # type: ignore[misc]
    return [fn(items[i]) for i in indices]


def workers_for(count: int, per_worker: int) -> int:
    """How many processes `count` items are worth, this one and its forked workers (1: this one alone)."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, count // max(per_worker, 1)))


def map_forked(fn: Callable[[T], R], items: Sequence[T], per_worker: int) -> list[R]:
    """[fn(item) for item in items], over forked workers when there are at least `per_worker`
    items for each of two of them."""
    global _TASK
    workers = workers_for(len(items), per_worker)
    if workers < 2:
        return [fn(item) for item in items]
    # Runs of neighbouring items, many per process: one that finishes early takes the next. A worker
    # takes them from the first, so it touches (and copies) only the inputs of the first items.
    count = workers * CHUNKS_PER_WORKER
    bounds = [len(items) * k // count for k in range(count + 1)]
    chunks = [list(range(bounds[k], bounds[k + 1])) for k in range(count) if bounds[k] < bounds[k + 1]]
    results: list = [None] * len(items)
    _TASK = (fn, items)
    try:
        with concurrent.futures.ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_run, chunk) for chunk in chunks]
            for chunk, future in zip(reversed(chunks), reversed(futures)):
                if not future.cancel():  # a worker has it: it has every chunk before it too
                    break
                for i in chunk:
                    results[i] = fn(items[i])
            for chunk, future in zip(chunks, futures):
                if not future.cancelled():
                    for i, result in zip(chunk, future.result()):
                        results[i] = result
    except (OSError, concurrent.futures.process.BrokenProcessPool):  # no processes to be had: one core
        return [fn(item) for item in items]
    finally:
        _TASK = None
    return results
