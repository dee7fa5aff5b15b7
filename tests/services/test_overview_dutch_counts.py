"""The Overzicht's counts as a Dutch reader reads them: '1.234 gepland na vandaag', not '1234' — a large school
plans more than a thousand sessions ahead. The card's year and the sessions' ids are left as they are."""

from __future__ import annotations

from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionStatus
from examdesk.services import sessions


def test_a_card_line_of_more_than_a_thousand_groups_its_thousands_with_a_dot(store, ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    today = ctx.clock().date().isoformat()
    planned = store.query_one("SELECT id FROM sessions WHERE status = ? AND session_date > ? LIMIT 1",
                              (SessionStatus.GEPLAND, today))[0]
    already = store.query_one("SELECT count(*) FROM sessions WHERE status = ? AND session_date > ?",
                              (SessionStatus.GEPLAND, today))[0]
    columns = [r[1] for r in store.query("PRAGMA table_info(sessions)")]
    others = ", ".join(c for c in columns if c != "id")
    with store.transaction():
        store.conn.execute("CREATE TEMP TABLE copies AS SELECT * FROM sessions WHERE id = ?", (planned,))
        for n in range(1234 - already):
            store.conn.execute(f"INSERT INTO sessions (id, {others}) SELECT ?, {others} FROM copies",
                               (f"kopie-{n:05d}",))
    card = sessions.overview_card(ctx)
    assert card is not None
    assert "1.234 gepland na vandaag" in [line.text for line in card.lines]
