"""`examdesk report …`: the official documents from the command line.

    examdesk report procesverbaal SESSION --out F.pdf
    examdesk report inspectie INCIDENT --out F.pdf
    examdesk report besluit DECISION --out F.pdf
    examdesk report jaarverslag --schooljaar 2025-2026 --out F.pdf
    examdesk report incidenten --van D --tot D [filters] --out F.pdf|F.xlsx|F.csv

Each document is issued exactly as in the GUI (stored with its fingerprint, audited). Unknown ids and
empty periods give one Dutch line and exit 1; no file is left behind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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


def _issue(args: argparse.Namespace, kind: str, subject_id: str) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.fingerprint import grouped
    from examdesk.services.documents import DocumentService

    out = Path(args.out)
    _check_out(out, (".pdf",))
    store = open_from_args(args, create=False)
    try:
        record, pdf = DocumentService(login_from_args(args, store, Stdin())).issue(kind, subject_id)
    finally:
        store.close()
    _write_pdf(out, pdf)
    sys.stdout.write(f"{record.title}: {out} (vingerafdruk {grouped(record.fingerprint, 4)} …)\n")
    return EXIT_OK


def cmd_procesverbaal(args: argparse.Namespace) -> int:
    return _issue(args, "procesverbaal", args.session)


def cmd_inspectie(args: argparse.Namespace) -> int:
    return _issue(args, "inspectie", args.incident)


def cmd_besluit(args: argparse.Namespace) -> int:
    return _issue(args, "besluit", args.decision)


def cmd_jaarverslag(args: argparse.Namespace) -> int:
    from examdesk.domain.register import parse_school_year

    parse_school_year(args.schooljaar)
    return _issue(args, "jaarverslag", args.schooljaar.strip())


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

    out = Path(args.out)
    _check_out(out, (".pdf", ".xlsx", ".csv"))
    f = IncidentFilter(date_from=_date(args.van, "Begindatum"), date_to=_date(args.tot, "Einddatum"),
                       status=args.status or "", category=args.categorie or "", handler=args.route or "",
                       location_id=args.locatie, session_id=args.afname or "")
    subject = subject_of(f)
    if out.suffix.lower() == ".pdf":
        return _issue(args, "incidenten", subject)
    store = open_from_args(args, create=False)
    try:
        count = export_incidents(login_from_args(args, store, Stdin()), f, out)
    finally:
        store.close()
    sys.stdout.write(f"{count} incidenten geschreven naar {out}\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import Parser, actor_options

    report = sub.add_parser("report", help="officiële documenten maken (procesverbaal, Inspectieformulier, besluit, "
                                           "jaarverslag, incidentenoverzicht)")
    group = report.add_subparsers(title="documenten", metavar="DOCUMENT", parser_class=Parser, required=True)

    def document(name: str, help_text: str, func, subject: str | None = None, metavar: str = "") -> argparse.ArgumentParser:
        p = group.add_parser(name, parents=[db_option], help=help_text)
        if subject:
            p.add_argument(subject, metavar=metavar)
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
    p.add_argument("--afname", metavar="AFNAME", help="alleen deze afname")
