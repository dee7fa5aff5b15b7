"""Demo, last step: two planned sessions whose instrument is not valid on their date, so the flags on
Afnames and the Overzicht have something to show — one *onder voorbehoud* (the school replaced an
assignment and the commission has yet to adopt it again, so no session package can be made yet), one
whose instrument was withdrawn after it was planned. It runs after the other demo steps so their
records stay exactly as they were."""

from __future__ import annotations

from datetime import time, timedelta

from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.sessions import PlanDraft
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.register import RegisterService
from examdesk.services.sessions import LocationService, SessionService


def populate_demo(store: Store) -> None:
    bureau = AppContext(store, by_username(store, "bureau"))
    today = bureau.clock().date()
    rooms = {r.name: r.id for r in LocationService(bureau).rooms()}
    people = CandidateService(bureau)
    register = RegisterService(bureau)
    instruments = {i.code: i for i in register.list_instruments()}
    planner = SessionService(bureau)
    for code, crebo, days, start, minutes, room, invigilator, count in (
            ("VPK-PVB-K3", "25480", 21, time(9, 30), 120, "L1.12", "e.sahin", 6),
            ("VIG-PVB-K2", "25491", 14, time(9, 0), 180, "A0.05", "l.vandijk", 4)):
        candidates = [c.id for c in people.search(crebo=crebo)][:count]
        draft = PlanDraft(exam_kind="instelling", session_date=today + timedelta(days=days), start=start,
                          duration_minutes=minutes, room_id=rooms[room], late_limit_minutes=15,
                          instrument_id=instruments[code].id, invigilator_ids=(by_username(store, invigilator).id,),
                          candidates=tuple((c, None) for c in candidates))
        planner.plan(draft, confirmed=planner.check_plan(draft))
    register.withdraw(instruments["VIG-PVB-K2"].id, "De leverancier heeft de proeve vervangen door een nieuwe versie; "
                                                    "ingetrokken nadat de afname al was gepland")
