"""What an import did, in one shape for every list ExamDesk imports: kwalificaties, leveranciers,
instrumenten (the register's lists) and kandidaten (a student administration's export).

Reading the file is one pipeline too (`services/tabular.read_table`: encodings, delimiters, merged
headers, bounds against crafted files); each list then maps its columns and checks every row in the
domain (`domain/register_import.py`, `domain/candidate_import.py`) into a plan that writes nothing,
and the service applies the plan the user saw in one transaction. This module is the end of that
pipeline: the counts and the sentence the person who imported reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from examdesk.domain.plural import counted


def changes_phrase(new: int, changed: int, unchanged: int) -> str:
    return f"{new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd"


@dataclass(frozen=True)
class ImportResult:
    """What was written. `noun` names one and many of what the list holds; `source` says where the
    rows came from as the sentence reads it ('uit kwalificaties.csv', "met koppeling 'Eduarte'")."""

    noun: str                              # singular, as `domain/plural` knows it: 'kandidaat', 'instrument'…
    source: str
    new: int
    changed: int
    unchanged: int
    skipped: int = 0                       # rows with errors left out, when the user chose valid rows only
    skipped_issues: tuple[Any, ...] = ()   # what was wrong with them (register lists: ImportIssue)

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged

    @property
    def sentence(self) -> str:
        text = (f"{counted(self.total, self.noun)} geïmporteerd {self.source}: "
                f"{changes_phrase(self.new, self.changed, self.unchanged)}.")
        if self.skipped:
            text += f" {counted(self.skipped, 'rij')} met fouten niet geïmporteerd."
        return text
