"""Reading rows of a kwalificatie, instrument or supplier list into register values: which columns
mean what (the names people give them in Excel), how cells are read, and the Dutch message for
every bad cell. Pure functions: the file is read elsewhere, the database is consulted elsewhere."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from examdesk.domain.errors import ValidationError
from examdesk.domain.register import (
    QualificationKind,
    normalise_crebo,
    normalise_kind,
    parse_niveau,
    parse_route,
)


class ImportKind(StrEnum):
    QUALIFICATIONS = "kwalificaties"
    INSTRUMENTS = "instrumenten"
    SUPPLIERS = "leveranciers"


@dataclass(frozen=True)
class ImportIssue:
    """One thing wrong in a file: the row as the user sees it in Excel (header = its own row number),
    the column by its header, and what is wrong."""

    row: int
    column: str
    message: str

    @property
    def sentence(self) -> str:
        where = f"Rij {self.row}" if self.row else "Bestand"
        if self.column:
            where += f", kolom '{self.column}'"
        return f"{where}: {self.message}"


class ImportRefused(ValidationError):
    """A file with errors, refused as a whole; nothing was saved. `issues` lists every error."""

    def __init__(self, message: str, issues: Sequence[ImportIssue]):
        super().__init__(message)
        self.issues = list(issues)


@dataclass(frozen=True)
class Column:
    key: str
    label: str                   # how messages name it when the file lacks it
    aliases: tuple[str, ...]     # normalised header texts that mean this column
    required: bool = False


def normalise_header(text: object) -> str:
    """'Kwalificatie_crebo ' → 'kwalificatie crebo'; also drops a BOM, '*' and ':'."""
    value = "" if text is None else str(text)
    value = value.replace("\ufeff", "").strip().lower().rstrip(":*").strip()
    value = re.sub(r"[_\-./]+", " ", value)
    return " ".join(value.split())


QUALIFICATION_COLUMNS: tuple[Column, ...] = (
    Column("crebo", "crebo", ("crebo", "kwalificatie crebo", "crebo kwalificatie", "crebocode", "crebonummer",
                              "crebo code", "crebo nummer", "code"), True),
    Column("name", "naam", ("naam", "kwalificatie", "kwalificatienaam", "naam kwalificatie", "omschrijving",
                            "benaming", "kwalificatie naam", "opleiding"), True),
    Column("niveau", "niveau", ("niveau", "mbo niveau", "niveau kwalificatie"), True),
    Column("dossier", "kwalificatiedossier", ("kwalificatiedossier", "dossier", "naam dossier",
                                              "kwalificatiedossier naam", "dossiernaam")),
    Column("dossier_crebo", "dossier crebo", ("dossier crebo", "crebo dossier", "dossiercrebo")),
    Column("domain", "opleidingsdomein", ("opleidingsdomein", "domein")),
    Column("kind", "soort", ("soort", "type", "soort kwalificatie", "kwalificatiesoort")),
    Column("valid_from", "geldig van", ("geldig van", "geldig vanaf", "begindatum", "ingangsdatum", "startdatum",
                                        "geldigheid van", "geldigheid vanaf", "van")),
    Column("valid_until", "geldig tot", ("geldig tot", "geldig tot en met", "geldig t m", "einddatum",
                                         "vervaldatum", "geldigheid tot", "geldigheid tot en met", "tot",
                                         "tot en met")),
)

SUPPLIER_COLUMNS: tuple[Column, ...] = (
    Column("name", "naam", ("naam", "leverancier", "examenleverancier", "naam leverancier"), True),
    Column("authority", "certificerende instelling", ("certificerende instelling", "certificerende autoriteit",
                                                      "certificeerder", "instelling", "autoriteit")),
    Column("certificate_number", "certificaatnummer", ("certificaatnummer", "certificaat", "certificaat nr",
                                                       "certificaatnr", "nummer certificaat")),
    Column("certified_from", "gecertificeerd van", ("gecertificeerd van", "gecertificeerd vanaf", "geldig van",
                                                    "geldig vanaf", "certificaat geldig van", "van",
                                                    "certificaat van", "geldigheid van")),
    Column("certified_until", "gecertificeerd tot", ("gecertificeerd tot", "gecertificeerd tot en met",
                                                     "geldig tot", "geldig tot en met", "certificaat geldig tot",
                                                     "tot", "tot en met", "certificaat tot", "geldigheid tot",
                                                     "vervaldatum")),
)

INSTRUMENT_COLUMNS: tuple[Column, ...] = (
    Column("code", "code", ("code", "instrumentcode", "code instrument", "instrument code"), True),
    Column("title", "titel", ("titel", "naam", "naam instrument", "instrument", "omschrijving"), True),
    Column("crebo", "crebo", ("crebo", "kwalificatie crebo", "crebo kwalificatie", "crebocode"), True),
    Column("part", "onderdeel", ("onderdeel", "kerntaak", "werkproces", "kerntaak werkproces", "examenonderdeel",
                                 "deel")),
    Column("kind", "soort", ("soort", "soort instrument", "type", "vorm", "examenvorm"), True),
    Column("formative", "formatief", ("formatief", "formatief summatief", "doel", "functie")),
    Column("route", "route", ("route",), True),
    Column("supplier", "leverancier", ("leverancier", "examenleverancier")),
    Column("validator", "externe validator", ("externe validator", "validator", "validerende instantie",
                                              "gevalideerd door")),
    Column("validation_date", "validatiedatum", ("validatiedatum", "datum validatie", "gevalideerd op")),
    Column("version", "versie", ("versie", "versienummer")),
    Column("adopted_on", "vaststellingsdatum", ("vaststellingsdatum", "vastgesteld op", "datum vaststelling")),
    Column("decision_number", "besluitnummer", ("besluitnummer", "besluit", "besluit nr", "besluitnr")),
)

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.QUALIFICATIONS: QUALIFICATION_COLUMNS,
    ImportKind.INSTRUMENTS: INSTRUMENT_COLUMNS,
    ImportKind.SUPPLIERS: SUPPLIER_COLUMNS,
}


@dataclass(frozen=True)
class HeaderMap:
    """Which column index holds which field, and the header text the user gave it."""

    index: dict[str, int]
    names: dict[str, str]
    missing: tuple[Column, ...]

    def has(self, key: str) -> bool:
        return key in self.index


def map_headers(headers: Sequence[object], columns: Sequence[Column]) -> HeaderMap:
    """First match wins, so the same header twice (a merged cell filled out) maps once."""
    normalised = [normalise_header(h) for h in headers]
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    taken: set[int] = set()
    for column in columns:
        for alias in column.aliases:
            found = next((i for i, h in enumerate(normalised) if h == alias and i not in taken), None)
            if found is not None:
                index[column.key] = found
                names[column.key] = str(headers[found]).replace("\ufeff", "").strip()
                taken.add(found)
                break
    missing = tuple(c for c in columns if c.required and c.key not in index)
    return HeaderMap(index, names, missing)


def header_score(headers: Sequence[object], columns: Sequence[Column]) -> int:
    mapped = map_headers(headers, columns)
    return len(mapped.index) + 2 * sum(1 for c in columns if c.required and c.key in mapped.index)


# --- cells -------------------------------------------------------------------------------------

def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_cell_date(value: object) -> date | None:
    """Real dates from Excel, or dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, jjjj-mm-dd as text. Empty is None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValidationError(f"'{text}' is geen bestaande datum.") from None
    raise ValidationError(f"'{text}' is geen datum; schrijf dd-mm-jjjj.")


_YES = {"ja", "j", "1", "true", "waar", "formatief", "f", "x", "yes"}
_NO = {"nee", "n", "0", "false", "onwaar", "summatief", "s", "", "no"}


def parse_formative(value: object) -> bool:
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"'{cell_text(value)}' is niet te lezen als formatief of summatief; schrijf 'formatief' "
                          "of 'summatief' (of ja/nee).")


def parse_qualification_kind(value: object) -> QualificationKind:
    text = cell_text(value).lower()
    if text in ("", "kwalificatie", "k"):
        return QualificationKind.KWALIFICATIE
    if text in ("mbo-certificaat", "mbo certificaat", "certificaat", "c"):
        return QualificationKind.CERTIFICAAT
    if text in ("generiek", "generiek onderdeel", "g"):
        return QualificationKind.GENERIEK
    raise ValidationError(f"Soort '{cell_text(value)}' bestaat niet; kies kwalificatie, mbo-certificaat of "
                          "generiek onderdeel.")


# --- rows --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QualificationRow:
    row: int
    crebo: str
    name: str
    niveau: int
    fields: dict[str, object]   # only the columns the file has (others keep what the register holds)


@dataclass(frozen=True)
class SupplierRow:
    row: int
    name: str
    fields: dict[str, object]


@dataclass(frozen=True)
class InstrumentRow:
    row: int
    code: str
    title: str
    crebo: str
    part: str
    kind: str
    formative: bool
    route: int
    supplier_name: str
    validator: str
    validation_date: date | None
    version: str
    adopted_on: date | None
    decision_number: str
    present: frozenset[str]     # which optional columns the file has


class RowReader:
    """Reads one row's cells by field key and collects an issue per bad cell instead of stopping."""

    def __init__(self, row: int, cells: Sequence[object], headers: HeaderMap):
        self.row = row
        self.cells = cells
        self.headers = headers
        self.issues: list[ImportIssue] = []

    def column(self, key: str) -> str:
        return self.headers.names.get(key, key)

    def raw(self, key: str) -> object:
        i = self.headers.index.get(key)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def parse(self, key: str, fn, default=None):
        try:
            return fn(self.raw(key))
        except ValidationError as exc:
            self.fail(key, exc.message)
            return default

    def required(self, key: str, label: str) -> str:
        value = self.text(key)
        if not value:
            self.fail(key, f"{label} ontbreekt.")
        return value

    def fail(self, key: str, message: str) -> None:
        self.issues.append(ImportIssue(self.row, self.column(key), message))


def read_qualification(reader: RowReader) -> QualificationRow | None:
    crebo = reader.parse("crebo", normalise_crebo, "")
    name = reader.required("name", "De naam")
    niveau = reader.parse("niveau", parse_niveau, 0)
    fields: dict[str, object] = {}
    for key in ("dossier", "dossier_crebo", "domain"):
        if reader.headers.has(key):
            fields[key] = reader.text(key)
    if reader.headers.has("dossier_crebo") and fields.get("dossier_crebo"):
        fields["dossier_crebo"] = reader.parse("dossier_crebo", normalise_crebo, "")
    if reader.headers.has("kind"):
        fields["kind"] = reader.parse("kind", parse_qualification_kind, QualificationKind.KWALIFICATIE)
    for key in ("valid_from", "valid_until"):
        if reader.headers.has(key):
            fields[key] = reader.parse(key, parse_cell_date)
    start, end = fields.get("valid_from"), fields.get("valid_until")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        reader.fail("valid_until", "De einddatum ligt vóór de begindatum.")
    if reader.issues:
        return None
    return QualificationRow(reader.row, crebo, name, niveau, fields)


def read_supplier(reader: RowReader) -> SupplierRow | None:
    name = reader.required("name", "De naam van de leverancier")
    fields: dict[str, object] = {}
    for key in ("authority", "certificate_number"):
        if reader.headers.has(key):
            fields[key] = reader.text(key)
    for key in ("certified_from", "certified_until"):
        if reader.headers.has(key):
            fields[key] = reader.parse(key, parse_cell_date)
    start, end = fields.get("certified_from"), fields.get("certified_until")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        reader.fail("certified_until", "Het certificaat eindigt vóór het begint.")
    if fields.get("certificate_number") and reader.headers.has("certified_until") and not end:
        reader.fail("certified_until", "Vul in tot wanneer het certificaat geldig is.")
    if reader.issues:
        return None
    return SupplierRow(reader.row, name, fields)


def read_instrument(reader: RowReader, today: date) -> InstrumentRow | None:
    code = reader.required("code", "De code")
    title = reader.required("title", "De titel")
    crebo = reader.parse("crebo", normalise_crebo, "")
    kind = reader.parse("kind", lambda v: normalise_kind(cell_text(v)), "")
    formative = reader.parse("formative", parse_formative, False)
    route = reader.parse("route", parse_route, 0)
    supplier = reader.text("supplier")
    if route == 1 and not supplier:
        reader.fail("supplier" if reader.headers.has("supplier") else "route",
                    "Route 1 vraagt een examenleverancier, maar de leverancier ontbreekt.")
    validation_date = reader.parse("validation_date", parse_cell_date)
    if validation_date and validation_date > today:
        reader.fail("validation_date", "De validatiedatum ligt in de toekomst.")
    adopted_on = reader.parse("adopted_on", parse_cell_date)
    decision = reader.text("decision_number")
    if adopted_on and adopted_on > today:
        reader.fail("adopted_on", "De vaststellingsdatum ligt in de toekomst; vaststellen kan alleen achteraf.")
    if adopted_on and not decision:
        reader.fail("decision_number" if reader.headers.has("decision_number") else "adopted_on",
                    "Bij een vaststelling hoort een besluitnummer.")
    if decision and not adopted_on and not any(i.column == reader.column("adopted_on") for i in reader.issues):
        reader.fail("adopted_on", "Bij een besluitnummer hoort een vaststellingsdatum.")
    if reader.issues:
        return None
    present = frozenset(k for k in ("part", "formative", "supplier", "validator", "validation_date", "version")
                        if reader.headers.has(k))
    return InstrumentRow(reader.row, code, title, crebo, reader.text("part"), kind, formative, route, supplier,
                         reader.text("validator"), validation_date, reader.text("version") or "1", adopted_on,
                         decision, present)
