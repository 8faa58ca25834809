"""Where the memory of a full build goes (issue #12): the peak (PSS) of the process tree in each
phase of one `mkdocs build`, the mkdocs process's own share and its workers' and Pagefind's.

    python -m benchmarks.memory PROJECT [--site DIR] [--json F]

The phases are cut at planpub's mkdocs hooks: `pipeline` (on_config), cut again at its stages
(`pipeline/load`, `pipeline/feeds`, `pipeline/pages`, `pipeline/data`: generator.progress), `markdown`
(mkdocs renders every page's Markdown), `templates` (from on_env: every page's template written),
`search` (on_post_build: the documents, then Pagefind). `benchmarks.run` gives the whole build's
peak; this says which phase sets it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.run import _tree_parts_kib, environment

PHASES = (("on_config", "pipeline"), ("on_nav", "markdown"), ("on_env", "templates"), ("on_post_build", "search"))
STAGES = (("Đọc kế hoạch", "pipeline/load"), ("Tạo lịch", "pipeline/feeds"), ("Tạo trang", "pipeline/pages"),
          ("Tạo dữ liệu mở", "pipeline/data"))  # generator.progress stages inside on_config
ORDER = (PHASES[0][1], *(phase for _, phase in STAGES), *(phase for _, phase in PHASES[1:]))
MARK = "planpub-memory-phase "
SAMPLE = 0.25  # seconds


def _child(argv: list[str]) -> None:
    """In the build's process: mark each phase on stderr as its hook or stage starts, then run mkdocs."""
    from generator import plugin, progress

    for hook, phase in PHASES:
        def marked(original, phase=phase):
            def hook_method(self, *args, **kwargs):
                print(MARK + phase, file=sys.stderr, flush=True)
                return original(self, *args, **kwargs)
            return hook_method
        setattr(plugin.PlanpubPlugin, hook, marked(getattr(plugin.PlanpubPlugin, hook)))
    stages, stage = dict(STAGES), progress.stage

    @contextlib.contextmanager
    def marked_stage(name: str, total: int | None = None):
        if name in stages:
            print(MARK + stages[name], file=sys.stderr, flush=True)
        with stage(name, total) as step:
            yield step
    progress.stage = marked_stage
    from mkdocs.__main__ import cli

    cli(["build", *argv], standalone_mode=True)


def measure(project: Path, site: Path) -> dict[str, Any]:
    """Peak memory (MiB) of each phase: the whole tree, the mkdocs process alone, and the rest."""
    cmd = [sys.executable, "-m", "benchmarks.memory", "--child", "--strict", "--quiet",
           "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=environment(), text=True)
    phase, phases, lock = "start", {}, threading.Lock()

    def entry(name: str) -> dict[str, float]:
        return phases.setdefault(name, {"tree_mib": 0.0, "own_mib": 0.0, "others_mib": 0.0})

    def take() -> None:
        own, others = _tree_parts_kib(child.pid)
        with lock:
            peak = entry(phase)
            if (own + others) / 1024 > peak["tree_mib"]:
                peak.update(tree_mib=(own + others) / 1024, own_mib=own / 1024, others_mib=others / 1024)

    def sample() -> None:
        while child.poll() is None:
            take()
            time.sleep(SAMPLE)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors: list[str] = []
    for line in child.stderr:  # type: ignore[union-attr]
        if line.startswith(MARK):
            with lock:
                phase = line[len(MARK):].strip()
                entry(phase)["starts_s"] = time.perf_counter() - start
            take()  # even a phase shorter than one sampling interval has its sample
        else:
            errors.append(line)
    code = child.wait()
    sampler.join()
    if code != 0:
        raise SystemExit(f"benchmark: the build failed (exit {code})\n{''.join(errors)[-4000:]}")
    phases.pop("start", None)
    peak = max(phases.items(), key=lambda item: item[1]["tree_mib"]) if phases else ("", {"tree_mib": 0.0})
    return {"seconds": time.perf_counter() - start, "phases": phases, "peak_phase": peak[0], "peak_mib": peak[1]["tree_mib"]}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--site", type=Path, help="where to build (default: PROJECT/site)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    project = args.project.resolve()
    result = measure(project, (args.site or project / "site").resolve())
    print(f"{'phase':<15} {'starts':>8} {'tree peak':>10} {'mkdocs':>8} {'others':>8}   (MiB, PSS)")
    for name, p in result["phases"].items():
        print(f"{name:<15} {p.get('starts_s', 0):>7.1f}s {p['tree_mib']:>10.0f} {p['own_mib']:>8.0f} {p['others_mib']:>8.0f}")
    print(f"peak {result['peak_mib']:.0f} MiB in '{result['peak_phase']}', build {result['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
