"""YAML files → model objects, with file:line:column on every problem.

One YAML semantics for the whole project, enforced here and nowhere else:
- YAML 1.2 core scalars only: `null`/`~`/empty, `true`/`false`, decimal ints and floats; everything
  else is text. `no`, `12:30` and `2021-09-05` stay the strings the editor typed (the model parses dates).
- no anchors, aliases or tags; duplicate keys are errors; nesting is limited (the C composer recurses
  and crashes on very deep input, so we walk parser *events* and never build a node graph);
- text is NFC; invisible characters are stripped from values with a warning and are errors in keys.

Why PyYAML's C parser events: it is the fastest safe reader here (libyaml), it gives line and column
for every event, and walking events ourselves gives the strict semantics above in one pass.
ruamel.yaml is kept for the editors' round-trip tools, which need comments and layout.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from generator import limits, model
from generator.dates import DateContext, Deadline, format_date

try:  # libyaml; the pure-Python parser gives the same events, fifty times slower
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _Base
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _Base):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _Base.__init__(self)


MAX_DEPTH = limits.MAX_DEPTH
MAX_BYTES = limits.MAX_BYTES
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# Control characters a YAML escape ("\0", "\e", "\a", "\x7f" …) can put into a value: they break
# pages, front matter and calendar feeds. Tab and line feed are text; U+2028/2029 are line breaks
# that JavaScript and YAML treat differently.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, located in a file."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        label = "lỗi" if self.severity == "error" else "cảnh báo"
        where = f" {self.field}:" if self.field else ""
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")  # one problem, one line
        return f"{self.file}:{self.line}:{self.column}: {label}:{where} {message}"


class LoadError(Exception):
    """The errors that stop a run, with the warnings found on the way (reported together)."""

    def __init__(self, problems: list[Problem], warnings: Iterable[Problem] = ()) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
        self.warnings = list(warnings)


@dataclass
class Document:
    """Plain data read from one YAML file, and where each value and key stands in it."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            found = table.get(path[:cut]) or self.values.get(path[:cut])
            if found:
                return found
        return (1, 1)

    def problem(self, path: Path_, message: str, key: bool = False, severity: str = "error") -> Problem:
        line, column = self.where(path, key)
        return Problem(self.file, line, column, field_label(path), message, severity)


def field_label(path: Path_) -> str:
    """tasks → mục 4 → deadline: 1-based item numbers, as an editor counts."""
    return " → ".join(f"mục {p + 1}" if isinstance(p, int) else p for p in path)


# ---- reading YAML -----------------------------------------------------------------------------


class _Stop(Exception):
    pass


def read_yaml(file: str, raw: bytes) -> Document:
    """Parse one YAML document with the project's strict semantics; raise LoadError on any error."""
    doc = Document(file, None)
    errors: list[Problem] = []
    text = _decode(file, raw, errors)
    if text is None:
        raise LoadError(errors)
    parser = None
    try:
        parser = _Parser(text)
        _walk(parser, doc, errors)
    except _Stop:
        pass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        errors.append(Problem(file, mark.line + 1, mark.column + 1, "", _yaml_message(err, text, mark)))
    except yaml.YAMLError:  # a reader error _decode did not foresee: no position, never a traceback
        errors.append(Problem(file, 1, 1, "", "tệp không đọc được: có ký tự hoặc cấu trúc YAML không hợp lệ"))
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    if errors:
        raise LoadError(errors, doc.warnings)
    return doc


def _decode(file: str, raw: bytes, errors: list[Problem]) -> str | None:
    if len(raw) > MAX_BYTES:
        errors.append(Problem(file, 1, 1, "", f"tệp quá lớn ({len(raw)} byte, tối đa {MAX_BYTES})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        errors.append(
            Problem(
                file,
                line,
                column,
                "",
                f"tệp không phải mã UTF-8 (byte 0x{raw[err.start]:02x}); hãy lưu lại tệp với bảng mã UTF-8",
            )
        )
        return None
    text = text[1:] if text.startswith("\ufeff") else text
    for found in list(_FORBIDDEN.finditer(text))[:10]:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        code = f"U+{ord(found.group()):04X}"
        errors.append(
            Problem(file, line, column, "", f"tệp có ký tự điều khiển {code} không được phép (thường do sao chép từ Word/PDF): hãy xoá ký tự này")
        )
    return None if errors else text


# What YAML accepts in a file (its printable set); the reader refuses anything else, without a line.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _walk(parser: Any, doc: Document, errors: list[Problem]) -> None:
    """Build plain data from parser events. Containers are filled in place, so no recursion."""
    stack: list[tuple[Any, Path_]] = []  # (container, its path)
    pending_key: list[Any] = []  # for mappings: the key waiting for its value, or _NO_KEY
    root: list[Any] = []
    documents = 0

    def fail(event: Any, message: str, path: Path_ = ()) -> None:
        errors.append(Problem(doc.file, event.start_mark.line + 1, event.start_mark.column + 1, field_label(path), message))

    def place(value: Any, event: Any) -> Path_ | None:
        """Attach a value to the current container; return its path, or None when it was a key."""
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        if not stack:
            root.append(value)
            doc.values[()] = pos
            return ()
        container, path = stack[-1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
            doc.values[child] = pos
            return child
        if pending_key[-1] is _NO_KEY:
            _check_key(value, event, container, path)
            pending_key[-1] = value
            return None
        key = pending_key[-1]
        pending_key[-1] = _NO_KEY
        child = path + (key,)
        container[key] = value
        doc.values[child] = pos
        return child

    def _check_key(key: Any, event: Any, container: dict, path: Path_) -> None:
        if not isinstance(key, str):
            fail(event, "tên trường phải là văn bản (không phải số, danh sách hay bảng)", path)
            raise _Stop
        if len(key) > limits.KEY_CHARS:
            fail(event, f"tên trường dài {len(key)} ký tự, không có trường nào như vậy trong mẫu (tối đa {limits.KEY_CHARS})", path)
            raise _Stop
        if INVISIBLE.search(key):
            fail(event, f"tên trường “{_show(key)}” chứa ký tự vô hình (zero-width space, BOM, soft hyphen); hãy gõ lại tên trường", path)
        if key in container:
            first = doc.keys.get(path + (key,), (0, 0))[0]
            fail(event, f"trường “{key}” bị lặp lại (đã có ở dòng {first}); mỗi trường chỉ được ghi một lần", path + (key,))
        doc.keys[path + (key,)] = (event.start_mark.line + 1, event.start_mark.column + 1)

    for event in iter(parser.get_event, None):
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            break
        if kind is yaml.DocumentStartEvent:
            if getattr(event, "version", None) or getattr(event, "tags", None):
                fail(event, "không dùng chỉ thị YAML (%YAML, %TAG): hãy xoá dòng bắt đầu bằng “%”")
                raise _Stop
            documents += 1
            if documents > 1:
                fail(event, "tệp chỉ được chứa một tài liệu YAML (bỏ dấu “---” thứ hai)")
                raise _Stop
            continue
        if kind is yaml.AliasEvent:
            fail(event, f"không dùng bí danh YAML (alias “*{event.anchor}”): hãy viết đầy đủ nội dung", _next_path(stack, pending_key))
            raise _Stop
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            fail(event, f"không dùng neo YAML (anchor “&{anchor}”): hãy viết đầy đủ nội dung", _next_path(stack, pending_key))
            raise _Stop
        tag = getattr(event, "tag", None)
        if tag is not None:
            fail(event, f"không dùng thẻ YAML (tag “{_show_tag(tag)}”): hãy viết giá trị bình thường", _next_path(stack, pending_key))
            raise _Stop
        if kind is yaml.ScalarEvent:
            is_key = bool(stack) and isinstance(stack[-1][0], dict) and pending_key[-1] is _NO_KEY
            value = event.value if is_key else _scalar(event, doc, _next_path(stack, pending_key), errors)
            place(value, event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                fail(event, f"lồng nhau quá sâu (quá {MAX_DEPTH} cấp)")
                raise _Stop
            container: Any = {} if kind is yaml.MappingStartEvent else []
            path = place(container, event)
            if path is None:
                fail(event, "tên trường phải là văn bản (không phải danh sách hay bảng)", _current(stack))
                raise _Stop
            stack.append((container, path))
            pending_key.append(_NO_KEY)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            pending_key.pop()
    doc.data = root[0] if root else None


_NO_KEY = object()


def _current(stack: list[tuple[Any, Path_]]) -> Path_:
    return stack[-1][1] if stack else ()


def _next_path(stack: list[tuple[Any, Path_]], pending_key: list[Any]) -> Path_:
    """The path of the value the next event starts (its key's path when the event is a key)."""
    if not stack:
        return ()
    container, path = stack[-1]
    if isinstance(container, list):
        return path + (len(container),)
    key = pending_key[-1]
    return path if key is _NO_KEY else path + (key,)


def _show_tag(tag: str) -> str:
    """A tag as the editor typed it: tag:yaml.org,2002:python/… was written !!python/…."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _scalar(event: Any, doc: Document, path: Path_, errors: list[Problem]) -> Any:
    value: str = event.value

    def fail(message: str) -> str:
        errors.append(Problem(doc.file, event.start_mark.line + 1, event.start_mark.column + 1, field_label(path), message))
        return ""

    if not event.style and event.implicit[0]:  # plain: style None (Python parser) or "" (libyaml)
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.fullmatch(value) or _FLOAT.fullmatch(value):
            return _number(value, fail)
    problem = _text_problem(value, path)
    if problem:
        return fail(problem)
    if INVISIBLE.search(value):
        doc.warnings.append(
            Problem(
                doc.file,
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                field_label(path),
                f"đã bỏ ký tự vô hình (zero-width space, BOM, soft hyphen) trong “{_show(value)[:60]}”",
                "warning",
            )
        )
        value = INVISIBLE.sub("", value)
    normal = unicodedata.normalize("NFC", value)
    if normal != value:
        doc.warnings.append(
            Problem(
                doc.file,
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                field_label(path),
                f"văn bản “{normal[:60]}” gõ bằng Unicode tổ hợp (NFD); đã chuyển sang Unicode dựng sẵn (NFC) — "
                "nên chọn bảng mã “Unicode dựng sẵn” trong bộ gõ và gõ lại đoạn này",
                "warning",
            )
        )
    return normal


def _number(value: str, fail: Any) -> int | float | str:
    """An int or float of at most NUMBER_DIGITS significant digits (never a 5,000-digit int)."""
    mantissa = value.lstrip("+-").split("e")[0].split("E")[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) > limits.NUMBER_DIGITS:
        return fail(f"số có {len(digits)} chữ số, tối đa {limits.NUMBER_DIGITS}; nếu đây là văn bản thì đặt trong dấu ngoặc kép")
    if _INT.fullmatch(value):
        return int(value)
    number = float(value)
    if not math.isfinite(number) or (number and not 1e-15 <= abs(number) <= 1e15):
        return fail(f"số “{value}” quá lớn hoặc quá nhỏ (từ 1e-15 đến 1e15)")
    return number


def _text_problem(value: str, path: Path_) -> str | None:
    """Why a text value is refused before anything else reads it: its size, or a control character."""
    limit = limits.text_limit(path)
    if len(value) > limit.chars:
        return f"văn bản dài {_count(len(value))} ký tự, tối đa {_count(limit.chars)} ký tự cho trường này"
    lines = value.count("\n", 0, len(value.rstrip("\n"))) + 1
    if lines > limit.lines:
        return f"văn bản có {lines} dòng, tối đa {limit.lines} dòng cho trường này"
    if limit.indent:
        deepest = max(_indent(line) for line in value.split("\n"))
        if deepest > limit.indent:
            return f"có dòng thụt lề {deepest} dấu cách, tối đa {limit.indent} (danh sách lồng quá sâu)"
    if limit.markup:
        marks = sum(map(value.count, limits.MARKUP_CHARS))
        if marks > limit.markup:
            return (
                f"văn bản có {_count(marks)} ký tự định dạng ({' '.join(limits.MARKUP_CHARS)}), tối đa "
                f"{_count(limit.markup)} cho trường này"
            )
    found = CONTROL.search(value)
    if found:
        return (
            f"văn bản có ký tự điều khiển U+{ord(found.group()):04X} (thường do mã thoát “\\…” trong chuỗi ngoặc kép): "
            "hãy xoá ký tự này"
        )
    return None


def _indent(line: str) -> int:
    """Leading whitespace of a line in columns (a tab counts 4, as Markdown reads it)."""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return len(lead) + 3 * lead.count("\t")


def _count(n: int) -> str:
    """12.345: thousands grouped with dots, as Vietnamese writes them."""
    return f"{n:,}".replace(",", ".")


def _show(text: str) -> str:
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


_TAB = "có ký tự tab: YAML chỉ cho phép thụt lề bằng dấu cách"
# libyaml's wording first, then the pure-Python parser's; each is a regular expression. The editor
# reads only the Vietnamese: the parser's English adds nothing an editor can act on.
_YAML_MESSAGES = [
    (r"tab character", _TAB),
    (r"mapping values are not allowed", "dấu “:” không hợp lệ ở đây — văn bản có dấu hai chấm theo sau là dấu cách cần đặt trong dấu ngoặc kép"),
    (r"could not find expected ':'", "thiếu dấu “:” sau tên trường, hoặc thụt lề sai"),
    (r"did not find expected key|expected <block end>", "thụt lề không khớp với các dòng phía trên (hoặc thiếu dấu “:”)"),
    (r"did not find expected '-' indicator", "thụt lề sai trong danh sách (mỗi mục bắt đầu bằng “- ”, thẳng hàng với các mục khác)"),
    (r"sequence entries are not allowed", "không thể mở danh sách “- ” ở đây: mỗi mục danh sách phải ở một dòng riêng, thụt lề dưới tên trường"),
    (r"expected ',' or '\]'", "danh sách trong ngoặc vuông chưa đóng: thiếu “]” (hoặc thiếu dấu “,” giữa các mục)"),
    (r"expected ',' or '\}'", "bảng trong ngoặc nhọn chưa đóng: thiếu “}” (hoặc thiếu dấu “,” giữa các mục)"),
    (r"unexpected end of stream", "tệp kết thúc giữa chừng: thiếu dấu ngoặc kép đóng (hoặc ngoặc đơn đóng)"),
    (r"comment or line break", "có chữ thừa sau dấu “|”, “>” hoặc sau chuỗi trong ngoặc: phần còn lại của dòng phải để trống (hoặc là chú thích “# …”)"),
    (r"unknown escape character", "ký tự thoát “\\” không hợp lệ trong chuỗi ngoặc kép: dùng ngoặc đơn '…' hoặc viết “\\\\”"),
    (r"undefined tag handle", "không dùng thẻ YAML (tag)"),
    (r"node content", "thiếu giá trị ở đây"),
    (r"document start", "có nội dung thừa sau phần chính của tệp (thụt lề sai?)"),
    (r"alphabetic or numeric character", "văn bản bắt đầu bằng “&”, “*” hoặc “!” cần đặt trong dấu ngoặc kép"),
    (r"found unknown escape|expected escape sequence", "ký tự thoát “\\” không hợp lệ trong chuỗi ngoặc kép: dùng ngoặc đơn '…' hoặc viết “\\\\”"),
    (r"block scalar|indentation indicator", "đoạn văn “|” hoặc “>” viết sai: sau dấu “|” xuống dòng, rồi thụt lề đều mọi dòng của đoạn"),
    (r"found unexpected ':'", "dấu “:” không hợp lệ ở đây: đặt cả giá trị trong dấu ngoặc kép"),
    (r"quoted scalar", "chuỗi trong dấu ngoặc chưa đóng: thiếu dấu ngoặc kép (hoặc ngoặc đơn) đóng"),
    (r"simple key", "thiếu dấu “:” sau tên trường (một tên trường phải nằm trên một dòng)"),
    (r"directive", "không dùng chỉ thị YAML (%YAML, %TAG): hãy xoá dòng bắt đầu bằng “%”"),
    (r"anchor|alias", "không dùng neo hay bí danh YAML (“&”, “*”): hãy viết đầy đủ nội dung"),
]


def _yaml_message(err: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = getattr(err, "problem", None) or str(err)
    if "cannot start any token" in problem:
        char = _char_at(text, mark.line, mark.column)
        if char == "\t":
            return _TAB
        shown = f"“{char}”" if char and char.isprintable() else "ký tự này"
        return f"giá trị không được bắt đầu bằng {shown}: hãy đặt cả giá trị trong dấu ngoặc kép"
    for pattern, vietnamese in _YAML_MESSAGES:
        if re.search(pattern, problem):
            return vietnamese + _context(err, mark)
    return "cú pháp YAML không hợp lệ: kiểm tra thụt lề, dấu “:” và dấu ngoặc kép ở dòng này" + _context(err, mark)


def _context(err: yaml.MarkedYAMLError, mark: Any) -> str:
    """Where the construct that failed began, when that is another line (an unclosed quote …)."""
    start = getattr(err, "context_mark", None)
    context = getattr(err, "context", None) or ""
    if start is None or start.line == mark.line or not ("quoted" in context or "flow" in context):
        return ""
    return f" (phần này bắt đầu từ dòng {start.line + 1}, cột {start.column + 1})"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


# ---- validating against the model -------------------------------------------------------------


@dataclass
class Loaded:
    """A validated object with the document it came from (for locating later, cross-file problems)."""

    value: Any
    doc: Document
    # The plan's own warnings (corpus._plan_warnings), when found while loading; None: not yet looked for.
    checks: list[Problem] | None = None
    # What it was loaded from, as a key of the plan cache (its bytes, name, the registries, the code); "": none.
    key: str = ""


def read_file(path: Path, root: Path, raw: bytes | None = None) -> Document:
    """The file's document; `raw`, when given, is its bytes as already read (read_source)."""
    name = _relative(path, root)
    return read_yaml(name, read_source(path, root) if raw is None else raw)


def read_source(path: Path, root: Path) -> bytes:
    """A project file's bytes, read as read_file reads them (bounded, never through a symlink)."""
    return read_bounded(path, _relative(path, root), MAX_BYTES)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_bounded(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most max_bytes: never through a symlink, never from a FIFO
    or a device (opened without blocking, checked before a byte is read), never more than the limit."""

    def refuse(message: str) -> LoadError:
        return LoadError([Problem(name, 1, 1, "", message)])

    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise refuse(SYMLINK_MESSAGE) from None
        raise refuse(f"không đọc được tệp ({err.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(NOT_REGULAR_MESSAGE)
        if info.st_size > max_bytes:
            raise refuse(f"tệp quá lớn ({_count(info.st_size)} byte, tối đa {_count(max_bytes)})")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise refuse(f"không đọc được tệp ({err.strerror})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise refuse(f"tệp quá lớn (hơn {_count(max_bytes)} byte)")
    return data


SYMLINK_MESSAGE = (
    "tệp là liên kết tượng trưng (symlink): chỉ đọc tệp thật nằm trong dự án — hãy chép nội dung vào đây thay cho liên kết"
)
NOT_REGULAR_MESSAGE = "không phải tệp thường (FIFO, thiết bị hay thư mục): hãy xoá hoặc thay bằng một tệp YAML"


def load_plan(
    path: Path, root: Path, dates: Callable[[Any], DateContext | None] | None = None, raw: bytes | None = None
) -> Loaded:
    """``dates`` gives the context a plan's deadlines are read in (calendars.context_reader);
    without it, the plan's own period. ``raw``: the file's bytes, when already read."""
    doc = read_file(path, root, raw)
    plan = _validated(doc, model.Plan, dates)
    if plan.id != path.stem:
        line, column = doc.where(("id",))
        raise LoadError(
            [Problem(doc.file, line, column, "id", f"mã “{plan.id}” phải trùng tên tệp “{path.stem}.yaml” (hoặc đổi tên tệp thành “{plan.id}.yaml”)")],
            doc.warnings,
        )
    return Loaded(plan, doc)


def load_registry(path: Path, root: Path) -> Loaded:
    doc = read_file(path, root)
    return Loaded(_validated(doc, model.Registry), doc)


def _validated(doc: Document, cls: type[BaseModel], dates: Callable[[Any], DateContext | None] | None = None) -> Any:
    """validate(), keeping the file's warnings when it fails (check reports both together)."""
    try:
        return validate(doc, cls, dates)
    except LoadError as err:
        raise LoadError(err.problems, [*err.warnings, *doc.warnings]) from None


def validate(doc: Document, cls: type[BaseModel], dates: Callable[[Any], DateContext | None] | None = None) -> Any:
    if doc.data is None:
        required = ", ".join(f"“{name}”" for name, info in cls.model_fields.items() if info.is_required())
        need = f"cần ít nhất các trường {required}" if required else "cần ít nhất một dòng “tên: giá trị”"
        raise LoadError([doc.problem((), f"tệp trống (không có nội dung nào ngoài chú thích): {need}")])
    if not isinstance(doc.data, dict):
        raise LoadError(
            [doc.problem((), f"tệp phải là một bảng khóa–giá trị (các dòng “tên: giá trị”), không phải {model._kind(doc.data)}")]
        )
    try:
        if cls is model.Plan and dates is not None:
            value = model.Plan.model_validate(doc.data, context={"dates": dates(doc.data)})
        elif cls is model.Plan:
            value = model.Plan.from_data(doc.data)
        else:
            value = cls.model_validate(doc.data)
    except ValidationError as err:
        raise LoadError(sorted(problems_from(doc, err, cls))) from None
    problems = [doc.problem(path, message) for path, message in dates_out_of_range(value)]
    if problems:
        raise LoadError(problems)
    return value


def dates_out_of_range(value: Any, path: Path_ = ()) -> Iterable[tuple[Path_, str]]:
    """Every date of a validated object outside the range the site can show (limits.DATE_MIN..MAX),
    whatever field holds it: (path, message). Dates as printed (dataclasses of the model holding a
    date, or the year of an incomplete date) are looked into too."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from dates_out_of_range(getattr(value, name), path + (name,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from dates_out_of_range(item, path + (i,))
    elif isinstance(value, date):
        if not limits.DATE_MIN <= value <= limits.DATE_MAX:
            yield path, f"ngày {format_date(value)} {_OUT_OF_RANGE}"
    elif isinstance(value, Deadline):
        for day in (value.start, value.end):
            if day is not None and not limits.DATE_MIN <= day <= limits.DATE_MAX:
                yield path, f"“{value.text}” rơi vào ngày {format_date(day)}, {_OUT_OF_RANGE}"
                break
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        year = getattr(value, "year", None)
        if isinstance(year, int) and not isinstance(year, bool):  # an incomplete date: its year
            if not limits.EVENT_YEAR_MIN <= year <= limits.DATE_MAX.year:
                yield path, f"năm {year} nằm ngoài khoảng năm {limits.EVENT_YEAR_MIN}–{limits.DATE_MAX.year}"
            return
        for item in dataclasses.fields(value):
            found = list(dates_out_of_range(getattr(value, item.name), path))
            if found:
                yield found[0]
                return


_OUT_OF_RANGE = (
    f"nằm ngoài khoảng {format_date(limits.DATE_MIN)} – {format_date(limits.DATE_MAX)} mà trang và lịch hiển thị được"
)


def problems_from(doc: Document, err: ValidationError, cls: type[BaseModel] | None = None) -> Iterable[Problem]:
    for item in err.errors(include_url=False):
        if cls is not None and item["type"] == "extra_forbidden":
            item = {**item, "ctx": {**(item.get("ctx") or {}), "fields": fields_at(cls, item["loc"][:-1])}}
        path = _data_path(doc.data, item["loc"])
        ctx = item.get("ctx") or {}
        if "path" in ctx:
            path = path + tuple(ctx["path"])
        kind = item["type"]
        key = kind == "extra_forbidden"
        if kind == "missing":
            line, column = doc.where(path[:-1])
            yield Problem(doc.file, line, column, field_label(path), _message(item, path))
        else:
            yield doc.problem(path, _message(item, path), key=key)


def _data_path(data: Any, loc: tuple) -> Path_:
    """pydantic's loc also names union branches and validators; keep only the steps into the data."""
    path: list[str | int] = []
    node = data
    for step in loc:
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path.append(step)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str):
            if step in node:
                path.append(step)
                node = node[step]
            elif _is_field_name(step):
                path.append(step)  # a missing field
                node = None
    return tuple(path)


def fields_at(cls: type[BaseModel], loc: tuple) -> frozenset[str]:
    """The field names of the model object at pydantic location `loc` inside a `cls` value."""
    current: type[BaseModel] = cls
    for step in loc:
        if isinstance(step, int) or step not in current.model_fields:
            continue  # a list index, or a union branch pydantic names in the location
        inner = _models_in(current.model_fields[step].annotation)
        if len(inner) != 1:
            return frozenset()
        current = inner[0]
    return frozenset(current.model_fields)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation holds (through list[…], X | None and Annotated[…])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found.extend(m for m in _models_in(arg) if m not in found)
    return found


def _is_field_name(step: str) -> bool:
    return step in _FIELD_NAMES


def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    for cls in (model.Plan, model.Registry, model.Unit, model.Movement, model.Period, model.Source, model.DocumentRef,
                model.Section, model.Anniversary, model.Phase, model.Task, model.Target, model.Signer,
                model.SchoolCalendar, model.Term, model.Holiday):
        names.update(cls.model_fields)
    return frozenset(names)


_FIELD_NAMES = _all_field_names()


def _message(item: dict, path: Path_) -> str:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    name = path[-1] if path else ""
    if kind == "missing":
        return f"thiếu trường bắt buộc “{name}”"
    if kind == "extra_forbidden":
        valid = ctx.get("fields") or _FIELD_NAMES  # the fields of the object the key stands in
        hint = difflib.get_close_matches(INVISIBLE.sub("", str(name)), sorted(valid), n=1)
        suggestion = f" — có phải “{hint[0]}”?" if hint else ""
        return f"trường “{_show(str(name))}” không có trong mẫu (unknown field){suggestion}"
    if kind not in _PYDANTIC_BUILTIN:  # our own PydanticCustomErrors are already Vietnamese
        return item["msg"]
    if kind == "string_type" and isinstance(value, (bool, int, float)):
        typed = str(value).lower() if isinstance(value, bool) else value
        return f"phải là văn bản, không phải {model._kind(value)}; nếu đúng là văn bản thì đặt trong dấu ngoặc kép: \"{typed}\""
    if kind in _SIMPLE:
        try:
            return _SIMPLE[kind].format_map({**ctx, "kind": model._kind(value), "value": value})
        except (KeyError, IndexError, ValueError):
            return f"giá trị không hợp lệ [{item['msg']}]"
    if kind in ("enum", "literal_error"):
        choices = str(ctx.get("expected", "")).replace(" or ", " hoặc ")
        return f"giá trị “{value}” không hợp lệ; chỉ được chọn: {choices}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        return f"“{value}” không đúng dạng yêu cầu: {_PATTERNS.get(pattern, pattern)}"
    return f"giá trị không hợp lệ [{item['msg']}]"


_SIMPLE = {
    "string_type": "phải là văn bản, không phải {kind}",
    "int_type": "phải là số nguyên, không phải {kind}",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số, không phải {kind}",
    "bool_type": "phải là true hoặc false",
    "list_type": "phải là danh sách (mỗi mục một dòng bắt đầu bằng “- ”), không phải {kind}",
    "dict_type": "phải là bảng khóa–giá trị, không phải {kind}",
    "model_type": "phải là bảng khóa–giá trị (các dòng “tên: giá trị”), không phải {kind}",
    "model_attributes_type": "phải là bảng khóa–giá trị (các dòng “tên: giá trị”), không phải {kind}",
    "string_too_short": "không được để trống",
    "too_short": "cần ít nhất {min_length} mục",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "none_required": "phải để trống",
    "date_type": "phải là ngày",
}
# Field patterns (model.py) in words an editor reads.
_PATTERNS = {r"^\d{4}-\d{4}$": "hai năm nối bằng dấu gạch ngang, ví dụ “2023-2024”"}

# Every error type pydantic itself raises; any other type is one of model.py's PydanticCustomErrors,
# whose message is already Vietnamese (so a custom error must never reuse a built-in type name).
_PYDANTIC_BUILTIN = frozenset(get_args(ErrorType))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
