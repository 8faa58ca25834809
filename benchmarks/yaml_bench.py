"""Our YAML reader against PyYAML's C loader and ruamel.yaml, on the same synthetic plan files.

    python -m benchmarks.yaml_bench [--files 1000] [--repeat 3]

The files are plans written by benchmarks/synth.py, read from memory (I/O kept out): our reader
(`generator.load.read_yaml`, PyYAML's C parser events), `yaml.load(CSafeLoader)` and `ruamel.yaml`
(typ='safe', pure and C when installed). Each reader must return the same data as ours.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import synth  # noqa: E402

YAML_BUDGET = 10.0  # seconds per reader: the slow ones run once


def _best(fn: Callable[[], Any], repeat: int, budget: float = math.inf) -> tuple[float, Any]:
    """Best time of `repeat` runs (fewer once `budget` seconds are spent) and the last result."""
    best, spent, result = math.inf, 0.0, None
    for _ in range(repeat):
        result = None  # the previous run's objects must not weigh on this run's garbage collections
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent > budget:
            break
    return best, result


# ---- YAML readers on the same files -----------------------------------------------------------------


def yaml_readers() -> list[tuple[str, Callable[[bytes], Any] | None, str]]:
    import yaml

    from generator.load import read_yaml

    from generator import load

    parser = f"{load._Parser.__module__}.{load._Parser.__name__}"
    readers: list[tuple[str, Callable[[bytes], Any] | None, str]] = [
        ("ours: generator.load.read_yaml", lambda raw: read_yaml("f.yaml", raw).data, f"events from {parser}"),
    ]
    if getattr(yaml, "__with_libyaml__", False) and load._Parser is not yaml.cyaml.CParser:
        readers.append(("ours with yaml.cyaml.CParser swapped in", _swapped_reader(load), "libyaml events"))
    readers.append(("yaml.load(Loader=CSafeLoader)", lambda raw: yaml.load(raw, Loader=yaml.CSafeLoader), ""))
    try:
        from ruamel.yaml import YAML
    except ImportError:
        readers.append(("ruamel.yaml typ='safe' (pure)", None, "ruamel.yaml not installed"))
        return readers
    pure = YAML(typ="safe", pure=True)
    readers.append(("ruamel.yaml typ='safe', pure=True", pure.load, ""))
    if importlib.util.find_spec("_ruamel_yaml") is not None:
        fast = YAML(typ="safe")
        readers.append(("ruamel.yaml typ='safe' (C, ruamel.yaml.clib)", fast.load, ""))
    else:
        readers.append(("ruamel.yaml typ='safe' (C)", None, "ruamel.yaml.clib not installed: no C loader"))
    return readers


def _swapped_reader(load: Any) -> Callable[[bytes], Any]:
    """read_yaml with libyaml's parser, for when generator.load fell back to the pure-Python one."""
    import yaml.cyaml

    def read(raw: bytes) -> Any:
        saved = load._Parser
        load._Parser = yaml.cyaml.CParser
        try:
            return load.read_yaml("f.yaml", raw).data
        finally:
            load._Parser = saved

    return read


def compare_yaml(files: list[Path], repeat: int) -> list[tuple[str, float | None, str]]:
    raws = [path.read_bytes() for path in files]  # I/O kept out of the timings
    rows = []
    reference = None
    for label, fn, note in yaml_readers():
        if fn is None:
            rows.append((label, None, note))
            continue
        seconds, data = _best(lambda: [fn(raw) for raw in raws], repeat, budget=YAML_BUDGET)
        if reference is None:
            reference = data
        elif data != reference:
            note = (note + "; " if note else "") + f"DIFFERENT data from ours ({_first_difference(reference, data)})"
        rows.append((label, seconds, note))
    return rows


def _first_difference(a: Any, b: Any, path: tuple = ()) -> str:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        for key in a:
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], path + (key,))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, path + (i,))
    where = "/".join(map(str, path[1:])) if path else ""
    return f"{where}: {a!r:.30} vs {b!r:.30}"


def print_yaml(rows: list[tuple[str, float | None, str]], count: int) -> None:
    print(f"\nYAML reading, same {count} plan files in memory (best of --repeat, slow readers once; ratio = time / ours)")
    ours = rows[0][1]
    for label, seconds, note in rows:
        if seconds is None:
            print(f"  {label:<44} {'skipped':>9}   {note}")
            continue
        print(f"  {label:<44} {seconds:>8.3f}s {seconds / ours:>6.2f}×  {seconds / count * 1000:>6.2f} ms/file  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="synthetic plan files to read")
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader; the best is kept")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planpub-yaml-") as tmp:
        project = synth.generate(Path(tmp) / "project", args.files, site=False)
        files = sorted(p for p in (project / "plans").rglob("*.yaml") if "_registry" not in p.parts)
        print_yaml(compare_yaml(files, args.repeat), len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
