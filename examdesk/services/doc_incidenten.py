"""Incident overview for a period with the filters of the Incidenten screen — as a PDF document, and
as XLSX or CSV (UTF-8 with BOM, ';') for further analysis. An overview of more than `SUMMARY_FROM`
incidents (a school year of a large school: ~25,000) is a *summary* as a PDF — counts per status,
category, route, location and month — with the incidents themselves in the spreadsheet, which is
written as a stream. The subject id carries the period and the
filters ('van=2026-01-01;tot=2026-07-31;categorie=ONWEL;zoek=fraude'), so a printed overview can be
checked later; `subject_of` and `filter_of` are the only encoder and decoder of it (the CLI, the
Rapporten screen and the Incidenten screen all go through them)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from examdesk.data import incident_desk as desk_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_time, from_iso
from examdesk.domain.collation import full_name_key
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.incident_desk import HANDLER_FILTERS, STATUSES, IncidentFilter, handler_label
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.doc_support import institution, matching
from examdesk.services.documents import DocumentContent, DocumentKind
from examdesk.services.spreadsheet_export import csv_bytes, xlsx_table

MODEL = "Incidentenoverzicht · model IO-1 (versie 2026)"
_KEYS = {"van": "date_from", "tot": "date_to", "status": "status", "categorie": "category", "route": "handler",
         "locatie": "location_id", "afname": "session_id", "kandidaat": "candidate_id",
         "kandidaatzoek": "candidate", "zoek": "text", "te_melden": "to_report", "zonder_brief": "without_letter"}
_FLAGS = ("to_report", "without_letter")
_TEXTS = ("candidate", "text")
# Typed text may hold the separators: escaped as in a URL (older subject ids never contain '%').
_ESCAPES = (("%", "%25"), (";", "%3B"), ("=", "%3D"))


def _escape(text: str) -> str:
    for plain, escaped in _ESCAPES:
        text = text.replace(plain, escaped)
    return text


def _unescape(text: str) -> str:
    for plain, escaped in reversed(_ESCAPES):
        text = text.replace(escaped, plain)
    return text
COLUMNS = ["Datum", "Tijd", "Afname", "Locatie", "Lokaal", "Code", "Categorie", "Protocolpunt", "Afhandeling",
           "Status", "Kandidaten", "Aantal kandidaten", "Wat gebeurde er", "Wat is gedaan", "Incident-id"]


def subject_of(f: IncidentFilter) -> str:
    """The filter as a subject id; the period is required."""
    if f.date_from is None or f.date_to is None:
        raise ValidationError("Geef de periode van het overzicht: een begin- en een einddatum.")
    if f.date_to < f.date_from:
        raise ValidationError(f"De einddatum {format_date(f.date_to)} ligt vóór de begindatum "
                              f"{format_date(f.date_from)}.")
    parts = []
    for key, attr in _KEYS.items():
        value = getattr(f, attr)
        if attr in _TEXTS:
            value = value.strip()
        if value in (None, "", False):
            continue
        if value is True:
            value = "ja"
        elif isinstance(value, date):
            value = value.isoformat()
        parts.append(f"{key}={_escape(str(value))}")
    return ";".join(parts)


def filter_of(subject_id: str) -> IncidentFilter:
    values: dict[str, Any] = {}
    for item in subject_id.split(";"):
        key, _, value = item.partition("=")
        if key not in _KEYS or not value:
            raise NotFound(f"Onbekend onderdeel '{item}' in het overzicht.")
        attr = _KEYS[key]
        if attr in ("date_from", "date_to"):
            values[attr] = date.fromisoformat(value)
        elif attr in ("location_id", "candidate_id"):
            values[attr] = int(value)
        elif attr in _FLAGS:
            values[attr] = value == "ja"
        else:
            values[attr] = _unescape(value)
    f = IncidentFilter(**values)
    subject_of(f)
    return f


def _filter_lines(f: IncidentFilter, store: Store) -> list[tuple[str, str]]:
    names = {c.code: c.name for c in default_catalogue().categories}
    choices = desk_data.filter_choices(store)
    lines = [("Periode", f"{format_date(f.date_from)} tot en met {format_date(f.date_to)}")]
    if f.status:
        lines.append(("Status", f.status))
    if f.category:
        lines.append(("Categorie", f"{f.category} {names.get(f.category, '')}"))
    if f.handler:
        lines.append(("Afhandeling", HANDLER_FILTERS.get(f.handler, f.handler)))
    if f.location_id is not None:
        lines.append(("Locatie", dict(choices["locations"]).get(f.location_id, str(f.location_id))))
    if f.session_id:
        found = desk_data.session_with_incidents(store, f.session_id)
        lines.append(("Afname", f"{found[2]} ({format_date(date.fromisoformat(found[1][:10]))})" if found
                      else f.session_id))
    if f.candidate_id is not None:
        lines.append(("Kandidaat", str(f.candidate_id)))
    if f.candidate.strip():
        lines.append(("Kandidaat (naam of nummer)", f.candidate.strip()))
    if f.text.strip():
        lines.append(("Zoekterm", f.text.strip()))
    if f.to_report:
        lines.append(("Alleen", "te melden bij de Inspectie"))
    if f.without_letter:
        lines.append(("Alleen", "met een besluit zonder brief"))
    return lines


def with_period(store: Store, f: IncidentFilter, today: date) -> IncidentFilter:
    """The screen's filter with a period an overview can name: a missing begin date becomes the day of
    the first incident that fits the other filters, a missing end date today (or the last incident's
    day, if later). Nothing fits: NotFound, so no empty overview is made."""
    if f.date_from is not None and f.date_to is not None:
        return f
    codes = _category_codes(f)
    first = desk_data.page(store, f, 0, 1, sort="tijd", descending=False, category_codes=codes)
    if not first:
        raise NotFound("Geen incidenten bij deze filters; er is geen overzicht gemaakt.")
    last = desk_data.page(store, f, 0, 1, sort="tijd", descending=True, category_codes=codes)[0]
    start = f.date_from or first[0].occurred_at.date()
    end = f.date_to or max(today, last.occurred_at.date())
    return replace(f, date_from=start, date_to=end)


def period_subject(date_from: date, date_to: date) -> str:
    """A free period on the Rapporten screen, without further filters."""
    return subject_of(IncidentFilter(date_from=date_from, date_to=date_to))


def period_of(subject_id: str) -> tuple[date, date]:
    f = filter_of(subject_id)
    return f.date_from, f.date_to


def _category_codes(f: IncidentFilter) -> list[str]:
    """The search matches category names too, as on the Incidenten screen."""
    return [c.code for c in default_catalogue().search(f.text)] if f.text.strip() else []


def _names_in_order(joined: str, keys: dict[str, tuple]) -> str:
    """The names the row shows, in Dutch order (Şahin before Wójcik, 'de Vries' under V); the list query picks
    them and is left as it is (it serves the paged Incidenten list). `keys` keeps each name's sort key for the
    whole overview: a candidate comes back in several incidents of a year, and the key is the costly part."""
    if ", " not in joined:
        return joined   # one name (most incidents): nothing to sort
    names = [n for n in joined.split(", ") if n]
    for n in names:
        if n not in keys:
            keys[n] = full_name_key(n)
    return ", ".join(sorted(names, key=keys.__getitem__))   # `sorted_names`, with the keys kept


def rows_for(store: Store, f: IncidentFilter) -> list[dict[str, Any]]:
    """The overview's rows in time order, from the desk's plain columns (`desk_data.overview_rows`): a year's
    export builds 25,000 of these, so each is a dict of what is shown and nothing more. A year holds some two
    hundred days and a day's times repeat, so each day's and each time's text is formatted once."""
    names = {c.code: c.name for c in default_catalogue().categories}
    days: dict[date, str] = {}
    times: dict[tuple[int, int], str] = {}
    keys: dict[str, tuple] = {}
    found = []
    for (incident_id, occurred_at, title, location, room, code, point, last_answer, doubtful, exam_kind,
         route_handler, handler, serious, status, count, happened, done), candidates \
            in desk_data.overview_rows(store, f, _category_codes(f)):
        moment = from_iso(occurred_at)   # in Amsterdam time: its day and its hour and minute are what is shown
        day, clock = moment.date(), (moment.hour, moment.minute)
        if day not in days:
            days[day] = format_date(moment)
        if clock not in times:
            times[clock] = format_time(moment)
        found.append({
            "datum": days[day], "tijd": times[clock], "afname": title, "locatie": location,
            "lokaal": room, "code": code, "categorie": names.get(code, code), "punt": point or "",
            "afhandeling": handler_label(last_answer, bool(doubtful), exam_kind, route_handler, handler,
                                         bool(serious)),
            "status": status,
            "kandidaten": _names_in_order(candidates, keys) + (f" (+{count - 3})" if count > 3 else ""),
            "aantal": count, "wat_gebeurde": happened or "", "wat_gedaan": done or "", "id": incident_id,
        })
    return found


SUMMARY_FROM = 500   # more incidents than this (some forty pages): the PDF summarises, the spreadsheet lists
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def _summary(store: Store, f: IncidentFilter, codes: list[str], total: int) -> DocumentContent:
    """The overview of many incidents as counts: what a commission reads on paper; the rows are in the XLSX."""
    names = {c.code: c.name for c in default_catalogue().categories}
    labels = default_catalogue().handler_labels
    statuses = dict(desk_data.breakdown(store, f, "status", codes))

    def per(by: str, key: str, label: Any) -> list[dict[str, Any]]:
        return [{key: label(value), "aantal": n} for value, n in desk_data.breakdown(store, f, by, codes)]

    data = {
        "instelling": institution(store), "filters": _filter_lines(f, store), "samenvatting": True, "aantal": total,
        "per_status": [{"status": s, "aantal": statuses.get(s, 0)} for s in STATUSES],
        "per_categorie": [{"code": c, "categorie": names.get(c, c), "aantal": n}
                          for c, n in desk_data.breakdown(store, f, "categorie", codes)],
        "per_route": per("route", "afhandeling", lambda h: labels.get(h, h)),
        "per_locatie": per("locatie", "locatie", str),
        "per_maand": sorted(({"maand": f"{_MONTHS[int(m[5:7]) - 1]} {m[:4]}", "sleutel": m, "aantal": n}
                             for m, n in desk_data.breakdown(store, f, "maand", codes)), key=lambda x: x["sleutel"]),
    }
    title = f"Incidentenoverzicht {format_date(f.date_from)} – {format_date(f.date_to)}"
    return DocumentContent(data, title, f"{counted(total, 'incident')} (samenvatting)", MODEL)


def collect(store: Store, subject_id: str) -> DocumentContent:
    f = filter_of(subject_id)
    codes = _category_codes(f)
    total = desk_data.count(store, f, codes)
    if total > SUMMARY_FROM:
        return _summary(store, f, codes, total)
    rows = rows_for(store, f) if total else []
    if not rows:
        raise NotFound(f"Geen incidenten van {format_date(f.date_from)} tot en met {format_date(f.date_to)} "
                       "met deze filters.")
    counts = {s: 0 for s in STATUSES}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    data = {"instelling": institution(store), "filters": _filter_lines(f, store), "incidenten": rows,
            "per_status": [{"status": s, "aantal": n} for s, n in counts.items()]}
    title = f"Incidentenoverzicht {format_date(f.date_from)} – {format_date(f.date_to)}"
    return DocumentContent(data, title, counted(len(rows), "incident"), MODEL)


def subjects(store: Store, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
    """Ready-made periods: the current and the previous school year, and the last 30 days."""
    from examdesk.domain.clock import today
    from examdesk.domain.register import school_year_bounds, school_year_of

    now = today()
    result = []
    this_year = school_year_of(now)
    previous = f"{int(this_year[:4]) - 1}-{this_year[:4]}"
    for year in (this_year, previous):
        start, end = school_year_bounds(year)
        result.append((subject_of(IncidentFilter(date_from=start, date_to=end)), f"Schooljaar {year}"))
    start = date.fromordinal(now.toordinal() - 30)
    result.insert(0, (subject_of(IncidentFilter(date_from=start, date_to=now)), "Laatste 30 dagen"))
    return matching(result, text, limit)


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.incidenten import story

    return story(data)


KIND = DocumentKind("incidenten", "Incidentenoverzicht", collect, _story, subjects, "Periode",
                    period_subject=period_subject, period_of=period_of)


# --- spreadsheets ------------------------------------------------------------------------------------

def _values(r: dict[str, Any]) -> list[Any]:
    return [r["datum"], r["tijd"], r["afname"], r["locatie"], r["lokaal"], r["code"], r["categorie"], r["punt"],
            r["afhandeling"], r["status"], r["kandidaten"], r["aantal"], r["wat_gebeurde"], r["wat_gedaan"], r["id"]]


def _write_atomically(path: Path, payload: bytes) -> None:
    """Written beside the target and renamed, so a failure never leaves a half or empty file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".examdesk-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_incidents(ctx: AppContext, f: IncidentFilter, path: Path) -> int:
    """XLSX or CSV of the overview (the same rows as the PDF); returns the number of incidents. An empty
    selection is refused and writes nothing."""
    ctx.require(Action.PRODUCE_DOCUMENTS)
    subject_of(f)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(f"{path.name}: kies een bestand dat eindigt op .pdf, .xlsx of .csv.")
    rows = rows_for(ctx.store, f)
    if not rows:
        raise NotFound(f"Geen incidenten van {format_date(f.date_from)} tot en met {format_date(f.date_to)} met "
                       "deze filters; er is geen bestand gemaakt.")
    if suffix == ".csv":
        payload = csv_bytes(COLUMNS, (_values(r) for r in rows))
    else:
        payload = xlsx_table("Incidenten", COLUMNS, (_values(r) for r in rows),
                             (11, 6, 24, 24, 8, 18, 32, 6, 22, 18, 30, 8, 50, 50, 38))
    try:
        _write_atomically(path, payload)
    except OSError as exc:
        raise ValidationError(f"{path} kan niet worden geschreven: {exc.strerror}.") from None
    with ctx.store.transaction():
        ctx.audit("incidentenoverzicht geëxporteerd", "incidenten", subject_of(f),
                  {"bestand": path.name, "incidenten": len(rows)})
    return len(rows)

