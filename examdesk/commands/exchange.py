"""`examdesk export sessies|verslag … --out F.examdesk`, `examdesk import F.examdesk` and
`examdesk keys list|trust|revoke` (the keys of the commission and the exam PCs this database trusts).

The sub-commands join the `import`, `export` and `keys` groups. `examdesk import F.examdesk` needs no
kind: the `import` parser rewrites a first argument ending in `.examdesk` to `import bestand
F.examdesk`, so `import kwalificaties FILE` and `import kandidaten FILE` work as before. On an empty
database (an exam PC's first start) a session package is read without logging in: it brings the
institution and the invigilators' accounts; its setup code is read from EXAMDESK_INSTELCODE, a prompt
or standard input (never from an argument), and `--vertrouw` confirms the commission's fingerprint.
"""

from __future__ import annotations

import argparse
import os
import sys

from examdesk.cli import command_group
from examdesk.domain.plural import counted

FILE_COMMAND = "bestand"
SETUP_CODE_ENV = "EXAMDESK_INSTELCODE"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _file_first(args: list[str]) -> list[str]:
    if args and args[0].lower().endswith(".examdesk"):
        return [FILE_COMMAND, *args]
    return args


def _ids(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _list(plans: list, what: str) -> int:
    from examdesk.cli import list_choices
    from examdesk.domain.clock import format_date, format_time

    choices = [(p.id, f"{format_date(p.session_date)} {format_time(p.starts_at)}  {p.status:<10} {p.title} "
                      f"({p.room_label}, {counted(p.candidate_count, 'kandidaat')})") for p in plans]
    return list_choices(choices, f"Er zijn geen afnames om {what}.", "de afnames")


def _export(args: argparse.Namespace, ids_text: list[str] | None, what: str, record: bool) -> int:
    """A session package or a session record; without ids, the sessions that qualify are listed."""
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.exchange import ExchangeService

    store = open_from_args(args)
    try:
        service = ExchangeService(login_from_args(args, store, Stdin()))
        ids = _ids(ids_text)
        if not ids:
            return _list(service.record_choices() if record else service.package_choices(), what)
        if record:
            result = service.export_record(ids, args.out)
        else:
            result = service.export_package(ids, args.out, args.recipient)
    finally:
        store.close()
    _out(result.sentence)
    return EXIT_OK


def cmd_export_sessions(args: argparse.Namespace) -> int:
    return _export(args, args.ids, "in een afnamepakket te zetten", record=False)


def cmd_export_record(args: argparse.Namespace) -> int:
    return _export(args, args.sessions, "een verslag van te maken", record=True)


def _setup_code(stdin) -> str:
    """The setup code the examenbureau passed on: the environment, a prompt, or the next line of standard input."""
    code = os.environ.get(SETUP_CODE_ENV)
    if code is not None:
        return code
    if sys.stdin.isatty():
        return input("Instelcode (van het examenbureau, apart van het bestand gekregen): ")
    return stdin.next_line("instelcode")


def cmd_import_file(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.errors import ValidationError
    from examdesk.domain.exchange_keys import SetupCodeNeeded
    from examdesk.services.context import AppContext
    from examdesk.services.exchange import ExchangeService, import_into_new_database, needs_setup

    path = Path(args.file)
    stdin = Stdin()
    store = open_from_args(args, create=True)
    try:
        bare = AppContext(store)
        if needs_setup(bare) and not args.user:
            def run(code: str | None):
                return import_into_new_database(bare, path, dry_run=args.check_only, setup_code=code,
                                                trusted_fingerprint=args.trust)
        else:
            if args.trust:
                raise ValidationError("--vertrouw geldt alleen bij het inrichten van een nieuwe examenpc. Op een "
                                      "ingerichte database bevestigt een beheerder een sleutel met: examdesk keys trust "
                                      "BESTAND --fingerprint \"VINGERAFDRUK\" --user BEHEERDER.")
            service = ExchangeService(login_from_args(args, store, stdin))

            def run(code: str | None):
                return (service.preview if args.check_only else service.import_file)(path, code)
        try:
            summary = run(os.environ.get(SETUP_CODE_ENV))
        except SetupCodeNeeded:
            if os.environ.get(SETUP_CODE_ENV) is not None:
                raise
            summary = run(_setup_code(stdin))
    finally:
        store.close()
    for line in summary.lines():
        _out(line)
    _out("Alleen gecontroleerd: er is niets ingelezen." if args.check_only else "Ingelezen.")
    return EXIT_OK


def cmd_keys_list(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.clock import format_date, from_iso
    from examdesk.services.exchange_keys import ExchangeKeyService

    store = open_from_args(args)
    try:
        service = ExchangeKeyService(login_from_args(args, store, Stdin()))
        own = service.own_fingerprint()
        keys = service.pinned()
    finally:
        store.close()
    _out(f"Deze computer: {own}")
    if not keys:
        _out("Er zijn nog geen sleutels van de examencommissie of van examenpc's vastgelegd.")
    for k in keys:
        state = "actief" if k.active else (f"ingetrokken {format_date(from_iso(k.revoked_at).date())} door "
                                           f"{k.revoked_by or '-'}: {k.revoked_reason}")
        _out(f"{k.display}  {k.role:<15} {k.label}")
        _out(f"    eerst gezien {format_date(from_iso(k.confirmed_at).date())} in {k.first_file}; bevestigd door "
             f"{k.confirmed_by or 'wie de examenpc inrichtte'} ({k.confirmed_how}); {state}")
    return EXIT_OK


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.exchange_keys import ExchangeKeyService

    store = open_from_args(args)
    try:
        key = ExchangeKeyService(login_from_args(args, store, Stdin())).trust(Path(args.file), args.fingerprint,
                                                                              args.name or "")
    finally:
        store.close()
    _out(f"Vertrouwd: de sleutel van {key.label} ({key.role_label}), vingerafdruk {key.display}.")
    return EXIT_OK


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.exchange_keys import ExchangeKeyService

    store = open_from_args(args)
    try:
        key = ExchangeKeyService(login_from_args(args, store, Stdin())).revoke(args.fingerprint, args.reason)
    finally:
        store.close()
    _out(f"Ingetrokken: de sleutel van {key.label} ({key.display}); bestanden die ermee zijn ondertekend worden "
         "voortaan geweigerd.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options

    imports = command_group(sub, "import")
    sub.choices["import"].examdesk_rewrite = _file_first  # type: ignore[attr-defined]
    p = imports.add_parser(
        FILE_COMMAND, parents=[db_option],
        help="lees een afnamepakket of afnameverslag in (ook als: examdesk import BESTAND.examdesk)")
    p.add_argument("file", metavar="BESTAND.examdesk")
    p.add_argument("--controleer", dest="check_only", action="store_true",
                   help="alleen controleren en tonen wat er zou worden toegevoegd; niets inlezen")
    p.add_argument("--vertrouw", dest="trust", metavar="VINGERAFDRUK",
                   help="bij het inrichten van een nieuwe examenpc: de vingerafdruk van de examencommissie, "
                        "telefonisch vergeleken (de instelcode komt uit EXAMDESK_INSTELCODE, een vraag of "
                        "standaardinvoer)")
    actor_options(p)
    p.set_defaults(func=cmd_import_file)

    exports = command_group(sub, "export")
    p = exports.add_parser("sessies", parents=[db_option],
                           help="afnamepakket voor de examenlocatie: geplande afnames met kandidaten en surveillanten")
    p.add_argument("--ids", nargs="+", metavar="ID", help="afnames (id of de eerste 8 tekens; zonder: toon de keuze)")
    p.add_argument("--out", required=True, metavar="BESTAND.examdesk")
    p.add_argument("--voor", dest="recipient", metavar="VINGERAFDRUK",
                   help="versleutel voor deze examenpc (vingerafdruk, of de eerste 8 tekens ervan; zie 'examdesk "
                        "keys list'); zonder: met een nieuwe instelcode, die eenmaal wordt getoond")
    actor_options(p)
    p.set_defaults(func=cmd_export_sessions)
    p = exports.add_parser("verslag", parents=[db_option],
                           help="afnameverslag voor de examencommissie: alle gebeurtenissen van de afnames")
    p.add_argument("--sessies", dest="sessions", nargs="+", metavar="ID",
                   help="afnames (id of de eerste 8 tekens; zonder: toon de keuze)")
    p.add_argument("--out", required=True, metavar="BESTAND.examdesk")
    actor_options(p)
    p.set_defaults(func=cmd_export_record)

    keys = command_group(sub, "keys")
    p = keys.add_parser("list", parents=[db_option],
                        help="toon de vertrouwde sleutels van de examencommissie en de examenpc's (beheerder)")
    actor_options(p)
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser("trust", parents=[db_option],
                        help="vertrouw de sleutel waarmee een .examdesk-bestand is ondertekend, na telefonisch "
                             "vergelijken van de vingerafdruk (beheerder)")
    p.add_argument("file", metavar="BESTAND.examdesk")
    p.add_argument("--fingerprint", required=True, metavar="VINGERAFDRUK",
                   help="de vingerafdruk zoals de afzender hem voorlas (16 groepen van 4)")
    p.add_argument("--naam", dest="name", metavar="NAAM", help="hoe Beheer deze sleutel noemt (bijv. 'laptop 3')")
    actor_options(p)
    p.set_defaults(func=cmd_keys_trust)
    p = keys.add_parser("revoke", parents=[db_option],
                        help="trek een vertrouwde sleutel in: bestanden die ermee zijn ondertekend worden geweigerd "
                             "(beheerder)")
    p.add_argument("fingerprint", metavar="VINGERAFDRUK", help="de vingerafdruk, of de eerste 8 tekens of meer")
    p.add_argument("--reden", dest="reason", required=True, metavar="REDEN")
    actor_options(p)
    p.set_defaults(func=cmd_keys_revoke)
