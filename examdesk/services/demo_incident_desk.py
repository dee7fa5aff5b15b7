"""Demo work on the commission's desk, so the Incidenten screen shows its range on first start:
incidents in every status, decisions (one revised), reclassifications (one to a bijzonderheid), a
doubtful case referred back by the Inspectie, an open report, an Inspectie retake and resits — all
through the services.

Runs after the sessions demo; adds one more closed central session with incidents for the Inspectie.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.casework import HearingInput, SecondLogin
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter, IncidentRow
from examdesk.domain.register import school_year_of
from examdesk.domain.sessions import IncidentInput, PlanDraft
from examdesk.services.candidates import CandidateService
from examdesk.services.casework import CaseworkService
from examdesk.services.context import AppContext
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService


def _at(on: date, hh: int, mm: int) -> datetime:
    return datetime.combine(on, time(hh, mm), tzinfo=AMSTERDAM)


def _central_session_with_inspectie_incidents(store: Store, today: date) -> None:
    """Rekenen 2F ten days ago: unsupervised room, a platform 'outage' that was staff error, a frozen pc
    moved to a wrong exam, and a suspected leak — the cases the Inspectie must hear of."""
    bureau = AppContext(store, by_username(store, "bureau"))
    day = today - timedelta(days=10)
    room = next(r for r in LocationService(bureau).rooms() if r.name == "L1.12")
    group = [c.id for c in CandidateService(bureau).search(crebo="25180")][:6]
    runner = by_username(store, "e.sahin")
    planner = SessionService(bureau)
    draft = PlanDraft(
        exam_kind="centraal", session_date=day, start=time(9, 0), duration_minutes=90, room_id=room.id,
        late_limit_minutes=30, central_exam="Rek2F", variant="A", period=f"{school_year_of(day)} periode 2",
        invigilator_ids=(runner.id,), candidates=tuple((c, None) for c in group))
    plan = planner.plan(draft, confirmed=planner.check_plan(draft))
    run = SessionModeService(AppContext(store, runner), plan.id)
    run.record_receipt("Elif Şahin-Bos", True, "", _at(day, 8, 45))
    run.mark_present(group, True, _at(day, 8, 55))
    run.start(_at(day, 9, 0))
    run.log_incident(IncidentInput(
        "TOEZICHT", _at(day, 9, 25), all_candidates=True, duration_minutes=20,
        what_happened="Surveillant werd weggeroepen voor een onwelwording op de gang; het lokaal was twintig "
                      "minuten zonder toezicht.",
        what_was_done="Na terugkomst gecontroleerd op telefoons; niets gevonden. Examencommissie ingelicht."))
    run.log_incident(IncidentInput(
        "PLATFORM_STORING", _at(day, 9, 50), candidate_ids=(group[1],), duration_minutes=5,
        what_happened="Kandidaat meldde dat de rekenmachine in Facet niet werkte.",
        what_was_done="Surveillant opende de rekenmachine-app van Windows voor de kandidaat."))
    run.log_incident(IncidentInput(
        "WERKPLEK_VAST", _at(day, 10, 5), candidate_ids=(group[3],), duration_minutes=10,
        what_happened="Pc van de kandidaat liep vast en startte niet meer.",
        what_was_done="Kandidaat verder laten werken op een reservepc."))
    leak = run.log_incident(IncidentInput(
        "GEHEIMHOUDING", _at(day, 10, 20), candidate_ids=(group[4],),
        what_happened="Kandidaat zegt dat er opgaven in een groepsapp stonden.",
        what_was_done="Kandidaat mocht het examen afmaken; telefoonnummer van de groepsbeheerder genoteerd."))
    run.correct_incident(leak.id, IncidentInput(
        "GEHEIMHOUDING", _at(day, 10, 20), candidate_ids=(group[4], group[5]),
        what_happened="Twee kandidaten zeggen dat er de avond ervoor foto's van opgaven in een groepsapp stonden.",
        what_was_done="Kandidaten mochten het examen afmaken; schermafdruk van de groepsapp bewaard."))
    run.close(_at(day, 10, 45))


def populate_demo(store: Store) -> None:
    from examdesk.services.demo import DEMO_PASSWORD

    commission = AppContext(store, by_username(store, "commissie"))
    chair = by_username(store, "h.jansen")
    today = commission.clock().date()
    _central_session_with_inspectie_incidents(store, today)

    desk = IncidentDeskService(commission)
    rows = desk.page(IncidentFilter(), 0, 100, sort="tijd", descending=False)

    def find(category: str, exam: str | None = None) -> IncidentRow:
        return next(r for r in rows if r.recorded_category == category and (exam is None or r.session_title == exam))

    members = (commission.user.id, chair.id)

    def on(row: IncidentRow, days_after: int) -> date:
        return min(row.occurred_at.date() + timedelta(days=days_after), today)

    def involved(row: IncidentRow) -> tuple[int, ...]:
        return tuple(c.candidate_id for c in desk.case(row.incident_id).candidates)

    # afgesloten: the platform 'outage' a week ago was resolved after eight minutes and the sitting went on —
    # not point 7 (a complete sitting broken off) but a bijzonderheid on the procesverbaal (point 11c)
    outage = find("PLATFORM_STORING", "Nederlands 3F")
    desk.reclassify(outage.incident_id, "ONDERBREKING",
                    "Facet was na acht minuten weer bereikbaar en de zitting ging door; de verloren tijd is erbij "
                    "gegeven. Geen complete zitting afgebroken (punt 7), wel een bijzonderheid (punt 11c).")
    desk.close(outage.incident_id, "Bijzonderheid op het procesverbaal; geen besluit nodig.")

    # besloten: the candidate taken ill — voided, resit (the examenbureau sees it when planning)
    unwell = find("ONWEL")
    desk.decide(unwell.incident_id, DecisionInput(
        involved(unwell), on(unwell, 1), members, measures=("ongeldig_opnieuw",),
        reasoning="De kandidaat kon door onwelwording het examen niet afmaken; voortzetten later op de dag was niet "
                  "mogelijk (punt 17).", heard=True, heard_on=on(unwell, 1)))

    # besloten with a revision: the phone under the table (institution exam) — heard first, decided by two
    # members each with their own login (issue 13)
    fraud = find("FRAUDE_KANDIDAAT")
    second = (SecondLogin("h.jansen", DEMO_PASSWORD),)
    CaseworkService(commission).record_hearing(fraud.incident_id, HearingInput(
        involved(fraud)[0], on(fraud, 0), "mondeling", "gehoord", on(fraud, 1), (commission.user.full_name,),
        "Ik had mijn telefoon in mijn broekzak en hij viel eruit toen ik ging zitten. Ik heb er niet op gekeken."))
    first = desk.decide(fraud.incident_id, DecisionInput(
        involved(fraud), on(fraud, 1), members, measures=("cijfer_1",),
        reasoning="Telefoon met het scherm aan onder de tafel; het gebruik van een niet toegestaan hulpmiddel is "
                  "vastgesteld."), second)[0]
    desk.revise(first.id, DecisionInput(
        involved(fraud), on(fraud, 2), members, measures=("ongeldig",),
        reasoning="Na het horen van de surveillant: de telefoon is gezien maar niet aantoonbaar gebruikt. Het "
                  "examen wordt ongeldig verklaard; de kandidaat legt het opnieuw af.",
        revision_reason="Nieuwe verklaring van de surveillant."), second)

    # in behandeling: the latecomer refused after the admission limit, without a valid reason so far — not a
    # late arrival within the limit (a bijzonderheid) but an absence without valid reason (point 8)
    late = find("TE_LAAT")
    desk.reclassify(late.incident_id, "AFWEZIG_ZONDER",
                    "Na de toelatingsgrens geweigerd; de kandidaat heeft geen geldige reden gemeld.")

    # The Rekenen 2F session for the Inspectie
    rek = "Rekenen 2F"
    supervision = find("TOEZICHT", rek)
    desk.record_report(supervision.incident_id, on(supervision, 1), "EC-2026-027", commission.user.id)
    ids = involved(supervision)
    desk.record_answer(supervision.incident_id, "opnieuw_afnemen", on(supervision, 6), "INSP-MBO-2026-0412",
                       scope="geheel", candidate_ids=ids[:3],
                       remark="De Inspectie verklaart het werk van drie kandidaten bij de deur ongeldig.")

    staff = find("PLATFORM_STORING", rek)
    desk.reclassify(staff.incident_id, "HULPMIDDEL_PERSONEEL",
                    "Geen storing: de surveillant stond een rekenmachine-app toe die niet is toegestaan.")

    moved = find("WERKPLEK_VAST", rek)
    desk.mark_doubtful(moved.incident_id, "Op de reservepc stond een ander examen open; onduidelijk of de kandidaat "
                                          "dat heeft gezien.")
    desk.record_report(moved.incident_id, on(moved, 2), "EC-2026-029", chair.id)
    desk.record_answer(moved.incident_id, "terugverwezen", on(moved, 5), "INSP-MBO-2026-0398",
                       remark="Afhandelen als individuele overmacht (punt 6).")
    desk.decide(moved.incident_id, DecisionInput(
        involved(moved), on(moved, 6), members, measures=("ongeldig_opnieuw",), retake_scope="gedeeltelijk",
        reasoning="De kandidaat verloor tien minuten en werkte verder op een andere pc; het deel na de storing "
                  "wordt opnieuw afgenomen."))
    desk.close(moved.incident_id)

    leak = find("GEHEIMHOUDING", rek)
    CaseworkService(commission).attach(leak.incident_id, "groepsapp-schermafdruk.png", _screenshot(),
                                       "Schermafdruk van de groepsapp, door de kandidaat getoond en bewaard.")
    desk.record_report(leak.incident_id, on(leak, 8), "EC-2026-033", commission.user.id,
                       "Schermafdruk van de groepsapp meegestuurd.")


def _screenshot() -> bytes:
    """A small grey PNG standing in for the screenshot of the group chat (made here: the demo ships no files)."""
    import struct
    import zlib

    width, height = 48, 80
    rows = b"".join(b"\x00" + bytes((230 if (y // 8) % 3 else 120, 230, 230) * width) for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
