"""The instrument register's rules: what a kwalificatie, supplier and instrument are, when an
instrument is valid on a date (and why not), who may use which product, and the route choice
per kwalificatie per school year.

Source: Afspraken valide exameninstrumenten mbo 2024 (seed 000) and the Coöperatie Examens MBO
decision of 26 March 2026 on target groups (seed 002). Central exams are not register
instruments; nothing here applies to them.
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
    Status.PROVISIONAL: "valide onder voorbehoud",
    Status.WITHDRAWN: "ingetrokken",
}

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
class Supplier:
    id: str
    name: str
    authority: str = ""
    certificate_number: str = ""
    certified_from: date | None = None
    certified_until: date | None = None

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number) and self.certified_until is not None

    def certified_on(self, on: date) -> bool:
        return (self.has_certificate and (self.certified_from is None or self.certified_from <= on)
                and self.certified_until is not None and on <= self.certified_until)

    def expires_within(self, on: date, days: int) -> bool:
        """Certified on `on`, but no longer `days` days later."""
        return self.certified_on(on) and not self.certified_on(on + timedelta(days=days))

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

    @property
    def purpose_label(self) -> str:
        return "formatief" if self.formative else "summatief"


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
            text = f"{when} valide onder voorbehoud: {self.reason}"
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


# --- validity ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ValidityVerdict:
    """Valid or not on a date; each reason is one Dutch sentence. `provisional` marks
    *valide onder voorbehoud*: usable, but awaiting the commission's adoption."""

    valid: bool
    reasons: tuple[str, ...] = ()
    provisional: bool = False
    on: date | None = None

    @property
    def sentence(self) -> str:
        """The verdict in one line, as the detail panel shows it."""
        when = format_date(self.on) if self.on else ""
        if not self.valid:
            return " ".join(self.reasons)
        if self.provisional:
            return (f"Valide op {when} onder voorbehoud: de school heeft een opdracht vervangen; "
                    "de examencommissie moet het instrument opnieuw vaststellen.")
        return f"Valide op {when}."


def validity(instrument: Instrument, statuses: Sequence[StatusEntry], supplier: Supplier | None,
             qualification: Qualification | None, on: date) -> ValidityVerdict:
    """Is the instrument valid on `on`, and if not, every reason why (one sentence each).

    Only the status steps that took effect by `on` count, so the same history answers for any date.
    """
    reasons: list[str] = []
    prefix = _Prefix(on)
    current = status_on(statuses, on)
    provisional = False
    if current is None or current.status is Status.CONCEPT:
        reasons.append(prefix + "het instrument is (nog) niet vastgesteld door de examencommissie.")
    elif current.status is Status.CHANGED:
        reasons.append(prefix + f"het instrument is op {dmy(current.effective_on)} gewijzigd "
                                f"({_clause(current.reason)}) en sindsdien niet opnieuw vastgesteld.")
    elif current.status is Status.WITHDRAWN:
        reasons.append(prefix + f"het instrument is ingetrokken op {dmy(current.effective_on)} "
                                f"({_clause(current.reason)}).")
    elif current.status is Status.PROVISIONAL:
        if instrument.route == 1:
            provisional = True
        else:
            reasons.append(prefix + f"'valide onder voorbehoud' geldt alleen voor route 1, en dit instrument "
                                    f"volgt route {instrument.route}; de examencommissie moet het opnieuw vaststellen.")

    if instrument.route == 1:
        if supplier is None:
            reasons.append(prefix + "route 1 vraagt een gecertificeerde examenleverancier, maar er is geen "
                                    "leverancier vastgelegd.")
        elif not supplier.has_certificate:
            reasons.append(prefix + f"van {supplier.name} is geen certificaat vastgelegd (route 1 vraagt een "
                                    "gecertificeerde examenleverancier).")
        elif supplier.certified_from is not None and on < supplier.certified_from:
            reasons.append(prefix + f"het certificaat van {supplier.name} geldt pas vanaf "
                                    f"{dmy(supplier.certified_from)}.")
        elif supplier.certified_until is not None and on > supplier.certified_until:
            reasons.append(prefix + f"het certificaat van {supplier.name} is verlopen op "
                                    f"{dmy(supplier.certified_until)}.")
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
        return ValidityVerdict(False, tuple(reasons), False, on)
    return ValidityVerdict(True, (), provisional, on)


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
    crebo: str
    school_year: str
    routes: frozenset[int]
    considerations: str
    adopted_by: str
    adopted_on: date

    @property
    def routes_label(self) -> str:
        return ", ".join(str(r) for r in sorted(self.routes))


def validate_route_choice(routes: Iterable[int], considerations: str, adopted_on: date, today: date,
                          school_year: str) -> tuple[frozenset[int], str]:
    """Route 1 is the norm; choosing route 2 or 3 needs the considerations (why not buy)."""
    parse_school_year(school_year)
    chosen = frozenset(routes)
    if not chosen:
        raise ValidationError("Kies minstens één route (1, 2 of 3).")
    wrong = sorted(r for r in chosen if r not in ROUTES)
    if wrong:
        raise ValidationError(f"Route {wrong[0]} bestaat niet; kies uit route 1, 2 en 3.")
    text = considerations.strip()
    if (2 in chosen or 3 in chosen) and not text:
        raise ValidationError("Leg de afwegingen vast: bij route 2 of 3 moet staan waarom er niet wordt ingekocht.")
    if adopted_on > today:
        raise ValidationError(f"De datum van vaststelling ({format_date(adopted_on)}) ligt in de toekomst.")
    return chosen, text


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
        return InstrumentDraft(code, title, crebo, self.part.strip(), kind, bool(self.formative), self.route,
                               supplier_id, validator, self.validation_date, version)


@dataclass(frozen=True)
class SupplierDraft:
    name: str
    authority: str = ""
    certificate_number: str = ""
    certified_from: date | None = None
    certified_until: date | None = None

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
        return SupplierDraft(name, self.authority.strip(), number, self.certified_from, self.certified_until)


# Fields that say *what* the adopted instrument is: changing them is a change of the instrument,
# which ends its validity, so it must first be marked 'gewijzigd' (with a reason).
PROTECTED_FIELDS: tuple[str, ...] = ("crebo", "part", "kind", "formative", "route", "supplier_id", "validator",
                                     "validation_date", "version")
FIELD_LABELS: dict[str, str] = {
    "code": "code", "title": "titel", "crebo": "kwalificatie", "part": "onderdeel", "kind": "soort",
    "formative": "formatief/summatief", "route": "route", "supplier_id": "leverancier",
    "validator": "externe validator", "validation_date": "validatiedatum", "version": "versie",
}


@dataclass(frozen=True)
class Transition:
    """A request to move an instrument to a new status."""

    status: Status
    effective_on: date
    decision_number: str = ""
    reason: str = ""


def check_transition(instrument: Instrument, statuses: Sequence[StatusEntry], step: Transition,
                     today: date) -> Transition:
    """The status steps the register allows, with their Dutch refusals; returns the step tidied."""
    history = ordered(statuses)
    current = history[-1].status if history else None
    decided = [s for s in history if s.status is not Status.CONCEPT]
    latest = decided[-1] if decided else None
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
    elif step.status is Status.CHANGED:
        if current not in (Status.ADOPTED, Status.PROVISIONAL):
            raise ValidationError(f"{instrument.code} is niet vastgesteld; alleen een vastgesteld instrument kan "
                                  "als gewijzigd worden gemarkeerd.")
        if not reason:
            raise ValidationError("Geef de reden van de wijziging.")
    elif step.status is Status.PROVISIONAL:
        if instrument.route != 1:
            raise ValidationError("'Valide onder voorbehoud' geldt alleen voor een route-1-instrument waarvan de "
                                  "school een opdracht heeft vervangen.")
        if current is not Status.ADOPTED:
            raise ValidationError(f"{instrument.code} is niet vastgesteld; alleen een vastgesteld instrument kan "
                                  "onder voorbehoud valide zijn.")
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

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.status or self.route or self.supplier_id or self.invalid_on
                    or self.expiring_within or self.no_route_choice or self.route_mismatch)
