"""Dutch plurals for counts in a sentence: '1 kandidaat', '2 kandidaten', '0 kandidaten'.

One place, so no screen, message or document says '1 kandidaten' (issue 14). The nouns ExamDesk counts
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
}


def plural(noun: str) -> str:
    """The plural of a noun ExamDesk counts ('kandidaat' → 'kandidaten')."""
    return PLURALS[noun]


def counted(n: int, noun: str) -> str:
    """'1 kandidaat', '4 kandidaten', '0 kandidaten': the number and the noun in the form it needs."""
    return f"{n} {noun if n == 1 else PLURALS[noun]}"


def noun_for(n: int, noun: str) -> str:
    """Only the noun, for a sentence that puts the number elsewhere ('van 5 kandidaten')."""
    return noun if n == 1 else PLURALS[noun]
