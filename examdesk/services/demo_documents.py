"""Demo material for the official documents: one closed central exam (Nederlands 3F, twelve days ago)
whose record has everything a procesverbaal and an Inspectie form must show — a candidate unwell and
kept in quarantine, a latecomer admitted and one refused, more exam time than allowed (reported to
the Inspectie, which orders a partial retake), noise with a pause, a frozen workstation, and a
correction after the session was closed, made by the commission with its reason."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from examdesk.data.db import Store
from examdesk.data.sessions import candidate_by_number, location_by_name, room_by_name
from examdesk.data.users import by_username
from examdesk.domain.casework import HearingInput, SecondLogin
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.register import school_year_of
from examdesk.domain.sessions import IncidentInput, PlanDraft
from examdesk.services.casework import CaseworkService
from examdesk.services.context import AppContext
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import SessionService

# studentnummers of the demo candidates (demo_sessions: 2024000 + 137 n + 11) with non-ASCII names first
_NUMBERS = [2024000 + 137 * n + 11 for n in (15, 4, 5, 14, 34, 38, 22, 47, 51, 30, 31, 32, 35, 36, 37, 39)]


def populate_demo(store: Store) -> None:
    bureau = AppContext(store, by_username(store, "bureau"))
    location = location_by_name(store, "Gouda, Bodegraafsestraatweg")
    if location is None:
        return
    room = room_by_name(store, location.id, "B2.16")
    found = [candidate_by_number(store, str(n)) for n in _NUMBERS]
    ids = [c.id for c in found if c is not None]
    if room is None or len(ids) < 12:
        return
    day = bureau.clock().date() - timedelta(days=12)
    invigilators = (by_username(store, "surveillant"), by_username(store, "e.sahin"))
    planner = SessionService(bureau)
    draft = PlanDraft(
        exam_kind="centraal", session_date=day, start=time(9, 0), duration_minutes=120, room_id=room.id,
        late_limit_minutes=30, central_exam="Ned3F", variant="A", period=f"{school_year_of(day)} periode 2",
        invigilator_ids=tuple(u.id for u in invigilators if u), candidates=tuple((c, None) for c in ids))
    plan = planner.plan(draft, confirmed=planner.check_plan(draft))
    _run(store, plan.id, day, ids)


def _run(store: Store, session_id: str, day: date, ids: list[int]) -> None:
    def at(hh: int, mm: int) -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=AMSTERDAM)

    run = SessionModeService(AppContext(store, by_username(store, "surveillant")), session_id)
    unwell, lukasz, nguyen, kerem, dragan, oguz = ids[:6]
    run.record_receipt("Jan Bakker", True, "Verzegelde envelop met inloggegevens, zegel ongeschonden", at(8, 35))
    run.mark_present(ids[:13], True, at(8, 50))
    run.mark_absent(ids[15], True, "Ziek gemeld bij het examenbureau (telefonisch, 08:10)", at(8, 55))
    run.start(at(9, 0))
    run.late_arrival(ids[13], at(9, 18))
    run.late_arrival(ids[14], at(9, 41))
    run.log_incident(IncidentInput("TE_LAAT", at(9, 41), candidate_ids=(ids[14],),
                                   what_happened="Kandidaat kwam 41 minuten na de start; de grens is 30 minuten.",
                                   what_was_done="Niet toegelaten; doorverwezen naar het examenbureau."))
    run.log_incident(IncidentInput("ONWEL", at(9, 25), candidate_ids=(unwell,),
                                   what_happened="Kandidaat werd duizelig en verliet met de surveillant het lokaal.",
                                   what_was_done="In quarantaine gehouden in A0.05 met de BHV'er erbij; "
                                                 "examencommissie (M. de Vries) akkoord met voortzetten."))
    run.set_candidate_status(unwell, "aanwezig", "Na quarantaine voortgezet; verloren tijd volgens besluit",
                             at(10, 5))
    extra_time = run.log_incident(IncidentInput(
        "TE_VEEL_TIJD", at(9, 50), candidate_ids=(lukasz, nguyen),
        what_happened="Bij twee kandidaten stond in Facet 30 minuten extra tijd ingesteld waar zij 0 minuten "
                      "mochten hebben; ontdekt bij de controle van de eindtijden.",
        what_was_done="Instelling niet teruggedraaid tijdens het examen; examencommissie direct ingelicht."))
    pause = run.pause(None, "Boorwerkzaamheden in het lokaal ernaast", at(10, 20))
    run.log_incident(IncidentInput("GELUIDSOVERLAST", at(10, 20), all_candidates=True, duration_minutes=7,
                                   what_happened="Harde boorgeluiden uit B2.18.",
                                   what_was_done="Examen gepauzeerd tot de werkzaamheden waren gestopt."))
    run.resume([pause.id], at(10, 27))
    frozen = run.log_incident(IncidentInput(
        "WERKPLEK_VAST", at(10, 35), candidate_ids=(dragan,), duration_minutes=6,
        what_happened="Pc van de kandidaat liep vast en startte na 6 minuten opnieuw op.",
        what_was_done="Examen ging verder waar het was; 6 minuten verloren."))
    wrong = run.log_incident(IncidentInput("FRAUDE_KANDIDAAT", at(10, 50), candidate_ids=(kerem,),
                                           what_happened="Briefje met aantekeningen op de tafel gevonden.",
                                           what_was_done="Briefje ingenomen; kandidaat mocht verder (punt 8E)."))
    run.set_candidate_status(dragan, "ingeleverd", "", at(10, 58))
    run.remark("Kandidaat op pc 09 vroeg om een extra kladblaadje; gegeven en na afloop ingenomen.", at(11, 0))
    run.close(at(11, 40))
    # After closing the invigilator finds the note was on the neighbour's table: a correction after closing is
    # the commission's, with its reason (it stands on the procesverbaal beside what it corrects).
    correction = IncidentInput(
        "FRAUDE_KANDIDAAT", at(10, 50), candidate_ids=(oguz,),
        what_happened="Briefje met aantekeningen op de tafel gevonden (tafel van pc 06, niet pc 04).",
        what_was_done="Briefje ingenomen; kandidaat mocht verder (punt 8E).")
    _desk(store, day, wrong.id, extra_time.id, oguz, unwell, (lukasz, nguyen), correction)
    # The pc that restarted after six minutes is no point-6 irregularity ("niet meer herstart kunnen worden"):
    # the commission withdraws the incident with its reason; the lost time stays in the record.
    commission = IncidentDeskService(AppContext(store, by_username(store, "commissie")))
    commission.withdraw(commission.incident_id_of(frozen.id),
                        "De pc startte na zes minuten weer op en het examen ging verder waar het was; de verloren "
                        "tijd is erbij gegeven. Geen onregelmatigheid van punt 6.")


def _desk(store: Store, day: date, fraud_event: str, inspectie_event: str, oguz: int, unwell: int,
          retake: tuple[int, ...], correction: IncidentInput) -> None:
    """The commission's follow-up: the invigilator's correction after closing, made by the commission with
    its reason; a decision under point 8 (grade 1), a decision without a measure under point 6, and the
    extra time reported to the Inspectie, which orders a partial retake."""
    commission = AppContext(store, by_username(store, "commissie"))
    desk = IncidentDeskService(commission)
    members = tuple(u.id for u in (by_username(store, "commissie"), by_username(store, "h.jansen")) if u)
    fraud = desk.incident_id_of(fraud_event)
    desk.correct(fraud, correction, "De surveillant meldde na afloop dat het briefje op de tafel van pc 06 lag, "
                                    "niet op die van pc 04.")
    from examdesk.services.demo import DEMO_PASSWORD

    CaseworkService(commission).record_hearing(fraud, HearingInput(
        oguz, day + timedelta(days=1), "email", "gehoord", day + timedelta(days=2), (commission.user.full_name,),
        "Ik had het briefje in mijn etui laten zitten van het oefenen. Ik heb het meegenomen, maar ik heb er tijdens "
        "het examen niet op gekeken."))
    desk.decide(fraud, DecisionInput(
        candidate_ids=(oguz,), decided_on=day + timedelta(days=3), member_ids=members, measures=("cijfer_1",),
        reasoning="Op de tafel van de kandidaat lag tijdens het examen een briefje met aantekeningen over de stof; "
                  "de kandidaat erkende het briefje te hebben meegenomen. Dat is het gebruik van een niet toegestaan "
                  "hulpmiddel."), (SecondLogin("h.jansen", DEMO_PASSWORD),))
    unwell_incident = next(r.incident_id for r in desk.page(IncidentFilter(category="ONWEL"), 0, 50)
                  if r.session_date == day)
    desk.decide(unwell_incident, DecisionInput(
        candidate_ids=(unwell,), decided_on=day + timedelta(days=1), member_ids=members,
        no_measure_reason="De kandidaat heeft het examen na quarantaine dezelfde dag afgemaakt (punt 17).",
        reasoning="Geen reden om de afname ongeldig te verklaren: de kandidaat bleef onder toezicht in quarantaine.",
        heard=False))
    inspectie = desk.incident_id_of(inspectie_event)
    desk.record_report(inspectie, day + timedelta(days=1), "ROC-MH/2026/017", members[0],
                       "Aanvraagformulier met schermafdruk van de Facet-instellingen verzonden")
    desk.record_answer(inspectie, "opnieuw_afnemen", day + timedelta(days=6), "IvhO-MBO-2026-0412", "gedeeltelijk",
                       retake, "Variant A opnieuw voor de betrokken kandidaten")
