"""Demo register: the real 2015 crebo list, fictional but realistic suppliers (one certificate
expired, one expiring within 90 days, one renewed — its earlier certificate kept — and the Coöperatie
Examens MBO, whose target-group rules apply to its products), about forty instruments across the
routes and statuses — some of them not valid today, one with replaceable assignments awaiting
re-adoption (*onder voorbehoud*), one fixed-assignment instrument changed and not valid until its
route is renewed, route-2 instruments with their bijlage-2 criteria recorded before adoption — and
route choices for the current school year with their considerations, a few kwalificaties still
missing one, one recorded late, and one commission decision to deviate from the choice. Dates are
relative to today, so the demo tells the same story whenever it is made. Everything goes through
the services, so the audit log tells it too."""

from __future__ import annotations

from datetime import date, timedelta

from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.register import Assignments, Criterion, InstrumentDraft, SupplierDraft, school_year_of
from examdesk.domain.register_import import ImportKind
from examdesk.paths import resource
from examdesk.services.context import AppContext
from examdesk.services.register import RegisterService

CREBO_LIST = ("crebolijst_hks_2015_from_BWBR0036352.csv",)

# (name, certifying authority, certificate number, certified from, certified until) in days from today
SUPPLIERS: list[tuple[str, str, str, int, int]] = [
    ("Stichting Examenzorg MBO", "Stichting Certificering Examenkwaliteit", "SCE-2024-0117", -560, 535),
    ("Examenhuis Techniek & Mobiliteit", "Stichting Certificering Examenkwaliteit", "SCE-2023-0042", -900, 195),
    ("Horeca Examenservice", "Examencertificering Nederland", "ECN-0388", -1050, 45),
    ("Logistiek Examencentrum Nederland", "Examencertificering Nederland", "ECN-0291", -1125, -30),
    ("Bouw Examens Nederland", "Stichting Certificering Examenkwaliteit", "SCE-2025-0203", -150, 945),
    ("Coöperatie Examens MBO", "Examencertificering Nederland", "ECN-0412", -400, 695),
    ("ICT Examenpartners", "Stichting Certificering Examenkwaliteit", "SCE-2024-0150", -480, 250),
]
# The certificate a supplier held before its current one (kept when the new one was entered).
EARLIER_CERTIFICATES: dict[str, tuple[str, int, int]] = {
    "Bouw Examens Nederland": ("SCE-2022-0077", -1245, -151),
}
COOPERATIVE = "Coöperatie Examens MBO"   # seed 002 applies to its products

SUPPLIER_KEYS = {"zorg": "Stichting Examenzorg MBO", "techniek": "Examenhuis Techniek & Mobiliteit",
                 "horeca": "Horeca Examenservice", "logistiek": "Logistiek Examencentrum Nederland",
                 "bouw": "Bouw Examens Nederland", "entree": COOPERATIVE, "ict": "ICT Examenpartners"}

# Instruments whose assignments the school may replace (the others have a fixed assignment).
REPLACEABLE = {"VPK-PVB-K3", "PMK-PORT-1", "VIG-PVB-K1", "TIM-PRAK-1", "ENT-DZ-PVB"}

# Route-2 concept instruments whose criteria are partly checked: code → (criteria met, one not met + why)
PARTLY_CHECKED: dict[str, tuple[tuple[Criterion, ...], tuple[Criterion, str] | None]] = {
    "ICT-PRAK-2": ((Criterion.FRAME, Criterion.INVOLVEMENT, Criterion.INDEPENDENCE),
                   (Criterion.SYSTEMATIC, "De procesbeschrijving construeren en vaststellen is nog niet "
                                          "vastgesteld door het team ICT.")),
}
CHECKED_BY = "Drs. A. (Anneke) Hoekstra, vaststeller examencommissie"

# code, title, crebo, part, kind, formative, route, supplier key, validator, story
# story: "ok" adopted; "concept"; "changed" adopted then changed; "readopted"; "provisional";
# "withdrawn"; "unvalidated" (route 3 adopted without external validation).
INSTRUMENTS: list[tuple[str, str, str, str, str, bool, int, str, str, str]] = [
    ("VIG-PVB-K1", "Proeve van bekwaamheid Verzorgende IG – zorg verlenen", "25491", "B1-K1", "pvb", False, 1, "zorg", "", "ok"),
    ("VIG-PVB-K2", "Proeve van bekwaamheid Verzorgende IG – professionaliteit", "25491", "B1-K2", "pvb", False, 1, "zorg", "", "ok"),
    ("VIG-CGI-K1", "Criteriumgericht interview verpleegtechnische handelingen", "25491", "B1-K1-W5", "cgi", False, 2, "", "", "ok"),
    ("VIG-FORM-1", "Oefenexamen zorgdossier (formatief)", "25491", "B1-K1-W2", "digitaal", True, 2, "", "", "concept"),
    ("VPK-PVB-K1", "Proeve van bekwaamheid Mbo-Verpleegkundige – verpleegkundige zorg", "25480", "B1-K1", "pvb", False, 1, "zorg", "", "ok"),
    ("VPK-PVB-K3", "Proeve van bekwaamheid Mbo-Verpleegkundige – regie en coördinatie", "25480", "P1-K1", "pvb", False, 1, "zorg", "", "provisional"),
    ("VPK-SCHR-1", "Schriftelijk examen farmacologie", "25480", "B1-K1-W4", "schriftelijk", False, 3, "", "Stichting Externe Validering MBO", "ok"),
    ("DA-PVB-K1", "Proeve van bekwaamheid Doktersassistent – praktijkvoering", "25473", "B1-K1", "pvb", False, 1, "zorg", "", "ok"),
    ("DA-CGI-K2", "Criteriumgericht interview medisch-technische handelingen", "25473", "B1-K2", "cgi", False, 2, "", "", "changed"),
    ("PMK-PVB-K1", "Proeve van bekwaamheid Pedagogisch medewerker kinderopvang", "25486", "B1-K1", "pvb", False, 2, "", "", "ok"),
    ("PMK-PORT-1", "Portfolio ontwikkelingsgericht werken", "25486", "B1-K1-W3", "portfolio", False, 2, "", "", "readopted"),
    ("PMK-PRES-2", "Presentatie activiteitenplan", "25486", "B1-K2-W1", "presentatie", False, 3, "", "", "unvalidated"),
    ("KOK-PVB-K1", "Proeve van bekwaamheid Kok – bereiden van gerechten", "25180", "B1-K1", "pvb", False, 1, "horeca", "", "ok"),
    ("KOK-PVB-K2", "Proeve van bekwaamheid Kok – mise-en-place", "25180", "B1-K2", "pvb", False, 1, "horeca", "", "ok"),
    ("KOK-SCHR-1", "Schriftelijk examen HACCP en hygiëne", "25180", "B1-K1-W1", "schriftelijk", False, 2, "", "", "ok"),
    ("ZWK-PVB-K1", "Proeve van bekwaamheid Zelfstandig werkend kok", "25182", "B1-K1", "pvb", False, 1, "horeca", "", "ok"),
    ("ZWK-PVB-K2", "Proeve van bekwaamheid menu samenstellen", "25182", "P1-K1", "pvb", False, 1, "horeca", "", "withdrawn"),
    ("ICT-PVB-K1", "Proeve van bekwaamheid Medewerker ICT – installeren en configureren", "25192", "B1-K1", "pvb", False, 1, "ict", "", "ok"),
    ("ICT-DIG-1", "Digitaal examen netwerktechniek", "25192", "B1-K1-W2", "digitaal", False, 1, "ict", "", "ok"),
    ("ICT-PRAK-2", "Praktijkexamen servicedesk", "25192", "B1-K2", "praktijk", False, 2, "", "", "concept"),
    ("AT-PVB-K1", "Proeve van bekwaamheid Autotechnicus – onderhoud", "25242", "B1-K1", "pvb", False, 1, "techniek", "", "ok"),
    ("AT-PVB-K2", "Proeve van bekwaamheid Autotechnicus – diagnose", "25242", "B1-K2", "pvb", False, 1, "techniek", "", "ok"),
    ("AT-DIG-1", "Digitaal examen voertuigtechniek", "25242", "B1-K1-W1", "digitaal", False, 3, "", "Stichting Externe Validering MBO", "ok"),
    ("TIM-PVB-K1", "Proeve van bekwaamheid Timmerman – bouwkundige werkzaamheden", "25128", "B1-K1", "pvb", False, 1, "bouw", "", "ok"),
    ("TIM-PRAK-1", "Praktijkexamen kozijnen stellen", "25128", "B1-K1-W3", "praktijk", False, 2, "", "", "ok"),
    ("TIM-SCHR-1", "Schriftelijk examen bouwtekeninglezen", "25128", "B1-K1-W1", "schriftelijk", False, 1, "bouw", "", "concept"),
    ("LOG-PVB-K1", "Proeve van bekwaamheid Logistiek medewerker – ontvangst en opslag", "25371", "B1-K1", "pvb", False, 1, "logistiek", "", "ok"),
    ("LOG-PVB-K2", "Proeve van bekwaamheid Logistiek medewerker – orderverzameling", "25371", "B1-K2", "pvb", False, 1, "logistiek", "", "ok"),
    ("LOG-DIG-1", "Digitaal examen veiligheid in het magazijn", "25371", "B1-K1-W4", "digitaal", False, 1, "logistiek", "", "ok"),
    ("ENT-DZ-PVB", "Proeve van bekwaamheid Entree dienstverlening en zorg", "25251", "B1-K1", "pvb", False, 1, "entree", "", "ok"),
    ("ENT-DZ-FORM", "Oefenproeve Entree dienstverlening en zorg (formatief)", "25251", "B1-K1", "pvb", True, 1, "entree", "", "ok"),
    ("ENT-DZ-LB", "Loopbaan en burgerschap – portfolio Entree", "25251", "Loopbaan en burgerschap", "portfolio", False, 2, "", "", "ok"),
    ("ENT-LOG-PVB", "Proeve van bekwaamheid Entree assistent logistiek", "25254", "B1-K1", "pvb", False, 1, "entree", "", "ok"),
    ("ENT-LOG-FORM", "Oefenproeve Entree logistiek (formatief)", "25254", "B1-K1", "praktijk", True, 1, "entree", "", "ok"),
    ("ENT-LOG-REK", "Vaardigheidstoets rekenen 1F (formatief)", "25254", "Rekenen 1F", "vaardigheidstoets", True, 2, "", "", "ok"),
    ("MV-PVB-K1", "Proeve van bekwaamheid Mediavormgever – ontwerpen", "25201", "B1-K1", "pvb", False, 2, "", "", "ok"),
    ("MV-PORT-1", "Portfolio vormgeving", "25201", "B1-K2", "portfolio", False, 3, "", "Stichting Externe Validering MBO", "ok"),
    ("MV-ENG-B1", "Engels B1 – presentatie", "25201", "Engels", "presentatie", False, 2, "", "", "ok"),
    ("VIG-ENG-A2", "Engels A2 – gesprekken voeren", "25491", "Engels", "mondeling", False, 2, "", "", "ok"),
    ("KOK-LB-1", "Loopbaan en burgerschap – kritisch denken", "25180", "Loopbaan en burgerschap", "portfolio", False, 2, "", "", "ok"),
]

# crebo → (routes, considerations); 25201 and 25242 deliberately have no choice this school year,
# 25192's was recorded after the school year began (flagged), and for 25180 route 2 is used although
# only route 1 was chosen: the register flags KOK-LB-1, and the commission decided to deviate for
# KOK-SCHR-1 (ROUTE_EXCEPTIONS).
ROUTE_CHOICES: dict[str, tuple[tuple[int, ...], str]] = {
    "25491": ((1, 2), "Beroepsgerichte proeven ingekocht; CGI en Engels zelf geconstrueerd omdat het aanbod "
                      "niet aansluit op de stage-instellingen in de regio."),
    "25480": ((1, 3), "Proeven ingekocht; het schriftelijke examen farmacologie laten we extern valideren, "
                      "want er is geen gecertificeerd aanbod."),
    "25473": ((1, 2), "Praktijkvoering ingekocht; het CGI zelf, omdat het werkveld dat vroeg."),
    "25486": ((2, 3), "Geen passend gecertificeerd aanbod voor de kinderopvang in onze regio; zelf construeren "
                      "met het werkveld, presentatie extern laten valideren."),
    "25180": ((1,), "Het gecertificeerde aanbod van Horeca Examenservice dekt alle kerntaken; inkopen."),
    "25182": ((1,), "Inkopen bij Horeca Examenservice, zoals bij Kok."),
    "25192": ((1, 2), "Servicedesk-examen zelf, omdat het aansluit op de eigen servicedesk van het ROC."),
    "25128": ((1, 2), "Kozijnen stellen zelf geconstrueerd met de regionale bouwbedrijven."),
    "25371": ((1,), "Volledig gecertificeerd aanbod; het certificaat van de leverancier wordt jaarlijks gecontroleerd."),
    "25251": ((1, 2), "Loopbaan en burgerschap is een eigen examenonderdeel."),
    "25254": ((1, 2), "De formatieve rekentoets is zelf gemaakt als voorbereiding op 2F."),
}
LATE_CHOICES = {"25192"}
ROUTE_EXCEPTIONS: dict[str, str] = {
    "KOK-SCHR-1": "Het schriftelijk examen HACCP is in overleg met de regionale horeca zelf geconstrueerd, omdat "
                  "het ingekochte examen de nieuwe hygiënecode nog niet volgt; besluit voor dit schooljaar.",
}


def populate_demo(store: Store) -> None:
    commission = AppContext(store, by_username(store, "commissie"))
    bureau = AppContext(store, by_username(store, "bureau"))
    today = commission.clock().date()
    chair = RegisterService(commission)
    office = RegisterService(bureau)

    office.run_import(ImportKind.QUALIFICATIONS, resource(*CREBO_LIST))

    suppliers: dict[str, str] = {}
    for name, authority, number, start, end in SUPPLIERS:
        earlier = EARLIER_CERTIFICATES.get(name)
        first = (earlier[0], earlier[1], earlier[2]) if earlier else (number, start, end)
        supplier = office.add_supplier(SupplierDraft(name, authority, first[0], today + timedelta(days=first[1]),
                                                     today + timedelta(days=first[2]), name == COOPERATIVE))
        if earlier:  # the certificate was renewed: the earlier one is kept in the supplier's history
            office.update_supplier(supplier.id, SupplierDraft(name, authority, number, today + timedelta(days=start),
                                                              today + timedelta(days=end), name == COOPERATIVE))
        suppliers[name] = supplier.id

    for n, (code, title, crebo, part, kind, formative, route, supplier, validator, story) in enumerate(INSTRUMENTS):
        supplier_id = suppliers[SUPPLIER_KEYS[supplier]] if supplier else None
        validated = today - timedelta(days=300 + n) if validator else None
        adopted = today - timedelta(days=250 - 3 * n)
        registered = today - timedelta(days=20 + n) if story == "concept" else adopted - timedelta(days=21)
        instrument = office.add_instrument(InstrumentDraft(
            code, title, crebo, part, kind, formative, route, supplier_id, validator, validated,
            "2025.1" if n % 3 else "2024.2",
            Assignments.REPLACEABLE if code in REPLACEABLE else Assignments.FIXED,
            registered if route == 1 else None), registered_on=registered)
        if route == 2:
            _check_criteria(office, instrument.id, code, story, registered + timedelta(days=7))
        if story == "concept":
            continue
        decision = f"EC-{adopted.year}-{n + 101:03d}"
        chair.adopt(instrument.id, adopted, decision)
        if story == "changed":
            office.mark_changed(instrument.id, "Beoordelingsformulier aangepast aan het nieuwe werkproces",
                                today - timedelta(days=12))
        elif story == "readopted":
            office.mark_provisional(instrument.id, "Opdracht 3 vervangen door een opdracht in de eigen praktijk",
                                    today - timedelta(days=60))
            chair.adopt(instrument.id, today - timedelta(days=40), f"EC-{today.year}-{n + 201:03d}")
        elif story == "provisional":
            office.mark_provisional(instrument.id, "Opdracht 2 vervangen door een casus uit het eigen ziekenhuis",
                                    today - timedelta(days=20))
        elif story == "withdrawn":
            office.withdraw(instrument.id, "Vervangen door de nieuwe proeve van de leverancier",
                            today - timedelta(days=5))

    year = school_year_of(today)
    start = date(int(year[:4]), 8, 1)
    for crebo, (routes, considerations) in ROUTE_CHOICES.items():
        # decided before the school year, as seed 000 §5 asks ("voorafgaand aan inzet"); one came late
        adopted_on = min(today, start + timedelta(days=20)) if crebo in LATE_CHOICES else start - timedelta(days=31)
        chair.set_route_choice(crebo, year, routes, considerations, adopted_on)
    codes = {i.code: i.id for i in office.list_instruments()}
    for code, reason in ROUTE_EXCEPTIONS.items():
        chair.set_route_exception(codes[code], year, reason, max(start - timedelta(days=14), today - timedelta(days=60)))


def _check_criteria(office: RegisterService, instrument_id: str, code: str, story: str, on: date) -> None:
    """The bijlage-2 criteria of a route-2 instrument, checked before its adoption (or partly, for a
    concept still being constructed)."""
    if code in PARTLY_CHECKED:
        met, failed = PARTLY_CHECKED[code]
        for criterion in met:
            office.record_criterion(instrument_id, criterion, True, CHECKED_BY, on, "Zie vaststellingsformulier.")
        if failed:
            office.record_criterion(instrument_id, failed[0], False, CHECKED_BY, on, failed[1])
        return
    if story == "concept":
        return
    for criterion in Criterion:
        office.record_criterion(instrument_id, criterion, True, CHECKED_BY, on,
                                "Vaststellingsformulier en verslag van de constructiegroep in het examendossier.")
