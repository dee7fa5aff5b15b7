"""The `examdesk` command. Qt is imported only when the GUI starts, so the other commands stay fast
and work on machines without a screen."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from examdesk import __version__
from examdesk.domain.errors import ExamDeskError, ValidationError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """Bad arguments: one Dutch line and exit 2, never a usage dump or a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for en, nl in (("the following arguments are required", "deze argumenten ontbreken"),
                       ("unrecognized arguments", "onbekende argumenten"),
                       ("invalid choice", "ongeldige keuze"),
                       ("expected one argument", "verwacht één waarde")):
            message = message.replace(en, nl)
        print(f"{self.prog}: fout: {message} (zie '{self.prog} --help')", file=sys.stderr)
        sys.exit(EXIT_USAGE)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        """A part may set `examdesk_rewrite` on its parser to reshape the arguments first: that is how
        `examdesk import F.examdesk` reaches the exchange's sub-command beside `import kwalificaties`."""
        rewrite = getattr(self, "examdesk_rewrite", None)
        if rewrite is not None and args is not None:
            args = rewrite(list(args))
        return super().parse_known_args(args, namespace)


# --- reading passwords -----------------------------------------------------------------------

class Stdin:
    """Lines of standard input, read only when asked for (actor password first, then a new one)."""

    def __init__(self) -> None:
        self._lines: Iterator[str] | None = None

    def next_line(self, what: str) -> str:
        if self._lines is None:
            self._lines = iter(sys.stdin.read().splitlines())
        try:
            return next(self._lines)
        except StopIteration:
            raise ValidationError(f"Geen {what} op standaardinvoer gevonden.") from None


def _actor_password(args: argparse.Namespace, stdin: Stdin) -> str:
    if args.password_stdin:
        return stdin.next_line(f"wachtwoord voor {args.user}")
    env = os.environ.get("EXAMDESK_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        return getpass.getpass(f"Wachtwoord voor {args.user}: ")
    raise ValidationError(
        "Geen wachtwoord opgegeven: gebruik --password-stdin of de omgevingsvariabele EXAMDESK_PASSWORD."
    )


def new_password(label: str, stdin: Stdin) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Nieuw wachtwoord voor {label}: ")
        if getpass.getpass("Herhaal het wachtwoord: ") != first:
            raise ValidationError("De twee wachtwoorden zijn niet gelijk.")
        return first
    return stdin.next_line(f"nieuw wachtwoord voor {label}")


# --- opening the database and logging in ------------------------------------------------------

def db_path_from_args(args: argparse.Namespace) -> Path:
    from examdesk.paths import default_db_path

    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_from_args(args: argparse.Namespace, create: bool = False):
    from examdesk.data.db import open_store

    return open_store(db_path_from_args(args), create=create)


def login_from_args(args: argparse.Namespace, store, stdin: Stdin):
    """Logs in as --user exactly as the GUI does; the services then check the role."""
    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext

    if not args.user:
        raise ValidationError("Geef met --user aan wie deze wijziging doet.")
    user = AuthService(store).login(args.user, _actor_password(args, stdin))
    return AppContext(store, user)


def list_choices(choices: list[tuple[str, str]], nothing: str, what: str, limit: int = 20) -> int:
    """A command that names a record but was given none: the records it could mean (short id and a
    description, in the order given: newest or next first), a hint, and exit 2."""
    from examdesk.services.ids import MIN_PREFIX, short_id

    if not choices:
        print(nothing)
    for record_id, label in choices[:limit]:
        print(f"{short_id(record_id)}  {label}")
    if len(choices) > limit:
        print(f"… en nog {len(choices) - limit}.")
    print(f"Geef {what} op met het id (de eerste {MIN_PREFIX} tekens volstaan).", file=sys.stderr)
    return EXIT_USAGE


# --- shared command groups --------------------------------------------------------------------

GROUP_HELP = {
    "import": "gegevens importeren: kwalificaties, instrumenten, leveranciers en kandidaten uit CSV of XLSX, "
              "of een .examdesk-bestand inlezen",
    "export": "gegevens exporteren: het register naar XLSX of CSV, afnamepakketten en -verslagen",
    "keys": "de sleutels: van deze database tonen, exporteren, inlezen; die van de examencommissie en examenpc's "
            "vertrouwen en intrekken",
}


def command_group(sub: argparse._SubParsersAction, name: str) -> argparse._SubParsersAction:
    """The sub-commands under `import` / `export` / `keys`, to which several parts of ExamDesk add theirs."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=GROUP_HELP[name])
    group = getattr(parser, "examdesk_subcommands", None)
    if group is None:
        group = parser.add_subparsers(title=f"{name}opdrachten", metavar="SOORT", parser_class=Parser, required=True)
        parser.examdesk_subcommands = group  # type: ignore[attr-defined]
    return group


# --- commands ---------------------------------------------------------------------------------

def cmd_gui(args: argparse.Namespace) -> int:
    from examdesk.ui.launch import launch_gui

    return launch_gui(db_path_from_args(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from examdesk.paths import demo_db_path
    from examdesk.services.demo import create_demo

    path = Path(args.db) if args.db else demo_db_path()
    fresh = not path.exists()
    store = create_demo(path)
    store.close()
    if fresh:
        print(f"Demodatabase gemaakt: {path} (gebruikers beheerder, commissie, bureau, surveillant; wachtwoord 'demo').")
    if args.no_gui:
        if not fresh:
            print(f"Demodatabase staat klaar: {path}")
        return EXIT_OK
    from examdesk.ui.launch import launch_gui

    return launch_gui(path)


def cmd_selftest(args: argparse.Namespace) -> int:
    from examdesk.services.selftest import run_selftest

    ok = run_selftest(print)
    if ok and args.soak:
        ok = _soak(args.soak)
    print("Zelftest geslaagd." if ok else "Zelftest mislukt.")
    return EXIT_OK if ok else EXIT_FAIL


def _soak(exam_minutes: int) -> bool:
    from examdesk.services.selftest import scratch_home
    from examdesk.ui.soak import run_soak

    with scratch_home("examdesk-soak-") as folder:
        report = run_soak(folder, exam_minutes=exam_minutes, report=lambda line: print(f"[duur] {line}"))
    for phase in report.phases:
        if not phase.ok:
            print(f"[FOUT] duurtest {phase.name}: {phase.none_lost} referenties naar None verloren — deze "
                  "Qt-binding lekt en breekt ExamDesk tijdens een lange examendag af.")
    return report.ok


def cmd_user_list(args: argparse.Namespace) -> int:
    from examdesk.services.users import UserService

    store = open_from_args(args)
    try:
        users = UserService(login_from_args(args, store, Stdin())).list_users()
    finally:
        store.close()
    print(f"{'gebruikersnaam':<16} {'naam':<28} {'actief':<7} rollen")
    for u in users:
        print(f"{u.username:<16} {u.full_name:<28} {'ja' if u.active else 'nee':<7} {u.roles_label}")
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    from examdesk.domain.roles import parse_roles
    from examdesk.services.users import UserService

    try:
        roles = parse_roles(args.roles)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    stdin = Stdin()
    store = open_from_args(args)
    try:
        service = UserService(login_from_args(args, store, stdin))
        user = service.add(args.username, args.name, new_password(args.username, stdin), roles,
                           args.function or "", args.phone or "", args.email or "")
    finally:
        store.close()
    print(f"Gebruiker {user.username} ({user.full_name}, {user.roles_label}) toegevoegd.")
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from examdesk.domain.roles import Action
    from examdesk.services.users import UserService

    stdin = Stdin()
    store = open_from_args(args)
    try:
        ctx = login_from_args(args, store, stdin)
        ctx.require(Action.MANAGE_USERS)  # refuse before asking for the new password
        UserService(ctx).reset_password(args.username, new_password(args.username, stdin))
    finally:
        store.close()
    print(f"Wachtwoord van {args.username} is opnieuw ingesteld.")
    return EXIT_OK


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    from examdesk.services.users import UserService

    store = open_from_args(args)
    try:
        user = UserService(login_from_args(args, store, Stdin())).set_active(args.username, False)
    finally:
        store.close()
    print(f"Gebruiker {user.username} is gedeactiveerd (het account blijft bewaard).")
    return EXIT_OK


# --- the parser -------------------------------------------------------------------------------

def actor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAAM", help="gebruikersnaam van wie de wijziging doet")
    parser.add_argument("--password-stdin", action="store_true",
                        help="lees het wachtwoord van --user van de eerste regel van standaardinvoer")


def build_parser() -> argparse.ArgumentParser:
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", metavar="PAD", default=argparse.SUPPRESS,
                           help="database die geopend wordt (standaard examdesk.sqlite in de gegevensmap)")

    parser = Parser(prog="examdesk", description="ExamDesk voor de examencommissie (mbo).")
    parser.add_argument("--version", action="version", version=f"ExamDesk {__version__}")
    parser.add_argument("--db", metavar="PAD", default=None,
                        help="database die geopend wordt (standaard examdesk.sqlite in de gegevensmap)")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="opdrachten", metavar="OPDRACHT", parser_class=Parser)

    p = sub.add_parser("demo", parents=[db_option], help="maak de demodatabase en open ExamDesk daarop")
    p.add_argument("--no-gui", action="store_true", help="alleen de demodatabase maken, niet openen")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("selftest", help="controleer database, PDF en Qt op deze computer (zonder scherm)")
    p.add_argument("--soak", type=int, nargs="?", const=240, default=0, metavar="MINUTEN",
                   help="ook een duurtest: sessiemodus een examen van MINUTEN lang (standaard 240) op een "
                        "versnelde klok, en elk scherm herhaald geopend")
    p.set_defaults(func=cmd_selftest)

    users = sub.add_parser("user", help="gebruikers beheren").add_subparsers(
        title="gebruikersopdrachten", metavar="OPDRACHT", parser_class=Parser, required=True)
    p = users.add_parser("list", parents=[db_option], help="toon alle gebruikers")
    actor_options(p)
    p.set_defaults(func=cmd_user_list)
    p = users.add_parser("add", parents=[db_option],
                         help="voeg een gebruiker toe (wachtwoord via prompt of standaardinvoer)")
    p.add_argument("username", metavar="GEBRUIKERSNAAM")
    p.add_argument("--name", required=True, metavar="NAAM", help="volledige naam")
    p.add_argument("--roles", required=True, metavar="ROLLEN",
                   help="komma-gescheiden: beheerder, examencommissie, examenbureau, surveillant")
    p.add_argument("--function", metavar="FUNCTIE")
    p.add_argument("--phone", metavar="TELEFOON")
    p.add_argument("--email", metavar="E-MAIL")
    actor_options(p)
    p.set_defaults(func=cmd_user_add)
    p = users.add_parser("passwd", parents=[db_option], help="stel het wachtwoord van een gebruiker opnieuw in")
    p.add_argument("username", metavar="GEBRUIKERSNAAM")
    actor_options(p)
    p.set_defaults(func=cmd_user_passwd)
    p = users.add_parser("deactivate", parents=[db_option], help="deactiveer een gebruiker (nooit verwijderen)")
    p.add_argument("username", metavar="GEBRUIKERSNAAM")
    actor_options(p)
    p.set_defaults(func=cmd_user_deactivate)

    for part in command_parts():
        part.register(sub, db_option)
    return parser


def command_parts() -> tuple[ModuleType, ...]:
    """Each part of ExamDesk adds its sub-commands in a module of its own under examdesk/commands/ with a
    `register(sub, db_option)` function, in this order. Imported here rather than at the top because they
    take `command_group` and friends from this module; they import nothing heavy at module level."""
    from examdesk.commands import backup, documents, exchange, integrity, privacy, register, reports, sessions

    return (register, sessions, backup, integrity, documents, reports, exchange, privacy)


def _gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """`examdesk` or `examdesk --db PAD`: the GUI's start, read without building the parser (issue 16: argparse
    looks up its translations for each of ~180 options and help texts, 12-27 ms before the login is drawn).
    Anything else, `--help` and mistakes included, goes through `build_parser`."""
    if not argv:
        return argparse.Namespace(db=None, func=cmd_gui)
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argparse.Namespace(db=argv[1], func=cmd_gui)
    if len(argv) == 1 and argv[0].startswith("--db="):
        return argparse.Namespace(db=argv[0][len("--db="):], func=cmd_gui)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _gui_arguments(argv) or build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ExamDeskError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return EXIT_FAIL
