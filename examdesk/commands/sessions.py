"""`examdesk import kandidaten FILE [--mapping NAME] [--ja]`: candidates from a student-system export;
`examdesk import afnameperiodes FILE`: afnameperiodes of the central exams.

`kandidaten` first shows per candidate what would be added or changed (a field the file does not
carry keeps its value) and saves only with `--ja`; every bad line is named. Both join the `import`
group the register made (or make it, when this module runs first), so `examdesk import` lists every
kind of import in one place.
"""

from __future__ import annotations

import argparse
import sys

from examdesk.cli import command_group


def cmd_import_candidates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_FAIL, EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.candidates import CandidateService

    store = open_from_args(args)
    try:
        service = CandidateService(login_from_args(args, store, Stdin()))
        table, plan = service.preview_file(Path(args.file), args.mapping)
        if plan.errors:
            sys.stderr.write("Er is niets geïmporteerd. Deze regels zijn niet in orde:\n")
            sys.stderr.write("".join(f"  {e}\n" for e in plan.errors))
            return EXIT_FAIL
        out = sys.stdout
        for c in plan.candidates:
            if c.outcome == "ongewijzigd":
                continue
            out.write(f"regel {c.line}: {c.outcome} {c.name} ({c.student_number})\n")
            out.write("".join(f"    {f.sentence}\n" for f in c.changes))
        if plan.unmapped:
            out.write(f"Niet in het bestand (blijven zoals ze zijn): {', '.join(plan.unmapped)}.\n")
        if not args.yes:
            out.write(f"Controle: {plan.summary} Er is niets opgeslagen; herhaal met --ja om dit te importeren.\n")
            return EXIT_OK
        result = service.apply_import(table, plan)
    finally:
        store.close()
    sys.stdout.write(result.sentence + "\n")
    return EXIT_OK


def cmd_import_periods(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.exam_periods import ExamPeriodService

    store = open_from_args(args)
    try:
        result = ExamPeriodService(login_from_args(args, store, Stdin())).import_file(Path(args.file))
    finally:
        store.close()
    sys.stdout.write(result.sentence + "\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options

    group = command_group(sub, "import")
    p = group.add_parser(
        "kandidaten", parents=[db_option],
        help="kandidaten uit een export van het studentsysteem (CSV of XLSX); bijwerken op studentnummer")
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--mapping", metavar="NAAM",
                   help="gebruik de onthouden kolomkoppeling met deze naam (zonder: geraden uit de kopregel)")
    p.add_argument("--ja", dest="yes", action="store_true",
                   help="sla de getoonde wijzigingen op (zonder --ja wordt alleen getoond wat er zou veranderen)")
    actor_options(p)
    p.set_defaults(func=cmd_import_candidates)
    q = group.add_parser(
        "afnameperiodes", parents=[db_option],
        help="afnameperiodes van de centrale examens (CSV/XLSX: studiejaar, periode, periode_van, periode_tm, "
             "week, examen)")
    q.add_argument("file", metavar="BESTAND")
    actor_options(q)
    q.set_defaults(func=cmd_import_periods)
