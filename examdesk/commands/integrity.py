"""`examdesk verify`, `examdesk repair` and `examdesk keys show|export|import`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from examdesk.domain.plural import counted

VERIFY_HELP = ("controleer de database: integriteit, het auditlogboek (met sleutel), de verzegelde besluiten, "
               "de gebeurtenissen van elke afname en de getuigen (documenten, back-ups); exit 1 met de eerste "
               "kapotte rij per soort")
REPAIR_HELP = ("herbouw beschadigde indexen zonder gegevensverlies (zonder inloggen); het beschadigde bestand "
               "wordt opzij gezet, niet verwijderd")


def cmd_verify(args: argparse.Namespace) -> int:
    """Read-only on the database (works on a write-protected folder and beside a running ExamDesk). A
    damaged or tampered database: says what and where, the newest good backup and how to restore it."""
    from examdesk.cli import EXIT_FAIL, EXIT_OK, db_path_from_args
    from examdesk.domain.backups import DatabaseState
    from examdesk.services.backup import check_database

    path = db_path_from_args(args)
    verdict = check_database(path, thorough=True, record=True)
    if verdict.state is DatabaseState.OK:
        print(f"In orde: {path} doorstaat de integriteitscontrole; de auditketen van {counted(verdict.audit_entries, 'regel')} "
              "(met sleutel), de verzegelde besluiten, triage, Inspectiemeldingen en afsluitingen, de gebeurtenissen "
              "van elke afname en de getuigen (uitgegeven documenten, back-ups, deze computer) kloppen.")
        return EXIT_OK
    for sentence in verdict.details or (verdict.problem,):
        print(sentence)
    if verdict.state in (DatabaseState.REFUSED, DatabaseState.KEYS_MISSING):
        return EXIT_FAIL
    db_part = f' --db "{path}"' if getattr(args, "db", None) else ""
    if verdict.repairable:
        print(f"Herstellen zonder verlies (zonder inloggen; het beschadigde bestand wordt opzij gezet): "
              f"examdesk repair{db_part}")
    print(verdict.backup_sentence)
    if verdict.newest_good is not None:
        print(f'Terugzetten (zonder inloggen; het beschadigde bestand wordt opzij gezet, niet verwijderd): '
              f'examdesk restore "{verdict.newest_good.path}"{db_part}')
    return EXIT_FAIL


def cmd_repair(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, db_path_from_args
    from examdesk.domain.backups import DatabaseState
    from examdesk.domain.errors import DatabaseRefused
    from examdesk.services.backup import check_database, claim_database, repair

    path = db_path_from_args(args)
    with claim_database(path):
        verdict = check_database(path, find_backup=False, thorough=True)
        if verdict.state is DatabaseState.OK:
            print(f"{path} is in orde; er is niets te herstellen.")
            return EXIT_OK
        if not verdict.repairable:
            raise DatabaseRefused(f"{verdict.problem} Dit is niet met het herbouwen van indexen te herstellen; zet "
                                  "een back-up terug (examdesk verify noemt de nieuwste goede). Er is niets gewijzigd.")
        result = repair(path)
    print(f"De indexen van {path} zijn opnieuw opgebouwd ({result.method}); er zijn geen gegevens verloren gegaan. "
          f"Het beschadigde bestand is niet verwijderd maar verplaatst naar {result.moved_aside}.")
    return EXIT_OK


def _passphrase(prompt: str, stdin, twice: bool) -> tuple[str, str | None]:
    from examdesk.domain.errors import ValidationError

    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        return first, getpass.getpass("Herhaal het wachtwoord: ") if twice else None
    if stdin is None:
        raise ValidationError("Geen wachtwoord voor het sleutelbestand op standaardinvoer gevonden.")
    return stdin.next_line("wachtwoord voor het sleutelbestand"), None


def cmd_keys_show(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, db_path_from_args
    from examdesk.services.keys import key_info

    path = db_path_from_args(args)
    info = key_info(path)
    print(f"Database {path} (identiteit {info.database_id})")
    print(f"Vingerafdruk van de sleutel: {info.fingerprint}")
    print(f"Bewaard in {info.where}.")
    return EXIT_OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.roles import Action
    from examdesk.services.keys import KeyService

    stdin = Stdin()
    store = open_from_args(args)
    try:
        ctx = login_from_args(args, store, stdin)
        ctx.require(Action.MANAGE_BACKUPS)  # refuse before asking for a passphrase
        passphrase, repeated = _passphrase("Wachtwoord voor het sleutelbestand", stdin, twice=True)
        service = KeyService(ctx)
        out = service.export(Path(args.out), passphrase, repeated)
        info = service.info()
    finally:
        store.close()
    print(f"Sleutels geëxporteerd naar {out} (vingerafdruk {info.fingerprint}). Bewaar het bestand en het "
          "wachtwoord apart van elkaar en apart van de back-ups.")
    return EXIT_OK


def cmd_keys_import(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, db_path_from_args
    from examdesk.services.keys import import_key_file

    path = db_path_from_args(args)
    passphrase, _ = _passphrase("Wachtwoord van het sleutelbestand", Stdin(), twice=False)
    added = import_key_file(path, Path(args.file), passphrase)
    if added:
        print(f"Sleutels ingelezen voor {len(added)} database{'s' if len(added) != 1 else ''}; {path} kan weer "
              "worden gecontroleerd en gebruikt.")
    else:
        print("De sleutels in dit bestand stonden al op deze computer; er is niets gewijzigd.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options, command_group

    p = sub.add_parser("verify", parents=[db_option], help=VERIFY_HELP, description=VERIFY_HELP)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("repair", parents=[db_option], help=REPAIR_HELP, description=REPAIR_HELP)
    p.set_defaults(func=cmd_repair)

    keys = command_group(sub, "keys")
    p = keys.add_parser("show", parents=[db_option], help="toon de vingerafdruk en waar de sleutels staan")
    p.set_defaults(func=cmd_keys_show)
    p = keys.add_parser("export", parents=[db_option],
                        help="schrijf de sleutels naar een met een wachtwoord versleuteld bestand (beheerder)")
    p.add_argument("--out", required=True, metavar="BESTAND", help="het sleutelbestand (mag nog niet bestaan)")
    actor_options(p)
    p.set_defaults(func=cmd_keys_export)
    p = keys.add_parser("import", parents=[db_option],
                        help="lees een sleutelbestand in (als de sleutels van deze database hier ontbreken)")
    p.add_argument("file", metavar="BESTAND")
    p.set_defaults(func=cmd_keys_import)
