"""`examdesk report …`: the official documents from the command line.

    examdesk report procesverbaal SESSION --out F.pdf
    examdesk report inspectie INCIDENT --out F.pdf
    examdesk report besluit DECISION --out F.pdf
    examdesk report jaarverslag --schooljaar 2025-2026 --out F.pdf
    examdesk report incidenten --van D --tot D [filters] --out F.pdf|F.xlsx|F.csv

Each document is issued exactly as in the GUI (stored with its fingerprint, audited). SESSION, INCIDENT
and DECISION are ids or their first 8 (or more) characters; left out, the most recent choices are listed
(exit 2). Unknown ids and empty periods give one Dutch line and exit 1; no file is left behind."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from examdesk.domain.plural import counted

if TYPE_CHECKING:
    from examdesk.data.db import Store
    from examdesk.services.documents import DocumentService


def _write_pdf(path: Path, pdf: bytes) -> None:
    from examdesk.domain.errors import ValidationError

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(pdf)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"{path} kan niet worden geschreven: {exc.strerror}.") from None


def _check_out(path: Path, allowed: tuple[str, ...]) -> None:
    from examdesk.domain.errors import ValidationError

    if path.suffix.lower() not in allowed:
        raise ValidationError(f"{path.name}: het uitvoerbestand moet eindigen op {' of '.join(allowed)}.")
    if not path.parent.exists():
        raise ValidationError(f"De map {path.parent} bestaat niet.")


# document kind → (what names its subject, sentence when there is nothing to choose, the thing to give)
_NAMED = {
    "procesverbaal": ("afname", "Er zijn geen afnames om een procesverbaal van te maken.", "de afname"),
    "inspectie": ("incident", "Er zijn geen incidenten bij een centraal examen die bij de Inspectie moeten worden "
                              "gemeld.", "het incident"),
    "besluit": ("besluit", "Er zijn nog geen besluiten over een kandidaat.", "het besluit"),
}


def _issue(args: argparse.Namespace, kind: str, subject: Callable[[DocumentService], str | None]) -> int:
    """Logs in, asks `subject` for the subject id (None: it listed the choices instead) and issues."""
    from examdesk.cli import EXIT_OK, EXIT_USAGE, Stdin, login_from_args, open_from_args
    from examdesk.domain.fingerprint import grouped
    from examdesk.services.documents import DocumentService

    out = Path(args.out)
    _check_out(out, (".pdf",))
    store = open_from_args(args, create=False)
    try:
        service = DocumentService(login_from_args(args, store, Stdin()))
        subject_id = subject(service)
        if subject_id is None:
            return EXIT_USAGE
        record, pdf = service.issue(kind, subject_id)
    finally:
        store.close()
    _write_pdf(out, pdf)
    sys.stdout.write(f"{record.title}: {out} (vingerafdruk {grouped(record.fingerprint, 4)} …)\n")
    return EXIT_OK


def _named(args: argparse.Namespace, kind: str, text: str | None) -> int:
    """A document about one session, incident or decision, named by its id or its first 8 characters;
    without one, the most recent it could be about are listed."""
    from examdesk.cli import list_choices
    from examdesk.services.ids import resolve_id

    what, nothing, phrase = _NAMED[kind]

    def subject(service: DocumentService) -> str | None:
        if text is None:
            list_choices(service.subjects(kind), nothing, phrase)
            return None
        return resolve_id(service.ctx.store, what, text)

    return _issue(args, kind, subject)


def cmd_procesverbaal(args: argparse.Namespace) -> int:
    return _named(args, "procesverbaal", args.session)


def cmd_inspectie(args: argparse.Namespace) -> int:
    return _named(args, "inspectie", args.incident)


def cmd_besluit(args: argparse.Namespace) -> int:
    return _named(args, "besluit", args.decision)


def cmd_jaarverslag(args: argparse.Namespace) -> int:
    from examdesk.domain.register import parse_school_year

    parse_school_year(args.schooljaar)
    return _issue(args, "jaarverslag", lambda _service: args.schooljaar.strip())


def _date(text: str, what: str):
    from examdesk.domain.clock import parse_date
    from examdesk.domain.errors import ValidationError

    try:
        return parse_date(text)
    except ValueError:
        raise ValidationError(f"{what} '{text}' is geen datum; schrijf dd-mm-jjjj of jjjj-mm-dd.") from None


def cmd_incidenten(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.incident_desk import IncidentFilter
    from examdesk.services.doc_incidenten import export_incidents, subject_of
    from examdesk.services.ids import resolve_id

    out = Path(args.out)
    _check_out(out, (".pdf", ".xlsx", ".csv"))
    period = _date(args.van, "Begindatum"), _date(args.tot, "Einddatum")
    subject_of(IncidentFilter(date_from=period[0], date_to=period[1]))  # a bad period before the password

    def overview(store: Store) -> IncidentFilter:
        session = resolve_id(store, "afname", args.afname) if args.afname else ""
        return IncidentFilter(date_from=period[0], date_to=period[1], status=args.status or "",
                              category=args.categorie or "", handler=args.route or "", location_id=args.locatie,
                              session_id=session)

    if out.suffix.lower() == ".pdf":
        return _issue(args, "incidenten", lambda service: subject_of(overview(service.ctx.store)))
    store = open_from_args(args, create=False)
    try:
        ctx = login_from_args(args, store, Stdin())
        count = export_incidents(ctx, overview(store), out)
    finally:
        store.close()
    sys.stdout.write(f"{counted(count, 'incident')} geschreven naar {out}\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import Parser, actor_options

    report = sub.add_parser("report", help="officiële documenten maken (procesverbaal, Inspectieformulier, besluit, "
                                           "jaarverslag, incidentenoverzicht)")
    group = report.add_subparsers(title="documenten", metavar="DOCUMENT", parser_class=Parser, required=True)

    def document(name: str, help_text: str, func, subject: str | None = None, metavar: str = "") -> argparse.ArgumentParser:
        p = group.add_parser(name, parents=[db_option], help=help_text)
        if subject:
            p.add_argument(subject, metavar=metavar, nargs="?",
                           help="id of de eerste 8 tekens ervan; zonder: toon de recentste keuzes")
        p.add_argument("--out", required=True, metavar="BESTAND", help="waar het document wordt opgeslagen")
        actor_options(p)
        p.set_defaults(func=func)
        return p

    document("procesverbaal", "procesverbaal van een afname", cmd_procesverbaal, "session", "AFNAME")
    document("inspectie", "aanvraagformulier opnieuw afnemen centraal examen (indiener: --user)", cmd_inspectie,
             "incident", "INCIDENT")
    document("besluit", "besluit van de examencommissie aan de kandidaat", cmd_besluit, "decision", "BESLUIT")
    p = document("jaarverslag", "jaarverslag van de examencommissie", cmd_jaarverslag)
    p.add_argument("--schooljaar", required=True, metavar="JJJJ-JJJJ", help="bijvoorbeeld 2025-2026")
    p = document("incidenten", "incidentenoverzicht als PDF, XLSX of CSV", cmd_incidenten)
    p.add_argument("--van", required=True, metavar="DATUM", help="begindatum (dd-mm-jjjj of jjjj-mm-dd)")
    p.add_argument("--tot", required=True, metavar="DATUM", help="einddatum, inbegrepen")
    p.add_argument("--status", metavar="STATUS", help="open, in behandeling, besloten, gemeld bij Inspectie, afgesloten")
    p.add_argument("--categorie", metavar="CODE", help="categoriecode uit de incidentcatalogus, bv. ONWEL")
    p.add_argument("--route", choices=("examencommissie", "inspectie", "minister"), help="afhandelingsroute")
    p.add_argument("--locatie", type=int, metavar="ID", help="locatie-id")
    p.add_argument("--afname", metavar="AFNAME", help="alleen deze afname (id of de eerste 8 tekens)")
