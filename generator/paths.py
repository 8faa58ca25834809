"""Where each generated page lives in the docs tree (a/b.md is served at a/b/).

Entity pages sit beside their list pages (ke-hoach/<id>/, don-vi/<id>/, phong-trao/<id>/), so the
folders of the split lists take names an id may not (generator.corpus.LIST_PAGES):
ke-hoach/theo-nam/, ke-hoach/theo-co-quan/, don-vi/theo-tinh/.
"""

from __future__ import annotations

import hashlib

from generator.corpus import NO_YEAR
from generator.model import Plan
from generator.slug import slugify

PLANS_URL = "ke-hoach"
MOVEMENTS_URL = "phong-trao"
UNITS_URL = "don-vi"
DOCUMENTS_URL = "van-ban"
YEARS_URL = "nam-hoc"
FEEDS_URL = "lich"
SOURCES_URL = "van-ban-goc"  # the original documents, as published (generator/data.py)
UPDATES_URL = "cap-nhat"

PLANS_BY_YEAR = f"{PLANS_URL}/index.md"
PLANS_BY_ISSUER = f"{PLANS_URL}/theo-co-quan.md"
PLAN_YEARS_DIR = f"{PLANS_URL}/theo-nam"  # one page of plans per year key, when /ke-hoach/ is split
UNITS_INDEX = f"{UNITS_URL}/index.md"
PROVINCES_DIR = f"{UNITS_URL}/theo-tinh"  # one page of units per province, when /don-vi/ is split
MOVEMENTS_INDEX = f"{MOVEMENTS_URL}/index.md"
DOCUMENTS_INDEX = f"{DOCUMENTS_URL}/index.md"
DOCUMENT_KINDS_DIR = f"{DOCUMENTS_URL}/loai"  # one page per kind of document, when /van-ban/ is split
DOCUMENT_DIR = f"{DOCUMENTS_URL}/chi-tiet"  # one page per document cited by many plans
YEARS_INDEX = f"{YEARS_URL}/index.md"
UPDATES_PAGE = f"{UPDATES_URL}/index.md"

NO_YEAR_SEGMENT = "khong-ghi-nam"  # plans that print no year or school year
NO_DATE_SEGMENT = "khong-ghi-ngay"  # documents cited without a date
SEGMENT_MAX = 80  # a longer address segment is cut and made unique by a hash


def plan_path(plan: Plan) -> str:
    return f"{PLANS_URL}/{plan.id}.md"


def plan_url(plan: Plan) -> str:
    return f"{PLANS_URL}/{plan.id}/"


def unit_path(unit_id: str) -> str:
    return f"{UNITS_URL}/{unit_id}.md"


def movement_path(movement_id: str) -> str:
    return f"{MOVEMENTS_URL}/{movement_id}.md"


def year_path(key: str) -> str:
    return f"{YEARS_URL}/{key}.md"


def year_segment(key: str) -> str:
    """The address segment of a year key (school year, calendar year, or none)."""
    return key if key != NO_YEAR else NO_YEAR_SEGMENT


def plan_year_path(key: str) -> str:
    return f"{PLAN_YEARS_DIR}/{year_segment(key)}.md"


def province_path(province: str) -> str:
    return f"{PROVINCES_DIR}/{segment(province)}.md"


def document_kind_path(kind: str) -> str:
    return f"{DOCUMENT_KINDS_DIR}/{segment(kind)}.md"


def document_path(key: str) -> str:
    return f"{DOCUMENT_DIR}/{segment(key)}.md"


def segment(text: str) -> str:
    """An address segment for a name or a key: its slug, cut to SEGMENT_MAX characters with a
    hash of the whole when longer (keys of documents are made of their subjects)."""
    slug = slugify(text) or "khac"
    if len(slug) <= SEGMENT_MAX:
        return slug
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:SEGMENT_MAX - 9].rstrip('-')}-{digest}"
