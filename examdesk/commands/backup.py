"""`examdesk backup` and `examdesk restore`: the same checks and messages as the Beheer screen."""

from __future__ import annotations

import argparse
from pathlib import Path

RESTORE_HELP = (
    "zet een back-up terug. Eerst wordt het bestand gecontroleerd en een back-up van de huidige toestand "
    "gemaakt (inloggen als beheerder met --user). Is de database beschadigd of ontbreekt hij, dan werkt "
    "terugzetten zonder inloggen: het beschadigde bestand wordt opzij gezet (niet verwijderd) als "
    "examdesk.sqlite.beschadigd-<tijd>."
)


def cmd_backup(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.backups import format_size
    from examdesk.domain.clock import format_datetime
    from examdesk.services.backup import BackupService

    store = open_from_args(args)
    try:
        made = BackupService(login_from_args(args, store, Stdin())).backup_now(Path(args.out) if args.out else None)
    finally:
        store.close()
    print(f"Back-up gemaakt en gecontroleerd: {made.path} ({format_size(made.size)}, "
          f"{format_datetime(made.taken_at)}).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, db_path_from_args, login_from_args
    from examdesk.data.db import open_store
    from examdesk.domain.backups import DatabaseState
    from examdesk.domain.clock import format_datetime
    from examdesk.domain.errors import DatabaseRefused
    from examdesk.services.backup import (
        BackupService,
        check_database,
        claim_database,
        folder_of,
        recover,
        require_good_backup,
        resolve_backup,
    )

    db_path = db_path_from_args(args)
    backup = resolve_backup(args.file, folder_of(db_path))
    require_good_backup(backup, db_path)  # a bad file, or another database's, is refused before anything else
    with claim_database(db_path):
        # the full check: a database whose index is damaged passes the quick one, but cannot be copied safely
        verdict = check_database(db_path, find_backup=False, thorough=True)
        if verdict.state in (DatabaseState.REFUSED, DatabaseState.KEYS_MISSING):
            raise DatabaseRefused(f"{verdict.problem} Er is niets gewijzigd.")
        if verdict.state is not DatabaseState.OK:
            result = recover(db_path, backup, reason=verdict.problem)
            print(f"{verdict.problem} De back-up van {format_datetime(result.restored.taken_at)} "
                  f"({result.restored.name}) is teruggezet in {db_path}.")
            if result.moved_aside:
                print(f"Het beschadigde bestand is niet verwijderd maar verplaatst naar {result.moved_aside}.")
            return EXIT_OK
        store = open_store(db_path, create=False)
        try:
            result = BackupService(login_from_args(args, store, Stdin())).restore(backup)
        finally:
            store.close()
    print(f"De back-up van {format_datetime(result.restored.taken_at)} ({result.restored.name}) is teruggezet "
          f"in {db_path}.")
    if result.safety_copy:
        print(f"De toestand van vóór het terugzetten staat in {result.safety_copy.path}.")
    if result.moved_aside:
        print(f"Het beschadigde bestand is niet verwijderd maar verplaatst naar {result.moved_aside}.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options

    p = sub.add_parser("backup", parents=[db_option],
                       help="maak nu een gecontroleerde back-up (in de back-upmap, of met --out naar een bestand)")
    p.add_argument("--out", metavar="BESTAND", help="schrijf de back-up naar dit bestand (mag nog niet bestaan)")
    actor_options(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[db_option], help=RESTORE_HELP, description=RESTORE_HELP)
    p.add_argument("file", metavar="BESTAND", help="het back-upbestand (pad, of naam in de back-upmap)")
    actor_options(p)
    p.set_defaults(func=cmd_restore)
