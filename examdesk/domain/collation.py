"""Names sorted the way a Dutch reader expects, for documents and exports (the screens sort with Qt's
QCollator in `ui/table_model`): letters with accents sort with their base letter (Şahin among the S,
before Wójcik; Łukasz among the L), case does not count, and a surname that starts with a tussenvoegsel
('van Dijk', 'de Vries') sorts under the surname itself (D, V), as in a Dutch telephone book.

Pure Python on purpose: the domain has no Qt, and ICU is not a dependency."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T")

# letters that do not decompose into a base letter and an accent
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"})
PREFIXES = ("van der", "van den", "van de", "van het", "van 't", "in 't", "in het", "op de", "op den",
            "uit de", "uit den", "van", "de", "den", "der", "het", "'t", "ter", "ten", "te", "d'")
_PREFIX = re.compile(r"^(" + "|".join(re.escape(p) for p in PREFIXES) + r")\s+(?=\w)", re.IGNORECASE)


def fold(text: str) -> str:
    """'Şahin' → 'sahin', 'Łukasz' → 'lukasz': what the primary order compares."""
    if text.isascii():
        return text.casefold()   # nothing to translate or decompose (most names): the same result, at once
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def split_prefix(surname: str) -> tuple[str, str]:
    """('Dijk', 'van') for 'van Dijk'; ('Jansen', '') for 'Jansen'."""
    match = _PREFIX.match(surname.strip())
    if match is None:
        return surname.strip(), ""
    return surname.strip()[match.end():], match.group(1)


def dutch_key(text: str) -> tuple[str, str, str, str]:
    """Sort key for a name or a surname: the surname without its tussenvoegsel, folded; then the
    tussenvoegsel; then case and accents as the tie-breakers, so the order is total and stable."""
    main, prefix = split_prefix(text)
    return fold(main), fold(prefix), main.casefold(), text


def person_key(last_name: str, first_name: str = "", prefix: str = "") -> tuple:
    """Sort key for a person kept in parts (a candidate): surname the Dutch way, then first name, then
    the tussenvoegsel kept in its own field ('Berg, Loïs van den')."""
    return dutch_key(f"{prefix} {last_name}".strip()), dutch_key(first_name)


def _surname_start(words: list[str]) -> int:
    """Where the surname starts in a displayed full name: at the first tussenvoegsel after the first
    name ('Marieke de Vries' → 1), otherwise the last word ('Elif Şahin' → 1)."""
    lowered = [w.casefold() for w in words]
    for i in range(1, len(words)):
        if lowered[i] not in _PREFIX_STARTS:
            continue
        for parts in _PREFIX_WORDS:
            if lowered[i:i + len(parts)] == parts and i + len(parts) < len(words):
                return i
    return len(words) - 1


_PREFIX_WORDS = tuple(p.split() for p in PREFIXES)
_PREFIX_STARTS = frozenset(parts[0] for parts in _PREFIX_WORDS)


def full_name_key(name: str) -> tuple:
    """Sort key for a name known only as displayed, first name first ('Marieke de Vries', a user's full
    name, a candidate on a document): under the surname ('Vries'), then the first name, as `person_key`."""
    words = name.split()
    if len(words) < 2:
        return dutch_key(name), dutch_key("")
    start = _surname_start(words)
    return dutch_key(" ".join(words[start:])), dutch_key(" ".join(words[:start]))


def sorted_names(names: Iterable[str]) -> list[str]:
    """Displayed full names in Dutch order."""
    return sorted(names, key=full_name_key)


def by_sort_name(items: Iterable[T], sort_name: Callable[[T], str] = attrgetter("sort_name")) -> list[T]:
    """People (roster entries, candidates) in Dutch order of their 'Achternaam, Voornaam tussenvoegsel'
    (`Candidate.sort_name`): Şahin before Wójcik, 'de Vries' under V — as a reader looks someone up on paper.
    For bounded lists only (a roster, a document, an export): sort in Python after the query."""
    return sorted(items, key=lambda item: dutch_key(sort_name(item)))
