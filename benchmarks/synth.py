"""A synthetic planpub project of N seed-sized plans, for benchmarks and scale tests.

    python -m benchmarks.synth 300 /tmp/synth-300

writes a complete project: plans/<year>/<id>.yaml, plans/_registry/ (≈200 units, 40 movements), the
calendar ledger plans/_ledger/calendar.json (as `planpub calendar` writes it) and a copy of the
repository's mkdocs.yml, content/ and site_templates/, so `planpub check` and `mkdocs build` run on
it as on the real one.

Deterministic: the registries come from `random.Random(0)`, plan number k from `random.Random(k)`,
so the project of 300 plans holds exactly the 100 plans of the project of 100, plus 200 more. Plans
look like the seeds: Vietnamese text with diacritics, 2–4 bases (some pointing at earlier synthetic
plans), sections with bullet lists, 10–20 tasks with deadlines worded as plans word them, phases,
anniversaries, targets and signers. A few tasks say “Thường xuyên”, which planpub reads as an
undated task with a warning, as real plans do.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.slug import slugify  # noqa: E402

try:
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Dumper = yaml.SafeDumper


# ---- vocabulary -------------------------------------------------------------------------------

PROVINCES: dict[str, tuple[str, list[str]]] = {
    # province: (its kind, its districts as printed)
    "Hà Nội": ("thành phố", ["quận Đống Đa", "quận Thanh Xuân", "quận Cầu Giấy", "huyện Gia Lâm"]),
    "Hưng Yên": ("tỉnh", ["thành phố Hưng Yên", "huyện Văn Lâm", "huyện Khoái Châu", "thị xã Mỹ Hào"]),
    "Quảng Ninh": ("tỉnh", ["thành phố Hạ Long", "thành phố Cẩm Phả", "huyện Đầm Hà", "thị xã Quảng Yên"]),
    "Kiên Giang": ("tỉnh", ["thành phố Rạch Giá", "huyện Châu Thành", "huyện Phú Quốc", "huyện Giồng Riềng"]),
    "Nghệ An": ("tỉnh", ["thành phố Vinh", "huyện Nghi Lộc", "huyện Đô Lương", "thị xã Cửa Lò"]),
    "Thừa Thiên Huế": ("tỉnh", ["thành phố Huế", "huyện Phú Vang", "thị xã Hương Thủy", "huyện A Lưới"]),
    "Đắk Lắk": ("tỉnh", ["thành phố Buôn Ma Thuột", "huyện Krông Pắc", "huyện Ea Kar", "thị xã Buôn Hồ"]),
    "Cần Thơ": ("thành phố", ["quận Ninh Kiều", "quận Bình Thủy", "huyện Phong Điền", "huyện Cờ Đỏ"]),
}
SCHOOL_NAMES = [
    "Nguyễn Trãi", "Lê Quý Đôn", "Trần Phú", "Chu Văn An", "Lý Thường Kiệt", "Hoàng Hoa Thám", "Quang Trung",
    "Võ Thị Sáu", "Kim Đồng", "Nguyễn Du", "Lê Lợi", "Trưng Vương", "Ngô Quyền", "Phan Chu Trinh",
    "Đoàn Thị Điểm", "Bế Văn Đàn", "Tô Hiệu", "Nguyễn Bỉnh Khiêm", "Hoa Sen", "Sao Mai", "Họa Mi", "Ánh Dương",
]
SCHOOL_LEVELS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường Tiểu học và THCS"]

MOVEMENTS: list[tuple[str, str]] = [
    ("Dạy tốt - Học tốt", "phong-trao-thi-dua"),
    ("Đổi mới, sáng tạo trong dạy và học", "phong-trao-thi-dua"),
    ("Mỗi thầy, cô giáo là một tấm gương đạo đức, tự học và sáng tạo", "cuoc-van-dong"),
    ("Xây dựng nhà trường văn hóa, nhà giáo mẫu mực, học sinh thanh lịch", "cuoc-van-dong"),
    ("Dân chủ - Kỷ cương - Tình thương - Trách nhiệm", "cuoc-van-dong"),
    ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "cuoc-van-dong"),
    ("Người tốt, việc tốt", "phong-trao-thi-dua"),
    ("Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời", "phong-trao-thi-dua"),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", "phong-trao-thi-dua"),
    ("Toàn dân đoàn kết xây dựng đời sống văn hóa", "cuoc-van-dong"),
    ("Vì người nghèo - Không để ai bị bỏ lại phía sau", "phong-trao-thi-dua"),
    ("Đẩy mạnh cải cách hành chính", "phong-trao-thi-dua"),
    ("Chuyển đổi số trong giáo dục", "phong-trao-thi-dua"),
    ("Trường học an toàn, thân thiện", "phong-trao-thi-dua"),
    ("Giỏi việc trường, đảm việc nhà", "phong-trao-thi-dua"),
    ("Xanh - Sạch - Đẹp - An toàn", "phong-trao-thi-dua"),
    ("Giải thưởng Võ Trường Toản", "giai-thuong"),
    ("Nhà giáo tâm huyết sáng tạo", "giai-thuong"),
    ("Sáng kiến, sáng tạo trong lao động", "phong-trao-thi-dua"),
    ("Thi đua thực hiện Chương trình giáo dục phổ thông 2018", "phong-trao-thi-dua"),
]
MOVEMENT_PERIODS = ["giai đoạn 2016 - 2020", "giai đoạn 2021 - 2025", "giai đoạn 2022 - 2025", "giai đoạn 2026 - 2030"]

VERBS = [
    "Tổ chức", "Triển khai", "Đẩy mạnh", "Tiếp tục thực hiện", "Nâng cao chất lượng", "Tăng cường", "Phát động",
    "Tuyên truyền", "Rà soát", "Kiểm tra, đánh giá", "Xây dựng kế hoạch", "Biểu dương, khen thưởng", "Tổng hợp",
    "Hướng dẫn các đơn vị thực hiện", "Sơ kết, đánh giá", "Bồi dưỡng",
]
OBJECTS = [
    "các phong trào thi đua yêu nước", "công tác thi đua, khen thưởng năm học", "đội ngũ cán bộ quản lý, giáo viên, nhân viên",
    "chuyển đổi số trong dạy học và quản lý", "các điển hình tiên tiến, người tốt - việc tốt", "hồ sơ đề nghị khen thưởng cuối năm học",
    "sáng kiến kinh nghiệm cấp cơ sở", "Chương trình giáo dục phổ thông 2018 ở các khối lớp", "cơ sở vật chất, thiết bị dạy học",
    "an toàn trường học, phòng chống bạo lực học đường", "kỳ thi chọn học sinh giỏi các cấp", "giao ước thi đua giữa các cụm, khối",
    "hội thi giáo viên dạy giỏi", "công tác phổ cập giáo dục, xóa mù chữ", "việc giữ gìn sự trong sáng của tiếng Việt",
    "kết quả thực hiện nhiệm vụ năm học", "các hoạt động chào mừng ngày Nhà giáo Việt Nam", "công tác bồi dưỡng thường xuyên",
]
TAILS = [
    "trong toàn ngành", "đảm bảo thiết thực, hiệu quả", "gắn với nhiệm vụ trọng tâm của năm học",
    "theo đúng quy định hiện hành", "tại các cơ sở giáo dục trên địa bàn", "với nội dung, tiêu chí cụ thể",
    "đúng tiến độ, chất lượng", "phù hợp với điều kiện thực tế của từng đơn vị", "công khai, minh bạch, đúng đối tượng",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Quốc", "Thu", "Ngọc", "Xuân"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương",
          "Quân", "Sơn", "Thảo", "Tuấn", "Yến", "Hằng"]
ANNIVERSARIES = [
    # (id, name, event day, month, event year)
    ("nha-giao-viet-nam", "Ngày Nhà giáo Việt Nam", 20, 11, 1982),
    ("thanh-lap-dang", "Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, 1930),
    ("quoc-khanh", "Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", 2, 9, 1945),
    ("giai-phong-mien-nam", "Ngày Giải phóng miền Nam, thống nhất đất nước", 30, 4, 1975),
    ("sinh-nhat-bac", "Ngày sinh Chủ tịch Hồ Chí Minh", 19, 5, 1890),
    ("quan-doi-nhan-dan", "Ngày thành lập Quân đội nhân dân Việt Nam", 22, 12, 1944),
]
ROMAN = ["I", "II", "III", "IV", "V"]


# ---- registries -------------------------------------------------------------------------------


@dataclass
class Province:
    name: str
    so: str  # Sở GDĐT
    hd: str  # Hội đồng Thi đua - Khen thưởng ngành
    cd: str  # Công đoàn ngành Giáo dục
    phongs: list[str]
    schools: dict[str, list[str]]  # Phòng id -> its schools


@dataclass
class Registry:
    units: list[dict[str, Any]]
    movements: list[dict[str, Any]]
    provinces: list[Province]
    names: dict[str, str]  # unit id -> short label
    movement_ids: list[str]


def make_registry() -> Registry:
    rng = random.Random(0)
    units: list[dict[str, Any]] = []
    names: dict[str, str] = {}

    def add(name: str, short: str | None = None, parent: str | None = None, province: str | None = None) -> str:
        uid = _unique_id(name, names)
        unit: dict[str, Any] = {"id": uid, "name": name}
        if short:
            unit["short"] = short
        if parent:
            unit["parent"] = parent
        if province:
            unit["province"] = province
        units.append(unit)
        names[uid] = short or name
        return uid

    bo = add("Bộ Giáo dục và Đào tạo", "Bộ GDĐT")
    add("Công đoàn Giáo dục Việt Nam", "Công đoàn Giáo dục Việt Nam")
    provinces = []
    for pname, (pkind, districts) in PROVINCES.items():
        ubnd = add(f"Ủy ban nhân dân {pkind} {pname}", f"UBND {pkind} {pname}", province=pname)
        so = add(f"Sở Giáo dục và Đào tạo {pname}", f"Sở GDĐT {pname}", ubnd, pname)
        hd = add(f"Hội đồng Thi đua - Khen thưởng ngành Giáo dục {pname}", f"Hội đồng TĐKT ngành GDĐT {pname}", so, pname)
        cd = add(f"Công đoàn ngành Giáo dục {pname}", f"CĐN Giáo dục {pname}", None, pname)
        phongs, schools = [], {}
        for district in districts:
            phong = add(f"Phòng Giáo dục và Đào tạo {district}", f"Phòng GDĐT {district}", so, pname)
            phongs.append(phong)
            picked = rng.sample(SCHOOL_NAMES, 4)
            schools[phong] = [
                add(f"{level} {school} {district}", f"{level} {school}", phong, pname)
                for level, school in zip(SCHOOL_LEVELS, picked)
            ]
        provinces.append(Province(pname, so, hd, cd, phongs, schools))
    add("Các trường mầm non, tiểu học, trung học cơ sở trực thuộc", "Các trường trực thuộc")
    add("Bộ phận Văn phòng", "Văn phòng")
    add("Tổ Thi đua - Khen thưởng", "Tổ TĐKT")
    add("Ban Thi đua - Khen thưởng", "Ban TĐKT", bo)

    movements = _movements(rng)
    return Registry(units, movements, provinces, names, [m["id"] for m in movements])


def _unique_id(name: str, taken) -> str:
    """A registry id from a name: ASCII slug of at most 70 characters, made unique with -2, -3 …"""
    base = slugify(name)
    if len(base) > 70:
        base = base[:71].rsplit("-", 1)[0]
    uid, n = base, 2
    while uid in taken:
        uid, n = f"{base}-{n}", n + 1
    if isinstance(taken, set):
        taken.add(uid)
    return uid


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _movements(rng: random.Random) -> list[dict[str, Any]]:
    """20 movements as the seeds name them, and 20 more: the same launched for other periods."""
    out = []
    ids: set[str] = set()
    for name, kind in MOVEMENTS:
        movement: dict[str, Any] = {"id": _unique_id(name, ids), "name": name, "kind": kind}
        if " - " in name:
            movement["aliases"] = [name.replace(" - ", "- ")]
        out.append(movement)
    for name, kind in MOVEMENTS:
        period = rng.choice(MOVEMENT_PERIODS)
        full = f"{name} {period}"
        out.append(
            {
                "id": _unique_id(full, ids),
                "name": full,
                "kind": kind,
                "period": period,
                "launched_by": "Bộ Giáo dục và Đào tạo",
                "description": f"Phát động trong toàn ngành {period}; các đơn vị đăng ký thi đua và báo cáo kết quả hằng năm.",
            }
        )
    return out


# ---- one plan -----------------------------------------------------------------------------------


@dataclass
class Header:
    """What other plans may cite of plan k: drawn first from random.Random(k)."""

    id: str
    year: int
    number: str
    issued: tuple[int, int, int]  # y, m, d
    school: bool  # period is a school year starting in `year`
    province: Province
    issuer: str
    issuer_kind: str  # so / phong / cd / hd


def header(k: int, reg: Registry, rng: random.Random | None = None) -> Header:
    rng = rng or random.Random(k)
    year = 2019 + rng.randrange(7)
    school = rng.random() < 0.5
    province = rng.choice(reg.provinces)
    issuer_kind = rng.choices(["phong", "so", "cd", "hd"], weights=[6, 3, 1, 1])[0]
    issuer = rng.choice(province.phongs) if issuer_kind == "phong" else getattr(province, issuer_kind)
    suffix = {"phong": "KH-PGDĐT", "so": "KH-SGDĐT", "cd": "KH-CĐN", "hd": "KH-HĐTĐKT"}[issuer_kind]
    number = f"{rng.randrange(1, 5000)}/{suffix}"
    issued = (year, rng.choice([9, 10]), rng.randrange(1, 29)) if school else (year, 1, rng.randrange(2, 29))
    short = slugify(reg.names[issuer]).replace("phong-gddt-", "pgddt-").replace("so-gddt-", "sgddt-")[:40].strip("-")
    pid = f"{year}-{short}-{k:05d}"
    return Header(pid, year, number, issued, school, province, issuer, issuer_kind)


def _d(y: int, m: int, d: int) -> str:
    return f"{d:02d}/{m:02d}/{y}"


class PlanWriter:
    """Draws one plan's content; every draw comes from the plan's own random.Random(k)."""

    def __init__(self, k: int, reg: Registry) -> None:
        self.k = k
        self.reg = reg
        self.rng = random.Random(k)
        self.h = header(k, reg, self.rng)
        y = self.h.year
        # months of the plan's period, as (year, month), in order
        self.months = [(y, m) for m in range(9, 13)] + [(y + 1, m) for m in range(1, 9)] if self.h.school else [(y, m) for m in range(1, 13)]
        self.before_deadlines: list[str] = []

    # -- text --
    def sentence(self) -> str:
        r = self.rng
        return f"{r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(TAILS)}."

    def bullets(self, n: int) -> str:
        lines = []
        for _ in range(n):
            lines.append(f"- {self.sentence()} {self.sentence()}")
            if self.rng.random() < 0.25:
                lines.append(f"    - {self.sentence()}")
        return "\n".join(lines) + "\n"

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLES)} {r.choice(GIVENS)}"

    def local_units(self, n: int) -> list[str]:
        p = self.h.province
        pool = [p.so, p.hd, p.cd, *p.phongs]
        if self.h.issuer_kind == "phong":
            pool += p.schools[self.h.issuer] * 2
        else:
            pool += [s for schools in p.schools.values() for s in schools]
        return list(dict.fromkeys(self.rng.sample(pool, n)))

    # -- dates --
    def day_in(self, index: int) -> tuple[int, int, int]:
        y, m = self.months[index]
        return y, m, self.rng.randrange(1, 29)

    def deadline(self) -> str | None:
        r = self.rng
        i = r.randrange(len(self.months))
        y, m, d = self.day_in(i)
        kind = r.choices(
            ["before", "month", "range", "none", "on", "by", "quarter", "part", "semester", "week", "yearless", "often"],
            weights=[20, 14, 8, 14, 8, 6, 4, 6, 4, 3, 6, 2],
        )[0]
        if kind == "before":
            text = f"Trước ngày {_d(y, m, d)}"
            self.before_deadlines.append(text)
            return text
        if kind == "month":
            return f"Tháng {m:02d}/{y}"
        if kind == "range":
            j = min(len(self.months) - 1, i + r.randrange(1, 5))
            y2, m2, d2 = self.day_in(j) if j > i else (y, m, 28)
            return f"Từ {d:02d}/{m}/{y} đến {_d(y2, m2, d2)}"
        if kind == "on":
            return f"Ngày {d}/{m}/{y}"
        if kind == "by":
            return f"Chậm nhất ngày {_d(y, m, d)}"
        if kind == "quarter":
            return f"Quý {ROMAN[(m - 1) // 3]}/{y}"
        if kind == "part":
            return f"{r.choice(['Đầu', 'Giữa', 'Cuối'])} tháng {m}/{y}"
        if kind == "semester":
            first = self.h.year if self.h.school else self.h.year - 1
            return f"Học kỳ {r.choice(['I', 'II'])} năm học {first}-{first + 1}"
        if kind == "week":
            return f"Tuần {r.randrange(1, 5)} của tháng {m}/{y}"
        if kind == "yearless":
            return f"Trước ngày {d}/{m}"
        if kind == "often":
            return "Thường xuyên"
        return None

    # -- parts --
    def period(self) -> dict[str, Any]:
        y = self.h.year
        if self.h.school:
            return {"school_year": f"{y}-{y + 1}"}
        period: dict[str, Any] = {"year": y}
        if self.rng.random() < 0.5:
            period["school_year"] = f"{y - 1}-{y}"
        return period

    def bases(self) -> list[dict[str, Any]]:
        r = self.rng
        y = self.h.year
        p = self.h.province
        out: list[dict[str, Any]] = [
            {
                "relation": "can-cu",
                "kind": "Luật",
                "number": "06/2022/QH15",
                "date": "15/6/2022",
                "issuer": "Quốc hội",
                "subject": "Thi đua, khen thưởng",
            }
        ]
        out.append(
            {
                "relation": "thuc-hien",
                "kind": "Kế hoạch",
                "number": f"{r.randrange(1, 900)}/KH-UBND",
                "date": _d(y - 1 if not self.h.school else y, 12 if not self.h.school else 8, r.randrange(1, 29)),
                "issuer": self.reg.names[p.so].replace("Sở GDĐT", "UBND"),
                "subject": "công tác thi đua, khen thưởng",
            }
        )
        for _ in range(r.randrange(0, 3)):
            j = r.randrange(0, self.k) if self.k and r.random() < 0.6 else None
            if j is not None:
                other = header(j, self.reg)
                out.append(
                    {
                        "relation": "thuc-hien",
                        "kind": "Kế hoạch",
                        "number": other.number,
                        "date": _d(*other.issued),
                        "issuer_units": [other.issuer],
                        "issuer": self.reg.names[other.issuer],
                        "subject": "công tác thi đua, khen thưởng",
                        "plan": other.id,
                    }
                )
            else:
                out.append(
                    {
                        "relation": "can-cu",
                        "kind": r.choice(["Chỉ thị", "Nghị định", "Thông tư", "Công văn"]),
                        "number": f"{r.randrange(1, 300)}/{y - 1}/NĐ-CP",
                        "subject": f"{r.choice(VERBS).lower()} {r.choice(OBJECTS)}",
                    }
                )
        return out

    def tasks(self) -> list[dict[str, Any]]:
        r = self.rng
        tasks = []
        for i in range(r.randrange(10, 21)):
            task: dict[str, Any] = {"id": f"nv-{i + 1:02d}", "number": f"{i + 1}.", "text": self.sentence()[:-1]}
            task["units"] = self.local_units(r.randrange(1, 4))
            if r.random() < 0.2:
                task["units_text"] = "; ".join(self.reg.names[u] for u in task["units"]) + " và các đơn vị liên quan"
            deadline = self.deadline()
            if deadline:
                task["deadline"] = deadline
            task["where"] = f"III.{r.randrange(1, 5)}"
            if r.random() < 0.3:
                task["movements"] = [r.choice(self.reg.movement_ids)]
            tasks.append(task)
        return tasks

    def sections(self) -> list[dict[str, Any]]:
        r = self.rng
        content = []
        for i in range(r.randrange(3, 6)):
            section: dict[str, Any] = {"number": str(i + 1), "heading": f"{r.choice(VERBS)} {r.choice(OBJECTS)}"}
            section["text"] = self.bullets(r.randrange(2, 6))
            if r.random() < 0.4:
                section["sections"] = [
                    {"number": f"{i + 1}.{j + 1}", "heading": _capital(r.choice(OBJECTS)), "text": self.bullets(r.randrange(1, 4))}
                    for j in range(r.randrange(1, 4))
                ]
            content.append(section)
        organisation = []
        for j, unit in enumerate(self.local_units(3)):
            text = f"- {self.sentence()}\n- {self.sentence()}\n"
            if self.before_deadlines and j == 0:
                # a body deadline the task table records, as in the seeds: no warning
                text += f"- Gửi báo cáo kết quả về {self.reg.names[self.h.issuer]} {self.before_deadlines[0].lower()}.\n"
            organisation.append({"number": str(j + 1), "heading": self.reg.names[unit], "text": text})
        return [
            {"number": "II", "heading": "NỘI DUNG THỰC HIỆN", "sections": content},
            {"number": "III", "heading": "TỔ CHỨC THỰC HIỆN", "sections": organisation},
        ]

    def phases_and_anniversaries(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        r = self.rng
        if r.random() < 0.4:
            return [], []
        picked = r.sample(ANNIVERSARIES, r.randrange(1, 4))
        anniversaries = []
        for aid, name, d, m, ey in picked:
            y = self.h.year + (1 if self.h.school and m < 9 else 0)
            anniversaries.append(
                {"id": aid, "name": name, "years": y - ey, "event": _d(ey, m, d), "date": _d(y, m, d)}
            )
        cut = sorted(r.sample(range(1, len(self.months)), 2))
        bounds = [0, *cut, len(self.months)]
        phases = []
        for n in range(3):
            y1, m1 = self.months[bounds[n]]
            y2, m2 = self.months[bounds[n + 1] - 1]
            phase: dict[str, Any] = {
                "id": f"dot-{n + 1}",
                "label": f"Đợt {n + 1}",
                "when": f"Từ {_d(y1, m1, 1)} đến {_d(y2, m2, 28)}",
                "focus": f"Thi đua {r.choice(OBJECTS)}.",
            }
            if n == 0:
                phase["anniversaries"] = [a["id"] for a in anniversaries]
            phases.append(phase)
        return phases, anniversaries

    def plan(self) -> dict[str, Any]:
        r = self.rng
        h = self.h
        reg = self.reg
        when = f"năm học {h.year}-{h.year + 1}" if h.school else f"năm {h.year}"
        tasks = self.tasks()  # before sections: they quote the task table's deadlines
        phases, anniversaries = self.phases_and_anniversaries()
        issuers = [h.issuer]
        if h.issuer_kind == "so" and r.random() < 0.2:
            issuers.append(h.province.cd)  # a joint plan
        positions = {"phong": "TRƯỞNG PHÒNG", "so": "GIÁM ĐỐC", "cd": "CHỦ TỊCH", "hd": "CHỦ TỊCH"}[h.issuer_kind]
        signer: dict[str, Any] = {"positions": [positions], "name": self.person(), "unit": h.issuer}
        if r.random() < 0.3:
            signer = {"authority": "KT.", "on_behalf_of": positions, "positions": [f"PHÓ {positions}"], "name": self.person(), "unit": h.issuer}
        data: dict[str, Any] = {
            "id": h.id,
            "number": h.number,
            "title": f"Công tác thi đua, khen thưởng {when}",
            "issuers": issuers,
            "place": h.province.name,
            "issued": _d(*h.issued),
            "period": self.period(),
            "updated": _d(*h.issued),
            "preamble": (
                f"Thực hiện các văn bản chỉ đạo của cấp trên về công tác thi đua, khen thưởng {when}; "
                f"{reg.names[h.issuer]} xây dựng Kế hoạch với các nội dung cụ thể như sau:\n"
            ),
            "bases": self.bases(),
            "purpose": self.bullets(r.randrange(2, 4)),
            "requirements": self.bullets(r.randrange(1, 3)),
            "sections": self.sections(),
            "closing": f"Trên đây là Kế hoạch công tác thi đua, khen thưởng {when} của {reg.names[h.issuer]}.\n",
            "movements": r.sample(reg.movement_ids, r.randrange(2, 6)),
            "phases": phases,
            "tasks": tasks,
            "targets": [
                {"text": f"{v}% đơn vị đăng ký thi đua và ký giao ước thi đua", "value": v, "unit": "%", "comparator": ">="}
                for v in r.sample([80, 90, 95, 100], r.randrange(0, 3))
            ],
            "anniversaries": anniversaries,
            "recipients": [f"{reg.names[h.province.so]} (để b/c)", "Các đơn vị trực thuộc (để t/h)", "Lưu: VT."],
            "signers": [signer],
        }
        return {key: value for key, value in data.items() if value != []}


# ---- writing ------------------------------------------------------------------------------------


class _YamlDumper(_Dumper):  # type: ignore[misc, valid-type]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # multi-line text as a literal block, the way editors write it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_YamlDumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=110, indent=2)


def plan_data(k: int, reg: Registry | None = None) -> dict[str, Any]:
    return PlanWriter(k, reg or make_registry()).plan()


def generate(dest: Path, n: int, site: bool = True) -> Path:
    """Write a project of n plans into dest (which must not exist or be empty); return dest.

    With site=False only plans/ is written (for YAML reading measurements).
    """
    dest.mkdir(parents=True, exist_ok=True)
    if site:
        shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
        shutil.copytree(REPO / "content", dest / "content")
        shutil.copytree(REPO / "site_templates", dest / "site_templates")
    reg = make_registry()
    registry_dir = dest / "plans" / "_registry"
    registry_dir.mkdir(parents=True)
    header_line = "# Synthetic registry (benchmarks/synth.py): not real units.\n"
    (registry_dir / "units.yaml").write_text(header_line + dump({"units": reg.units}), encoding="utf-8")
    (registry_dir / "movements.yaml").write_text(header_line + dump({"movements": reg.movements}), encoding="utf-8")
    for k in range(n):
        data = plan_data(k, reg)
        year = data["id"][:4]
        path = dest / "plans" / year / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
    if site:
        write_ledger(dest)
    return dest


def write_ledger(root: Path) -> None:
    """What `planpub calendar` does: the build refuses a project whose calendar ledger is stale."""
    try:
        from generator import ledger
        from generator.feeds import schedule
    except ImportError:  # a planpub without calendar feeds
        return
    from generator.corpus import load_project

    entries, _ = ledger.update({}, schedule(load_project(root)).current())
    ledger.write(root, entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic planpub project of N plans.")
    parser.add_argument("n", type=int, help="number of plans")
    parser.add_argument("dest", type=Path, help="project directory to create")
    args = parser.parse_args(argv)
    if args.dest.exists() and any(args.dest.iterdir()):
        parser.error(f"{args.dest} is not empty")
    generate(args.dest, args.n)
    print(f"{args.n} plans written to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
