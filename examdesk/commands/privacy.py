"""`examdesk privacy …` (retention periods, the list of what is due, anonymising it) and `examdesk export
betrokkene STUDENTNUMMER` (everything held about one candidate: a PDF and a JSON file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from examdesk.domain.plural import counted


def cmd_due(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.clock import format_date
    from examdesk.services.privacy import PrivacyService

    store = open_from_args(args)
    try:
        svc = PrivacyService(login_from_args(args, store, Stdin()))
        items = svc.due()
        accounts = svc.accounts_due()
    finally:
        store.close()
    for a in accounts:
        print(f"account {a.username}  {a.name}  bewaard t/m {format_date(a.keep_until)}  (uitgeschakeld; "
              "examdesk privacy account GEBRUIKERSNAAM)")
    if not items:
        print("Er zijn geen gegevens over de bewaartermijn.")
    for i in items:
        state = f"wacht: {i.blocked}" if i.blocked else "te anonimiseren"
        print(f"{i.student_number}  {i.name}  bewaard t/m {format_date(i.keep_until)}  ({state})")
    ready = sum(1 for i in items if i.can_anonymise)
    if items:
        print(f"{ready} van {len(items)} te anonimiseren: examdesk privacy anonimiseer STUDENTNUMMER …")
    return EXIT_OK


def _chosen(due: dict[str, int], asked: list[str], not_due: str, hint: str = "") -> list[int]:
    """The ids of what the user named, all of which must be on the due list; else nothing is changed."""
    from examdesk.domain.errors import NotFound

    unknown = [n for n in asked if n not in due]
    if unknown:
        raise NotFound(f"{not_due}: {', '.join(unknown)}. Er is niets gewijzigd{' ' + hint if hint else ''}.")
    return [due[n] for n in asked]


def cmd_anonymise(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import PrivacyService

    store = open_from_args(args)
    try:
        svc = PrivacyService(login_from_args(args, store, Stdin()))
        due = _chosen({i.student_number: i.candidate_id for i in svc.due()}, args.numbers,
                      "Niet op de lijst van wat over de bewaartermijn is", "(zie examdesk privacy due)")
        result = svc.anonymise(due)
    finally:
        store.close()
    print(f"{counted(result.candidates, 'kandidaat')} geanonimiseerd: {result.records} vastleggingen aangepast, "
          f"{result.documents} opgeslagen pdf's verwijderd. Het auditlogboek en de ketens zijn nog controleerbaar "
          "(examdesk verify).")
    return EXIT_OK


def cmd_accounts(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import PrivacyService

    store = open_from_args(args)
    try:
        svc = PrivacyService(login_from_args(args, store, Stdin()))
        due = _chosen({a.username: a.user_id for a in svc.accounts_due()}, args.usernames,
                      "Geen uitgeschakeld account over de bewaartermijn")
        done = svc.anonymise_accounts(due)
    finally:
        store.close()
    print(f"{counted(done, 'account')} geanonimiseerd; de gebruikersnaam blijft in de verzegelde verslagen staan.")
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.privacy import RETENTION_SETTINGS
    from examdesk.services.privacy import PrivacyService

    store = open_from_args(args)
    try:
        svc = PrivacyService(login_from_args(args, store, Stdin()))
        if args.key:
            svc.set_retention(args.key, args.value)
        values = svc.retention()
    finally:
        store.close()
    for s in RETENTION_SETTINGS:
        print(f"{s.name} = {values[s.name]} {s.unit} (minimaal {s.minimum}; vanaf {s.counts_from})")
    return EXIT_OK


def cmd_subject_access(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import PrivacyService

    store = open_from_args(args)
    try:
        pdf, js = PrivacyService(login_from_args(args, store, Stdin())).write_subject_access(
            args.student_number, Path(args.out))
    finally:
        store.close()
    print(f"Inzage gemaakt: {pdf} (voor de kandidaat) en {js} (alle rijen, machineleesbaar).")
    return EXIT_OK


def cmd_export_receipt(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import ExamPcPrivacyService

    store = open_from_args(args)
    try:
        path = ExamPcPrivacyService(login_from_args(args, store, Stdin())).export_receipt(args.sessions, Path(args.out))
    finally:
        store.close()
    print(f"Ontvangstbewijs gemaakt: {path}. Lees het in op de examenpc (examdesk import ontvangstbewijs); die "
          "verwijdert dan de kandidaatgegevens van deze afnames.")
    return EXIT_OK


def cmd_import_receipt(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import ExamPcPrivacyService

    store = open_from_args(args)
    try:
        result = ExamPcPrivacyService(login_from_args(args, store, Stdin())).import_receipt(Path(args.file))
    finally:
        store.close()
    print(result.sentence)
    for sid, why in result.kept:
        print(f"Bewaard: afname {sid[:8]}: {why}.")
    return EXIT_OK


def cmd_held(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.privacy import ExamPcPrivacyService

    store = open_from_args(args)
    try:
        sessions, total = ExamPcPrivacyService(login_from_args(args, store, Stdin())).held_here()
    finally:
        store.close()
    print(f"Op deze computer staan gegevens van {counted(total, 'kandidaat')}.")
    for h in sessions:
        state = f"verwijderd op {h.forgotten_at[:10]}" if h.forgotten_at else "nog aanwezig"
        print(f"{h.session_date}  {h.title}: {counted(h.candidates, 'kandidaat')}, {counted(h.events, 'gebeurtenis')} ({state})")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options, command_group

    p = sub.add_parser("privacy", help="bewaartermijnen en anonimiseren (beheerder)")
    group = p.add_subparsers(title="privacyopdrachten", metavar="OPDRACHT", required=True)
    q = group.add_parser("due", parents=[db_option], help="wat over de bewaartermijn is (de maandelijkse controle)")
    actor_options(q)
    q.set_defaults(func=cmd_due)
    q = group.add_parser("anonimiseer", parents=[db_option],
                         help="anonimiseer kandidaten van de lijst (examdesk privacy due) na controle")
    q.add_argument("numbers", nargs="+", metavar="STUDENTNUMMER")
    actor_options(q)
    q.set_defaults(func=cmd_anonymise)
    q = group.add_parser("account", parents=[db_option],
                         help="anonimiseer uitgeschakelde accounts over de bewaartermijn (naam en contactgegevens)")
    q.add_argument("usernames", nargs="+", metavar="GEBRUIKERSNAAM")
    actor_options(q)
    q.set_defaults(func=cmd_accounts)
    q = group.add_parser("bewaartermijn", parents=[db_option],
                         help="toon de bewaartermijnen, of stel er een in: resultaten|dossiers|accounts WAARDE")
    q.add_argument("key", nargs="?", metavar="TERMIJN")
    q.add_argument("value", nargs="?", metavar="WAARDE")
    actor_options(q)
    q.set_defaults(func=cmd_retention)

    q = group.add_parser("examenpc", parents=[db_option],
                         help="welke persoonsgegevens deze (examen)pc nog bewaart, per afname")
    actor_options(q)
    q.set_defaults(func=cmd_held)

    exports = command_group(sub, "export")
    q = exports.add_parser("ontvangstbewijs", parents=[db_option],
                           help="ontvangstbewijs voor de examenpc: de examencommissie heeft deze afnameverslagen")
    q.add_argument("--sessies", dest="sessions", nargs="+", required=True, metavar="ID")
    q.add_argument("--out", required=True, metavar="BESTAND.ontvangstbewijs")
    actor_options(q)
    q.set_defaults(func=cmd_export_receipt)
    imports = command_group(sub, "import")
    q = imports.add_parser("ontvangstbewijs", parents=[db_option],
                           help="op de examenpc: het ontvangstbewijs van de examencommissie inlezen; de "
                                "kandidaatgegevens van de bevestigde afnames worden verwijderd")
    q.add_argument("file", metavar="BESTAND.ontvangstbewijs")
    actor_options(q)
    q.set_defaults(func=cmd_import_receipt)
    q = exports.add_parser("betrokkene", parents=[db_option],
                           help="inzageverzoek: alles wat ExamDesk over één kandidaat bewaart (pdf en json)")
    q.add_argument("student_number", metavar="STUDENTNUMMER")
    q.add_argument("--out", default=".", metavar="MAP", help="map voor inzage_<nr>.pdf en .json (standaard: hier)")
    actor_options(q)
    q.set_defaults(func=cmd_subject_access)
