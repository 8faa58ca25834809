"""The editors' commands: planpub check | build | serve | schema.

Like mkdocs, planpub works on the project in the current directory (`--project DIR` for another).
Exit codes: 0 fine, 1 the plans have errors (each printed as file:line:column), 2 misuse or failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from generator import publish
from generator.corpus import load_project
from generator.feeds import calendar_command
from generator.load import LoadError
from generator.model import plan_json_schema, registry_json_schema


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
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH", parser_class=_Parser)

    check = sub.add_parser("check", help="kiểm tra mọi kế hoạch trong plans/")
    check.add_argument("--quiet", "-q", action="store_true", help="không in cảnh báo")
    check.set_defaults(run=cmd_check)

    build = sub.add_parser("build", help="xây dựng trang web vào site/")
    build.add_argument("--site-dir", type=Path, default=None, help="thư mục đích (mặc định: site/)")
    build.set_defaults(run=cmd_build)

    serve = sub.add_parser("serve", help="xem trước trang web, tự tải lại khi sửa kế hoạch")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)

    calendar = sub.add_parser("calendar", help="cập nhật sổ lịch plans/_ledger/calendar.json (SEQUENCE và ngày sửa của sự kiện)")
    calendar.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi; thoát 1 nếu sổ lịch chưa cập nhật")
    calendar.set_defaults(run=lambda args: calendar_command(args.project, args.check))

    schema = sub.add_parser("schema", help="in JSON Schema của kế hoạch (cho trình soạn thảo)")
    schema.add_argument("--registry", action="store_true", help="JSON Schema của tệp danh mục plans/_registry/*.yaml")
    schema.add_argument("--output", "-o", type=Path, default=None, help="ghi vào tệp thay vì in ra")
    schema.set_defaults(run=cmd_schema)
    return parser


def _report(err: LoadError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    root = args.project
    if not (root / "plans").is_dir():
        print(f"planpub: không thấy thư mục plans/ trong {root.resolve()} (dùng --project DIR)", file=sys.stderr)
        return 2
    try:
        corpus = load_project(root)
    except LoadError as err:
        _report(err)
        errors = sum(p.severity == "error" for p in err.problems)
        print(f"planpub check: {errors} lỗi — cần sửa trước khi xây dựng trang", file=sys.stderr)
        return 1
    if not args.quiet:
        for warning in corpus.warnings:
            print(warning, file=sys.stderr)
    tasks = sum(len(p.tasks) for p in corpus.plans)
    print(
        f"planpub check: {len(corpus.plans)} kế hoạch, {tasks} nhiệm vụ, {len(corpus.units)} đơn vị, "
        f"{len(corpus.movements)} phong trào — 0 lỗi, {len(corpus.warnings)} cảnh báo"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build aside and swap in (generator/publish.py): never a half-written site."""
    root = args.project.resolve()
    status = cmd_check(argparse.Namespace(project=root, quiet=True))
    if status:
        return status
    return publish.build(root, args.site_dir)


def cmd_serve(args: argparse.Namespace) -> int:
    root = args.project.resolve()
    status = cmd_check(argparse.Namespace(project=root, quiet=True))
    if status:
        return status
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--dev-addr", args.dev_addr], cwd=root
    ).returncode


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
    sys.exit(main())
