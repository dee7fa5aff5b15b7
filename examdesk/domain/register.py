"""The instrument register's rules: what a kwalificatie, supplier and instrument are, when an
(Over 400 lines: the register's value types and the validity rule that reads all of them.)
instrument is valid on a date (and why not), who may use which product, and the route choice
per kwalificatie per school year.

Source: Afspraken valide exameninstrumenten mbo 2024 (seed 000) and the Coöperatie Examens MBO
decision of 26 March 2026 on target groups (seed 002). Central exams are not register
instruments; nothing here applies to them ("Deze afspraken gelden niet voor: centrale examens").

Each rule quotes the sentence of the source it follows, so a commission member can read the two
side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError

ROUTES: tuple[int, ...] = (1, 2, 3)
NIVEAUS: tuple[int, ...] = (1, 2, 3, 4)
ROUTE_LABELS: dict[int, str] = {
    1: "route 1 (ingekocht, gecertificeerde leverancier)",
    2: "route 2 (zelf geconstrueerd)",
    3: "route 3 (extern gevalideerd)",
}


class QualificationKind(StrEnum):
    KWALIFICATIE = "kwalificatie"
    CERTIFICAAT = "mbo-certificaat"
    GENERIEK = "generiek"

    @property
    def label(self) -> str:
        return {"kwalificatie": "kwalificatie", "mbo-certificaat": "mbo-certificaat",
                "generiek": "generiek onderdeel"}[self.value]


class Status(StrEnum):
    """An instrument's status; the value is what the database stores and the user reads."""

    CONCEPT = "concept"
    ADOPTED = "vastgesteld"
    CHANGED = "gewijzigd"
    PROVISIONAL = "voorbehoud"
    WITHDRAWN = "ingetrokken"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.CONCEPT: "concept",
    Status.ADOPTED: "vastgesteld",
    Status.CHANGED: "gewijzigd",
    Status.PROVISIONAL: "onder voorbehoud",
    Status.WITHDRAWN: "ingetrokken",
}


class Assignments(StrEnum):
    """Whether the school may replace the assignments of an instrument (seed 000, §4, each route:
    "Indien er sprake is van een exameninstrument waarbij scholen zelf opdrachten (deels) kunnen
    vervangen, geldt dat deze na aanpassing vastgesteld wordt door de examencommissie […]. Een
    gewijzigd instrument kan hierdoor weer valide worden.") or the assignment is fixed ("De validiteit
    van een exameninstrument eindigt zodra het exameninstrument met vaste examenopdracht gewijzigd
    wordt")."""

    FIXED = "vast"
    REPLACEABLE = "vervangbaar"

    @property
    def label(self) -> str:
        return {"vast": "vaste examenopdracht",
                "vervangbaar": "opdrachten door de school te vervangen"}[self.value]

# The kinds of instrument the register knows, with the abbreviations people type in spreadsheets.
INSTRUMENT_KINDS: tuple[str, ...] = (
    "proeve van bekwaamheid",
    "criteriumgericht interview",
    "praktijkexamen",
    "schriftelijk examen",
    "digitaal examen",
    "mondeling examen",
    "presentatie",
    "portfolio",
    "vaardigheidstoets",
)
_KIND_ALIASES: dict[str, str] = {
    "pvb": "proeve van bekwaamheid",
    "proeve": "proeve van bekwaamheid",
    "cgi": "criteriumgericht interview",
    "praktijk": "praktijkexamen",
    "schriftelijk": "schriftelijk examen",
    "digitaal": "digitaal examen",
    "mondeling": "mondeling examen",
}


def normalise_kind(text: str) -> str:
    """'PVB' → 'proeve van bekwaamheid'; raises ValidationError for a kind the register does not know."""
    key = " ".join(text.strip().lower().split())
    if key in INSTRUMENT_KINDS:
        return key
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    if not key:
        raise ValidationError("Vul de soort instrument in.")
    raise ValidationError(f"Onbekende soort instrument '{text.strip()}'; kies uit: {', '.join(INSTRUMENT_KINDS)}.")


# --- values ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Qualification:
    crebo: str
    name: str
    niveau: int
    dossier: str = ""
    kind: QualificationKind = QualificationKind.KWALIFICATIE
    valid_from: date | None = None
    valid_until: date | None = None
    dossier_crebo: str = ""
    domain: str = ""

    @property
    def niveau_label(self) -> str:
        return "Entree (1)" if self.niveau == 1 else str(self.niveau)

    def in_force_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True)
class CertificatePeriod:
    """One certificate a supplier held (an earlier one, kept when it was replaced)."""

    number: str
    authority: str
    starts_on: date | None
    ends_on: date

    def covers(self, on: date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and on <= self.ends_on

    @property
    def label(self) -> str:
        start = format_date(self.starts_on) if self.starts_on else "?"
        return f"{self.number} ({start} t/m {format_date(self.ends_on)})"


@dataclass(frozen=True)
class Supplier:
    """An examenleverancier. `cooperative` marks the Coöperatie Examens MBO, whose products fall under
    its decision on target groups (seed 002); `earlier_certificates` are the certificates it held
    before the current one, so a purchase or a session in the past is judged by the certificate
    in force then."""

    id: str
    name: str
    authority: str = ""
    certificate_number: str = ""
    certified_from: date | None = None
    certified_until: date | None = None
    cooperative: bool = False
    earlier_certificates: tuple[CertificatePeriod, ...] = ()

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number) and self.certified_until is not None

    @property
    def current_certificate(self) -> CertificatePeriod | None:
        if not self.has_certificate:
            return None
        assert self.certified_until is not None
        return CertificatePeriod(self.certificate_number, self.authority, self.certified_from, self.certified_until)

    @property
    def certificate_periods(self) -> tuple[CertificatePeriod, ...]:
        current = self.current_certificate
        return (*self.earlier_certificates, current) if current else self.earlier_certificates

    def certified_on(self, on: date) -> bool:
        """Under a certificate on that day: the current one or one it held before."""
        return any(p.covers(on) for p in self.certificate_periods)

    def expires_within(self, on: date, days: int) -> bool:
        """Certified on `on`, but no longer `days` days later."""
        return self.certified_on(on) and not self.certified_on(on + timedelta(days=days))

    def periods_sentence(self) -> str:
        """'SCE-1 (01-08-2020 t/m 31-07-2023), SCE-2 (…)': every certificate period, for refusals."""
        return ", ".join(p.label for p in self.certificate_periods) or "geen"

    def certificate_sentence(self, on: date) -> str:
        """How the certificate stands on a date, for every place the supplier appears."""
        if not self.has_certificate:
            return "geen certificaat vastgelegd"
        assert self.certified_until is not None
        if self.certified_from is not None and on < self.certified_from:
            return f"certificaat geldig vanaf {format_date(self.certified_from)}"
        if on > self.certified_until:
            return f"certificaat verlopen op {format_date(self.certified_until)}"
        return f"certificaat geldig tot en met {format_date(self.certified_until)}"


@dataclass(frozen=True)
class Instrument:
    id: str
    code: str
    title: str
    crebo: str
    part: str
    kind: str
    formative: bool
    route: int
    supplier_id: str | None = None
    validator: str = ""
    validation_date: date | None = None
    version: str = "1"
    assignments: Assignments = Assignments.FIXED
    purchased_on: date | None = None

    @property
    def purpose_label(self) -> str:
        return "formatief" if self.formative else "summatief"

    @property
    def replaceable(self) -> bool:
        return self.assignments is Assignments.REPLACEABLE


@dataclass(frozen=True)
class StatusEntry:
    """One step in an instrument's history. `effective_on` is the date the step takes effect
    (adoption date, date of change, date of withdrawal); `recorded_at` when it was entered."""

    seq: int
    instrument_id: str
    status: Status
    effective_on: date
    decision_number: str = ""
    reason: str = ""
    recorded_at: str = ""
    recorded_by: str = ""

    @property
    def sentence(self) -> str:
        when = format_date(self.effective_on)
        if self.status is Status.CONCEPT:
            text = f"{when} geregistreerd als concept"
        elif self.status is Status.ADOPTED:
            text = f"{when} vastgesteld door de examencommissie (besluit {self.decision_number})"
        elif self.status is Status.CHANGED:
            text = f"{when} gewijzigd: {self.reason}"
        elif self.status is Status.PROVISIONAL:
            text = f"{when} opdrachten vervangen, onder voorbehoud tot nieuwe vaststelling: {self.reason}"
        else:
            text = f"{when} ingetrokken: {self.reason}"
        return text


def ordered(statuses: Iterable[StatusEntry]) -> list[StatusEntry]:
    """The history in the order it counts: the registration as concept first (it is the starting
    point, even when the adoption it awaited is dated earlier), then by date, then by entry order."""
    return sorted(statuses, key=lambda s: (s.status is not Status.CONCEPT, s.effective_on, s.seq))


def status_on(statuses: Iterable[StatusEntry], on: date) -> StatusEntry | None:
    """The step in force on a date: the last one that took effect by then."""
    current: StatusEntry | None = None
    for entry in ordered(statuses):
        if entry.effective_on <= on or entry.status is Status.CONCEPT:
            current = entry
    return current


def adoption_of(statuses: Iterable[StatusEntry], on: date) -> StatusEntry | None:
    """The adoption in force on a date (the last 'vastgesteld' at or before it), if any."""
    adopted = [s for s in statuses if s.status is Status.ADOPTED and s.effective_on <= on]
    return max(adopted, key=lambda s: (s.effective_on, s.seq)) if adopted else None


def registered_on(statuses: Iterable[StatusEntry]) -> date | None:
    """The date the instrument entered the register (its 'concept' step), if the history has one."""
    dates = [s.effective_on for s in statuses if s.status is Status.CONCEPT]
    return min(dates) if dates else None


# --- route 2: the collective criteria (seed 000, bijlage 2) --------------------------------------

class Criterion(StrEnum):
    """The five mbo-wide criteria of bijlage 2 A and the expertise of 2 B, checked per route-2
    instrument before the commission adopts it ("De mbo-brede set van vijf criteria voor het
    construeren en vaststellen van examenproducten wordt toegepast bij zelf of samen construeren van
    examenproducten en het vaststellen ervan")."""

    FRAME = "A1"
    INVOLVEMENT = "A2"
    INDEPENDENCE = "A3"
    SYSTEMATIC = "A4"
    EXPERTISE = "A5"
    COMPETENCE = "B"

    @property
    def label(self) -> str:
        return CRITERIA[self][0]

    @property
    def source(self) -> str:
        return CRITERIA[self][1]


# criterion → (label, the sentence of bijlage 2 it stands for)
CRITERIA: dict[Criterion, tuple[str, str]] = {
    Criterion.FRAME: ("Wettelijke kaders, kwalificatiedossier en standaarden zijn uitgangspunt",
                      "De eisen uit het kwalificatiedossier, relevante aspecten uit het Toezichtkader BVE en de "
                      "wettelijke kaders zijn leidend voor de kwaliteitscriteria voor construeren en vaststellen."),
    Criterion.INVOLVEMENT: ("Scholen en bedrijfsleven zijn aantoonbaar betrokken",
                            "Scholen en bedrijven zijn aantoonbaar betrokken bij het construeren en/of vaststellen "
                            "van exameninstrumenten."),
    Criterion.INDEPENDENCE: ("Onafhankelijkheid is gewaarborgd",
                             "Het construeren en vaststellen van exameninstrumenten zijn separaat en onafhankelijk "
                             "van elkaar georganiseerd."),
    Criterion.SYSTEMATIC: ("Systematisch en volgens vastgestelde processen",
                           "Er is vastgelegd volgens welke stappen het constructie- en vaststellingsproces verloopt "
                           "en wie waarvoor verantwoordelijk is."),
    Criterion.EXPERTISE: ("Constructeurs en vaststellers hebben inhoudelijke expertise en handelen professioneel",
                          "Constructeurs en vaststellers beschikken samen over toetstechnische, vakinhoudelijke en "
                          "actuele beroepskennis en kennis van en visie op examinering in het mbo."),
    Criterion.COMPETENCE: ("Constructeurs en vaststellers zijn aantoonbaar deskundig (bijlage 2 B)",
                           "Constructeurs en vaststellers zijn aantoonbaar deskundig conform de Examentaken mbo."),
}


@dataclass(frozen=True)
class CriterionCheck:
    """One recorded check of a criterion for an instrument: met or not, by whom (the person who checked,
    e.g. a vaststeller), on which date, and a note (what the evidence is, or why it is not met).
    Checks are never changed; a later check of the same criterion replaces an earlier one."""

    instrument_id: str
    criterion: Criterion
    met: bool
    checked_by: str
    checked_on: date
    note: str = ""
    seq: int = 0
    recorded_at: str = ""
    recorded_by: str = ""


def latest_checks(checks: Iterable[CriterionCheck], on: date, since: date | None = None
                  ) -> dict[Criterion, CriterionCheck]:
    """Per criterion the last check dated on or before `on` (and not before `since`)."""
    latest: dict[Criterion, CriterionCheck] = {}
    for c in sorted(checks, key=lambda c: (c.checked_on, c.seq)):
        if c.checked_on <= on and (since is None or c.checked_on >= since):
            latest[c.criterion] = c
    return latest


def missing_criteria(checks: Iterable[CriterionCheck], on: date, since: date | None = None) -> list[Criterion]:
    """The criteria not (yet) shown to be met on `on`: never checked, or checked as not met."""
    latest = latest_checks(checks, on, since)
    return [c for c in Criterion if c not in latest or not latest[c].met]


def criteria_sentence(missing: Sequence[Criterion]) -> str:
    return "; ".join(f"{c.value} {c.label[0].lower()}{c.label[1:]}" for c in missing)


def check_criterion(criterion: Criterion | str, met: bool, checked_by: str, checked_on: date, note: str,
                    today: date) -> tuple[Criterion, str, str]:
    """A check as the user records it: a known criterion, who checked it, not in the future, and a
    note whenever the criterion is not met (what is missing)."""
    try:
        key = criterion if isinstance(criterion, Criterion) else Criterion(str(criterion).strip().upper())
    except ValueError:
        known = ", ".join(c.value for c in Criterion)
        raise ValidationError(f"Onbekend criterium '{criterion}'; kies uit {known}.") from None
    who = checked_by.strip()
    if not who:
        raise ValidationError(f"Vul in wie criterium {key.value} ({key.label.lower()}) heeft getoetst.")
    if checked_on > today:
        raise ValidationError(f"De datum van toetsing ({format_date(checked_on)}) ligt in de toekomst.")
    text = note.strip()
    if not met and not text:
        raise ValidationError(f"Criterium {key.value} is niet voldaan: beschrijf wat er ontbreekt.")
    return key, who, text


# --- validity ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ValidityVerdict:
    """Valid or not on a date; each reason is one Dutch sentence. `provisional` marks an instrument
    *onder voorbehoud*: the school replaced assignments and the commission has not adopted it again
    yet. It is not valid on that date, but it may be planned (with a warning) for a date by which the
    commission is expected to have adopted it."""

    valid: bool
    reasons: tuple[str, ...] = ()
    provisional: bool = False
    on: date | None = None

    @property
    def only_awaiting_adoption(self) -> bool:
        """Onder voorbehoud and nothing else wrong: what planning accepts with a warning."""
        return self.provisional and len(self.reasons) == 1

    @property
    def sentence(self) -> str:
        """The verdict in one line, as the detail panel shows it."""
        when = format_date(self.on) if self.on else ""
        if not self.valid:
            return " ".join(self.reasons)
        return f"Valide op {when}."


def _last_change_before(history: Sequence[StatusEntry], adoption: StatusEntry) -> StatusEntry | None:
    """The last change (or replacement) recorded before the adoption now in force."""
    position = history.index(adoption)
    changes = [s for s in history[:position] if s.status in (Status.CHANGED, Status.PROVISIONAL)]
    return changes[-1] if changes else None


def renewal_needed(instrument: Instrument) -> str:
    """What, besides a new adoption, makes a changed instrument with a fixed assignment valid again:
    what the route itself asks, done again after the change."""
    return {
        1: "een nieuwe inkoop bij de gecertificeerde leverancier na de wijziging (leg de inkoopdatum vast)",
        2: "alle criteria van bijlage 2 opnieuw getoetst na de wijziging",
        3: "een nieuwe externe validering na de wijziging (leg de validatiedatum vast)",
    }[instrument.route]


def renewed(instrument: Instrument, criteria: Sequence[CriterionCheck], changed_on: date, adopted_on: date) -> bool:
    """Has the route's own evidence been renewed between the change and the new adoption?"""
    if instrument.route == 1:
        return instrument.purchased_on is not None and changed_on <= instrument.purchased_on <= adopted_on
    if instrument.route == 3:
        return (bool(instrument.validator.strip()) and instrument.validation_date is not None
                and changed_on <= instrument.validation_date <= adopted_on)
    return not missing_criteria(criteria, adopted_on, since=changed_on)


def validity(instrument: Instrument, statuses: Sequence[StatusEntry], supplier: Supplier | None,
             qualification: Qualification | None, on: date,
             criteria: Sequence[CriterionCheck] = ()) -> ValidityVerdict:
    """Is the instrument valid on `on`, and if not, every reason why (one sentence each).

    Only what took effect by `on` counts, so the same history answers for any date. The rule, from
    seed 000 §4:

    * "De validiteit van een exameninstrument eindigt zodra het exameninstrument met vaste
      examenopdracht gewijzigd wordt" (route 2: "zodra het exameninstrument gewijzigd wordt"): a
      changed instrument with a fixed assignment is not made valid again by a new adoption alone;
      the route's own evidence must be renewed after the change as well (`renewal_needed`).
    * "Indien er sprake is van een exameninstrument waarbij scholen zelf opdrachten (deels) kunnen
      vervangen, geldt dat deze na aanpassing vastgesteld wordt door de examencommissie […]. Een
      gewijzigd instrument kan hierdoor weer valide worden.": replaced assignments leave the
      instrument *onder voorbehoud* — not valid — until the commission adopts it again.
    * Route 1: "de mbo-school [koopt] bij het doorlopen van route 1 exameninstrumenten enkel bij
      (een) hiertoe gecertificeerde examenleverancier(s) in": the purchase falls inside a certificate
      period of the supplier, and the supplier is certified on the date of use.
    * Route 3: externally validated by the date of use.
    * No back-dated validity: nothing is valid before the date it entered the register.
    """
    reasons: list[str] = []
    prefix = _Prefix(on)
    history = ordered(statuses)
    registration = registered_on(history)
    provisional = False
    current = status_on(history, on)
    if registration is not None and on < registration:
        reasons.append(prefix + f"het instrument staat pas sinds {dmy(registration)} in het register; een "
                                "vaststelling kan niet eerder gelden.")
    elif current is None or current.status is Status.CONCEPT:
        reasons.append(prefix + "het instrument is (nog) niet vastgesteld door de examencommissie.")
    elif current.status is Status.CHANGED:
        if instrument.replaceable:
            reasons.append(prefix + f"het instrument is op {dmy(current.effective_on)} gewijzigd "
                                    f"({_clause(current.reason)}) en sindsdien niet opnieuw vastgesteld.")
        else:
            reasons.append(prefix + f"het instrument met vaste examenopdracht is op {dmy(current.effective_on)} "
                                    f"gewijzigd ({_clause(current.reason)}); daarmee is de validiteit geëindigd. "
                                    f"Opnieuw vaststellen alleen is niet genoeg: nodig is ook "
                                    f"{renewal_needed(instrument)}.")
    elif current.status is Status.PROVISIONAL:
        if instrument.replaceable:
            provisional = True
            reasons.append(prefix + f"de school heeft op {dmy(current.effective_on)} opdrachten vervangen "
                                    f"({_clause(current.reason)}); het instrument is onder voorbehoud tot de "
                                    "examencommissie het opnieuw vaststelt.")
        else:
            reasons.append(prefix + f"op {dmy(current.effective_on)} zijn opdrachten vervangen "
                                    f"({_clause(current.reason)}), maar dit instrument heeft een vaste "
                                    "examenopdracht: dat is een wijziging die de validiteit beëindigt.")
    elif current.status is Status.WITHDRAWN:
        reasons.append(prefix + f"het instrument is ingetrokken op {dmy(current.effective_on)} "
                                f"({_clause(current.reason)}).")
    elif not instrument.replaceable:
        change = _last_change_before(history, current)
        if change is not None and not renewed(instrument, criteria, change.effective_on, current.effective_on):
            reasons.append(prefix + f"het instrument met vaste examenopdracht is op {dmy(change.effective_on)} "
                                    f"gewijzigd en op {dmy(current.effective_on)} opnieuw vastgesteld, maar "
                                    "opnieuw vaststellen alleen maakt het niet weer valide: nodig is ook "
                                    f"{renewal_needed(instrument)}.")

    if instrument.route == 1:
        if supplier is None:
            reasons.append(prefix + "route 1 vraagt een gecertificeerde examenleverancier, maar er is geen "
                                    "leverancier vastgelegd.")
        elif not supplier.certificate_periods:
            reasons.append(prefix + f"van {supplier.name} is geen certificaat vastgelegd (route 1 vraagt een "
                                    "gecertificeerde examenleverancier).")
        elif not supplier.certified_on(on):
            if supplier.certified_from is not None and on < supplier.certified_from and not any(
                    p.ends_on < on for p in supplier.earlier_certificates):
                reasons.append(prefix + f"het certificaat van {supplier.name} geldt pas vanaf "
                                        f"{dmy(supplier.certified_from)}.")
            elif supplier.certified_until is not None and on > supplier.certified_until:
                reasons.append(prefix + f"het certificaat van {supplier.name} is verlopen op "
                                        f"{dmy(supplier.certified_until)}.")
            else:
                reasons.append(prefix + f"{supplier.name} had op die dag geen geldig certificaat "
                                        f"(certificaten: {supplier.periods_sentence()}).")
        if supplier is not None and instrument.purchased_on is not None:
            if instrument.purchased_on > on:
                reasons.append(prefix + f"het instrument is pas op {dmy(instrument.purchased_on)} ingekocht.")
            elif supplier.certificate_periods and not supplier.certified_on(instrument.purchased_on):
                reasons.append(prefix + f"de inkoop op {dmy(instrument.purchased_on)} valt buiten elke "
                                        f"certificaatperiode van {supplier.name} (route 1: alleen inkopen bij een "
                                        "gecertificeerde examenleverancier).")
    elif instrument.route == 3:
        if not instrument.validator.strip() or instrument.validation_date is None:
            reasons.append(prefix + "route 3 vraagt externe validering, maar er is geen validerende instantie "
                                    "met validatiedatum vastgelegd.")
        elif instrument.validation_date > on:
            reasons.append(prefix + f"de externe validering door {instrument.validator} is pas op "
                                    f"{dmy(instrument.validation_date)}.")

    if qualification is None:
        reasons.append(prefix + f"de kwalificatie met crebo {instrument.crebo} staat niet in het register.")
    elif qualification.valid_until is not None and on > qualification.valid_until:
        reasons.append(prefix + f"de kwalificatie {qualification.crebo} {qualification.name} is vervallen op "
                                f"{dmy(qualification.valid_until)}.")
    elif qualification.valid_from is not None and on < qualification.valid_from:
        reasons.append(prefix + f"de kwalificatie {qualification.crebo} {qualification.name} geldt pas vanaf "
                                f"{dmy(qualification.valid_from)}.")

    if reasons:
        return ValidityVerdict(False, tuple(reasons), provisional, on)
    return ValidityVerdict(True, (), False, on)


def validity_change_points(instrument: Instrument, statuses: Sequence[StatusEntry], supplier: Supplier | None,
                            qualification: Qualification | None) -> list[date]:
    """Every date on which `validity` may answer differently than on the day before, for these inputs: the
    dates it compares `on` with, each as the first day of the other side. Between two of them the verdict (and
    its reasons, apart from the date they open with) cannot change, so a verdict worked out once holds for that
    whole range (`stable_range`). Kept beside `validity`: a comparison added there needs its date here.
    (Criteria checks do not count: `validity` reads them only for dates in the status history.)"""
    points: set[date] = {s.effective_on for s in statuses}          # status_on, registered_on
    if instrument.route == 1 and supplier is not None:
        for period in supplier.certificate_periods:                 # covers(): starts_on <= on <= ends_on
            if period.starts_on is not None:
                points.add(period.starts_on)
            points.add(period.ends_on + timedelta(days=1))
        if supplier.certified_from is not None:                     # on < certified_from
            points.add(supplier.certified_from)
        if supplier.certified_until is not None:                    # on > certified_until
            points.add(supplier.certified_until + timedelta(days=1))
        if instrument.purchased_on is not None:                     # purchased_on > on
            points.add(instrument.purchased_on)
    if instrument.route == 3 and instrument.validation_date is not None:   # validation_date > on
        points.add(instrument.validation_date)
    if qualification is not None:
        if qualification.valid_until is not None:                   # on > valid_until
            points.add(qualification.valid_until + timedelta(days=1))
        if qualification.valid_from is not None:                    # on < valid_from
            points.add(qualification.valid_from)
    return sorted(points)


def stable_range(points: Sequence[date], on: date) -> tuple[date | None, date | None]:
    """The days around `on` with the same verdict: from the last change point at or before it (None: since
    ever) up to, not including, the first after it (None: for good)."""
    before = [p for p in points if p <= on]
    after = [p for p in points if p > on]
    return (max(before) if before else None), (min(after) if after else None)


def bare_reasons(verdict: ValidityVerdict) -> tuple[str, ...]:
    """The reasons without the 'Niet valide op dd-mm-jjjj: ' they open with: what stays true over the verdict's
    stable range (`restated` puts a date back)."""
    cut = len(_Prefix(verdict.on or date.min) + "")
    return tuple(r[cut:] for r in verdict.reasons)


def restated(valid: bool, provisional: bool, reasons: Sequence[str], on: date) -> ValidityVerdict:
    """The verdict on `on` from a stored one (`bare_reasons`) whose stable range holds `on`: equal to what
    `validity` answers for that date."""
    if valid:
        return ValidityVerdict(True, (), False, on)
    prefix = _Prefix(on)
    return ValidityVerdict(False, tuple(prefix + r for r in reasons), provisional, on)


def package_blocker(code: str, title: str, session_date: date, verdict: ValidityVerdict) -> str | None:
    """Why a session package may not go to the exam room, or None. An instrument *onder voorbehoud*
    may be planned, but the exam room only gets it once the commission has adopted it again ("geldt
    dat deze na aanpassing vastgesteld wordt door de examencommissie, waarmee de kwaliteit van het
    instrument is geborgd")."""
    if verdict.valid:
        return None
    if verdict.provisional:
        return (f"{code} is onder voorbehoud: de examencommissie moet het na het vervangen van opdrachten eerst "
                f"opnieuw vaststellen; afname '{title}' op {format_date(session_date)} gaat pas daarna mee in een "
                f"afnamepakket. {' '.join(verdict.reasons)}")
    return (f"{code} is op {format_date(session_date)} niet meer valide; afname '{title}' kan zo niet worden "
            f"afgenomen. {' '.join(verdict.reasons)}")


def instrument_signals(instrument: Instrument, statuses: Sequence[StatusEntry],
                       criteria: Sequence[CriterionCheck] = ()) -> tuple[str, ...]:
    """What the register flags about an instrument without it changing the verdict: records made
    before these rules existed, which the commission should look at."""
    signals: list[str] = []
    history = ordered(statuses)
    registration = registered_on(history)
    adoptions = [s for s in history if s.status is Status.ADOPTED]
    if registration is not None:
        early = [s for s in adoptions if s.effective_on < registration]
        if early:
            signals.append(f"De vaststelling van {format_date(early[0].effective_on)} ligt vóór de registratie "
                           f"({format_date(registration)}); het instrument telt pas als valide vanaf de registratie.")
    if instrument.route == 1 and instrument.purchased_on is None:
        signals.append("De inkoopdatum is niet vastgelegd; daarom kan niet worden nagegaan of de inkoop binnen een "
                       "certificaatperiode van de leverancier viel.")
    if instrument.route == 2 and adoptions:
        last = adoptions[-1]
        missing = missing_criteria(criteria, last.effective_on)
        if missing:
            signals.append(f"Vastgesteld op {format_date(last.effective_on)} zonder dat alle criteria van bijlage 2 "
                           f"als voldaan zijn vastgelegd (ontbreekt: {criteria_sentence(missing)}).")
    return tuple(signals)


class _Prefix:
    """'Niet valide op dd-mm-jjjj: ', formatted only when there is a reason (most verdicts have none)."""

    __slots__ = ("on", "text")

    def __init__(self, on: date):
        self.on = on
        self.text = ""

    def __add__(self, reason: str) -> str:
        if not self.text:
            self.text = f"Niet valide op {dmy(self.on)}: "
        return self.text + reason


def dmy(value: date) -> str:
    """dd-mm-jjjj without strftime, which is slow enough to matter over thousands of verdicts."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def _clause(text: str) -> str:
    """A user's reason, fitted inside a sentence: no trailing full stop."""
    return text.strip().rstrip(".")


# --- who may use which product (seed 002) -------------------------------------------------------

class TargetGroup(StrEnum):
    REGULIER = "regulier"
    EXTRANEUS = "extraneus"
    VMBO = "vmbo"
    ISK = "ISK"
    ONDERWIJSROUTE = "Onderwijsroute"

    @property
    def label(self) -> str:
        return {"regulier": "regulier mbo", "extraneus": "extraneus", "vmbo": "vmbo",
                "ISK": "ISK (internationale schakelklas)", "Onderwijsroute": "Onderwijsroute"}[self.value]


def parse_target_group(text: str | TargetGroup) -> TargetGroup:
    if isinstance(text, TargetGroup):
        return text
    key = text.strip().lower()
    for group in TargetGroup:
        if group.value.lower() == key or group.label.lower() == key:
            return group
    known = ", ".join(g.value for g in TargetGroup)
    raise ValidationError(f"Onbekende doelgroep '{text}'; kies uit: {known}.")


def may_use(group: str | TargetGroup, instrument_niveau: int, formative: bool) -> tuple[bool, str]:
    """May a candidate of this group take a product of this niveau and purpose, and why (not)?
    Always under the direction of an mbo institution: enrolment, planning and sessions go through it."""
    target = parse_target_group(group)
    if instrument_niveau not in NIVEAUS:
        raise ValidationError(f"Niveau {instrument_niveau} bestaat niet; kies 1 (Entree) tot en met 4.")
    product = ("formatief" if formative else "summatief") + (
        " Entree-product" if instrument_niveau == 1 else f" product op niveau {instrument_niveau}")
    if target is TargetGroup.REGULIER:
        return True, f"Toegestaan: een reguliere mbo-student mag elk {product} gebruiken."
    if target is TargetGroup.EXTRANEUS:
        return True, (f"Toegestaan: een extraneus is ingeschreven in het mbo en telt als regulier; "
                      f"elk {product} mag.")
    if target is TargetGroup.VMBO:
        return False, ("Niet toegestaan: vmbo-leerlingen hebben geen toegang tot mbo-examenproducten, behalve "
                       "wie in het mbo is ingeschreven (bijvoorbeeld als extraneus).")
    if target is TargetGroup.ISK:
        if instrument_niveau == 1 and formative:
            return True, "Toegestaan: ISK mag de formatieve Entree-producten gebruiken, onder regie van een mbo-instelling."
        return False, (f"Niet toegestaan: ISK mag alleen formatieve Entree-producten gebruiken; dit is een {product}.")
    return True, (f"Toegestaan: de Onderwijsroute mag Entree-producten en formatieve en summatieve producten op "
                  f"niveau 2, 3 en 4 gebruiken, onder regie van een mbo-instelling; dit is een {product}.")


def target_group_rule_applies(instrument: Instrument, supplier: Supplier | None) -> bool:
    """Seed 002 is the Coöperatie Examens MBO's decision about *its* products ("De Algemene
    Ledenvergadering (ALV) van de Coöperatie Examens MBO heeft nieuwe kaders vastgesteld voor het gebruik
    van examenproducten door doelgroepen buiten het reguliere mbo"): it applies to instruments bought
    from the Coöperatie, not to the school's own route-2 or route-3 instruments nor to other suppliers'."""
    return instrument.route == 1 and supplier is not None and supplier.cooperative


# --- school years and route choices ---------------------------------------------------------------

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_of(on: date) -> str:
    """'2025-2026' for any date from 1 August 2025 to 31 July 2026."""
    start = on.year if on.month >= 8 else on.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    start = parse_school_year(school_year)
    return date(start, 8, 1), date(start + 1, 7, 31)


def parse_school_year(text: str) -> int:
    """Validates 'jjjj-jjjj' (consecutive years) and returns the first year."""
    match = _SCHOOL_YEAR.match(text.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(f"Schooljaar '{text}' is ongeldig; schrijf het als bijvoorbeeld 2025-2026.")
    return int(match.group(1))


def adjacent_school_years(on: date, before: int = 1, after: int = 1) -> list[str]:
    start = on.year if on.month >= 8 else on.year - 1
    return [f"{y}-{y + 1}" for y in range(start - before, start + after + 1)]


@dataclass(frozen=True)
class RouteChoice:
    """Per kwalificatie and school year, the routes the school takes and why (seed 000 §5: "maakt
    voorafgaand aan inzet van exameninstrumenten bij examinering per kwalificatie en mbo-certificaat de
    keuze welke route(s) zij doorloopt. Gemaakte afwegingen en keuzes zijn tot op het niveau van de
    kwalificatie en mbo-certificaat herleidbaar")."""

    crebo: str
    school_year: str
    routes: frozenset[int]
    considerations: str
    adopted_by: str
    adopted_on: date

    @property
    def routes_label(self) -> str:
        return ", ".join(str(r) for r in sorted(self.routes))

    @property
    def adopted_late(self) -> bool:
        """Adopted after the school year began: instruments may have been used before the choice."""
        return self.adopted_on > school_year_bounds(self.school_year)[0]

    @property
    def signals(self) -> tuple[str, ...]:
        """What the register flags about a choice recorded before these rules, or recorded late."""
        found = []
        if not self.considerations.strip():
            found.append(f"De routekeuze voor {self.school_year} heeft geen afwegingen; afwegingen en keuzes moeten "
                         "herleidbaar zijn, ook bij route 1.")
        if self.adopted_late:
            start = school_year_bounds(self.school_year)[0]
            found.append(f"De routekeuze is vastgesteld op {format_date(self.adopted_on)}, na de start van schooljaar "
                         f"{self.school_year} ({format_date(start)}); de keuze hoort vóór de inzet van instrumenten.")
        return tuple(found)

    def in_force_on(self, on: date) -> bool:
        return self.adopted_on <= on


def validate_route_choice(routes: Iterable[int], considerations: str, adopted_on: date, today: date,
                          school_year: str) -> tuple[frozenset[int], str]:
    """Route 1 is the norm, but the considerations are required for every choice: "Gemaakte afwegingen en
    keuzes zijn tot op het niveau van de kwalificatie en mbo-certificaat herleidbaar" (seed 000 §5)."""
    parse_school_year(school_year)
    chosen = frozenset(routes)
    if not chosen:
        raise ValidationError("Kies minstens één route (1, 2 of 3).")
    wrong = sorted(r for r in chosen if r not in ROUTES)
    if wrong:
        raise ValidationError(f"Route {wrong[0]} bestaat niet; kies uit route 1, 2 en 3.")
    text = considerations.strip()
    if not text:
        if 2 in chosen or 3 in chosen:
            raise ValidationError("Leg de afwegingen vast: bij route 2 of 3 moet staan waarom er niet wordt "
                                  "ingekocht.")
        raise ValidationError("Leg de afwegingen vast: ook bij route 1 moeten afwegingen en keuzes herleidbaar zijn "
                              "(bijvoorbeeld welk aanbod is gekozen en waarom).")
    if adopted_on > today:
        raise ValidationError(f"De datum van vaststelling ({format_date(adopted_on)}) ligt in de toekomst.")
    return chosen, text


@dataclass(frozen=True)
class RouteException:
    """The commission's recorded decision to use one instrument in one school year outside the route
    choice (or before one is recorded), with its reason."""

    instrument_id: str
    school_year: str
    reason: str
    decided_by: str
    decided_on: date


def route_refusal(instrument: Instrument, choice: RouteChoice | None, exception: RouteException | None,
                  on: date) -> str | None:
    """Why an institution exam on `on` may not use this instrument under the route choice, or None.
    The choice must be made "voorafgaand aan inzet van exameninstrumenten" and the instrument's route
    must be among the chosen ones; the commission may decide otherwise with a recorded reason."""
    if exception is not None and exception.decided_on <= on:
        return None
    year = school_year_of(on)
    override = ("De examencommissie kan een afwijking vastleggen met een reden (Register → instrument → "
                "Afwijking routekeuze).")
    if choice is None:
        return (f"Voor crebo {instrument.crebo} is voor schooljaar {year} geen routekeuze vastgelegd; de school kiest "
                "vóór de inzet van exameninstrumenten per kwalificatie welke route(s) zij volgt (Afspraken valide "
                f"exameninstrumenten, §5). {override}")
    if not choice.in_force_on(on):
        return (f"De routekeuze voor crebo {instrument.crebo} ({year}) is pas op {format_date(choice.adopted_on)} "
                f"vastgesteld, na de datum van deze afname ({format_date(on)}); de keuze hoort vóór de inzet van "
                f"exameninstrumenten. {override}")
    mismatch = route_mismatch(instrument, choice)
    if mismatch:
        return f"{instrument.code}: {mismatch} {override}"
    return None


def routes_to_text(routes: Iterable[int]) -> str:
    return ",".join(str(r) for r in sorted(set(routes)))


def routes_from_text(text: str) -> frozenset[int]:
    return frozenset(int(p) for p in text.split(",") if p.strip())


def route_mismatch(instrument: Instrument, choice: RouteChoice | None) -> str | None:
    """A Dutch sentence when the instrument's route is not among the routes chosen for its
    kwalificatie that year; None when it fits or when there is no choice (flagged separately)."""
    if choice is None or instrument.route in choice.routes:
        return None
    return (f"Route {instrument.route} is niet gekozen voor crebo {choice.crebo} in schooljaar {choice.school_year} "
            f"(gekozen: route {choice.routes_label}).")


# --- checks on input ---------------------------------------------------------------------------------

_CREBO_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def normalise_crebo(value: object) -> str:
    """'25.080' (Excel's thousands point) and 25080.0 become '25080'; anything not 5 digits is refused."""
    if value is None:
        raise ValidationError("Vul de crebo in.")
    if isinstance(value, bool):
        raise ValidationError(f"Crebo '{value}' is geen getal van 5 cijfers.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(f"Crebo '{value}' is geen getal van 5 cijfers.")
        value = int(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        raise ValidationError("Vul de crebo in.")
    if _CREBO_GROUPED.match(text):
        text = text.replace(".", "")
    if not text.isdigit() or not text.isascii():
        raise ValidationError(f"Crebo '{str(value).strip()}' is geen getal van 5 cijfers.")
    if len(text) != 5:
        raise ValidationError(f"Crebo '{text}' heeft {len(text)} cijfers; een crebo heeft er precies 5.")
    return text


def parse_niveau(value: object) -> int:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text.lower() in ("entree", "e"):
        return 1
    if not text:
        raise ValidationError("Vul het niveau in (1 tot en met 4; 1 is Entree).")
    if not text.isdigit() or int(text) not in NIVEAUS:
        raise ValidationError(f"Niveau {text} bestaat niet; kies 1 (Entree) tot en met 4.")
    return int(text)


def parse_route(value: object) -> int:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    text = text.lower().removeprefix("route").strip()
    if not text:
        raise ValidationError("Vul de route in (1, 2 of 3).")
    if not text.isdigit() or int(text) not in ROUTES:
        raise ValidationError(f"Route {text} bestaat niet; kies route 1, 2 of 3.")
    return int(text)


@dataclass(frozen=True)
class InstrumentDraft:
    """What the user fills in for a new or edited instrument, before it has an id."""

    code: str
    title: str
    crebo: str
    part: str
    kind: str
    formative: bool
    route: int
    supplier_id: str | None = None
    validator: str = ""
    validation_date: date | None = None
    version: str = "1"
    assignments: Assignments | str = Assignments.FIXED
    purchased_on: date | None = None

    def checked(self, today: date) -> InstrumentDraft:
        """The draft with whitespace trimmed and the kind normalised; raises ValidationError on a broken rule."""
        code = self.code.strip()
        title = self.title.strip()
        if not code:
            raise ValidationError("Vul de code van het instrument in.")
        if not title:
            raise ValidationError("Vul de titel van het instrument in.")
        crebo = normalise_crebo(self.crebo)
        kind = normalise_kind(self.kind)
        if self.route not in ROUTES:
            raise ValidationError(f"Route {self.route} bestaat niet; kies route 1, 2 of 3.")
        supplier_id = self.supplier_id or None
        if self.route == 1 and not supplier_id:
            raise ValidationError("Route 1 vraagt een examenleverancier: kies de leverancier.")
        validator = self.validator.strip()
        if self.validation_date is not None and self.validation_date > today:
            raise ValidationError(
                f"De validatiedatum ({format_date(self.validation_date)}) ligt in de toekomst.")
        version = self.version.strip() or "1"
        assignments = parse_assignments(self.assignments)
        purchased_on = self.purchased_on if self.route == 1 else None
        if purchased_on is not None and purchased_on > today:
            raise ValidationError(f"De inkoopdatum ({format_date(purchased_on)}) ligt in de toekomst.")
        return InstrumentDraft(code, title, crebo, self.part.strip(), kind, bool(self.formative), self.route,
                               supplier_id, validator, self.validation_date, version, assignments, purchased_on)


def parse_assignments(value: object) -> Assignments:
    """'vast' / 'vervangbaar' (also 'ja'/'nee' for 'opdrachten vervangbaar?' in a spreadsheet)."""
    if isinstance(value, Assignments):
        return value
    key = str(value or "").strip().lower()
    aliases = {"": Assignments.FIXED, "vast": Assignments.FIXED, "nee": Assignments.FIXED, "n": Assignments.FIXED,
               "vaste examenopdracht": Assignments.FIXED, "vervangbaar": Assignments.REPLACEABLE,
               "ja": Assignments.REPLACEABLE, "j": Assignments.REPLACEABLE,
               "opdrachten vervangbaar": Assignments.REPLACEABLE}
    if key not in aliases:
        raise ValidationError(f"Onbekende waarde '{value}' voor de opdrachten; kies 'vast' of 'vervangbaar'.")
    return aliases[key]


def check_purchase(purchased_on: date | None, supplier: Supplier | None) -> None:
    """Route 1: "de mbo-school [koopt] bij het doorlopen van route 1 exameninstrumenten enkel bij (een)
    hiertoe gecertificeerde examenleverancier(s) in" — a purchase date outside every certificate
    period of the supplier is refused."""
    if purchased_on is None or supplier is None:
        return
    if not supplier.certified_on(purchased_on):
        raise ValidationError(
            f"De inkoopdatum {format_date(purchased_on)} valt buiten elke certificaatperiode van {supplier.name} "
            f"(certificaten: {supplier.periods_sentence()}); route 1 vraagt inkoop bij een gecertificeerde "
            "examenleverancier.")


@dataclass(frozen=True)
class SupplierDraft:
    name: str
    authority: str = ""
    certificate_number: str = ""
    certified_from: date | None = None
    certified_until: date | None = None
    cooperative: bool = False

    def checked(self) -> SupplierDraft:
        name = self.name.strip()
        if not name:
            raise ValidationError("Vul de naam van de examenleverancier in.")
        number = self.certificate_number.strip()
        if number and self.certified_until is None:
            raise ValidationError(f"Vul in tot wanneer het certificaat van {name} geldig is.")
        if (self.certified_from or self.certified_until) and not number:
            raise ValidationError(f"Vul het certificaatnummer van {name} in, of laat de certificaatdatums leeg.")
        if self.certified_from and self.certified_until and self.certified_from > self.certified_until:
            raise ValidationError(f"Het certificaat van {name} eindigt ({format_date(self.certified_until)}) "
                                  f"vóór het begint ({format_date(self.certified_from)}).")
        return SupplierDraft(name, self.authority.strip(), number, self.certified_from, self.certified_until,
                             bool(self.cooperative))


# Fields that say *what* the adopted instrument is: changing them is a change of the instrument,
# which ends its validity, so it must first be marked 'gewijzigd' (with a reason).
PROTECTED_FIELDS: tuple[str, ...] = ("crebo", "part", "kind", "formative", "route", "supplier_id", "validator",
                                     "validation_date", "version", "assignments", "purchased_on")
FIELD_LABELS: dict[str, str] = {
    "code": "code", "title": "titel", "crebo": "kwalificatie", "part": "onderdeel", "kind": "soort",
    "formative": "formatief/summatief", "route": "route", "supplier_id": "leverancier",
    "validator": "externe validator", "validation_date": "validatiedatum", "version": "versie",
    "assignments": "opdrachten (vast of vervangbaar)", "purchased_on": "inkoopdatum",
}


@dataclass(frozen=True)
class Transition:
    """A request to move an instrument to a new status."""

    status: Status
    effective_on: date
    decision_number: str = ""
    reason: str = ""


def check_transition(instrument: Instrument, statuses: Sequence[StatusEntry], step: Transition,
                     today: date, criteria: Sequence[CriterionCheck] = ()) -> Transition:
    """The status steps the register allows, with their Dutch refusals; returns the step tidied."""
    history = ordered(statuses)
    current = history[-1].status if history else None
    decided = [s for s in history if s.status is not Status.CONCEPT]
    latest = decided[-1] if decided else None
    registration = registered_on(history)
    reason = step.reason.strip()
    decision = step.decision_number.strip()
    if step.effective_on > today:
        what = {Status.ADOPTED: "vaststelling", Status.CHANGED: "wijziging", Status.WITHDRAWN: "intrekking",
                Status.PROVISIONAL: "vervanging", Status.CONCEPT: "registratie"}[step.status]
        raise ValidationError(f"De datum van {what} ({format_date(step.effective_on)}) ligt in de toekomst.")
    if latest is not None and step.effective_on < latest.effective_on:
        raise ValidationError(
            f"De datum ({format_date(step.effective_on)}) ligt vóór de laatste stap in de geschiedenis van "
            f"{instrument.code} ({format_date(latest.effective_on)}).")
    if current is Status.WITHDRAWN:
        raise ValidationError(f"{instrument.code} is ingetrokken; een ingetrokken instrument blijft ingetrokken. "
                              "Registreer een nieuwe versie als nieuw instrument.")
    if step.status is Status.ADOPTED:
        if current is Status.ADOPTED:
            raise ValidationError(f"{instrument.code} is al vastgesteld.")
        if not decision:
            raise ValidationError("Vul het besluitnummer van de vaststelling in.")
        if registration is not None and step.effective_on < registration:
            # No back-dated validity: an adoption cannot precede the instrument's registration.
            raise ValidationError(
                f"De vaststelling ({format_date(step.effective_on)}) ligt vóór de registratie van {instrument.code} "
                f"({format_date(registration)}); een instrument kan niet worden vastgesteld voordat het in het "
                "register staat.")
        change = next((s for s in reversed(history) if s.status in (Status.CHANGED, Status.PROVISIONAL)), None)
        if instrument.route == 2:
            # Bijlage 2 A: the five criteria "wordt toegepast bij zelf of samen construeren van
            # examenproducten en het vaststellen ervan"; 2 B: "aantoonbaar deskundig".
            since = change.effective_on if change is not None and not instrument.replaceable else None
            missing = missing_criteria(criteria, step.effective_on, since)
            if missing:
                after = f" na de wijziging van {format_date(since)}" if since else ""
                raise ValidationError(
                    f"{instrument.code} (route 2) kan nog niet worden vastgesteld: deze criteria van bijlage 2 zijn "
                    f"niet als voldaan vastgelegd{after}: {criteria_sentence(missing)}.")
        if change is not None and not instrument.replaceable and not renewed(
                instrument, criteria, change.effective_on, step.effective_on):
            raise ValidationError(
                f"{instrument.code} heeft een vaste examenopdracht en is op {format_date(change.effective_on)} "
                "gewijzigd; opnieuw vaststellen alleen maakt het niet weer valide (seed 000: 'De validiteit van "
                "een exameninstrument eindigt zodra het exameninstrument met vaste examenopdracht gewijzigd "
                f"wordt'). Nodig is eerst {renewal_needed(instrument)}; of registreer de nieuwe versie als nieuw "
                "instrument.")
    elif step.status is Status.CHANGED:
        if current not in (Status.ADOPTED, Status.PROVISIONAL):
            raise ValidationError(f"{instrument.code} is niet vastgesteld; alleen een vastgesteld instrument kan "
                                  "als gewijzigd worden gemarkeerd.")
        if not reason:
            raise ValidationError("Geef de reden van de wijziging.")
    elif step.status is Status.PROVISIONAL:
        if not instrument.replaceable:
            raise ValidationError(
                f"{instrument.code} heeft een vaste examenopdracht; opdrachten vervangen is dan een wijziging van "
                "het instrument (markeer het als gewijzigd). Alleen bij een instrument waarvan de school de "
                "opdrachten mag vervangen, kan dat onder voorbehoud van een nieuwe vaststelling.")
        if current not in (Status.ADOPTED, Status.PROVISIONAL):
            raise ValidationError(f"{instrument.code} is niet vastgesteld; alleen bij een vastgesteld instrument "
                                  "kunnen opdrachten onder voorbehoud worden vervangen.")
        if not reason:
            raise ValidationError("Beschrijf welke opdracht de school heeft vervangen.")
    elif step.status is Status.WITHDRAWN:
        if not reason:
            raise ValidationError("Geef de reden van de intrekking.")
    else:
        if current is not None:
            raise ValidationError(f"{instrument.code} heeft al een geschiedenis; het kan niet opnieuw concept worden.")
    return Transition(step.status, step.effective_on, decision, reason)


# --- filtering the register (the screen and the CLI use the same rule) ------------------------------

@dataclass(frozen=True)
class RegisterFilter:
    """What the user narrows the register to. Empty fields do not filter."""

    text: str = ""
    status: Status | None = None
    route: int | None = None
    supplier_id: str | None = None
    invalid_on: date | None = None
    expiring_within: int | None = None   # valid today, not valid any more after this many days
    no_route_choice: bool = False        # kwalificaties with instruments but no route choice this year
    route_mismatch: bool = False
    route_choice_signals: bool = False   # kwalificaties whose choice lacks considerations or came late
