"""`examdesk verify-document FILE.pdf`: does a printed or saved document still match the database?"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_MATCH, EXIT_MISMATCH, EXIT_NOT_OURS = 0, 1, 2
# Far above any document ExamDesk issues (an annual report is a few hundred KB; evidence is listed, not
# embedded): anyone may hand this command a file, and it is read into memory whole.
MAX_PDF_BYTES = 64 * 1024 * 1024


def cmd_verify_document(args: argparse.Namespace) -> int:
    from examdesk.cli import open_from_args
    from examdesk.domain.documents import VerdictStatus
    from examdesk.services.documents import verify_pdf

    path = Path(args.file)
    try:
        if not path.is_file():
            print(f"{path} is geen gewoon bestand (maar een map, apparaat of pijp); er is niets gecontroleerd.")
            return EXIT_NOT_OURS
        if path.stat().st_size > MAX_PDF_BYTES:
            print(f"{path} is groter dan {MAX_PDF_BYTES // (1024 * 1024)} MB en dus geen document van ExamDesk; er is "
                  "niets gecontroleerd.")
            return EXIT_NOT_OURS
        with path.open("rb") as handle:
            data = handle.read(MAX_PDF_BYTES + 1)   # a file that grew since: still never more than the bound
    except OSError as exc:
        print(f"{path} kan niet worden gelezen: {exc.strerror}.")
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
