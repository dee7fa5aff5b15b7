"""`examdesk export sessies|verslag … --out F.examdesk` and `examdesk import F.examdesk`.

The sub-commands join the `import` and `export` groups the register made. `examdesk import
F.examdesk` needs no kind: the `import` parser rewrites a first argument ending in `.examdesk` to
`import bestand F.examdesk`, so `import kwalificaties FILE` and `import kandidaten FILE` work as
before. On an empty database (an exam PC's first start) a session package is read without logging
in: it brings the institution and the invigilators' accounts.
"""

from __future__ import annotations

import argparse
import sys

from examdesk.cli import command_group

FILE_COMMAND = "bestand"


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
                      f"({p.room_label}, {p.candidate_count} kandidaten)") for p in plans]
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
        result = (service.export_record if record else service.export_package)(ids, args.out)
    finally:
        store.close()
    _out(result.sentence)
    return EXIT_OK


def cmd_export_sessions(args: argparse.Namespace) -> int:
    return _export(args, args.ids, "in een afnamepakket te zetten", record=False)


def cmd_export_record(args: argparse.Namespace) -> int:
    return _export(args, args.sessions, "een verslag van te maken", record=True)


def cmd_import_file(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.context import AppContext
    from examdesk.services.exchange import ExchangeService, import_into_new_database, needs_setup

    store = open_from_args(args, create=True)
    try:
        bare = AppContext(store)
        if needs_setup(bare) and not args.user:
            summary = import_into_new_database(bare, Path(args.file), dry_run=args.check_only)
        else:
            service = ExchangeService(login_from_args(args, store, Stdin()))
            summary = service.preview(args.file) if args.check_only else service.import_file(args.file)
    finally:
        store.close()
    for line in summary.lines():
        _out(line)
    _out("Alleen gecontroleerd: er is niets ingelezen." if args.check_only else "Ingelezen.")
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
    actor_options(p)
    p.set_defaults(func=cmd_import_file)

    exports = command_group(sub, "export")
    p = exports.add_parser("sessies", parents=[db_option],
                           help="afnamepakket voor de examenlocatie: geplande afnames met kandidaten en surveillanten")
    p.add_argument("--ids", nargs="+", metavar="ID", help="afnames (id of de eerste 8 tekens; zonder: toon de keuze)")
    p.add_argument("--out", required=True, metavar="BESTAND.examdesk")
    actor_options(p)
    p.set_defaults(func=cmd_export_sessions)
    p = exports.add_parser("verslag", parents=[db_option],
                           help="afnameverslag voor de examencommissie: alle gebeurtenissen van de afnames")
    p.add_argument("--sessies", dest="sessions", nargs="+", metavar="ID",
                   help="afnames (id of de eerste 8 tekens; zonder: toon de keuze)")
    p.add_argument("--out", required=True, metavar="BESTAND.examdesk")
    actor_options(p)
    p.set_defaults(func=cmd_export_record)
