"""The Hà Nội seed plans (000 Thanh Xuân, 001 Đống Đa) and the shared movements registry,
checked against the seed text in plans/_sources/."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from generator.corpus import link
from generator.dates import DeadlineKind
from generator.load import load_plan, load_registry
from generator.model import Authority, MovementKind, Relation

ROOT = Path(__file__).resolve().parents[1]
from conftest import SEEDS
REGISTRY = ROOT / "plans" / "_registry"

THANH_XUAN = ROOT / "plans" / "2024" / "2024-pgddt-thanh-xuan-02.yaml"
DONG_DA = ROOT / "plans" / "2023" / "2023-pgddt-dong-da-01.yaml"
SEED_TX = "000_954adb763d24d050.txt"
SEED_DD = "001_36ee012880bc00d4.txt"



def _norm(text: str) -> str:
    """NFC, emphasis markers dropped, whitespace (line and page breaks) collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).replace("*", "").split())


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _all_seeds() -> str:
    return " \n ".join(_norm(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("0*.txt")))


@pytest.fixture(scope="module")
def tx():
    return load_plan(THANH_XUAN, ROOT).value


@pytest.fixture(scope="module")
def dd():
    return load_plan(DONG_DA, ROOT).value


def _plan_strings(plan) -> str:
    """Every text of a plan, flattened, for 'appears in the plan' checks."""
    parts = [plan.title, plan.number or "", plan.place or "", plan.preamble or "", plan.purpose or "",
             plan.requirements or "", plan.closing or ""]

    def walk(sections):
        for s in sections:
            parts.extend([s.heading or "", s.text or ""])
            walk(s.sections)

    walk(plan.sections)
    for t in plan.tasks:
        parts.extend([t.text, t.units_text or "", t.deadline.text if t.deadline else ""])
    parts += [a.text or "" for a in plan.anniversaries] + [t.text for t in plan.targets] + plan.recipients
    parts += [s.name for s in plan.signers] + [p for s in plan.signers for p in s.positions]
    parts += [d.subject or "" for d in [*plan.bases, *plan.cites]] + [d.number or "" for d in [*plan.bases, *plan.cites]]
    return _norm(" \n ".join(parts))


def _assert_in_both(samples: list[str], seed_text: str, plan) -> None:
    seed = _norm(seed_text)
    text = _plan_strings(plan)
    for sample in samples:
        assert _norm(sample) in seed, f"not in the seed: {sample!r}"
        assert _norm(sample) in text, f"not in the plan: {sample!r}"


# ---- files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [THANH_XUAN, DONG_DA])
def test_id_is_file_name_and_text_is_nfc(path):
    plan = load_plan(path, ROOT).value
    assert plan.id == path.stem
    raw = path.read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw)
    assert "\t" not in raw


def test_plans_link_against_registries():
    registries = [load_registry(REGISTRY / name, ROOT) for name in ("movements.yaml", "units-ha-noi.yaml")]
    national = REGISTRY / "units-trung-uong.yaml"
    if national.exists():
        registries.append(load_registry(national, ROOT))
    plans = [load_plan(THANH_XUAN, ROOT), load_plan(DONG_DA, ROOT)]
    corpus = link(plans, registries)
    assert not [w for w in corpus.warnings if w.file.endswith(("thanh-xuan-02.yaml", "dong-da-01.yaml"))]
    # every dated task of Đống Đa is on the calendar
    assert len([d for d in corpus.deadlines if d.plan.id == "2023-pgddt-dong-da-01"]) == 19
    assert corpus.units["pgddt-dong-da"].parent == "ubnd-quan-dong-da"
    assert corpus.units["pgddt-thanh-xuan"].parent == "ubnd-quan-thanh-xuan"
    assert corpus.units["sgddt-ha-noi"].parent == "ubnd-tp-ha-noi"


# ---- seed 000: 02/KH-PGDĐT, Thanh Xuân -----------------------------------------------------------


def test_thanh_xuan_counts(tx):
    assert len(tx.tasks) == 3
    assert len(tx.phases) == 0
    assert len(tx.bases) == 2
    assert len(tx.cites) == 3
    assert len(tx.movements) == 12
    assert len(tx.anniversaries) == 6
    assert len(tx.recipients) == 6
    assert len(tx.targets) == 1
    assert [s.number for s in tx.sections] == ["II", "III"]
    assert [s.number for s in tx.sections[0].sections] == ["1", "2", "3", "4"]
    assert [s.number for s in tx.sections[1].sections] == ["1", "2"]


def test_thanh_xuan_header(tx):
    seed = _seed(SEED_TX)
    assert tx.number == "02/KH-PGDĐT" and f"Số: {tx.number}" in seed
    assert (tx.issued.text, tx.issued_day) == ("ngày 02 tháng 01 năm 2024", date(2024, 1, 2))
    assert "ngày 02 tháng 01 năm 2024" in seed
    assert tx.place == "Thanh Xuân"
    assert tx.issuers == ["pgddt-thanh-xuan"]
    assert tx.period.year == 2024 and tx.period.school_year == "2023-2024"
    assert tx.source.file == SEED_TX


def test_thanh_xuan_strings(tx):
    _assert_in_both(
        [
            "02/KH-PGDĐT",
            "Công tác thi đua, khen thưởng ngành Giáo dục và Đào tạo quận Thanh Xuân năm 2024",
            "Thực hiện Kế hoạch số 4626/KH-SGDĐT ngày 19/12/2023 của Sở Giáo dục và Đào tạo (GDĐT) Hà Nội",
            "Tiếp tục tăng cường sự lãnh đạo, chỉ đạo nâng cao chất lượng công tác giáo dục, đào tạo quận Thanh Xuân giai đoạn 2022-2025, định hướng đến năm 2030",
            "phấn đấu ít nhất 15% CB, GV, NV có sáng kiến kinh nghiệm được công nhận cấp Quận",
            "kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ (07/5/1954 - 07/5/2024)",
            "35 năm Ngày hội quốc phòng toàn dân (22/12/1989 - 22/12/2024)",
            "Nhà trường cùng chung tay phát triển - Thầy cô cùng sẻ chia trách nhiệm",
            "Học sinh Thanh Xuân lễ phép, thân thiện, trung thực, trách nhiệm",
            "Phòng GDĐT tích cực tham gia các hoạt động, phong trào thi đua của Cụm 2 khối các Phòng GDĐT.",
            "Xây dựng và triển khai Kế hoạch công tác thi đua, khen thưởng năm 2024 của Ngành.",
            "kịp thời khen thưởng và đề nghị cấp trên khen thưởng./.",
            "Hội đồng TĐ-KT quận",
            "LĐ, CV phòng GDĐT",
            "Phạm Gia Hữu",
        ],
        _seed(SEED_TX),
        tx,
    )


def test_thanh_xuan_structured(tx):
    assert [(b.relation, b.kind, b.number, b.day) for b in tx.bases] == [
        (Relation.IMPLEMENTS, "Kế hoạch", "4626/KH-SGDĐT", date(2023, 12, 19)),
        (Relation.IMPLEMENTS, "Kế hoạch", "295/KH-UBND", date(2023, 12, 28)),
    ]
    assert [(b.issuer_units or [None])[0] for b in tx.bases] == ["sgddt-ha-noi", "ubnd-quan-thanh-xuan"]
    numbers = {c.number: c.day for c in tx.cites if c.number}
    assert numbers == {"17-NQ/QU": date(2022, 10, 12), "167/KH-UBND": date(2023, 7, 13)}
    assert all(c.relation is Relation.CITED for c in tx.cites)
    (target,) = tx.targets
    assert (target.value, target.unit, target.comparator) == (15, "%", ">=")
    years = {a.id: (a.years, str(a.event), str(a.date)) for a in tx.anniversaries}
    assert years["thanh-lap-nganh-gddt-thu-do-70-nam"] == (70, "10/1954", "10/2024")
    assert years["chien-thang-dien-bien-phu-70-nam"] == (70, "07/5/1954", "07/5/2024")  # as printed
    assert years["thanh-lap-quan-doi-nhan-dan-viet-nam-80-nam"] == (80, "22/12/1944", "22/12/2024")
    assert years["giai-phong-thu-do-70-nam"] == (70, "10/10/1954", "10/10/2024")
    assert all(t.deadline is None for t in tx.tasks)
    assert tx.recipients[0] == "Sở GDĐT Hà Nội" and tx.recipients[-1] == "Lưu: VT."
    (signer,) = tx.signers
    assert signer.authority is None and signer.positions == ["TRƯỞNG PHÒNG"] and signer.name == "Phạm Gia Hữu"
    assert "day-tot-hoc-tot" in tx.movements and "nha-giao-thanh-xuan-tam-huyet-sang-tao" in tx.movements


# ---- seed 001: 01/KH-PGDĐT, Đống Đa --------------------------------------------------------------

APPENDIX_ROW = re.compile(r"^(\d+)\.\t([^\t]*)\t([^\t]*)\t?([^\t]*)$")


def _appendix_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in _seed(SEED_DD).splitlines():
        m = APPENDIX_ROW.match(line.strip("\n"))
        if m:
            rows.append((m.group(1) + ".", m.group(2).strip(), m.group(3).strip(), m.group(4).strip()))
    return rows


def test_dong_da_counts(dd):
    assert len(_appendix_rows()) == 18
    assert len(dd.tasks) == 20  # 18 appendix rows + 2 deadlines in III.1
    assert len([t for t in dd.tasks if t.where == "Phụ lục"]) == 18
    assert len([t for t in dd.tasks if t.where == "III.1"]) == 2
    assert len(dd.phases) == 0
    assert len(dd.bases) == 2
    assert len(dd.cites) == 15
    assert len(dd.movements) == 20
    assert len(dd.anniversaries) == 6
    assert len(dd.recipients) == 5
    assert len(dd.targets) == 1
    assert [s.number for s in dd.sections[0].sections] == ["1", "2", "3", "4"]
    assert [s.number for s in dd.sections[0].sections[1].sections] == ["2.1", "2.2"]
    assert [s.number for s in dd.sections[0].sections[3].sections] == ["4.1", "4.2", "4.3"]


def test_dong_da_header_and_notes(dd):
    seed = _seed(SEED_DD)
    assert dd.number == "01/KH-PGDĐT" and f"Số: {dd.number}" in seed
    assert (dd.issued.text, dd.issued_day) == ("ngày 6 tháng 01 năm 2023", date(2023, 1, 6))
    assert "Đông Đa, ngày 6 tháng 01 năm 2023" in seed
    assert dd.place == "Đông Đa"
    assert dd.issuers == ["pgddt-dong-da"]
    assert dd.period.year == 2023 and dd.period.school_year == "2022-2023"
    # the appendix header contradicts the header: recorded in notes, header values kept
    assert "ngày 10/01/2023 của Sở Giáo dục và Đào tạo Hà Nội" in seed
    note = next(n for n in dd.notes if "10/01/2023" in n)
    assert "06/01/2023" in note and "của Sở Giáo dục và Đào tạo Hà Nội" in note
    for typo in ("Đông Đa", "Vi sự nghiệp giáo dục", "Day tốt, học tốt", "đảo bảo", "khởi phòng GDĐT"):
        assert typo in seed and any(typo in n for n in dd.notes), typo
    # OCR debris is not content
    for debris in ("X.1", "*Min*", "/AC"):
        assert debris in seed
        assert debris not in _plan_strings(dd)


def test_dong_da_appendix_rows_match_the_seed(dd):
    tasks = {t.number: t for t in dd.tasks if t.where == "Phụ lục"}
    for number, text, units, deadline in _appendix_rows():
        task = tasks[number]
        assert _norm(task.text) == _norm(text), number
        assert task.units_text == units, number
        if deadline:
            assert task.deadline is not None and task.deadline.text == deadline, number
        else:
            assert task.deadline is None, number
    assert tasks["14."].deadline is None


def test_dong_da_deadlines(dd):
    ends = {t.id: t.deadline.end for t in dd.tasks if t.deadline is not None}
    assert ends == {
        "cum-thi-dua-gui-ke-hoach-ve-ubnd-quan": date(2023, 1, 18),
        "cum-truong-gui-bo-tieu-chi-cham-diem-ve-pgddt": date(2023, 1, 29),
        "xay-dung-ke-hoach-thi-dua-khen-thuong-2023": date(2023, 1, 31),
        "trien-khai-phong-trao-gioi-thieu-mo-hinh-moi": date(2023, 1, 24),
        "hoan-thien-bo-tieu-chi-cham-diem-thi-dua": date(2023, 1, 29),
        "kien-toan-cum-thi-dua": date(2023, 2, 28),
        "tong-hop-danh-hieu-mo-hinh-chuyen-de-thi-dua": date(2023, 4, 30),
        "trien-khai-huong-dan-xet-tang-ky-niem-chuong": date(2023, 3, 4),
        "ky-giao-uoc-thi-dua-cum-khoi-pgddt": date(2023, 5, 14),
        "gui-ho-so-de-nghi-xet-tang-ky-niem-chuong": date(2023, 5, 14),
        "huong-dan-binh-xet-thi-dua-cuoi-nam-hoc": date(2023, 5, 24),
        "hop-xet-khen-thuong-tong-ket-nam-hoc": date(2023, 5, 29),
        "gui-ho-so-de-nghi-danh-hieu-thi-dua-khen-thuong": date(2023, 5, 29),
        "gui-bao-cao-tu-danh-gia-cham-diem": date(2023, 5, 29),
        "tong-ket-cuoc-thi-guong-dien-hinh-tien-tien": date(2023, 6, 14),
        "to-chuc-hoi-nghi-tong-ket-nam-hoc": date(2023, 8, 9),
        "gui-ban-dang-ky-thi-dua-2023-2024": date(2023, 10, 29),
        "to-chuc-le-ky-niem-ngay-nha-giao-viet-nam": date(2023, 11, 14),
        "nhap-du-lieu-dang-ky-thi-dua": date(2023, 11, 29),
    }
    kinds = {t.deadline.kind for t in dd.tasks if t.deadline is not None}
    assert DeadlineKind.UNPARSED not in kinds
    month = next(t for t in dd.tasks if t.id == "xay-dung-ke-hoach-thi-dua-khen-thuong-2023").deadline
    assert (month.kind, month.start, month.end) == (DeadlineKind.MONTH, date(2023, 1, 1), date(2023, 1, 31))


def test_dong_da_body_deadlines_are_tasks(dd):
    seed = _norm(_seed(SEED_DD))
    body = {t.deadline.text: t for t in dd.tasks if t.where == "III.1"}
    assert set(body) == {"trước ngày 19/01/2023", "trước ngày 30/01/2023"}
    for text, task in body.items():
        assert text in seed and _norm(task.text) in seed
        assert task.units == ["cum-thi-dua-9-dong-da", "cum-thi-dua-10-dong-da", "cum-thi-dua-11-dong-da"]
    assert "UBND Quận" in body["trước ngày 19/01/2023"].text
    assert "Cụm trưởng" in body["trước ngày 30/01/2023"].text


def test_dong_da_units(dd):
    units = {t.number: t.units for t in dd.tasks if t.number}
    assert units["1."] == ["pgddt-dong-da", "cum-thi-dua-9-dong-da", "cum-thi-dua-10-dong-da", "cum-thi-dua-11-dong-da"]
    assert units["6."] == ["pgddt-dong-da", "truong-dong-da", "tt-gdnn-gdtx-dong-da"]
    assert units["14."][0] == "hdtdkt-quan-dong-da"
    assert all(t.units for t in dd.tasks)


def test_dong_da_strings(dd):
    _assert_in_both(
        [
            "01/KH-PGDĐT",
            "Công tác thi đua, khen thưởng ngành Giáo dục và Đào tạo năm 2023",
            "Kế hoạch số 439/KH-UBND ngày 20/12/2022 của UBND quận về công tác thi đua, khen thưởng năm 2023",
            "kỷ niệm 75 năm Ngày Chủ tịch Hồ Chí Minh ra lời kêu gọi thi đua ái quốc (11/6/1948-11/6/2023)",
            "phấn đấu đến năm 2025, 100% các đơn vị tại phụ lục kèm theo Kế hoạch số 189/KH-UBND đạt tự chủ tài chính",
            "Hoàn thiện bộ tiêu chí chấm điểm thi đua",
            "Trước ngày 25/01/2023",
            "Tháng 02/2023",
            "Trước ngày 30/11/2023",
            "Phòng GDĐT; Trường MN, TH, THCS, TT GDNN-GDTX",
            "Hội đồng TD-KT Quận; Phòng GDĐT; Cụm thi đua số 9, 10, 11",
            "Nhập dữ liệu đăng ký thi đua vào phần mềm quản lý Thi đua - Khen thưởng",
            "Công văn số 1531/HĐTĐKT-NV ngày 11/8/2021, Công văn số 15/HĐTĐKT ngày 02/11/2022",
            "Phòng GDĐT đề nghị các đơn vị trực thuộc triển khai thực hiện công tác Thi đua – Khen thưởng năm 2023 theo kế hoạch đã đề ra./.",
            "Các trường MN, TH, THCS",
            "Trịnh Đan Ly",
        ],
        _seed(SEED_DD),
        dd,
    )


def test_dong_da_structured(dd):
    assert [(b.relation, b.number, b.day, (b.issuer_units or [None])[0]) for b in dd.bases] == [
        (Relation.IMPLEMENTS, "439/KH-UBND", date(2022, 12, 20), "ubnd-quan-dong-da"),
        (Relation.IMPLEMENTS, "4582/KH-SGDĐT", date(2022, 12, 26), "sgddt-ha-noi"),
    ]
    numbers = {c.number: c.day for c in dd.cites if c.number}
    assert numbers["189/KH-UBND"] == date(2022, 7, 6)
    assert numbers["14/HD-HĐTĐKT"] == date(2022, 9, 21)
    assert numbers["253/KH-HĐTĐKT"] == date(2020, 12, 18)
    assert numbers["34-CT/TW"] is None
    seed = _norm(_seed(SEED_DD))
    for number in numbers:
        assert number in seed
    (target,) = dd.targets
    assert (target.value, target.unit, target.by) == (100, "%", "đến năm 2025")
    anniversary = next(a for a in dd.anniversaries if a.years == 75)
    assert (str(anniversary.event), str(anniversary.date)) == ("11/6/1948", "11/6/2023")  # as printed
    assert dd.recipients == ["Sở GDĐT", "Phòng GDĐT", "TT GDNN-GDTX", "Các trường MN, TH, THCS", "Lưu: VT."]
    (signer,) = dd.signers
    assert signer.authority is None and signer.positions == ["TRƯỞNG PHÒNG"] and signer.name == "Trịnh Đan Ly"
    assert signer.unit == "pgddt-dong-da"


# ---- movements registry --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def movements():
    return load_registry(REGISTRY / "movements.yaml", ROOT).value.movements


def test_movement_spellings_come_from_the_seeds(movements):
    seeds = _all_seeds()
    for movement in movements:
        for alias in movement.aliases:
            assert _norm(alias) in seeds, (movement.id, alias)
        printed = [movement.name, *movement.aliases]
        assert any(_norm(name) in seeds for name in printed), movement.id
        assert not movement.name.startswith(("“", '"')), movement.id


def test_movement_registry_details(movements):
    by_id = {m.id: m for m in movements}
    assert len(by_id) == len(movements)
    assert by_id["day-tot-hoc-tot"].name == "Dạy tốt - Học tốt"
    assert set(by_id["day-tot-hoc-tot"].aliases) == {"Dạy tốt- học tốt", "Day tốt, học tốt"}
    assert by_id["nha-giao-thanh-xuan-tam-huyet-sang-tao"].kind is MovementKind.AWARD
    assert by_id["ky-niem-chuong-vi-su-nghiep-giao-duc"].kind is MovementKind.AWARD
    assert by_id["dan-chu-ky-cuong-tinh-thuong-trach-nhiem"].kind is MovementKind.CAMPAIGN
    assert by_id["nha-truong-cung-chung-tay-phat-trien"].period == "giai đoạn 2022 - 2025"
    assert by_id["doanh-nghiep-viet-nam-hoi-nhap-va-phat-trien"].launched_by == "Thủ tướng Chính phủ"


def test_quoted_names_in_the_seeds_are_registered(movements):
    """Every quoted movement/campaign/award of all five seeds resolves to a registry entry."""
    known = {_norm(n).casefold() for m in movements for n in [m.name, *m.aliases]}
    extra = REGISTRY / "movements-extra.yaml"
    if extra.exists():
        known |= {_norm(n).casefold() for m in load_registry(extra, ROOT).value.movements for n in [m.name, *m.aliases]}
    not_movements = {  # quoted but not a movement: subjects of documents, themes, mottos, events, slang
        "tóp đầu",
        "Tiếp tục tăng cường sự lãnh đạo, chỉ đạo nâng cao chất lượng công tác giáo dục, đào tạo quận Thanh Xuân giai đoạn 2022-2025, định hướng đến năm 2030",
        "Hà Nội - Điện Biên Phủ trên không",
        "Tiếp tục đổi mới công tác thi đua, khen thưởng",
        "Tiếp tục đổi mới công tác thi đua, khen thưởng tỉnh Quảng Ninh",
        "Nâng cao chất lượng đội ngũ cán bộ, đoàn viên công đoàn cơ sở",
        "Nhà giáo cùng nhau phát triển",
        "Mỗi giờ lên lớp có một bước tiến trong giảng dạy, mỗi ngày đến trường có một đổi mới trong công việc",
        "Dừng đến trường nhưng không dừng việc học",
        "Đổi mới sáng tạo, nâng cao chất lượng, đoàn kết kỷ cương",
        "Nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức và bảo đảm tăng trưởng kinh tế bền vững",
        "dạy chữ",
        "dạy người",
    }
    skip = {_norm(s).casefold() for s in not_movements}
    quoted = re.compile(r"[“\"]([^”\"]+)[”\"]")
    for path in sorted(SEEDS.glob("0*.txt")):
        for match in quoted.finditer(_norm(path.read_text(encoding="utf-8"))):
            name = _norm(match.group(1)).casefold()
            if name in skip:
                continue
            assert name in known, (path.name, match.group(1))


def test_plan_movements_are_quoted_in_their_seed(tx, dd, movements):
    by_id = {m.id: m for m in movements}
    for plan, seed_name in ((tx, SEED_TX), (dd, SEED_DD)):
        seed = _norm(_seed(seed_name)).casefold()
        for ref in [*plan.movements, *(m for t in plan.tasks for m in t.movements)]:
            names = [by_id[ref].name, *by_id[ref].aliases]
            assert any(_norm(n).casefold() in seed for n in names), (plan.id, ref)
