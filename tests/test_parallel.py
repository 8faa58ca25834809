"""Work split over forked workers (generator/parallel.py) gives what one process gives, in order.

The forks run in a fresh interpreter (a subprocess): a fork is refused in a process with other
threads, and pytest's process may hold some (a test's HTTP server), which would quietly test the
one-process path twice. That interpreter counts two cores whatever the machine has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from conftest import ROOT
from generator import parallel

# Renders the seed plans' pages once in this process and once split over two forked workers
# (a worker for every page), and says whether the split really happened.
RENDER_BOTH_WAYS = r"""
import hashlib, json, os, sys
os.cpu_count = lambda: 2  # two workers on any machine, one core included
from datetime import date
from generator import pages, parallel
from generator.corpus import load_project
from generator.feeds import schedule

from pathlib import Path
corpus = load_project(Path(sys.argv[1]))
settings = pages.Settings("https://example.org/", "x", date(2024, 10, 1))
sched = schedule(corpus, settings.today)
feeds = {f.path: len(sched.members[f.path]) for f in sched.feeds}
one = pages.render_pages(corpus, settings, feeds=feeds)
pages.PAGES_PER_WORKER = 1
forked = parallel.workers_for(len(one), 1)
split = pages.render_pages(corpus, settings, feeds=feeds)
print(json.dumps({"workers": forked, "same_order": list(one) == list(split),
                  "differ": [p for p in one if one[p] != split.get(p)], "count": len(one)}))
"""


def test_pages_rendered_over_two_workers_are_the_pages_of_one_process():
    env = dict(os.environ, PYTHONPATH=str(ROOT), PLANPUB_CACHE="0")
    done = subprocess.run([sys.executable, "-c", RENDER_BOTH_WAYS, str(ROOT)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["workers"] >= 2 and result["count"] > 20, result
    assert result["same_order"] and result["differ"] == [], result


def _square(x: int) -> int:
    return x * x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("ba")
    return x


MAP_IN_A_FRESH_PROCESS = r"""
import json, os, sys
os.cpu_count = lambda: 2  # two workers on any machine, one core included
from generator import parallel
import time
items = list(range(1001))
def square(x):
    time.sleep(0.001)  # slow enough that the worker has started before this process is done
    return x * x, os.getpid()
out = parallel.map_forked(square, items, 10)
try:
    parallel.map_forked(lambda x: 1 // (x - 500), items, 10)
    raised = None
except ZeroDivisionError as err:
    raised = type(err).__name__
pids = [pid for _, pid in out]
print(json.dumps({"squares": [v for v, _ in out] == [x * x for x in items], "processes": len(set(pids)),
                  "here": pids.count(os.getpid()), "raised": raised}))
"""


def test_map_forked_keeps_the_order_shares_the_work_with_a_worker_and_passes_errors_on():
    """With two cores: one forked worker, and this process takes chunks too (one copy of the inputs fewer)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", MAP_IN_A_FRESH_PROCESS], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["squares"] and result["raised"] == "ZeroDivisionError", result
    assert result["processes"] == 2 and 0 < result["here"] < 1001, result


def test_no_fork_in_a_process_with_other_threads():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert parallel.workers_for(10_000, 1) == 1
        assert parallel.map_forked(_square, list(range(50)), 1) == [x * x for x in range(50)]
        with pytest.raises(ValueError, match="ba"):
            parallel.map_forked(_fail_on_three, list(range(5)), 1)
    finally:
        stop.set()
        thread.join()
