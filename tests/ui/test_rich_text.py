"""Composed sentences laid out as rich text: what people typed is escaped, tones become the house colours."""

from __future__ import annotations

from examdesk.services.view_text import Span, Tone, muted, text
from examdesk.ui.rich_text import line_html, table_html
from examdesk.ui.style import MUTED, WARN


def test_what_people_typed_is_escaped_and_tones_are_coloured():
    html = line_html((Span("<b>Şahin</b> & co", Tone.WARN, bold=True), muted(" · 12:00")))
    assert "&lt;b&gt;Şahin&lt;/b&gt; &amp; co" in html and "<b>" not in html
    assert f"color:{WARN}; font-weight:bold" in html and f"color:{MUTED}" in html


def test_a_fact_sheet_puts_label_and_value_side_by_side():
    html = table_html([("Route", [(text("route 1"),)]), ("<Leverancier>", [(text("a"),), (text("b"),)])])
    assert html.count("<tr>") == 2 and "&lt;Leverancier&gt;" in html and "a<br>b" in html
