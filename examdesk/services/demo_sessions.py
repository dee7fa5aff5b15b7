"""Demo locations, rooms, candidates and sessions in every state — closed, running today, planned —
with attendance, disruptions and incidents of many categories, all recorded through the services.
Afnameperiodes around today (fictional: the real ones come from the Examenblad) are entered first, so
the demo's central exams fall inside one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.candidates import Candidate
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.exam_periods import EXAM_NAMES, ExamWindow
from examdesk.domain.register import school_year_bounds, school_year_of
from examdesk.domain.sessions import IncidentInput, PlanDraft
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.exam_periods import ExamPeriodService
from examdesk.services.register import RegisterService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService

LOCATIONS = [
    ("Gouda, Bodegraafsestraatweg", "Bodegraafsestraatweg 3, 2805 GR Gouda",
     [("B2.14", 24), ("B2.16", 20), ("A0.05", 4)]),
    ("Alphen aan den Rijn, Zilverstraat", "Zilverstraat 8, 2401 BN Alphen aan den Rijn",
     [("L1.10", 16), ("L1.12", 18)]),
]

# (first name, prefix, last name)
NAMES = [
    ("Anouk", "", "Jansen"), ("Loïs", "van den", "Berg"), ("Noël", "", "Daoudi"), ("Elif", "", "Şahin"),
    ("Łukasz", "", "Wójcik"), ("Thi Mai", "", "Nguyễn"), ("Daan", "de", "Vries"), ("Sanne", "", "Bakker"),
    ("Mohammed", "", "El Idrissi"), ("Fleur", "van", "Dijk"), ("Bram", "", "Visser"), ("Yasmina", "", "Boukhari"),
    ("Jesse", "", "Smit"), ("Lotte", "", "Meijer"), ("Kerem", "", "Yılmaz"), ("Iris", "", "Mulder"),
    ("Sven", "de", "Boer"), ("Amira", "", "Haddou"), ("Ruben", "", "Bos"), ("Zoë", "", "Vos"),
    ("Milan", "", "Peters"), ("Chloë", "", "Hendriks"), ("Ahmet", "", "Doğan"), ("Eva", "van", "Leeuwen"),
    ("Luuk", "", "Dekker"), ("Priya", "", "Ramdin"), ("Thijs", "", "Brouwer"), ("Nina", "de", "Wit"),
    ("Mateusz", "", "Kowalski"), ("Julia", "", "Dijkstra"), ("Stijn", "", "Smits"), ("Hanna", "", "Tesfaye"),
    ("Gijs", "de", "Graaf"), ("Maud", "van der", "Meer"), ("Dragan", "", "Jovanović"), ("Roos", "", "Kok"),
    ("Jayden", "", "Martina"), ("Femke", "", "Jacobs"), ("Oğuz", "", "Çelik"), ("Lieke", "van", "Beek"),
    ("Tim", "", "Verbeek"), ("Sara", "", "Amrani"), ("Koen", "van", "Wijk"), ("Esmée", "", "Koster"),
    ("Rania", "", "Al-Masri"), ("Wouter", "", "Prins"), ("Mila", "", "Huisman"), ("Ferhat", "", "Aydın"),
    ("Bo", "", "Kuipers"), ("Dewi", "", "Sardjoe"), ("Siem", "van", "Vliet"), ("Aïcha", "", "Benali"),
    ("Jonas", "", "Schouten"), ("Vera", "", "Postma"), ("Tomás", "", "Ferreira"), ("Ilse", "", "Kramer"),
    ("Hamza", "", "Ouali"), ("Marit", "van", "Rijn"), ("Bilal", "", "Chaouch"), ("Quinty", "", "Groen"),
]

# crebo per block of candidates; ISK and Onderwijsroute take Entree, vmbo one of them
CREBOS = ["25480"] * 16 + ["25491"] * 12 + ["25192"] * 12 + ["25180"] * 8 + ["25254"] * 8 + ["25251"] * 4


def _candidates(today: date) -> list[Candidate]:
    result = []
    for n, (first, prefix, last) in enumerate(NAMES):
        crebo = CREBOS[n]
        group = "regulier"
        if n in (48, 49, 50):
            group = "isk"
        elif n in (51, 52):
            group = "onderwijsroute"
        elif n == 53:
            group = "vmbo"
        elif n in (20, 33):
            group = "extraneus"
        age_days = 365 * (16 + n % 9) + 40 * (n % 7) + 11
        extra, reason, facilities, other = 0, "", (), ""
        if n in (1, 4, 12, 19, 27, 38, 44, 55):
            extra = 30
        if n == 1:
            facilities = ("vergroting",)
        if n == 12:
            facilities = ("voorleessoftware",)
        if n == 19:
            facilities = ("aparte_ruimte", "pauze")
        if n == 27:
            extra, reason = 45, "Dyslexie en dyscalculie; besluit examencommissie EC-2025-044 (alleen instellingsexamens)"
        if n == 44:
            facilities, other = ("overig",), "koptelefoon tegen geluid"
        result.append(Candidate(
            student_number=f"{2024000 + 137 * n + 11}", last_name=last, prefix=prefix, first_name=first,
            birth_date=today - timedelta(days=age_days), crebo=crebo,
            cohort="2024" if n % 3 else "2025", target_group=group, extra_minutes=extra, extra_reason=reason,
            facilities=facilities, facility_other=other))
    return result


def populate_demo(store: Store) -> None:
    bureau = AppContext(store, by_username(store, "bureau"))
    commission = AppContext(store, by_username(store, "commissie"))
    now = bureau.clock()
    today = now.date()

    _demo_periods(bureau, today)
    places = LocationService(bureau)
    rooms: dict[str, int] = {}
    for name, address, room_list in LOCATIONS:
        location_id = places.save_location(None, name, address)
        for room_name, stations in room_list:
            rooms[room_name] = places.save_room(None, location_id, room_name, stations)

    people = CandidateService(bureau)
    saved = [people.save(c) for c in _candidates(today)]
    by_crebo: dict[str, list[int]] = {}
    for c in saved:
        by_crebo.setdefault(c.crebo, []).append(c.id)
    isk = [c.id for c in saved if c.target_group == "isk"]

    users = {u: by_username(store, u) for u in ("surveillant", "l.vandijk", "e.sahin")}
    planner = SessionService(bureau)
    instruments = {i.code: i.id for i in RegisterService(bureau).list_instruments()}

    def plan(kind: str, on: date, start: time, minutes: int, room: str, candidates: list[int],
             invigilators: tuple[str, ...], exam: str | None = None, instrument: str | None = None,
             variant: str = "", period: str = "") -> str:
        draft = PlanDraft(
            exam_kind=kind, session_date=on, start=start, duration_minutes=minutes, room_id=rooms[room],
            late_limit_minutes=30 if kind == "centraal" else 15, central_exam=exam,
            instrument_id=instruments[instrument] if instrument else None, variant=variant, period=period,
            invigilator_ids=tuple(users[u].id for u in invigilators), candidates=tuple((c, None) for c in candidates))
        # the demo's planner confirms what ExamDesk warns about (sessions in the past, periods, …)
        return planner.plan(draft, confirmed=planner.check_plan(draft)).id

    def runner(username: str) -> AppContext:
        return AppContext(store, users[username])

    def at(on: date, hh: int, mm: int) -> datetime:
        return datetime.combine(on, time(hh, mm), tzinfo=AMSTERDAM)

    # 1. closed, a week ago: Nederlands 3F (central) with a platform outage and a candidate unwell
    day = today - timedelta(days=7)
    vpk = by_crebo["25480"]
    sid = plan("centraal", day, time(9, 0), 120, "B2.14", vpk[:14], ("surveillant", "l.vandijk"), exam="Ned3F",
               variant="B", period=f"{school_year_of(day)} periode 2")
    run = SessionModeService(runner("surveillant"), sid)
    run.record_receipt("Jan Bakker", True, "Inloggegevens in verzegelde envelop", at(day, 8, 40))
    run.mark_present(vpk[:12], True, at(day, 8, 52))
    run.mark_absent(vpk[13], False, "niet afgemeld", at(day, 8, 58))
    run.start(at(day, 9, 2))
    run.late_arrival(vpk[12], at(day, 9, 20))
    pause = run.pause(None, "Facet geeft bij alle kandidaten een storingsmelding", at(day, 9, 47))
    run.log_incident(IncidentInput("PLATFORM_STORING", at(day, 9, 47), all_candidates=True, duration_minutes=8,
                                   what_happened="Facet gaf bij alle kandidaten 'verbinding verbroken'.",
                                   what_was_done="Examen gepauzeerd, servicedesk gebeld; na 8 minuten hervat."))
    run.resume([pause.id], at(day, 9, 55))
    run.log_incident(IncidentInput("ONWEL", at(day, 10, 12), candidate_ids=(vpk[3],), duration_minutes=None,
                                   what_happened="Kandidaat werd misselijk en verliet het lokaal; kon niet verder.",
                                   what_was_done="Opgevangen door de BHV'er; examencommissie (M. de Vries) gebeld."))
    run.remark("Kandidaten op pc 07 en 08 klaagden over kou bij het raam.", at(day, 10, 30))
    run.close(at(day, 11, 45))

    # 2. closed, three days ago: an institution exam with suspected cheating and a refused latecomer
    day = today - timedelta(days=3)
    vig = by_crebo["25491"]
    sid = plan("instelling", day, time(13, 0), 90, "B2.16", vig[:10], ("l.vandijk",), instrument="VIG-ENG-A2")
    run = SessionModeService(runner("l.vandijk"), sid)
    run.record_receipt("Loes van Dijk", True, "", at(day, 12, 45))
    run.mark_present(vig[:8], True, at(day, 12, 55))
    run.start(at(day, 13, 0))
    run.late_arrival(vig[8], at(day, 13, 9))
    run.late_arrival(vig[9], at(day, 13, 24))
    run.log_incident(IncidentInput("TE_LAAT", at(day, 13, 24), candidate_ids=(vig[9],),
                                   what_happened="Kandidaat kwam 24 minuten na de start; de grens is 15 minuten.",
                                   what_was_done="Niet toegelaten; kandidaat naar het examenbureau verwezen."))
    run.log_incident(IncidentInput("FRAUDE_KANDIDAAT", at(day, 13, 40), candidate_ids=(vig[2],),
                                   what_happened="Telefoon met het scherm aan onder de tafel gezien.",
                                   what_was_done="Telefoon ingenomen, kandidaat mocht het examen afmaken (punt 8E)."))
    run.log_incident(IncidentInput("GELUIDSOVERLAST", at(day, 13, 50), all_candidates=True, duration_minutes=10,
                                   what_happened="Boormachine in het lokaal ernaast.",
                                   what_was_done="Conciërge gevraagd de werkzaamheden te stoppen."))
    run.set_candidate_status(vig[5], "ingeleverd", "", at(day, 14, 15))
    run.close(at(day, 14, 35))
    hidden = SessionModeService(commission, sid)
    hidden.reopen("Tijd van het fraudevermoeden controleren met de surveillant")
    run.remark("Fraudevermoeden bevestigd: telefoon gezien om 13:40, niet eerder.", at(day, 14, 35))
    run.close(at(day, 14, 35))

    # 3. running now (today): Nederlands 2F, started ~50 minutes ago, with a power cut and a frozen pc
    # late in the evening it started earlier, so it still ends today (a session cannot run past midnight)
    latest = datetime.combine(today, time(23, 59), tzinfo=AMSTERDAM) - timedelta(minutes=90)
    start = min(max(now - timedelta(minutes=50), datetime.combine(today, time(0, 5), tzinfo=AMSTERDAM)), latest)
    start = min(start, now).replace(second=0, microsecond=0)   # just after midnight: it starts now, not later
    midnight = datetime.combine(today, time(0, 0), tzinfo=AMSTERDAM)   # just after midnight: nothing before today
    group = by_crebo["25192"] + by_crebo["25180"][:4]
    sid = plan("centraal", today, start.time(), 90, "B2.14", group, ("surveillant",), exam="Ned2F", variant="A",
               period=f"{school_year_of(today)} periode 3")
    run = SessionModeService(runner("surveillant"), sid)

    def rel(minutes: int) -> datetime:
        return min(start + timedelta(minutes=minutes), now)

    run.record_receipt("Jan Bakker", True, "", max(start - timedelta(minutes=15), midnight))
    run.mark_present(group[:13], True, max(start - timedelta(minutes=5), midnight))
    run.mark_absent(group[15], True, "ziek gemeld door ouder", max(start - timedelta(minutes=3), midnight))
    run.start(start)
    run.late_arrival(group[13], rel(9))
    p = run.pause(None, "Stroomstoring in vleugel B", rel(21))
    run.log_incident(IncidentInput("STROOMSTORING", rel(21), all_candidates=True, duration_minutes=6,
                                   what_happened="Stroom viel uit in vleugel B; alle pc's uit.",
                                   what_was_done="Kandidaten bleven op hun plaats; na herstel opnieuw ingelogd."))
    run.resume([p.id], rel(27))
    frozen = run.pause([group[6]], "Werkplek vastgelopen", rel(33))
    run.log_incident(IncidentInput("WERKPLEK_VAST", rel(33), candidate_ids=(group[6],), duration_minutes=4,
                                   what_happened="Pc van de kandidaat bevroor.",
                                   what_was_done="Herstart; examen ging verder waar het was."))
    run.resume([frozen.id], rel(37))
    run.remark("Raam op de gang open gezet: het is warm in het lokaal.", rel(40))

    # 4. planned today (later) and in the coming days
    later = now + timedelta(hours=2)
    on = today if later.date() == today else today + timedelta(days=1)
    plan("instelling", on, time(later.hour, 0) if on == today else time(9, 0), 60, "L1.10",
         by_crebo["25192"][:10], ("l.vandijk",), instrument="ICT-DIG-1")
    plan("centraal", today + timedelta(days=5), time(9, 0), 120, "B2.14", vpk[:8] + vig[:6],
         ("surveillant", "e.sahin"), exam="Ned3F", variant="C", period=f"{school_year_of(today)} periode 3")
    plan("instelling", today + timedelta(days=8), time(10, 30), 60, "B2.16", by_crebo["25180"],
         ("e.sahin",), instrument="KOK-SCHR-1")
    plan("instelling", today + timedelta(days=10), time(13, 30), 45, "L1.12",
         [c.id for c in saved if c.crebo == "25254" and c.target_group == "regulier"][:3] + isk, ("l.vandijk",), instrument="ENT-LOG-FORM")
    cancelled = plan("centraal", today + timedelta(days=12), time(9, 0), 120, "A0.05", [saved[19].id],
                     ("e.sahin",), exam="Ned2F", variant="A", period=f"{school_year_of(today)} periode 3")
    planner.cancel(cancelled, "Kandidaat doet mee in de reguliere afname met aparte ruimte op een andere dag")



def _demo_periods(bureau: AppContext, today: date) -> None:
    """Periode 2 (the three weeks before today) and periode 3 (today and the three weeks after), for all
    four central exams, within the current school year."""
    year = school_year_of(today)
    first, last = school_year_bounds(year)
    spans = {2: (today - timedelta(days=21), today - timedelta(days=1)), 3: (today, today + timedelta(days=21))}
    windows = []
    for period, (start, end) in spans.items():
        start, end = max(start, first), min(end, last)
        if start <= end:
            windows += [ExamWindow(year, period, start, end, exam, None, "demo (fictief; neem de echte periodes over "
                                                                         "van het Examenblad)") for exam in EXAM_NAMES]
    ExamPeriodService(bureau).add(*windows)
