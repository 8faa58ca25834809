"""The provincial seed plans (Hưng Yên 002, Kiên Giang 003, Quảng Ninh 004) against their seed text.

Each plan file is loaded through ``generator.load.load_plan`` and checked against the seed file in
plans/_sources/: counts of every structured list, exact strings that must appear both in the
seed and in the plan, and structured values (dates, deadline windows, targets, signers).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.dates import DeadlineKind
from generator.load import load_plan, load_registry
from generator.model import Authority, Plan, Relation

ROOT = Path(__file__).resolve().parent.parent
from conftest import SEEDS

HUNG_YEN = ROOT / "plans" / "2021" / "2021-2022-sgddt-cdgd-hung-yen.yaml"
VINH_THUAN = ROOT / "plans" / "2024" / "2024-2025-pgddt-vinh-thuan-26.yaml"
QUANG_NINH = ROOT / "plans" / "2020" / "2020-hdtdkt-gd-quang-ninh-329.yaml"

REGISTRIES = [
    ROOT / "plans" / "_registry" / name
    for name in (
        "units-trung-uong.yaml",
        "units-hung-yen.yaml",
        "units-kien-giang.yaml",
        "units-quang-ninh.yaml",
        "movements.yaml",
        "movements-extra.yaml",
    )
]


def _plan(path: Path) -> Plan:
    return load_plan(path, ROOT).value


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _flat(text: str) -> str:
    """Whitespace collapsed, so a sentence split by a page break still matches."""
    return re.sub(r"\s+", " ", text)


def _plan_text(plan: Plan) -> str:
    return _flat("\n".join(_strings(plan.model_dump(mode="json"))))


def _assert_in_both(samples: list[str], seed: str, plan: Plan) -> None:
    seed_flat, plan_flat = _flat(seed), _plan_text(plan)
    assert len(samples) >= 10
    for sample in samples:
        assert _flat(sample) in seed_flat, f"not in seed: {sample!r}"
        assert _flat(sample) in plan_flat, f"not in plan: {sample!r}"


@pytest.fixture(scope="module")
def registry() -> tuple[set[str], set[str], dict[str, Any]]:
    units: dict[str, Any] = {}
    movements: set[str] = set()
    for path in REGISTRIES:
        reg = load_registry(path, ROOT).value
        for unit in reg.units:
            assert unit.id not in units, f"duplicate unit {unit.id}"
            units[unit.id] = unit
        for movement in reg.movements:
            assert movement.id not in movements, f"duplicate movement {movement.id}"
            movements.add(movement.id)
    return set(units), movements, units


@pytest.mark.parametrize("path", [HUNG_YEN, VINH_THUAN, QUANG_NINH], ids=lambda p: p.stem)
def test_references_resolve(path: Path, registry) -> None:
    unit_ids, movement_ids, _ = registry
    plan = _plan(path)
    assert plan.id == path.stem
    refs = [*plan.issuers, *(u for t in plan.tasks for u in t.units), *(s.unit for s in plan.signers if s.unit)]
    refs += [u for d in [*plan.bases, *plan.cites] for u in d.issuer_units]
    assert set(refs) <= unit_ids, set(refs) - unit_ids
    assert set(plan.movements) <= movement_ids, set(plan.movements) - movement_ids
    assert len(plan.movements) == len(set(plan.movements))


def test_unit_parents_resolve(registry) -> None:
    unit_ids, _, units = registry
    for unit in units.values():
        if unit.parent is not None:
            assert unit.parent in unit_ids, (unit.id, unit.parent)
    assert units["hdtdkt-gd-quang-ninh"].parent == "sgddt-quang-ninh"
    assert units["pgddt-vinh-thuan"].parent == "ubnd-huyen-vinh-thuan"
    assert units["ubnd-huyen-vinh-thuan"].parent == "ubnd-kien-giang"
    assert units["sgddt-hung-yen"].parent == "ubnd-hung-yen"
    assert units["truong-vinh-thuan"].parent == "pgddt-vinh-thuan"


# ---- 002: Sở GD-ĐT và Công đoàn Giáo dục tỉnh Hưng Yên, năm học 2021-2022 ----------------------


def test_hung_yen_counts_and_header() -> None:
    plan = _plan(HUNG_YEN)
    assert plan.number is None and plan.issued is None and plan.place is None
    assert plan.issuers == ["sgddt-hung-yen", "cdgd-hung-yen"]
    assert plan.period.school_year == "2021-2022"
    assert len(plan.tasks) == 4
    assert len(plan.phases) == 2
    assert len(plan.bases) == 3
    assert len(plan.cites) == 0
    assert len(plan.movements) == 11
    assert len(plan.anniversaries) == 12
    assert len(plan.recipients) == 9
    assert len(plan.targets) == 1
    assert [s.number for s in plan.sections] == ["II", "III"]
    assert [s.number for s in plan.sections[1].sections] == ["1", "2"]


def test_hung_yen_text_matches_seed() -> None:
    seed = _seed("002_027eddec4f99f457.txt")
    plan = _plan(HUNG_YEN)
    samples = [
        "Phát động phong trào thi đua năm học 2021 - 2022",
        "Chỉ thị số 800/CT-BGDĐT ngày 24/8/2021",
        "Về thực hiện nhiệm vụ năm học 2021 - 2022 ứng phó với dịch COVID-19, tiếp tục thực hiện đổi mới, kiên trì mục tiêu chất lượng giáo dục và đào tạo",
        "xây dựng đơn vị văn hóa, xanh - sạch - đẹp, an toàn",  # joined across a page break
        "thực hiện các nhiệm vụ được giao trong quá trình đổi mới chương trình",  # joined across a page break
        "trang trí lớp học, phòng ban làm việc",  # joined across a page break
        "Từ 05/9/2021 đến 16/01/2022",
        "Từ 18/01/2022 đến 25/5/2022",
        "kỷ niệm 39 năm ngày Nhà giáo Việt Nam (20/11/1982 - 20/11/2021)",
        "132 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890-19/5/2022)",
        "ngày Hội Quốc phòng toàn dân 22/12",
        "trong quá trình phân đầu",
        "Phong trào thi đua phải bám sát nhiệm vụ chính trị của ngành, của đơn vị.",
        "Trên đây là Kế hoạch phát động thi đua năm học 2021- 2022",
        "Ban Giám đốc Sở; Thường trực CĐN",
        "Lưu: VT, CĐN.",
        "Đỗ Văn Khải",
        "ngay từ đầu năm học",
        *(task.text for task in plan.tasks),
        *(a.text for a in plan.anniversaries if a.text),
        *plan.recipients,
    ]
    _assert_in_both(samples, seed, plan)
    # page duplication / OCR debris: every paragraph is transcribed exactly once
    body = _plan_text(plan)
    assert body.count("Phong trào thi đua phải bám sát nhiệm vụ chính trị") == 1
    assert body.count("Kiện toàn Hội đồng Thi đua - Khen thưởng;") == 2  # section III.2 and its task


def test_hung_yen_structured_values() -> None:
    plan = _plan(HUNG_YEN)
    first, second = plan.phases
    assert (first.label, first.when.start, first.when.end) == ("Đợt 1", date(2021, 9, 5), date(2022, 1, 16))
    assert (second.label, second.when.start, second.when.end) == ("Đợt 2", date(2022, 1, 18), date(2022, 5, 25))
    assert first.anniversaries == [
        "hoi-lhpn-viet-nam", "nha-giao-viet-nam", "quan-doi-nhan-dan-viet-nam", "hoi-quoc-phong-toan-dan"
    ]
    assert second.anniversaries == [
        "thanh-lap-dang", "quoc-te-phu-nu", "thanh-lap-doan", "giai-phong-mien-nam", "sinh-nhat-bac-ho"
    ]
    ann = {a.id: a for a in plan.anniversaries}
    assert (ann["nha-giao-viet-nam"].years, str(ann["nha-giao-viet-nam"].event), str(ann["nha-giao-viet-nam"].date)) == (
        39, "20/11/1982", "20/11/2021"
    )
    assert (ann["thanh-lap-tinh-hung-yen"].years, str(ann["thanh-lap-tinh-hung-yen"].event)) == (190, "1831")
    assert (ann["sinh-nhat-bac-ho"].years, str(ann["sinh-nhat-bac-ho"].event)) == (132, "19/05/1890")
    # every anniversary date falls inside the school year
    for a in plan.anniversaries:
        assert a.date is not None and a.date.year in (2021, 2022)
    base = plan.bases[2]
    assert (base.relation, base.kind, base.number, base.day, (base.issuer_units or [None])[0]) == (
        Relation.IMPLEMENTS, "Chỉ thị", "800/CT-BGDĐT", date(2021, 8, 24), "bo-gddt"
    )
    assert all(b.relation is Relation.IMPLEMENTS for b in plan.bases)
    target = plan.targets[0]
    assert (target.value, target.unit) == (100, "%")
    assert plan.tasks[0].deadline is not None and plan.tasks[0].deadline.kind is DeadlineKind.UNPARSED
    assert all(t.deadline is None for t in plan.tasks[1:])
    (signer,) = plan.signers
    assert (signer.authority, signer.on_behalf_of, signer.positions, signer.name, signer.unit) == (
        Authority.TM, "BAN THƯỜNG VỤ", ["CHỦ TỊCH"], "Đỗ Văn Khải", "cdgd-hung-yen"
    )
    assert plan.recipients[0] == "Bộ GD&ĐT" and plan.recipients[-1] == "Lưu: VT, CĐN."


# ---- 003: Phòng GDĐT huyện Vĩnh Thuận, 26/KH-PGDĐT ---------------------------------------------

VINH_THUAN_SCHEDULE = [
    ("Tháng 9/2024 và tháng 10/2024", date(2024, 9, 1), date(2024, 10, 31)),
    ("Ngày 30/10 là thời hạn cuối", None, date(2024, 10, 30)),
    ("Tháng 12/2024", date(2024, 12, 1), date(2024, 12, 31)),
    ("Tháng 01/2025", date(2025, 1, 1), date(2025, 1, 31)),
    ("Tháng 02/2025", date(2025, 2, 1), date(2025, 2, 28)),
    ("Tháng 5/2025", date(2025, 5, 1), date(2025, 5, 31)),
    ("Tháng 6/2025", date(2025, 6, 1), date(2025, 6, 30)),
    ("Tháng 6/2025", date(2025, 6, 1), date(2025, 6, 30)),
    ("Tháng 7/2025", date(2025, 7, 1), date(2025, 7, 31)),
]


def test_vinh_thuan_counts_and_header() -> None:
    plan = _plan(VINH_THUAN)
    assert plan.number == "26 /KH-PGDĐT"  # as printed, with its space
    assert (plan.issued.text, plan.issued_day) == ("ngày 15 tháng 10 năm 2024", date(2024, 10, 15))
    assert plan.place == "Vĩnh Thuận"
    assert plan.issuers == ["pgddt-vinh-thuan"]
    assert plan.period.school_year == "2024-2025" and plan.period.year is None
    assert plan.theme == "Đổi mới sáng tạo, nâng cao chất lượng, đoàn kết kỷ cương"
    assert len(plan.tasks) == 9
    assert len(plan.phases) == 0
    assert len(plan.bases) == 5
    assert len(plan.cites) == 3
    assert len(plan.movements) == 9
    assert len(plan.anniversaries) == 1
    assert len(plan.recipients) == 4
    assert len(plan.targets) == 0
    assert [s.number for s in plan.sections] == ["II", "III"]
    assert [s.number for s in plan.sections[0].sections] == ["1", "2", "3"]


def test_vinh_thuan_text_matches_seed() -> None:
    seed = _seed("003_2a8f14cf576b2174.txt")
    plan = _plan(VINH_THUAN)
    samples = [
        "/KH-PGDĐT",
        "Phát động phong trào thi đua năm học 2024-2025",
        "Đổi mới sáng tạo, nâng cao chất lượng, đoàn kết kỷ cương",
        "Căn cứ Kế hoạch số 3143/KH-SGDĐT ngày 18/9/2024 của Sở GDĐT Kiên Giang",
        "Quyết định số 2236/QĐ-BGDĐT ngày 23/8/2024 của Bộ GDĐT",
        "kỷ niệm 42 năm Ngày Nhà giáo Việt Nam 20/11",
        "tạo ra động lực mới vượt qua khó khăn",  # joined across a page break
        "các khối thi đua tổ chức tổ chức Hội nghị Sơ kết",
        "Tổ chức sơ kết thực hiện giao ước thi đua của khối.",
        "Phòng Tổ chức – cán bộ Sở GDĐT Kiên Giang",
        "PHÓ TRƯỞNG PHÒNG",
        "Mai Thúy Oanh",
        *(task.text for task in plan.tasks),
        *(task.deadline.text for task in plan.tasks if task.deadline),
        *(b.number for b in plan.bases if b.number),
        *(b.subject for b in plan.bases if b.subject),
        *plan.recipients,
    ]
    _assert_in_both(samples, seed, plan)
    assert "26 /KH-PGDĐT" in seed and plan.number == "26 /KH-PGDĐT"
    # the signer block is printed "TRƯỜNG PHÒNG": kept as the correct title, with a note
    assert "TRƯỜNG PHÒNG" in seed
    assert any("TRƯỜNG PHÒNG" in note and "TRƯỞNG PHÒNG" in note for note in plan.notes)


def test_vinh_thuan_schedule() -> None:
    plan = _plan(VINH_THUAN)
    got = [(t.deadline.text, t.deadline.start, t.deadline.end) for t in plan.tasks]
    assert got == VINH_THUAN_SCHEDULE
    assert all(t.where == "II.3" for t in plan.tasks)
    assert all(t.deadline.kind is not DeadlineKind.UNPARSED for t in plan.tasks)
    by_id = {t.id: t for t in plan.tasks}
    assert by_id["han-cuoi-giao-ban-lan-1"].deadline.kind is DeadlineKind.BY
    assert by_id["so-ket-giao-uoc-thi-dua-thang-6"].text == "Tổ chức sơ kết thực hiện giao ước thi đua của khối."
    assert by_id["giao-ban-lan-1-ky-giao-uoc-thi-dua"].units == ["khoi-thi-dua-vinh-thuan"]
    assert plan.tasks[6].id == "hoan-thien-ho-so-de-nghi-khen-thuong"
    assert plan.tasks[7].id == "so-ket-giao-uoc-thi-dua-thang-6"


def test_vinh_thuan_structured_values() -> None:
    plan = _plan(VINH_THUAN)
    assert [(b.number, b.day) for b in plan.bases] == [
        ("85/KH-UBND", date(2024, 3, 20)),
        ("09/CT-UBND", date(2024, 9, 9)),
        ("3143/KH-SGDĐT", date(2024, 9, 18)),
        ("74/KH-UBND", date(2024, 4, 12)),
        ("75/KH-UBND", date(2024, 4, 12)),
    ]
    assert all(b.relation is Relation.BASIS for b in plan.bases)
    assert [(b.issuer_units or [None])[0] for b in plan.bases] == [
        "ubnd-kien-giang", "ubnd-kien-giang", "sgddt-kien-giang", "ubnd-huyen-vinh-thuan", "ubnd-huyen-vinh-thuan"
    ]
    assert (plan.cites[0].number, plan.cites[0].day, (plan.cites[0].issuer_units or [None])[0]) == (
        "2236/QĐ-BGDĐT", date(2024, 8, 23), "bo-gddt"
    )
    assert all(c.relation is Relation.CITED for c in plan.cites)
    (ann,) = plan.anniversaries
    assert (ann.years, str(ann.event), str(ann.date)) == (42, "20/11/1982", "20/11/2024")
    (signer,) = plan.signers
    assert (signer.authority, signer.on_behalf_of, signer.positions, signer.name) == (
        Authority.KT, "TRƯỞNG PHÒNG", ["PHÓ TRƯỞNG PHÒNG"], "Mai Thúy Oanh"
    )
    assert signer.title_lines == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]
    assert "xay-dung-xa-hoi-hoc-tap-hoc-tap-suot-doi" in plan.movements
    assert "ha-tang-dong-bo-tiet-kiem-chong-lang-phi" in plan.movements


# ---- 004: Hội đồng TĐKT ngành giáo dục Quảng Ninh, 329/KH-HĐTĐKT -------------------------------

QUANG_NINH_CITES = [
    (None, None),
    (None, None),
    (None, None),
    ("34-CT/TW", date(2014, 4, 7)),
    ("27-CT/TU", date(2014, 5, 26)),
    ("29-NQ/TW", None),
    ("51-KL/TW", date(2019, 5, 30)),
    ("49-KL/TW", date(2019, 5, 10)),
    ("14-NQ/TU", date(2018, 12, 4)),
    ("109/KH-SGDDT", date(2020, 1, 16)),
    ("143/KH-SGDDT", date(2020, 1, 22)),
    ("08/CTr-UBND", date(2020, 1, 10)),
    ("01/NQ-CP", date(2020, 1, 1)),
    ("20-NQ/TU", date(2019, 12, 2)),
    ("230/NQ-HĐND", date(2019, 12, 7)),
    ("162/CTr-SGDDT", date(2020, 1, 31)),
]


def test_quang_ninh_counts_and_header() -> None:
    plan = _plan(QUANG_NINH)
    assert plan.number == "329 /KH-HĐTĐKT"  # as printed, with its space
    assert (plan.issued.text, plan.issued_day) == ("ngày 18 tháng 02 năm 2020", date(2020, 2, 18))
    assert plan.place == "Quảng Ninh"
    assert plan.issuers == ["hdtdkt-gd-quang-ninh"]
    assert plan.period.year == 2020 and plan.period.school_year is None
    assert len(plan.tasks) == 2
    assert len(plan.phases) == 0
    assert len(plan.bases) == 0
    assert len(plan.cites) == 16
    assert len(plan.movements) == 7
    assert len(plan.anniversaries) == 4
    assert len(plan.recipients) == 5
    assert len(plan.targets) == 1
    assert plan.requirements is None
    assert plan.purpose is not None and plan.purpose.count("\n\n") == 2  # three numbered items
    assert plan.closing is None
    assert [s.number for s in plan.sections] == ["II", "III"]


def test_quang_ninh_text_matches_seed() -> None:
    seed = _seed("004_96e4161b6dd315a7.txt")
    plan = _plan(QUANG_NINH)
    samples = [
        "/KH-HĐTĐKT",
        "Triển khai phát động phong trào thi đua năm 2020",
        "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIV và Kế hoạch 05 năm (2016-2020)",
        "“Dân chủ - Kỷ cương - Tình thương - Trách nhiệm”",  # joined across a page break
        "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị",
        "Nghị quyết số 29-NQ/TW của Hội nghị TW 8 (khóa XI)",
        "Nghị quyết số 230/NQ-HĐND ngày 07/12/2019 của HĐND tỉnh",
        "Chương trình số 162/CTr-SGDDT ngày 31/01/2020",
        "Phấn đấu đạt tỉ lệ 100% học sinh tham gia bảo hiểm y tế.",
        "kỷ niệm 130 năm ngày sinh Chủ tịch Hồ Chí Minh",
        "PHÓ GIÁM ĐỐC ĐIỀU HÀNH",
        "Nguyễn Thị Thúy",
        "xuất sắc trong các phong trào thi đua./",
        *(c.number for c in plan.cites if c.number),
        *(c.subject for c in plan.cites if c.subject),
        *(c.issuer for c in plan.cites if c.issuer),
        *(task.text for task in plan.tasks),
        *(a.text for a in plan.anniversaries if a.text),
        *plan.recipients,
    ]
    _assert_in_both(samples, seed, plan)
    # OCR debris is not content
    assert ".✓" in seed and ".✓" not in _plan_text(plan)
    assert "Kỷ cương" in _plan_text(plan)


def test_quang_ninh_structured_values() -> None:
    plan = _plan(QUANG_NINH)
    assert [(c.number, c.day) for c in plan.cites] == QUANG_NINH_CITES
    assert all(c.relation is Relation.CITED for c in plan.cites)
    issuers = {c.number: (c.issuer_units or [None])[0] for c in plan.cites if c.number}
    assert issuers["34-CT/TW"] == "bo-chinh-tri"
    assert issuers["51-KL/TW"] == issuers["49-KL/TW"] == "ban-bi-thu"
    assert issuers["29-NQ/TW"] == "ban-chap-hanh-trung-uong"
    assert issuers["01/NQ-CP"] == "chinh-phu"
    assert issuers["27-CT/TU"] == "ban-thuong-vu-tinh-uy-quang-ninh"
    assert issuers["230/NQ-HĐND"] == "hdnd-quang-ninh"
    assert issuers["08/CTr-UBND"] == "ubnd-quang-ninh"
    assert issuers["162/CTr-SGDDT"] == "sgddt-quang-ninh"
    (target,) = plan.targets
    assert (target.value, target.unit, target.comparator) == (100, "%", ">=")
    assert all(t.deadline is None for t in plan.tasks)
    assert [t.where for t in plan.tasks] == ["III.1", "III.2"]
    (signer,) = plan.signers
    assert (signer.authority, signer.on_behalf_of, signer.name, signer.unit) == (
        Authority.TM, "HỘI ĐỒNG", "Nguyễn Thị Thúy", "hdtdkt-gd-quang-ninh"
    )
    assert signer.positions == ["CHỦ TỊCH", "PHÓ GIÁM ĐỐC ĐIỀU HÀNH SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    ann = {a.id: a for a in plan.anniversaries}
    assert ann["thanh-lap-dang"].years == 90 and str(ann["thanh-lap-dang"].date) == "03/02/2020"
    assert ann["sinh-nhat-bac-ho"].years == 130
