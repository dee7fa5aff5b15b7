"""`examdesk verify-document FILE.pdf`: does a printed or saved document still match the database?"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_MATCH, EXIT_MISMATCH, EXIT_NOT_OURS = 0, 1, 2


def cmd_verify_document(args: argparse.Namespace) -> int:
    from examdesk.cli import open_from_args
    from examdesk.domain.documents import VerdictStatus
    from examdesk.domain.errors import ValidationError
    from examdesk.services.documents import read_pdf_file, verify_pdf

    try:
        data = read_pdf_file(Path(args.file))   # bounded, regular files only: the one rule, also for the GUI
    except ValidationError as exc:
        print(exc.message)
        return EXIT_NOT_OURS
    store = open_from_args(args)
    try:
        verdict = verify_pdf(store, data)
    finally:
        store.close()
    print(verdict.message)
    if verdict.status == VerdictStatus.MATCH:
        return EXIT_MATCH
    if verdict.status == VerdictStatus.NOT_EXAMDESK:
        return EXIT_NOT_OURS
    return EXIT_MISMATCH


def register(sub: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    p = sub.add_parser("verify-document", parents=[db_option],
                       help="controleer of een PDF van ExamDesk nog overeenkomt met de database "
                            "(exit 0 gelijk, 1 gewijzigd, 2 geen ExamDesk-document)")
    p.add_argument("file", metavar="BESTAND.pdf")
    p.set_defaults(func=cmd_verify_document)
