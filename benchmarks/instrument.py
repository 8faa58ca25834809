"""Time planpub's own stages inside a real build; the stages are found by reading the code, not listed.

    python -m benchmarks.instrument --timings T.json [--profile P.prof] -- build --strict -f mkdocs.yml -d DIR
    python -m benchmarks.instrument --timings T.json --pipeline PROJECT --site-url URL --docs-tree DIR

The first form runs `mkdocs build` (any mkdocs command line after `--`) in this process. The roots
are the mkdocs hooks of planpub's plugins (on_config, on_files, on_post_build …); below each root,
every function of the `generator` package that its code calls by name — a module global such as
`load_project`, or an attribute of a generator module such as `search.fold_search_index` — is
timed, down to --depth levels. A new stage (one more call in generator.site.build, a new hook, a
Pagefind step in on_post_build) therefore shows up without touching the benchmark.

The second form runs generator.site.build alone (the root) and writes the complete docs tree
(generator.site.write_tree): the Markdown the bare-Material floor build is given.

T.json: {"status": exit status, "tree": [{"path": ["on_config", "site.build", …], "seconds", "cpu_seconds", "calls"}]}.
A call is timed once, under the innermost timed call it happens in; recursion is not re-timed.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import inspect
import json
import resource
import sys
import time
import types
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PACKAGE = "generator"
DEFAULT_DEPTH = 3  # hook → site.build → load_project → load_plan


def ours(obj: Any) -> bool:
    """A plain Python function of planpub (not a class, not a generator function, not a library's)."""
    module = getattr(obj, "__module__", None) or ""
    return (
        inspect.isfunction(obj)
        and (module == PACKAGE or module.startswith(PACKAGE + "."))
        and not inspect.isgeneratorfunction(obj)
    )


def label(fn: Callable) -> str:
    module = fn.__module__.removeprefix(PACKAGE + ".")
    return f"{module}.{fn.__qualname__}"


def _names(code: types.CodeType) -> set[str]:
    """Every global or attribute name a function's code (and its lambdas, comprehensions) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def callees(fn: Callable) -> Iterator[tuple[dict, str, Callable]]:
    """(namespace, name, function) for each planpub function fn calls by a global or module-attribute name.

    Generator functions are followed (their callees are found) but never timed themselves: calling
    one only creates the generator.
    """
    fn = inspect.unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return
    names = _names(code)
    namespace = fn.__globals__
    for name in sorted(names):
        obj = namespace.get(name)
        if isinstance(obj, types.ModuleType) and obj.__name__.startswith(PACKAGE):
            for attr in sorted(names):
                member = vars(obj).get(attr)
                if inspect.isfunction(member):
                    yield vars(obj), attr, member
        elif inspect.isfunction(obj):
            yield namespace, name, obj


def cpu_seconds() -> float:
    """This process's CPU time and that of its children reaped so far: a stage that forks workers
    (generator/parallel.py) is charged their work too, once they are joined, inside the stage."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Timer:
    """Wraps functions in place (module globals, class attributes) and sums their time by call path."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.totals: dict[tuple[str, ...], list[float]] = {}  # path → [wall s, CPU s of this process, calls]
        self.patched: dict[tuple[int, str], tuple[dict | type, str, Callable]] = {}  # → what to put back

    def wrap(self, fn: Callable, name: str) -> Callable:
        stack, totals = self.stack, self.totals

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if name in stack:  # recursion: already being timed
                return fn(*args, **kwargs)
            stack.append(name)
            path = tuple(stack)
            start, cpu = time.perf_counter(), cpu_seconds()
            try:
                return fn(*args, **kwargs)
            finally:
                entry = totals.setdefault(path, [0.0, 0.0, 0])
                entry[0] += time.perf_counter() - start
                entry[1] += cpu_seconds() - cpu
                entry[2] += 1
                stack.pop()

        timed.__planpub_timed__ = True  # type: ignore[attr-defined]
        return timed

    def instrument(self, roots: list[tuple[dict | type, str, Callable, str]], depth: int) -> None:
        """Time each root and, breadth first, what it calls down to `depth` levels below it."""
        level = [(where, name, fn, shown) for where, name, fn, shown in roots]
        seen: set[int] = set()
        for _ in range(depth + 1):
            below = []
            for where, name, fn, shown in level:
                key = (id(where), name)
                if key not in self.patched and not getattr(fn, "__planpub_timed__", False) and ours(fn):
                    self.patched[key] = (where, name, fn)
                    wrapped = self.wrap(fn, shown)
                    if isinstance(where, dict):
                        where[name] = wrapped
                    else:
                        setattr(where, name, wrapped)
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                below.extend((ns, n, f, label(f)) for ns, n, f in callees(fn))
            level = below

    def restore(self) -> None:
        """Put every original function back (for use inside a longer-lived process, e.g. a test)."""
        for where, name, fn in self.patched.values():
            if isinstance(where, dict):
                where[name] = fn
            else:
                setattr(where, name, fn)
        self.patched.clear()

    def report(self) -> list[dict[str, Any]]:
        return [
            {"path": list(path), "seconds": round(seconds, 6), "cpu_seconds": round(cpu, 6), "calls": int(calls)}
            for path, (seconds, cpu, calls) in sorted(self.totals.items())
        ]


def plugin_classes() -> list[type]:
    """planpub's mkdocs plugins: entry points into the generator package, and those of generator.plugin."""
    from importlib import import_module
    from importlib.metadata import entry_points

    found: list[type] = []
    for point in entry_points(group="mkdocs.plugins"):
        if point.value.split(":")[0].split(".")[0] == PACKAGE:
            try:
                found.append(point.load())
            except (ImportError, AttributeError):  # an entry point of an older install
                pass
    try:
        from mkdocs.plugins import BasePlugin

        module = import_module(f"{PACKAGE}.plugin")
        found += [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, BasePlugin) and c.__module__ == module.__name__]
    except ImportError:
        pass
    return list(dict.fromkeys(found))


def hook_roots() -> list[tuple[type, str, Callable, str]]:
    roots = []
    for cls in plugin_classes():
        for name, fn in sorted(vars(cls).items()):
            if name.startswith("on_") and inspect.isfunction(fn):
                roots.append((cls, name, fn, name))
    return roots


def run_mkdocs(args: list[str]) -> int:
    from mkdocs.__main__ import cli

    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    except Exception as err:  # click and mkdocs errors: the message, as mkdocs would print it
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


def run_pipeline(project: Path, site_url: str, docs_tree: Path, content: str) -> int:
    from generator import site

    result = site.build(project, site_url)
    site.write_tree(result.files, project / content, docs_tree)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    rest: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, rest = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timings", type=Path, required=True, help="write the stage times here (JSON)")
    parser.add_argument("--profile", type=Path, default=None, help="also write a cProfile of the whole run here")
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="levels timed below each root")
    parser.add_argument("--pipeline", type=Path, default=None, help="run generator.site.build on this project instead of mkdocs")
    parser.add_argument("--site-url", default="https://planpub.example/")
    parser.add_argument("--docs-tree", type=Path, default=None, help="with --pipeline: write the docs tree here")
    parser.add_argument("--content", default="content", help="with --pipeline: the hand-written docs_dir")
    args = parser.parse_args(argv)

    timer = Timer()
    if args.pipeline:
        from generator import site

        timer.instrument([(vars(site), "build", site.build, "site.build")], args.depth)
        job = functools.partial(run_pipeline, args.pipeline.resolve(), args.site_url, args.docs_tree, args.content)
    else:
        timer.instrument(hook_roots(), args.depth)
        job = functools.partial(run_mkdocs, rest)
    profiler = cProfile.Profile() if args.profile else None
    status = profiler.runcall(job) if profiler else job()
    if profiler:
        profiler.dump_stats(str(args.profile))
    args.timings.write_text(json.dumps({"status": status, "tree": timer.report()}, ensure_ascii=False, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
