"""`examdesk import kwalificaties|instrumenten|leveranciers FILE` and `examdesk export register --out FILE`.

Same checks, messages and roles as the Register screen: the services do the work. Every import is
one transaction; a file with errors is refused whole (exit 1, each error on its own line) unless
`--alleen-geldige-rijen` is given.
"""

from __future__ import annotations

import argparse
import sys

from examdesk.cli import command_group
from examdesk.domain.plural import counted

IMPORT_KINDS = ("kwalificaties", "instrumenten", "leveranciers")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_FAIL, EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.register_import import ImportKind, ImportRefused
    from examdesk.services.register import RegisterService

    store = open_from_args(args)
    try:
        service = RegisterService(login_from_args(args, store, Stdin()))
        try:
            result = service.run_import(ImportKind(args.kind), Path(args.file), valid_rows_only=args.valid_rows_only)
        except ImportRefused as exc:
            _err(exc.message)
            for issue in exc.issues:
                _err(f"  {issue.sentence}")
            if not args.valid_rows_only:
                _err("Verbeter het bestand, of importeer alleen de geldige rijen met --alleen-geldige-rijen.")
            return EXIT_FAIL
    finally:
        store.close()
    _out(result.sentence)
    for issue in result.skipped_issues:
        _err(f"  overgeslagen: {issue.sentence}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.domain.clock import format_date, parse_date
    from examdesk.domain.errors import ValidationError
    from examdesk.services.register import RegisterService

    on = None
    if args.on:
        try:
            on = parse_date(args.on)
        except ValueError:
            raise ValidationError(f"'{args.on}' is geen datum; schrijf dd-mm-jjjj.") from None
    store = open_from_args(args)
    try:
        service = RegisterService(login_from_args(args, store, Stdin()))
        count = service.export(Path(args.out), on)
        when = on or service.today()
    finally:
        store.close()
    _out(f"Register geëxporteerd naar {args.out}: {counted(count, 'instrument')}, validiteit op {format_date(when)}.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options

    imports = command_group(sub, "import")
    for kind in IMPORT_KINDS:
        p = imports.add_parser(kind, parents=[db_option], help=f"importeer {kind} uit een CSV- of XLSX-bestand")
        p.add_argument("file", metavar="BESTAND", help="CSV (; , of tab) of XLSX")
        p.add_argument("--alleen-geldige-rijen", dest="valid_rows_only", action="store_true",
                       help="importeer de geldige rijen en sla rijen met fouten over (anders: bij een fout niets)")
        actor_options(p)
        p.set_defaults(func=cmd_import, kind=kind)

    exports = command_group(sub, "export")
    p = exports.add_parser("register", parents=[db_option], help="exporteer het instrumentenregister")
    p.add_argument("--out", required=True, metavar="BESTAND", help="doelbestand: .xlsx of .csv")
    p.add_argument("--op", dest="on", metavar="DATUM", help="peildatum voor de validiteit (standaard vandaag)")
    actor_options(p)
    p.set_defaults(func=cmd_export)
