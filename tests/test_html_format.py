"""generator.text.html: Markup(template).format(...) at str.format's speed, with the same escaping."""

from hypothesis import given, strategies as st
from markupsafe import Markup

from generator.text import html

VALUES = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(), st.text().map(Markup))


@given(st.lists(VALUES, min_size=3, max_size=3))
def test_same_as_markup_format(values):
    template = '<a href="{}" title="{}">{}</a>'
    assert html(template, *values) == Markup(template).format(*values)
    assert isinstance(html(template, *values), Markup)


def test_hostile_text_is_escaped_markup_kept_numbers_formatted():
    out = html('<p class="{css}">{text} {n:.1f} {m}</p>', css='x" onload="a', text="<script>", n=2.25, m=Markup("<b>ok</b>"))
    assert out == '<p class="x&#34; onload=&#34;a">&lt;script&gt; 2.2 <b>ok</b></p>'
