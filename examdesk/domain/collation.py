"""Names sorted the way a Dutch reader expects, for documents and exports (the screens sort with Qt's
QCollator in `ui/table_model`): letters with accents sort with their base letter (Şahin among the S,
before Wójcik; Łukasz among the L), case does not count, and a surname that starts with a tussenvoegsel
('van Dijk', 'de Vries') sorts under the surname itself (D, V), as in a Dutch telephone book.

Pure Python on purpose: the domain has no Qt, and ICU is not a dependency."""

from __future__ import annotations

import re
import unicodedata

# letters that do not decompose into a base letter and an accent
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"})
PREFIXES = ("van der", "van den", "van de", "van het", "van 't", "in 't", "in het", "op de", "op den",
            "uit de", "uit den", "van", "de", "den", "der", "het", "'t", "ter", "ten", "te", "d'")
_PREFIX = re.compile(r"^(" + "|".join(re.escape(p) for p in PREFIXES) + r")\s+(?=\w)", re.IGNORECASE)


def fold(text: str) -> str:
    """'Şahin' → 'sahin', 'Łukasz' → 'lukasz': what the primary order compares."""
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
