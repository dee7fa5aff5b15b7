"""Dutch counts in a sentence: '1 kandidaat', '2 kandidaten', '0 kandidaten', '1.234 incidenten'.

One place, so no screen, message or document says '1 kandidaten' (issue 14) or '1234 incidenten': a Dutch
reader groups thousands with a dot (`number`). Only counts: an identifier (studentnummer, crebo, BRIN), a
year or a number in an exported CSV/XLSX cell is written as it is. The nouns ExamDesk counts
are listed with their plural; a noun not listed is an error in the code (a test walks the table),
never a guess at Dutch spelling."""

from __future__ import annotations

PLURALS: dict[str, str] = {
    "kandidaat": "kandidaten",
    "kwalificatie": "kwalificaties",
    "account": "accounts",
    "minuut": "minuten",
    "dag": "dagen",
    "regel": "regels",
    "rij": "rijen",
    "kolom": "kolommen",
    "instrument": "instrumenten",
    "leverancier": "leveranciers",
    "incident": "incidenten",
    "fout": "fouten",
    "melding": "meldingen",
    "surveillant": "surveillanten",
    "besluit": "besluiten",
    "afname": "afnames",
    "afnameperiode-regel": "afnameperiode-regels",
    "document": "documenten",
    "keer": "keer",
    "uur": "uur",
    "jaar": "jaar",
    "werkplek": "werkplekken",
    "gebeurtenis": "gebeurtenissen",
    "pagina": "pagina's",
    "lid": "leden",
    "beroep": "beroepen",
    "bijlage": "bijlagen",
    "zaak": "zaken",
    "instellingsexamen": "instellingsexamens",
    "centraal examen": "centrale examens",
    "geldend besluit": "geldende besluiten",
    "vastlegging": "vastleggingen",
    "opgeslagen pdf": "opgeslagen pdf's",
    "back-up": "back-ups",
}


def number(n: int) -> str:
    """A count as a Dutch reader reads it: thousands grouped with a dot ('1.234', '12.345.678'; '999')."""
    return f"{n:,}".replace(",", ".")


def plural(noun: str) -> str:
    """The plural of a noun ExamDesk counts ('kandidaat' → 'kandidaten')."""
    return PLURALS[noun]


def counted(n: int, noun: str) -> str:
    """'1 kandidaat', '4 kandidaten', '0 kandidaten': the number and the noun in the form it needs."""
    return f"{number(n)} {noun if n == 1 else PLURALS[noun]}"


def noun_for(n: int, noun: str) -> str:
    """Only the noun, for a sentence that puts the number elsewhere ('van 5 kandidaten')."""
    return noun if n == 1 else PLURALS[noun]
