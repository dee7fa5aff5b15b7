"""The commission's incident desk: what the examenprotocol lets it decide, and on what ground.
(Over 400 lines: the desk's rules and the records it shows, which the screens read together.)

Pure rules, no storage: the measures allowed per protocol point, the status, handler and what is to be
reported of an incident (`incident_status`, `effective_handler`, `to_report`), how long a report to
the Inspectie has waited ("zo spoedig mogelijk": the source sets no number of days, so nothing here
calls a report late), the Dutch explanation of a triage, the checks on a decision, a report and an
answer, and which actions an incident allows now.

The examenprotocol (punten 6–10) and the Beleidsregel are written for central exams. For an
institution exam the commission decides everything itself under the examenreglement, which follows
the same distinctions; a category that would go to the Inspectie stays with it, marked serious. A
*bijzonderheid* (point 11 b/c) is recorded on the procesverbaal and asks for no decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from examdesk.domain.catalogue import PARTICULAR, HandlingRoute, default_catalogue
from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError

STATUSES: tuple[str, ...] = ("open", "in behandeling", "besloten", "gemeld bij Inspectie", "afgesloten",
                              "bijzonderheid", "ingetrokken")
HANDLER_FILTERS: dict[str, str] = {
    "examencommissie": "examencommissie",
    "inspectie": "melden bij de Inspectie",
    "minister": "de Minister beslist",
    "procesverbaal": "bijzonderheid (alleen procesverbaal)",
}
REPORT_SUBJECTS: dict[str, str] = {
    "melding": "melding onregelmatigheid",
    "twijfelgeval": "melding als twijfelgeval",
    "besluit": "melding besluit (punt 7)",
}
ANSWER_OUTCOMES: dict[str, str] = {
    "terugverwezen": "terugverwezen naar de examencommissie",
    "opnieuw_afnemen": "opnieuw afnemen",
}
SCOPES: dict[str, str] = {"geheel": "geheel", "gedeeltelijk": "gedeeltelijk"}


class Measure(StrEnum):
    """The measures of examenprotocol 8B (a–d), and voiding with a resit under 6 and 7."""

    GRADE_ONE = "cijfer_1"
    EXCLUSION = "uitsluiting"
    VOID = "ongeldig"
    LATER_PERIOD = "volgend_tijdvak"
    VOID_RESIT = "ongeldig_opnieuw"

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self]

    @property
    def ground(self) -> str:
        return MEASURE_GROUNDS[self]


MEASURE_LABELS: dict[Measure, str] = {
    Measure.GRADE_ONE: "a. cijfer 1 voor het examen",
    Measure.EXCLUSION: "b. (verdere) deelname ontzegd",
    Measure.VOID: "c. afgelegd examen ongeldig verklaard",
    Measure.LATER_PERIOD: "d. diploma pas na een nieuw examen in een volgend tijdvak",
    Measure.VOID_RESIT: "afname ongeldig verklaard, examen opnieuw afnemen",
}
MEASURE_GROUNDS: dict[Measure, str] = {
    Measure.GRADE_ONE: "examenprotocol punt 8B onder a",
    Measure.EXCLUSION: "examenprotocol punt 8B onder b",
    Measure.VOID: "examenprotocol punt 8B onder c",
    Measure.LATER_PERIOD: "examenprotocol punt 8B onder d",
    Measure.VOID_RESIT: "examenprotocol punt 6 en 7",
}
POINT_8 = (Measure.GRADE_ONE, Measure.EXCLUSION, Measure.VOID, Measure.LATER_PERIOD)
RESIT_MEASURES = frozenset({Measure.VOID, Measure.LATER_PERIOD, Measure.VOID_RESIT})

_POINT_TITLES: dict[int, str] = {
    6: "onregelmatigheid op individueel niveau, overmacht",
    7: "collectieve onregelmatigheid, overmacht",
    8: "onregelmatigheid door een kandidaat, geen overmacht",
    9: "(vermoeden van) schending van de geheimhouding",
    10: "overige onregelmatigheid",
}
_LETTERS: dict[str, str] = {
    "a": "onrechtmatig gebruik van of beschikken over niet toegestane informatie of hulpmiddelen",
    "b": "informatie, hulpmiddelen of antwoorden die vóór of tijdens het examen bij kandidaten terechtkwamen",
    "c": "geen of ontoereikend toezicht",
    "d": "meer examentijd dan de regels toestaan",
    "e": "het werk van een kandidaat na afloop zonder rechtsgrond gewijzigd",
    "f": "een cijfer of uitslag in strijd met de regels toegekend",
}


def allowed_measures(point: int | None) -> tuple[Measure, ...]:
    """Point 6 and 7: voiding and a resit. Point 8: a–d, alone or combined. Points 9 and 10 reach the
    commission only as an institution exam or when the Inspectie refers them back, and then the
    protocol's whole range applies. Without a point (art. 12, institution exam): a new session."""
    if point in (6, 7):
        return (Measure.VOID_RESIT,)
    if point == 8:
        return POINT_8
    if point in (9, 10):
        return (*POINT_8, Measure.VOID_RESIT)
    return (Measure.VOID_RESIT,)


def point_title(point: int | None) -> str:
    return _POINT_TITLES.get(point or 0, "examen kon niet beginnen (Examenbesluit art. 12)")


# --- "zo spoedig mogelijk" ----------------------------------------------------------------------------

# Beleidsregel art. 2 lid 2 and its toelichting: "Het is de bedoeling dat de examencommissie de melding zo
# spoedig mogelijk doet." No number of days: ExamDesk says how long a report has waited, never that it is late.
AS_SOON_AS_POSSIBLE = "zo spoedig mogelijk (Beleidsregel art. 2 lid 2)"


def waited(since: datetime, now: datetime) -> str:
    """'3 dagen', '5 uur', '12 minuten', 'vandaag': how long something has waited, in Dutch."""
    elapsed = now - since
    if elapsed < timedelta(minutes=1):
        return "zojuist"
    if elapsed < timedelta(hours=1):
        minutes = int(elapsed.total_seconds() // 60)
        return f"{minutes} {'minuut' if minutes == 1 else 'minuten'}"
    if elapsed < timedelta(days=1):
        hours = int(elapsed.total_seconds() // 3600)
        return f"{hours} uur"
    days = elapsed.days
    return f"{days} {'dag' if days == 1 else 'dagen'}"


@dataclass(frozen=True)
class ReportWait:
    """A report to the Inspectie that is due: what it is and since when it waits."""

    subject: str                      # melding | twijfelgeval | besluit (REPORT_SUBJECTS)
    since: datetime
    text: str


def report_wait(subject: str, since: datetime, now: datetime) -> ReportWait:
    """'Te melden bij de Inspectie (melding onregelmatigheid), zo spoedig mogelijk: wacht sinds 3 dagen.'"""
    return ReportWait(subject, since, f"Te melden bij de Inspectie ({REPORT_SUBJECTS[subject]}), "
                                      f"{AS_SOON_AS_POSSIBLE}: wacht sinds {waited(since, now)}.")


# --- the triage -----------------------------------------------------------------------------------

def triage_explanation(route: HandlingRoute, exam_kind: str, doubtful: bool = False,
                       referred_back_on: date | None = None) -> str:
    """One or two Dutch sentences: who handles it, under which examenprotocol point and, where it
    applies, which letter of Beleidsregel art. 2(1)."""
    point = route.protocol_point
    letter = route.letter
    if route.particular and referred_back_on is None:
        return ("Een bijzonderheid (examenprotocol punt 11): zij staat op het procesverbaal; de examencommissie "
                "hoeft er niet over te besluiten. Was het toch een onregelmatigheid, herclassificeer het dan.")
    letter_sentence = (f" Het is een onregelmatigheid als bedoeld in artikel 2, eerste lid, onder {letter} van de "
                       f"Beleidsregel ({_LETTERS[letter]}).") if letter in _LETTERS else ""
    if referred_back_on is not None:
        return (f"De Inspectie heeft de melding op {format_date(referred_back_on)} terugverwezen naar de "
                f"examencommissie (Beleidsregel art. 4 lid 1 onder a): de examencommissie handelt het af volgens "
                f"het examenprotocol{f' (punt {point})' if point else ''}." + letter_sentence)
    if exam_kind == "instelling":
        if route.serious:
            if point is None:
                return ("Instellingsexamen: de examencommissie besluit zelf over een nieuwe afname (bij een centraal "
                        "examen zou de Minister beslissen, Examenbesluit art. 12); het bestuur wordt geïnformeerd.")
            return (f"Instellingsexamen: de examencommissie handelt dit zelf af volgens het examenreglement en "
                    f"behandelt het als ernstig, omdat het bij een centraal examen onder examenprotocol punt {point} "
                    f"({_POINT_TITLES[point]}) bij de Inspectie gemeld zou worden." + letter_sentence +
                    " Het bestuur wordt geïnformeerd (en de Inspectie waar het bestuur dat nodig vindt).")
        return (f"Instellingsexamen: de examencommissie handelt dit af volgens het examenreglement, dat dezelfde "
                f"indeling volgt als examenprotocol punt {point} ({_POINT_TITLES[point]})." + letter_sentence)
    if doubtful and route.handler == "examencommissie":
        return (f"Twijfelgeval: volgens de catalogus valt dit onder examenprotocol punt {point} "
                f"({_POINT_TITLES[point]}), maar de examencommissie meldt het als twijfelgeval bij de Inspectie "
                "met het Aanvraagformulier opnieuw afnemen centraal examen; de Inspectie kan het terugverwijzen "
                "(Beleidsregel art. 4 lid 1 onder a)." + letter_sentence)
    if route.handler == "minister":
        return ("Het examen kon door onvoorziene omstandigheden niet beginnen: volgens artikel 12 van het "
                "Examenbesluit beslist de Minister van OCW hoe het verder gaat, niet de Inspectie.")
    if route.handler == "inspectie":
        if point == 9:
            head = ("Melden bij de Inspectie: bij (het vermoeden van) schending van de geheimhouding geldt een "
                    "meldingsplicht (examenprotocol punt 9); de Inspectie kan het examen opnieuw laten afnemen of "
                    "de melding terugverwijzen.")
        else:
            head = ("Melden bij de Inspectie: het examenprotocol laat de examencommissie dit niet zelf afhandelen "
                    "(punt 10, onregelmatigheden waarin punt 6 tot en met 9 niet voorzien).")
        return head + letter_sentence + (" Meld zo spoedig mogelijk met het Aanvraagformulier opnieuw afnemen "
                                         "centraal examen (Beleidsregel art. 2 lid 2).")
    if point == 6:
        return ("De examencommissie handelt dit zelf af (examenprotocol punt 6, individuele overmacht): zij kan de "
                "afname van de betrokken kandidaat ongeldig verklaren en het examen opnieuw laten afnemen."
                + letter_sentence)
    if point == 7:
        return ("De examencommissie handelt dit zelf af (examenprotocol punt 7, collectieve overmacht): zij kan het "
                "examen geheel of gedeeltelijk opnieuw laten afnemen. Het besluit waarbij zij die maatregel neemt, "
                "gaat naar de kandidaten en wordt gemeld bij de Inspectie; een besluit om geen maatregel te nemen "
                "niet." + letter_sentence)
    return ("De examencommissie handelt dit zelf af (examenprotocol punt 8, onregelmatigheid door een kandidaat): "
            "zij kan maatregelen a tot en met d nemen, alleen of in combinatie, en stuurt de kandidaat het besluit."
            + letter_sentence)


# --- input checks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionInput:
    """What the decision dialog holds: one decision per candidate named (or one for the incident
    as a whole when it names no candidates)."""

    candidate_ids: tuple[int, ...]
    decided_on: date
    member_ids: tuple[int, ...]
    measures: tuple[str, ...] = ()
    no_measure_reason: str = ""
    reasoning: str = ""
    heard: bool = False
    heard_on: date | None = None
    retake_scope: str = "geheel"
    revision_reason: str = ""
    no_hearing_reason: str = ""      # a sanction without a hearing record: why not (the letter states it)


def check_decision(d: DecisionInput, point: int | None, incident_date: date, today: date,
                   involved: set[int], commission_members: dict[int, str], candidate_names: dict[int, str],
                   revision: bool = False) -> DecisionInput:
    """Every rule a decision must meet before anything is saved; a Dutch sentence names the first breach."""
    allowed = allowed_measures(point)
    measures: list[Measure] = []
    for m in d.measures:
        try:
            measure = Measure(m)
        except ValueError:
            raise ValidationError(f"Onbekende maatregel '{m}'.") from None
        if measure not in allowed:
            where = f"punt {point} ({_POINT_TITLES[point]})" if point in _POINT_TITLES else "dit incident"
            names = "; ".join(a.label for a in allowed)
            raise ValidationError(
                f"De maatregel '{measure.label}' past niet bij examenprotocol {where}. Toegestaan: {names}.")
        if measure not in measures:
            measures.append(measure)
    reason = d.no_measure_reason.strip()
    if not measures and not reason:
        raise ValidationError("Kies een maatregel, of geef de reden waarom de examencommissie geen maatregel neemt.")
    if measures and reason:
        raise ValidationError("Een besluit met een maatregel heeft geen reden voor 'geen maatregel'; laat die leeg.")
    if d.decided_on < incident_date:
        raise ValidationError(
            f"De besluitdatum {format_date(d.decided_on)} ligt vóór het incident ({format_date(incident_date)}).")
    if d.decided_on > today:
        raise ValidationError(f"De besluitdatum {format_date(d.decided_on)} ligt in de toekomst.")
    if not d.member_ids:
        raise ValidationError("Kies de leden van de examencommissie die het besluit namen.")
    for member in d.member_ids:
        if member not in commission_members:
            raise ValidationError("Alleen actieve leden van de examencommissie kunnen een besluit nemen; "
                                  "een gekozen persoon heeft die rol niet.")
    if not d.reasoning.strip():
        raise ValidationError("Schrijf de motivering van het besluit: waarom deze maatregel (of geen).")
    if d.heard:
        if d.heard_on is None:
            raise ValidationError("Vul in wanneer de kandidaat is gehoord.")
        if d.heard_on > d.decided_on:
            raise ValidationError(
                f"De kandidaat is gehoord op {format_date(d.heard_on)}, na de besluitdatum "
                f"{format_date(d.decided_on)}; horen gaat aan het besluit vooraf.")
        if d.heard_on < incident_date:
            raise ValidationError(f"De hoordatum {format_date(d.heard_on)} ligt vóór het incident.")
    if revision and not d.revision_reason.strip():
        raise ValidationError("Geef de reden waarom het besluit wordt herzien.")
    if involved:
        if not d.candidate_ids:
            raise ValidationError("Kies de kandidaat of kandidaten over wie besloten wordt.")
        for cid in d.candidate_ids:
            if cid not in involved:
                name = candidate_names.get(cid, f"kandidaat {cid}")
                raise ValidationError(f"{name} was niet betrokken bij dit incident; daarover kan hier niet "
                                      "worden besloten.")
    elif d.candidate_ids:
        name = candidate_names.get(d.candidate_ids[0], f"kandidaat {d.candidate_ids[0]}")
        raise ValidationError(f"{name} was niet betrokken bij dit incident; daarover kan hier niet worden besloten.")
    if d.retake_scope not in SCOPES:
        raise ValidationError("Kies of het examen geheel of gedeeltelijk opnieuw wordt afgenomen.")
    return DecisionInput(
        candidate_ids=tuple(dict.fromkeys(d.candidate_ids)), decided_on=d.decided_on,
        member_ids=tuple(dict.fromkeys(d.member_ids)), measures=tuple(m.value for m in measures),
        no_measure_reason=reason, reasoning=d.reasoning.strip(), heard=d.heard,
        heard_on=d.heard_on if d.heard else None, retake_scope=d.retake_scope,
        revision_reason=d.revision_reason.strip(), no_hearing_reason=d.no_hearing_reason.strip())


def check_report_date(reported_on: date, incident_date: date, today: date) -> None:
    if reported_on > today:
        raise ValidationError(f"De meldingsdatum {format_date(reported_on)} ligt in de toekomst.")
    if reported_on < incident_date:
        raise ValidationError(
            f"De meldingsdatum {format_date(reported_on)} ligt vóór het incident ({format_date(incident_date)}).")


def check_answer(outcome: str, scope: str | None, candidate_ids: tuple[int, ...], answered_on: date,
                 reported_on: date, today: date, involved: set[int], candidate_names: dict[int, str]) -> None:
    if outcome not in ANSWER_OUTCOMES:
        raise ValidationError("Kies het antwoord van de Inspectie: terugverwezen of opnieuw afnemen.")
    if answered_on > today:
        raise ValidationError(f"De datum van het antwoord {format_date(answered_on)} ligt in de toekomst.")
    if answered_on < reported_on:
        raise ValidationError(f"De datum van het antwoord {format_date(answered_on)} ligt vóór de melding "
                              f"({format_date(reported_on)}).")
    if outcome == "opnieuw_afnemen":
        if scope not in SCOPES:
            raise ValidationError("Kies of de Inspectie het examen geheel of gedeeltelijk opnieuw laat afnemen.")
        if not candidate_ids:
            raise ValidationError("Kies de kandidaten voor wie het examen opnieuw wordt afgenomen.")
        for cid in candidate_ids:
            if cid not in involved:
                name = candidate_names.get(cid, f"kandidaat {cid}")
                raise ValidationError(f"{name} was niet betrokken bij dit incident.")
    elif candidate_ids or scope:
        raise ValidationError("Bij een terugverwijzing horen geen kandidaten of omvang; die bepaalt de "
                              "examencommissie daarna zelf.")


# --- what an incident allows now --------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFacts:
    """What the rules for the next step need to know about an incident."""

    exam_kind: str
    route_handler: str             # after reclassification
    protocol_point: int | None
    route_to_inspectie: bool       # point 7: the decision goes to the Inspectie too
    doubtful: bool
    reported: bool                 # a melding or twijfelgeval report exists
    open_report: bool              # ... without an answer
    last_answer: str | None
    decision_reported: bool
    decision_count: int
    undecided: int                 # involved candidates without a current decision
    candidate_count: int
    closed: bool
    activity: bool = False         # the desk recorded anything at all (triage, report, decision, closure)
    measure_count: int = 0         # current decisions that take a measure (not 'geen maatregel')
    withdrawn: bool = False        # the examencommissie withdrew it (with its reason, in the session's record)

    @property
    def referred_back(self) -> bool:
        return self.last_answer == "terugverwezen"

    @property
    def particular(self) -> bool:
        """A bijzonderheid (examenprotocol 11): on the procesverbaal, no decision asked."""
        return self.route_handler == PARTICULAR and not self.referred_back

    @property
    def central(self) -> bool:
        return self.exam_kind == "centraal"

    @property
    def commission_decides(self) -> bool:
        if self.referred_back:
            return True
        if self.central and self.doubtful:
            return False
        return self.route_handler == "examencommissie"

    @property
    def measure_to_report(self) -> bool:
        """Point 7: "Het besluit waarbij bedoelde maatregel wordt genomen, wordt … gemeld bij de Inspectie" —
        only a decision that takes the measure; a decision to take none is not reported."""
        return (self.central and self.route_to_inspectie and self.commission_decides and self.measure_count > 0
                and not self.decision_reported)


@dataclass(frozen=True)
class Actions:
    reclassify: bool = False
    doubtful: bool = False
    report: str | None = None      # the subject a report now would have
    answer: bool = False
    decide: bool = False
    revise: bool = False
    close: bool = False
    reopen: bool = False
    withdraw: bool = False
    correct: bool = False          # the commission corrects what was recorded, with its reason
    close_blocker: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def report_subject(f: CaseFacts) -> str | None:
    """What a report to the Inspectie would be now, or None when there is nothing to report."""
    if not f.central or f.closed:
        return None
    if not f.reported and f.last_answer is None:
        if f.route_handler == "inspectie":
            return "melding"
        if f.doubtful:
            return "twijfelgeval"
    if f.measure_to_report:
        return "besluit"
    return None


def incident_status(f: CaseFacts) -> str:
    """The status the Incidenten list shows and filters on (STATUSES): closed; reported and waiting for
    the Inspectie; a bijzonderheid (recorded, nothing to decide: not open work — "besloten" when the
    commission decided on it all the same); decided (every involved candidate, or the Inspectie ordered a retake); in progress
    once the desk did anything; open."""
    if f.withdrawn:
        return "ingetrokken"
    if f.closed:
        return "afgesloten"
    if f.open_report:
        return "gemeld bij Inspectie"
    if f.particular:
        return "besloten" if f.decision_count else "bijzonderheid"
    if f.last_answer == "opnieuw_afnemen" or (f.decision_count > 0 and f.undecided == 0):
        return "besloten"
    if f.activity:
        return "in behandeling"
    return "open"


def effective_handler(f: CaseFacts) -> str:
    """Who handles it now: the commission after a referral back; the Inspectie for a doubtful case at a
    central exam; otherwise the route after triage."""
    if f.referred_back:
        return "examencommissie"
    if f.doubtful and f.central:
        return "inspectie"
    return f.route_handler


def to_report(f: CaseFacts) -> bool:
    """Te melden bij de Inspectie: a report is due now (`report_subject`)."""
    return report_subject(f) is not None


def why_no_report(f: CaseFacts) -> str:
    if not f.central:
        return ("Dit is een instellingsexamen: de examencommissie handelt het zelf af. Het Aanvraagformulier "
                "opnieuw afnemen centraal examen is alleen voor centrale examens.")
    if f.closed:
        return "Dit incident is afgesloten; heropen het eerst."
    if f.particular:
        return "Een bijzonderheid staat op het procesverbaal; zij wordt niet bij de Inspectie gemeld."
    if f.reported and f.route_to_inspectie and f.decision_count == 0:
        return "Dit incident is al gemeld bij de Inspectie."
    if f.route_to_inspectie and f.decision_count == 0:
        return "Een besluit bij collectieve overmacht (punt 7) wordt gemeld nadat het genomen is; neem eerst het besluit."
    if f.route_to_inspectie and f.measure_count == 0 and not f.decision_reported:
        return ("Alleen het besluit waarbij de examencommissie een maatregel neemt, wordt bij de Inspectie gemeld "
                "(examenprotocol punt 7); een besluit om geen maatregel te nemen niet.")
    if f.reported or f.decision_reported:
        return "Dit incident is al gemeld bij de Inspectie."
    if f.route_handler == "minister":
        return "Hierover beslist de Minister (Examenbesluit art. 12), niet de Inspectie."
    return ("De examencommissie handelt dit incident zelf af. Markeer het als twijfelgeval of herclassificeer het "
            "om het bij de Inspectie te melden.")


def why_no_decision(f: CaseFacts) -> str:
    if f.closed:
        return "Dit incident is afgesloten; heropen het eerst."
    if f.particular:
        return ("Een bijzonderheid (examenprotocol punt 11) staat op het procesverbaal; de examencommissie hoeft er "
                "niet over te besluiten. Herclassificeer het als het toch een onregelmatigheid is.")
    if f.route_handler == "minister" and not f.referred_back:
        return "Hierover beslist de Minister (Examenbesluit art. 12), niet de examencommissie."
    if f.central and f.doubtful and not f.referred_back:
        return ("Dit incident is als twijfelgeval voor de Inspectie gemarkeerd; de examencommissie besluit pas als de "
                "Inspectie het terugverwijst.")
    if not f.commission_decides:
        return ("Dit incident moet bij de Inspectie worden gemeld; de examencommissie kan pas besluiten als de "
                "Inspectie het heeft terugverwezen.")
    return "Over iedere betrokken kandidaat is al besloten; herzie een besluit als dat nodig is."


def close_blocker(f: CaseFacts) -> str:
    """Empty when the incident may be closed; otherwise the Dutch sentence saying what is still missing."""
    if f.closed:
        return "Dit incident is al afgesloten."
    if f.particular:
        return ""
    if f.route_handler == "minister" and not f.referred_back and not (f.central and f.doubtful):
        return ""
    if not f.commission_decides:
        if not f.reported:
            return "Meld het incident eerst bij de Inspectie."
        if f.open_report:
            return "Wacht op het antwoord van de Inspectie en leg dat vast voordat u afsluit."
        if f.last_answer == "opnieuw_afnemen":
            return ""
    if f.undecided > 0:
        return (f"Over {f.undecided} betrokken {'kandidaat' if f.undecided == 1 else 'kandidaten'} is nog niet "
                "besloten.")
    if f.decision_count == 0:
        return "Er is nog geen besluit vastgelegd."
    if f.measure_to_report:
        return "Meld het besluit met de maatregel eerst bij de Inspectie (examenprotocol punt 7)."
    return ""


def why_no_withdrawal(f: CaseFacts) -> str:
    """Empty when the commission may withdraw the incident; otherwise why not."""
    if f.withdrawn:
        return "Dit incident is al ingetrokken."
    if f.closed:
        return "Dit incident is afgesloten; heropen het eerst."
    if f.last_answer == "opnieuw_afnemen":
        return ("De Inspectie heeft besloten dat het examen opnieuw wordt afgenomen; de examencommissie kan dit "
                "incident niet meer intrekken.")
    return ""


def available_actions(f: CaseFacts) -> Actions:
    if f.withdrawn:
        return Actions()           # withdrawn by the commission: the record stays, nothing more to do
    if f.closed:
        return Actions(reopen=True, close_blocker="Dit incident is al afgesloten.")
    undecided_left = f.undecided > 0 or (f.candidate_count == 0 and f.decision_count == 0)
    blocker = close_blocker(f)
    return Actions(
        reclassify=True,
        doubtful=f.central and not f.doubtful and not f.reported and f.route_handler == "examencommissie"
        and f.last_answer is None,
        report=report_subject(f),
        answer=f.open_report,
        decide=f.commission_decides and undecided_left and not f.particular,
        revise=f.decision_count > 0,
        close=not blocker,
        withdraw=not why_no_withdrawal(f),
        correct=True,
        close_blocker=blocker,
    )


# --- records as the desk shows them -----------------------------------------------------------------

APPEAL_FILTERS: dict[str, str] = {
    "loopt": "beroep loopt",                      # either of the two below: the decision is not final yet
    "termijn": "beroepstermijn loopt",            # the letter was sent, the term to appeal has not run out
    "beroep": "beroep zonder uitspraak",          # lodged at the commissie van beroep, no ruling yet
}


@dataclass(frozen=True)
class IncidentFilter:
    """The Incidenten screen's filters; empty means no filter."""

    status: str = ""
    category: str = ""
    handler: str = ""                 # effective handling route
    location_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    session_id: str = ""
    candidate_id: int | None = None
    candidate: str = ""               # name or studentnummer
    text: str = ""
    to_report: bool = False           # still to be reported to the Inspectie
    without_letter: bool = False      # has a current decision without its letter
    appeal: str = ""                  # APPEAL_FILTERS: an appeal term runs, an appeal awaits its ruling, or either

    def __post_init__(self) -> None:
        if self.appeal and self.appeal not in APPEAL_FILTERS:
            raise ValueError(f"unknown appeal filter {self.appeal!r}")

    def without_status(self) -> IncidentFilter:
        return replace(self, status="")


@dataclass(frozen=True)
class IncidentRow:
    """One incident as the desk sees it: the version that now stands and the route after triage, as the
    index stored it (`domain/incident_state.project` computed it)."""

    incident_id: str
    session_id: str
    current_id: str
    corrections: int
    occurred_at: datetime
    recorded_category: str
    category: str
    recorded_handler: str
    recorded_point: int | None
    route_handler: str
    effective_handler: str
    protocol_point: int | None
    letter: str | None
    serious: bool
    route_to_inspectie: bool
    reclassified: bool
    doubtful: bool
    reported: bool
    reported_on: date | None
    open_report: bool
    last_answer: str | None
    decision_reported: bool
    decision_count: int
    undecided: int
    candidate_count: int
    closed: bool
    status: str
    to_report: bool
    exam_kind: str
    session_title: str
    session_date: date
    central_exam: str | None
    period: str
    variant: str
    room_name: str
    location_name: str
    what_happened: str
    what_was_done: str
    candidate_names: str = ""
    activity: bool = False
    duration_minutes: int | None = None
    measure_count: int = 0
    found_on: date | None = None       # found afterwards: the day it came to light ('achteraf vastgesteld')

    @property
    def facts(self) -> CaseFacts:
        return CaseFacts(
            exam_kind=self.exam_kind, route_handler=self.route_handler, protocol_point=self.protocol_point,
            route_to_inspectie=self.route_to_inspectie, doubtful=self.doubtful, reported=self.reported,
            open_report=self.open_report, last_answer=self.last_answer, decision_reported=self.decision_reported,
            decision_count=self.decision_count, undecided=self.undecided, candidate_count=self.candidate_count,
            closed=self.closed, activity=self.activity, measure_count=self.measure_count,
            withdrawn=self.status == "ingetrokken")

    @property
    def route(self) -> HandlingRoute:
        labels = default_catalogue().handler_labels
        return HandlingRoute(
            handler=self.route_handler, handler_label=labels.get(self.route_handler, self.route_handler),
            protocol_point=self.protocol_point, letter=self.letter, decision_to_inspectie=self.route_to_inspectie,
            serious=self.serious)

    @property
    def needs_inspectie_form(self) -> bool:
        """The Aanvraagformulier goes with an irregularity at a central exam that is (after triage) the
        Inspectie's to handle; everything else the commission settles itself."""
        return self.exam_kind == "centraal" and self.effective_handler == "inspectie"

    @property
    def handler_label(self) -> str:
        return handler_label(self.last_answer, self.doubtful, self.exam_kind, self.route_handler,
                             self.effective_handler, self.serious)


def handler_label(last_answer: str | None, doubtful: bool, exam_kind: str, route_handler: str,
                  effective_handler: str, serious: bool) -> str:
    """Who handles an incident, as the list and the overview say it (also for an overview's plain rows,
    which are not built into an `IncidentRow` each: a year's export has 25,000)."""
    if last_answer == "terugverwezen":
        return "examencommissie (terugverwezen)"
    if doubtful and exam_kind == "centraal" and route_handler == "examencommissie":
        return "twijfelgeval → Inspectie"
    label = HANDLER_FILTERS.get(effective_handler, effective_handler)
    return label + (" · ernstig" if serious else "")


@dataclass(frozen=True)
class TriageRecord:
    id: int
    kind: str                         # herclassificatie | twijfelgeval
    previous_category: str
    category: str | None
    handler: str | None
    protocol_point: int | None
    letter: str | None
    reason: str
    recorded_at: datetime
    username: str


@dataclass(frozen=True)
class InspectieReport:
    id: int
    subject: str
    reported_on: date
    reference: str
    reported_by: int
    reported_by_name: str
    remark: str
    recorded_at: datetime
    username: str

    @property
    def subject_label(self) -> str:
        return REPORT_SUBJECTS[self.subject]


@dataclass(frozen=True)
class InspectieAnswer:
    id: int
    report_id: int
    outcome: str
    scope: str | None
    candidate_ids: tuple[int, ...]
    answered_on: date
    reference: str
    remark: str
    recorded_at: datetime
    username: str

    @property
    def outcome_label(self) -> str:
        label = ANSWER_OUTCOMES[self.outcome]
        return f"{label} ({self.scope})" if self.scope else label


@dataclass(frozen=True)
class Decision:
    id: str
    number: int
    incident_id: str
    candidate_id: int | None
    candidate_name: str
    decided_on: date
    protocol_point: int | None
    measures: tuple[str, ...]
    retake_scope: str | None
    no_measure_reason: str
    reasoning: str
    heard: bool
    heard_on: date | None
    minor: bool | None
    supersedes: str | None
    superseded_by: str | None
    revision_reason: str
    members: tuple[str, ...]
    recorded_at: datetime
    username: str
    has_letter: bool
    exam_kind: str = "centraal"

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    @property
    def measure_labels(self) -> tuple[str, ...]:
        return tuple(Measure(m).label for m in self.measures)

    @property
    def summary(self) -> str:
        """'a. cijfer 1 voor het examen; c. ...' or 'geen maatregel: …'."""
        if not self.measures:
            return f"geen maatregel: {self.no_measure_reason}"
        text = "; ".join(self.measure_labels)
        if Measure.VOID_RESIT.value in self.measures and self.retake_scope == "gedeeltelijk":
            text += " (gedeeltelijk)"
        return text

    @property
    def ground(self) -> str:
        """The legal ground as the letter and the screen cite it; an institution exam is decided under
        the examenreglement, which follows the examenprotocol's distinctions."""
        if not self.measures:
            text = f"examenprotocol punt {self.protocol_point}" if self.protocol_point else ""
        else:
            grounds = list(dict.fromkeys(Measure(m).ground for m in self.measures))
            if grounds == [MEASURE_GROUNDS[Measure.VOID_RESIT]] and self.protocol_point in (6, 7):
                grounds = [f"examenprotocol punt {self.protocol_point}"]
            text = "; ".join(grounds)
        if self.exam_kind == "instelling":
            return f"examenreglement (naar {text})" if text else "examenreglement"
        return text or "Examenbesluit art. 12"

    @property
    def creates_resit(self) -> bool:
        return any(Measure(m) in RESIT_MEASURES for m in self.measures)


@dataclass(frozen=True)
class ResitItem:
    """*Herkansing nodig*: a candidate whose exam was voided must take it again."""

    id: int
    candidate_id: int
    candidate_name: str
    student_number: str
    incident_id: str
    decision_id: str | None
    decision_number: int | None
    answer_id: int | None
    scope: str
    not_before_next_period: bool
    created_at: datetime
    exam_title: str
    original_session_id: str
    original_date: date
    planned_session_id: str | None
    planned_date: date | None

    @property
    def source_label(self) -> str:
        if self.decision_number is not None:
            return f"besluit {self.decision_number}"
        return "besluit Inspectie"

    @property
    def status_label(self) -> str:
        if self.planned_date is not None:
            return f"ingepland op {format_date(self.planned_date)}"
        return "nog in te plannen" + (" (volgend tijdvak)" if self.not_before_next_period else "")


@dataclass(frozen=True)
class Closure:
    id: int
    action: str                       # afgesloten | heropend
    note: str
    at: datetime
    username: str
