"""The editors' commands: planpub check | build | serve | calendar | fmt | init | new | schema.

Like mkdocs, planpub works on the project in the current directory (`--project DIR` for another).
Exit codes: 0 fine, 1 the plans have errors (each printed as file:line:column), 2 misuse or failure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from generator import __version__, progress, publish, scaffold
from generator.check import Report, check_project, github_annotations, summary, to_json
from generator.feeds import calendar_command
from generator.fmt import fmt_command
from generator.model import plan_json_schema, registry_json_schema


def run() -> None:
    """The `planpub` command: main(), then the process ends without tearing down its heap.

    Every command is short in this process (mkdocs builds and serves in a child of its own), and a
    checked corpus is millions of objects: the cyclic collector walking them once when the check is
    done, then the interpreter freeing them one by one at exit, took 0.3-0.4 s of the 2.7 s of a
    `planpub check` after one edit at 1,000 plans. Reference counting still frees what it can.
    """
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (planpub check | head): nothing more to say
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as err:  # a full disk, a read-only folder: one sentence, never a traceback
        if os.environ.get("PLANPUB_DEBUG"):
            raise
        print(f"planpub: {publish.os_error_sentence(err)}", file=sys.stderr)
        return 1 if err.errno in publish.WRITE_ERRORS else 2
    except Exception as err:  # never a traceback for editors; PLANPUB_DEBUG=1 shows it
        if os.environ.get("PLANPUB_DEBUG"):
            raise
        print(f"planpub: lỗi không mong đợi: {type(err).__name__}: {err} (chạy lại với PLANPUB_DEBUG=1 để xem chi tiết)", file=sys.stderr)
        return 2


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Vietnamese (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lệnh hoặc tuỳ chọn không hợp lệ ({message}); xem “planpub --help”\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planpub", description="Công bố kế hoạch ngành Giáo dục thành trang web và lịch.")
    parser.add_argument("--project", type=Path, default=Path("."), help="thư mục dự án (mặc định: thư mục hiện tại)")
    parser.add_argument("--version", action="version", version=f"planpub {__version__}", help="in phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH", parser_class=_Parser)

    check = sub.add_parser("check", help="kiểm tra mọi kế hoạch, danh mục và sổ lịch trong plans/")
    check.add_argument("--quiet", "-q", action="store_true", help="không in cảnh báo và tiến độ")
    check.add_argument("--strict", action="store_true", help="cảnh báo cũng là lỗi (thoát 1)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="text (mặc định), json, hoặc github (chú thích trên pull request)")
    check.set_defaults(run=cmd_check)

    build = sub.add_parser("build", help="xây dựng trang web vào site/")
    build.add_argument("--site-dir", type=Path, default=None, help="thư mục đích (mặc định: site/)")
    build.add_argument("--quiet", "-q", action="store_true", help="không in tiến độ")
    build.set_defaults(run=cmd_build)

    serve = sub.add_parser("serve", help="xem trước trang web, tự tải lại khi sửa kế hoạch")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)

    calendar = sub.add_parser("calendar", help="cập nhật sổ lịch plans/_ledger/calendar.json (SEQUENCE và ngày sửa của sự kiện)")
    calendar.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi; thoát 1 nếu sổ lịch chưa cập nhật")
    calendar.add_argument("--quiet", "-q", action="store_true", help="không in tiến độ")
    calendar.set_defaults(run=cmd_calendar)

    fmt = sub.add_parser("fmt", help="định dạng lại các tệp kế hoạch và danh mục theo mẫu (không đổi dữ liệu)")
    fmt.add_argument("files", nargs="*", type=Path, metavar="TỆP", help="chỉ các tệp này (mặc định: mọi tệp trong plans/)")
    fmt.add_argument("--check", action="store_true", help="chỉ kiểm tra: in phần khác biệt, thoát 1 nếu có tệp cần định dạng")
    fmt.set_defaults(run=cmd_fmt)

    init = sub.add_parser("init", help="tạo kho trang web mới: mkdocs.yml, plans/ với kế hoạch mẫu, CI")
    init.add_argument("directory", type=Path, metavar="THƯ_MỤC")
    init.add_argument("--site-name", default=scaffold.DEFAULT_SITE_NAME, help="tên trang")
    init.add_argument("--site-url", default=scaffold.DEFAULT_SITE_URL, help="địa chỉ công khai của trang, ví dụ https://pgd-x.github.io/ke-hoach/")
    init.add_argument("--repo-url", default=None, help="địa chỉ kho mã (cho nút “Sửa trang này”); tự suy ra từ địa chỉ github.io")
    init.add_argument("--requirement", default=scaffold.SiteOptions.requirement, help="cách CI cài planpub (một dòng của requirements.txt)")
    init.set_defaults(run=cmd_init)

    new = sub.add_parser("new", help="tạo tệp kế hoạch mới với đủ các mục của mẫu (dưới dạng chú thích)")
    new.add_argument("--title", help="trích yếu")
    new.add_argument("--issuer", action="append", dest="issuers", help="mã đơn vị ban hành trong danh mục (lặp lại nếu liên tịch)")
    new.add_argument("--period", help="năm (2024) hoặc năm học (2024-2025)")
    new.add_argument("--number", help="số, ký hiệu như in, ví dụ 15/KH-PGDĐT")
    new.add_argument("--date", dest="issued", help="ngày ban hành dd/mm/yyyy")
    new.add_argument("--kind", default="Kế hoạch", help="loại văn bản (mặc định: Kế hoạch)")
    new.add_argument("--id", dest="plan_id", help="mã kế hoạch (mặc định: năm-đơn vị-số)")
    new.add_argument("--updated", help="ngày cập nhật dd/mm/yyyy (mặc định: hôm nay)")
    new.set_defaults(run=cmd_new)

    schema = sub.add_parser("schema", help="in JSON Schema của kế hoạch (cho trình soạn thảo)")
    schema.add_argument("--registry", action="store_true", help="JSON Schema của tệp danh mục plans/_registry/*.yaml")
    schema.add_argument("--output", "-o", type=Path, default=None, help="ghi vào tệp thay vì in ra")
    schema.set_defaults(run=cmd_schema)
    return parser


def _no_plans(root: Path) -> int:
    print(f"planpub: không thấy thư mục plans/ trong {root.resolve()} (dùng --project DIR)", file=sys.stderr)
    return 2


def cmd_check(args: argparse.Namespace) -> int:
    root = args.project
    if not (root / "plans").is_dir():
        return _no_plans(root)
    fmt = getattr(args, "format", "text")
    strict = getattr(args, "strict", False)
    progress.enable(quiet=args.quiet or fmt != "text")
    report = check_project(root)
    if fmt == "json":
        sys.stdout.write(to_json(report, strict))
        return 1 if report.failed(strict) else 0
    shown = report.problems if not args.quiet else report.errors
    if fmt == "github":
        sys.stdout.write(github_annotations(Report(report.errors, [] if args.quiet else report.warnings)))
    else:
        for problem in shown:
            print(problem, file=sys.stderr)
    failed = report.failed(strict)
    print(summary(report, strict), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build aside and swap in (generator/publish.py): never a half-written site."""
    root = args.project.resolve()
    status = cmd_check(argparse.Namespace(project=root, quiet=True))
    if status:
        return status
    progress.enable(quiet=args.quiet)  # the mkdocs child shows its stages through PLANPUB_PROGRESS
    return publish.build(root, args.site_dir)


def cmd_serve(args: argparse.Namespace) -> int:
    root = args.project.resolve()
    status = cmd_check(argparse.Namespace(project=root, quiet=True))
    if status:
        return status
    return subprocess.run(
        # --dirty: a rebuild renders only the pages an edit changed (generator/plugin.py)
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(root / "mkdocs.yml"), "--dev-addr", args.dev_addr], cwd=root
    ).returncode


def cmd_calendar(args: argparse.Namespace) -> int:
    progress.enable(quiet=args.quiet)
    return calendar_command(args.project, args.check)


def cmd_fmt(args: argparse.Namespace) -> int:
    root = args.project
    if not args.files and not (root / "plans").is_dir():
        return _no_plans(root)
    return fmt_command(root, args.files, args.check)


def cmd_init(args: argparse.Namespace) -> int:
    options = scaffold.SiteOptions(args.site_name, args.site_url, args.repo_url, args.requirement)
    return scaffold.init_command(args.directory, options)


def cmd_new(args: argparse.Namespace) -> int:
    root = args.project
    if not (root / "plans").is_dir():
        return _no_plans(root)
    asked = {"title": "Trích yếu", "issuers": "Mã đơn vị ban hành", "period": "Năm hoặc năm học (2024 hoặc 2024-2025)"}
    values = vars(args)
    for name, label in asked.items():
        if not values.get(name) and sys.stdin.isatty():
            answer = input(f"{label}: ").strip()
            values[name] = [answer] if name == "issuers" and answer else answer
    missing = [f"--{'issuer' if n == 'issuers' else n}" for n in asked if not values.get(n)]
    if missing:
        print(f"planpub new: thiếu {', '.join(missing)} (xem “planpub new --help”)", file=sys.stderr)
        return 2
    plan = scaffold.NewPlan(
        title=args.title, issuers=tuple(args.issuers), period=args.period, number=args.number,
        issued=args.issued, kind=args.kind, plan_id=args.plan_id, updated=args.updated,
    )
    return scaffold.new_command(root, plan)


def cmd_schema(args: argparse.Namespace) -> int:
    schema = registry_json_schema() if args.registry else plan_json_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.output:
        tmp = args.output.with_name(args.output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.output)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    run()
