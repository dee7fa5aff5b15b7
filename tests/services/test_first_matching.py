"""`first_matching`: the Rapporten screen's subject lists read page by page, newest first, until enough choices are
found (issue 10), and no more rows than asked for when nothing is typed (issue 16: the newest subject, chosen as
Rapporten opens, read one session rather than a page of 200 labelled ones)."""

from __future__ import annotations

from examdesk.services.doc_support import first_matching

ROWS = [(f"s{i}", f"Nederlands 2F sessie {i}") for i in range(1000)]


def _fetching(rows):
    asked: list[tuple[int, int]] = []

    def fetch(offset: int, count: int):
        asked.append((offset, count))
        return rows[offset:offset + count]

    return fetch, asked


def test_nothing_typed_reads_only_the_rows_asked_for():
    fetch, asked = _fetching(ROWS)
    assert first_matching(fetch, "", 1) == [ROWS[0]]
    assert asked == [(0, 1)]
    fetch, asked = _fetching(ROWS)
    assert first_matching(fetch, "  ", 3) == ROWS[:3]
    assert asked == [(0, 3)]


def test_rows_that_are_no_choice_are_read_past_until_enough_are_found():
    rows = [None, None, *ROWS]
    fetch, asked = _fetching(rows)
    assert first_matching(fetch, "", 2) == ROWS[:2]
    assert asked == [(0, 2), (2, 2)]


def test_typed_text_reads_pages_until_enough_match_and_no_further():
    fetch, asked = _fetching(ROWS)
    found = first_matching(fetch, "sessie 999", 5)
    assert found == [ROWS[999]]
    assert asked == [(0, 200), (200, 200), (400, 200), (600, 200), (800, 200), (1000, 200)]   # the end: a short page
    fetch, asked = _fetching(ROWS)
    assert len(first_matching(fetch, "nederlands", 50)) == 50 and asked == [(0, 200)]
