"""Ids people can type. Sessions, incidents and decisions carry UUIDs; lists show their first eight
characters (`short_id`), and every command that names one accepts the full id or a unique prefix of at
least eight characters (`resolve_id`). One place, so the exchange and the documents agree."""

from __future__ import annotations

from datetime import date

from examdesk.data import ids as id_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date
from examdesk.domain.errors import NotFound, ValidationError

MIN_PREFIX = 8
_SHOWN = 5
# what → (noun in a sentence, noun at the start of one)
NOUNS: dict[str, tuple[str, str]] = {
    "afname": ("afname", "Afname"),
    "incident": ("incident", "Incident"),
    "besluit": ("besluit", "Besluit"),
}


def short_id(full_id: str) -> str:
    """What lists show and people type: the first eight characters."""
    return full_id[:MIN_PREFIX]


def resolve_id(store: Store, what: str, text: str) -> str:
    """The full id of the session, incident or decision ('afname', 'incident', 'besluit') that `text`
    names: its full id, or a prefix of at least eight characters that fits exactly one."""
    noun, title = NOUNS[what]
    typed = text.strip().lower()
    if not typed:
        raise ValidationError(f"Geef het id van de {noun} (de eerste {MIN_PREFIX} tekens volstaan).")
    if len(typed) < MIN_PREFIX:
        raise ValidationError(f"'{typed}' is te kort: geef ten minste {MIN_PREFIX} tekens van het id van de {noun}.")
    hits = id_data.starting_with(store, what, typed, limit=_SHOWN + 1)
    if not hits:
        raise NotFound(f"{title} '{typed}' bestaat niet.")
    exact = [h for h in hits if h.id == typed]
    if exact:
        return exact[0].id
    if len(hits) == 1:
        return hits[0].id
    shown = hits[:_SHOWN]
    width = len(typed) + 1
    while width < max(len(h.id) for h in shown) and len({h.id[:width] for h in shown}) < len(shown):
        width += 1
    items = ", ".join(f"{h.id[:width]} ({_describe(what, h)})" for h in shown)
    more = ", …" if len(hits) > _SHOWN else ""
    raise ValidationError(f"'{typed}' past bij meer dan één {noun}: {items}{more}. Typ meer tekens van het id.")


def _describe(what: str, match: id_data.IdMatch) -> str:
    text = match.text
    if what == "incident":
        text = {c.code: c.name for c in default_catalogue().categories}.get(text, text)
    try:
        day = format_date(date.fromisoformat(match.day))
    except (TypeError, ValueError):
        day = match.day or ""
    return f"{day} {text}".strip()
