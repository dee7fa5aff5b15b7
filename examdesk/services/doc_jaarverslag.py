"""The examencommissie's annual report for a school year: the commission's policy and considerations for
the year (seed 000 §5, "op basis van zijn visie"), routes and considerations per kwalificatie, instruments
per route and their validity on the reference date, the share of route 1, the gaps, sessions that used an
instrument not valid on their date, incidents per category, location and month, decisions (per candidate and
per case), and the reports to the Inspectie with their outcome. Input for the examenverslag and the PDCA
cycle. Numbers as a Dutch reader writes them (55,0%); the same tables as an XLSX workbook, one sheet each
(`export_annual_report`, through the formula-safe spreadsheet writer).

The reference date (peildatum) is the last day of the school year once it has passed, otherwise
today: validity is a matter of date, so a report on a running year is outdated the next day."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from examdesk.data import casework as casework_data
from examdesk.data import register as register_data
from examdesk.data import reports as report_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, today
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.incident_desk import MEASURE_LABELS, REPORT_SUBJECTS, Measure, point_title
from examdesk.domain.numbers import dutch_percent
from examdesk.domain.register import school_year_bounds, school_year_of, validity
from examdesk.domain.roles import Action
from examdesk.services.commission_policy import current_policy
from examdesk.services.context import AppContext
from examdesk.services.doc_support import People, institution, matching
from examdesk.services.documents import DocumentContent, DocumentKind
from examdesk.services.spreadsheet_export import append_xlsx_row

MODEL = "Jaarverslag examencommissie · model JV-1 (versie 2026)"
EXPIRY_DAYS = 90
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
OUTCOMES = {"terugverwezen": "terugverwezen naar de examencommissie", "opnieuw_afnemen": "opnieuw afnemen"}


def reference_date(school_year: str, on: date | None = None) -> date:
    _, end = school_year_bounds(school_year)
    now = on or today()
    return end if now > end else now


def collect(store: Store, school_year: str) -> DocumentContent:
    try:
        start, end = school_year_bounds(school_year)
    except ValidationError as exc:
        raise NotFound(exc.message) from None
    peil = reference_date(school_year)
    if peil < start:
        raise NotFound(f"Schooljaar {school_year} is nog niet begonnen: er is nog niets te verantwoorden.")
    data: dict[str, Any] = {"instelling": institution(store), "schooljaar": school_year,
                            "van": format_date(start), "tot": format_date(end), "peildatum": format_date(peil)}
    data["beleid"] = _policy(store, school_year)
    data.update(_register(store, school_year, peil, start, end))
    data.update(_incidents(store, start, end))
    appeals = casework_data.appeal_counts(store, start, end)
    if appeals["ingesteld"]:                     # only then: a year without appeals keeps its fingerprint
        data["beroep"] = appeals
    return DocumentContent(data, f"Jaarverslag examencommissie {school_year}", f"Schooljaar {school_year}", MODEL)


def _policy(store: Store, school_year: str) -> dict[str, Any]:
    policy = current_policy(store, school_year)
    if policy is None:
        return {"tekst": "", "vastgelegd": ""}
    return {"tekst": policy.text, "vastgelegd": f"{format_date(policy.recorded_at)} door "
                                                f"{People(store).name(policy.username)}"
                                                + (f" (versie {policy.version})" if policy.version > 1 else "")}


def _register(store: Store, school_year: str, peil: date, start: date, end: date) -> dict[str, Any]:
    qualifications = register_data.all_qualifications(store)
    by_crebo = {q.crebo: q for q in qualifications}
    suppliers = {s.id: s for s in register_data.all_suppliers(store)}
    histories = register_data.all_statuses(store)
    criteria = register_data.all_criteria(store)
    choices = register_data.route_choices_for_year(store, school_year)
    instruments = register_data.list_instruments(store)
    per: dict[str, dict[str, Any]] = {}
    invalid: list[dict[str, Any]] = []
    routes = Counter()
    valid_routes = Counter()
    by_id = {}
    for i in instruments:
        by_id[i.id] = i
        verdict = validity(i, histories.get(i.id, ()), suppliers.get(i.supplier_id or ""), by_crebo.get(i.crebo), peil,
                           criteria.get(i.id, ()))
        row = per.setdefault(i.crebo, {"r1": 0, "r2": 0, "r3": 0, "valide": 0, "niet_valide": 0})
        row[f"r{i.route}"] += 1
        routes[i.route] += 1
        if verdict.valid:
            row["valide"] += 1
            valid_routes[i.route] += 1
        else:
            row["niet_valide"] += 1
            invalid.append({"code": i.code, "titel": i.title, "crebo": i.crebo, "route": i.route,
                            "reden": " ".join(r.split(": ", 1)[-1] for r in verdict.reasons)})
    lines = []
    for q in qualifications:
        counts = per.get(q.crebo)
        choice = choices.get(q.crebo)
        if counts is None and choice is None:
            continue
        counts = counts or {"r1": 0, "r2": 0, "r3": 0, "valide": 0, "niet_valide": 0}
        lines.append({"crebo": q.crebo, "naam": q.name, "niveau": q.niveau_label, "soort": str(q.kind),
                      "routes": choice.routes_label if choice else "", "afwegingen": choice.considerations if choice
                      else "", "vastgesteld": format_date(choice.adopted_on) if choice else "", **counts})
    missing_choice = [{"crebo": x["crebo"], "naam": x["naam"], "instrumenten": x["r1"] + x["r2"] + x["r3"]}
                      for x in lines if not x["routes"] and x["r1"] + x["r2"] + x["r3"] > 0]
    certificates = []
    for s in sorted(suppliers.values(), key=lambda s: s.name):
        used = sum(1 for i in instruments if i.supplier_id == s.id)
        if not used:
            continue
        if not s.certified_on(peil) or s.expires_within(peil, EXPIRY_DAYS):
            certificates.append({"leverancier": s.name, "certificaat": s.certificate_number or "—",
                                 "stand": s.certificate_sentence(peil), "instrumenten": used,
                                 "verlopen": not s.certified_on(peil)})
    used_invalid = []
    verdicts: dict[tuple[str, str], Any] = {}
    for use in report_data.sessions_with_instrument(store, start.isoformat(), end.isoformat()):
        i = by_id.get(use.instrument_id)
        if i is None:
            continue
        key = (i.id, use.session_date)
        if key not in verdicts:
            verdicts[key] = validity(i, histories.get(i.id, ()), suppliers.get(i.supplier_id or ""),
                                     by_crebo.get(i.crebo), date.fromisoformat(use.session_date),
                                     criteria.get(i.id, ()))
        verdict = verdicts[key]
        if not verdict.valid:
            used_invalid.append({"datum": format_date(date.fromisoformat(use.session_date)), "instrument": i.code,
                                 "afname": f"{use.title}, lokaal {use.room_name} ({use.location_name})",
                                 "reden": " ".join(verdict.reasons)})
    total = sum(routes.values())
    return {
        "kerncijfers": {
            "kwalificaties": len(lines), "instrumenten": total, "route1": routes[1], "route2": routes[2],
            "route3": routes[3], "aandeel_route1": dutch_percent(routes[1], total),
            "valide": sum(valid_routes.values()), "niet_valide": len(invalid),
            "zonder_routekeuze": len(missing_choice),
        },
        "kwalificaties": lines,
        "zonder_routekeuze": missing_choice,
        "niet_valide": sorted(invalid, key=lambda x: (x["crebo"], x["code"])),
        "certificaten": certificates,
        "afnames_niet_valide": used_invalid,
    }


def _incidents(store: Store, start: date, end: date) -> dict[str, Any]:
    names = {c.code: c.name for c in default_catalogue().categories}
    points = {c.code: c.protocol_point or (f"11{c.particular}" if c.particular else None)
              for c in default_catalogue().categories}
    per_category: Counter[str] = Counter()
    per_location: Counter[str] = Counter()
    per_month: Counter[str] = Counter()
    per_handler: Counter[str] = Counter()
    for category, location, month, handler, n in report_data.incident_counts(store, start.isoformat(),
                                                                             end.isoformat()):
        per_category[category] += n
        per_location[location] += n
        per_month[month] += n
        per_handler[handler] += n
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        key = cursor.strftime("%Y-%m")
        months.append({"maand": f"{MONTHS[cursor.month - 1]} {cursor.year}", "aantal": per_month.get(key, 0)})
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    total = sum(per_category.values())
    measures: Counter[str] = Counter()
    decision_points: Counter[str] = Counter()
    minors = 0
    decisions = report_data.decisions_in(store, start.isoformat(), end.isoformat())
    cases: dict[str, tuple[int | None, bool]] = {}
    for incident, point, measure in report_data.decision_cases_in(store, start.isoformat(), end.isoformat()):
        _, had = cases.get(incident, (point, False))
        cases[incident] = (point, had or measure)
    per_case: Counter[str] = Counter()
    for point, measure in cases.values():
        per_case[(f"{point} — {point_title(point)}" if point else point_title(point),
                  "met maatregel" if measure else "geen maatregel")] += 1
    for measures_json, point, minor, _ in decisions:
        chosen = json.loads(measures_json)
        for m in chosen or ["geen"]:
            measures[MEASURE_LABELS[Measure(m)] if m != "geen" else "geen maatregel"] += 1
        decision_points[f"{point} — {point_title(point)}" if point else point_title(point)] += 1
        minors += int(minor)
    reports = [{
        "gemeld": format_date(date.fromisoformat(r.reported_on)), "onderwerp": REPORT_SUBJECTS.get(r.subject, r.subject),
        "incident": f"{names.get(r.category, r.category)} ({format_date(date.fromisoformat(r.occurred_at[:10]))})",
        "kenmerk": r.reference, "uitkomst": (OUTCOMES.get(r.outcome, r.outcome) + (f", {r.scope}" if r.scope else "")
                                            + (f" ({format_date(date.fromisoformat(r.answered_on))})"
                                               if r.answered_on else "")
                                            + (f", kenmerk {r.answer_reference}" if r.answer_reference else ""))
                    if r.outcome else "nog geen antwoord",
    } for r in report_data.inspectie_reports_in(store, start.isoformat(), end.isoformat())]
    sessions = report_data.session_counts(store, start.isoformat(), end.isoformat())

    def share(n: int) -> str:
        return dutch_percent(n, total)

    return {
        "afnames": {"instelling": sessions.get("instelling", 0), "centraal": sessions.get("centraal", 0)},
        "incidenten_totaal": total,
        "per_categorie": [{"code": c, "naam": names.get(c, c), "protocolpunt": points.get(c), "aantal": n,
                           "aandeel": share(n)} for c, n in sorted(per_category.items(), key=lambda x: (-x[1], x[0]))],
        "per_locatie": [{"locatie": loc, "aantal": n, "aandeel": share(n)}
                        for loc, n in sorted(per_location.items(), key=lambda x: (-x[1], x[0]))],
        "per_maand": months,
        "per_route": [{"route": default_catalogue().handler_labels.get(h, h), "aantal": n}
                      for h, n in sorted(per_handler.items(), key=lambda x: (-x[1], x[0]))],
        "besluiten": {"totaal": len(decisions), "minderjarig": minors, "zaken": len(cases),
                      "per_maatregel": [{"maatregel": k, "aantal": v} for k, v in sorted(measures.items())],
                      "per_punt": [{"punt": k, "aantal": v} for k, v in sorted(decision_points.items())],
                      "per_zaak": [{"punt": k[0], "uitkomst": k[1], "zaken": v}
                                   for k, v in sorted(per_case.items())]},
        "inspectie": reports,
    }


def subjects(store: Store, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
    first = report_data.incident_years(store)
    now = today()
    start_year = school_year_of(date.fromisoformat(first[0])) if first else school_year_of(now)
    years = []
    year = int(school_year_of(now)[:4])
    while year >= int(start_year[:4]) and len(years) < 10:
        years.append(f"{year}-{year + 1}")
        year -= 1
    return matching([(y, f"Schooljaar {y}" + (" (loopt nog)" if y == school_year_of(now) else "")) for y in years], text, limit)


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.jaarverslag import story

    return story(data)


KIND = DocumentKind("jaarverslag", "Jaarverslag examencommissie", collect, _story, subjects, "Schooljaar")


# --- the same tables as a workbook ---------------------------------------------------------------------

def _sheets(d: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet name, header, rows) for every table of the report; shares as fractions (shown as 55,0% by a
    Dutch spreadsheet through the cell's percentage format)."""
    k = d["kerncijfers"]
    total = d["incidenten_totaal"]
    instruments = k["instrumenten"]
    b = d["besluiten"]
    return [
        ("Kerncijfers", ["Onderwerp", "Waarde"], [
            ["Schooljaar", d["schooljaar"]], ["Peildatum geldigheid", d["peildatum"]],
            ["Kwalificaties en certificaten", k["kwalificaties"]], ["Exameninstrumenten", instruments],
            ["Route 1", k["route1"]], ["Route 2", k["route2"]], ["Route 3", k["route3"]],
            ["Aandeel route 1", k["route1"] / instruments if instruments else None],
            ["Valide op de peildatum", k["valide"]], ["Niet valide op de peildatum", k["niet_valide"]],
            ["Instellingsexamens", d["afnames"]["instelling"]], ["Centrale examens", d["afnames"]["centraal"]],
            ["Incidenten", total], ["Besluiten", b["totaal"]], ["Zaken met een besluit", b["zaken"]],
            ["Besluiten over een minderjarige", b["minderjarig"]], ["Meldingen bij de Inspectie", len(d["inspectie"])]]),
        ("Beleid en afwegingen", ["Tekst", "Vastgelegd"], [[d["beleid"]["tekst"], d["beleid"]["vastgelegd"]]]),
        ("Routekeuze", ["Crebo", "Kwalificatie", "Niveau", "Routes", "Afwegingen", "Vastgesteld", "R1", "R2", "R3",
                        "Niet valide"],
         [[x["crebo"], x["naam"], x["niveau"], x["routes"], x["afwegingen"], x["vastgesteld"], x["r1"], x["r2"],
           x["r3"], x["niet_valide"]] for x in d["kwalificaties"]]),
        ("Zonder routekeuze", ["Crebo", "Kwalificatie", "Instrumenten"],
         [[x["crebo"], x["naam"], x["instrumenten"]] for x in d["zonder_routekeuze"]]),
        ("Niet valide", ["Code", "Titel", "Crebo", "Route", "Waarom niet valide"],
         [[x["code"], x["titel"], x["crebo"], x["route"], x["reden"]] for x in d["niet_valide"]]),
        ("Certificaten", ["Leverancier", "Certificaat", "Stand op de peildatum", "Instrumenten"],
         [[x["leverancier"], x["certificaat"], x["stand"], x["instrumenten"]] for x in d["certificaten"]]),
        ("Afnames niet valide", ["Datum", "Instrument", "Afname", "Waarom niet valide"],
         [[x["datum"], x["instrument"], x["afname"], x["reden"]] for x in d["afnames_niet_valide"]]),
        ("Incidenten per maand", ["Maand", "Incidenten"], [[m["maand"], m["aantal"]] for m in d["per_maand"]]),
        ("Incidenten per categorie", ["Code", "Categorie", "Protocolpunt", "Aantal", "Aandeel"],
         [[x["code"], x["naam"], x["protocolpunt"] or "art. 12", x["aantal"], x["aantal"] / total if total else None]
          for x in d["per_categorie"]]),
        ("Incidenten per locatie", ["Locatie", "Aantal", "Aandeel"],
         [[x["locatie"], x["aantal"], x["aantal"] / total if total else None] for x in d["per_locatie"]]),
        ("Incidenten per route", ["Afhandeling", "Aantal"], [[x["route"], x["aantal"]] for x in d["per_route"]]),
        ("Besluiten per maatregel", ["Maatregel", "Besluiten"], [[x["maatregel"], x["aantal"]]
                                                                  for x in b["per_maatregel"]]),
        ("Besluiten per punt", ["Protocolpunt", "Besluiten"], [[x["punt"], x["aantal"]] for x in b["per_punt"]]),
        ("Besluiten per zaak", ["Protocolpunt", "Uitkomst", "Zaken"],
         [[x["punt"], x["uitkomst"], x["zaken"]] for x in b["per_zaak"]]),
        ("Meldingen Inspectie", ["Gemeld", "Onderwerp", "Incident", "Kenmerk", "Uitkomst"],
         [[x["gemeld"], x["onderwerp"], x["incident"], x["kenmerk"], x["uitkomst"]] for x in d["inspectie"]]),
    ]


_SHARE_COLUMNS = {"Aandeel", "Aandeel route 1"}


def annual_workbook(d: dict[str, Any]) -> bytes:
    """The report's tables as an XLSX workbook, one sheet per table, written through the formula-safe writer."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, header, rows in _sheets(d):
        sheet = book.create_sheet(name[:31])
        append_xlsx_row(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        shares = [i for i, h in enumerate(header) if h in _SHARE_COLUMNS]
        for row in rows:
            append_xlsx_row(sheet, row)
            for i in shares:
                sheet.cell(row=sheet.max_row, column=i + 1).number_format = "0.0%"
            if name == "Kerncijfers" and row[0] in _SHARE_COLUMNS:
                sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
        sheet.freeze_panes = "A2"
        for column in sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)):
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_annual_report(ctx: AppContext, school_year: str, path: Path) -> int:
    """The annual report's tables as XLSX (the same data as the PDF); returns the number of sheets. Written
    beside the target and renamed, so a failure leaves no half file."""
    ctx.require(Action.PRODUCE_DOCUMENTS)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"{path.name}: kies een bestand dat eindigt op .xlsx.")
    content = collect(ctx.store, school_year)
    payload = annual_workbook(content.data)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".examdesk-", suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError(f"{path} kan niet worden geschreven: {exc.strerror}.") from None
    with ctx.store.transaction():
        ctx.audit("jaarverslag geëxporteerd", "jaarverslag", school_year, {"bestand": path.name})
    return len(_sheets(content.data))
