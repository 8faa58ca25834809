"""fold() through its character table is exactly the NFD-without-marks definition, for any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.slug import fold, slugify


def reference(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


@given(st.text())
def test_fold_is_nfd_without_combining_marks(text):
    assert fold(text) == reference(text)


@given(st.text(alphabet=st.sampled_from("aăâeêioôơuưyAĂÂĐđ\u0300\u0301\u0303\u0309\u0323\u0344ΣσςİI ")))
def test_fold_of_marks_on_their_own_and_case_rules(text):
    assert fold(text) == reference(text)


def test_vietnamese():
    assert fold("Đổi mới Giáo dục ĐÀO TẠO") == "doi moi giao duc dao tao"
    assert slugify("Kế hoạch số 15/KH-PGDĐT") == "ke-hoach-so-15-kh-pgddt"
