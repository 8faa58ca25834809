"""How long `planpub check` and `planpub build` take on the worst plan texts found (issue 8).

    python3 benchmarks/hostile.py                      # this checkout, about 1 minute
    python3 benchmarks/hostile.py --repo /other/clone  # the same inputs against another checkout
    python3 benchmarks/hostile.py --timeout 60         # give up on a command after 60 s

Each case is one plan laid over the small fixture project (tests/fixtures/mini): the reproduced
blow-ups at full size (a deadline followed by 75,000 spaces, `closing` with `<` and 70,000 spaces,
"[" × 60,000 in a task, "*x " × 26,000, "![" × 10,000), and one plan with a dozen text fields
each filled to its limit (generator/limits.py) with the same shapes, which `check` accepts and
`build` publishes. Both commands run as editors run them (a subprocess, `planpub build` with
mkdocs); the figures are wall-clock seconds, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path("tests/fixtures/mini")
PLAN = "plans/2024/2024-mau-09.yaml"
HEAD = """id: 2024-mau-09
issuers: [phong-gddt-mau]
issued: "05/01/2024"
period:
  year: 2024
updated: "05/01/2024"
"""


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def task(text: str = "Gửi báo cáo", deadline: str = "Trước ngày 25/01/2024") -> str:
    return f"tasks:\n  - id: gui-bao-cao\n    text: {q(text)}\n    units: [truong-mau]\n    deadline: {q(deadline)}\n"


def at_limit(shape: str, chars: int, marks: int) -> str:
    head = shape * (min(chars, marks) // len(shape))
    return (head + "a " * ((chars - len(head)) // 2))[:chars].rstrip()


def cases() -> dict[str, str]:
    title = 'title: "Kế hoạch"\n'
    md, name, line = (20_000, 2_000), (500, 500), (200, 200)
    full = (
        f"title: {q(at_limit('[', *name))}\nnumber: {q(at_limit('![', *line))}\nkind: {q(at_limit('*x ', *line))}\n"
        f"place: {q(at_limit('<', *line))}\ntheme: {q(at_limit('&', *name))}\n"
        f"purpose: {q(at_limit('[', *md))}\nrequirements: {q(at_limit('![', *md))}\n"
        f"closing: {q(at_limit('<', *md))}\npreamble: {q(at_limit('*x ', *md))}\n"
        f"sections:\n  - heading: {q(at_limit('[', *name))}\n    text: {q(at_limit('&', *md))}\n"
        f"notes: [{q(at_limit('`', *md))}]\n"
        + task(at_limit("[", *md), at_limit("Trước ngày 25/01/2024 ", *line))
    )
    return {
        "deadline + 75,000 spaces": title + task(deadline="Trước ngày 25/01/2024" + " " * 75_000 + "x"),
        "closing: < + 70,000 spaces": title + task() + f"closing: {q('<' + ' ' * 70_000 + 'x')}\n",
        '"[" × 60,000 in a task': title + task("[" * 60_000),
        '"*x " × 26,000 in a task': title + task("*x " * 26_000),
        '"![" × 10,000 in purpose': title + task() + f"purpose: {q('![' * 10_000)}\n",
        "12 text fields at their limits": full,
    }


def run(repo: Path, project: Path, args: list[str], timeout: float) -> tuple[float | None, int | None, str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANPUB_DEBUG"}
    env.update(PYTHONPATH=str(repo), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "--project", str(project), *args],
            cwd=repo, capture_output=True, text=True, env=env, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, None, ""
    return time.perf_counter() - started, done.returncode, done.stderr


def project_for(repo: Path, base: Path, text: str) -> Path:
    project = base / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(repo / name, project / name)
    for name in ("content", "site_templates"):
        shutil.copytree(repo / name, project / name)
    shutil.copytree(repo / FIXTURE / "plans", project / "plans")
    (project / PLAN).write_text(HEAD + text, encoding="utf-8")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose planpub runs")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a command is given up")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    repo = args.repo.resolve()
    print(f"planpub at {repo}; best of {args.repeat}; '>' = gave up after {args.timeout:.0f} s\n")
    print(f"{'input':34} {'size':>9} {'check':>9} {'result':>8} {'build':>9} {'result':>8}")
    with tempfile.TemporaryDirectory(prefix="planpub-hostile-") as tmp:
        for label, text in cases().items():
            project = project_for(repo, Path(tmp), text)
            figures = []
            for command in (["check"], ["calendar"], ["build", "--site-dir", str(Path(tmp) / "site")]):
                best, code = None, None
                for _ in range(args.repeat):
                    seconds, code, _ = run(repo, project, command, args.timeout)
                    best = seconds if best is None or (seconds is not None and seconds < best) else best
                if command != ["calendar"]:
                    figures.append((best, code))
            size = (project / PLAN).stat().st_size
            cells = " ".join(
                f"{'>' + format(args.timeout, '.0f') if s is None else format(s, '.2f'):>9} {'timeout' if c is None else 'exit ' + str(c):>8}"
                for s, c in figures
            )
            print(f"{label:34} {size:>9,} {cells}", flush=True)


if __name__ == "__main__":
    main()
