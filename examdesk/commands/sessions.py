"""`examdesk import kandidaten FILE [--mapping NAME]`: candidates from a student-system export.

`kandidaten` joins the `import` group the register made (or makes it, when this module runs first),
so `examdesk import` lists every kind of import in one place.
"""

from __future__ import annotations

import argparse
import sys

from examdesk.cli import command_group


def cmd_import_candidates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from examdesk.cli import EXIT_OK, Stdin, login_from_args, open_from_args
    from examdesk.services.candidates import CandidateService

    store = open_from_args(args)
    try:
        service = CandidateService(login_from_args(args, store, Stdin()))
        result = service.import_file(Path(args.file), args.mapping)
    finally:
        store.close()
    sys.stdout.write(result.sentence + "\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from examdesk.cli import actor_options

    p = command_group(sub, "import").add_parser(
        "kandidaten", parents=[db_option],
        help="kandidaten uit een export van het studentsysteem (CSV of XLSX); bijwerken op studentnummer")
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--mapping", metavar="NAAM",
                   help="gebruik de onthouden kolomkoppeling met deze naam (zonder: geraden uit de kopregel)")
    actor_options(p)
    p.set_defaults(func=cmd_import_candidates)
