"""Incidentenoverzicht (model IO-1): the filters, counts per status, and one row per incident in
time order, in landscape-width columns that split over pages with the header repeated."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from examdesk.domain.plural import counted
from examdesk.reports.common import document_heading, facts, hint, section, table_or_none, widths


def summary_story(d: dict[str, Any]) -> list[Flowable]:
    """Too many incidents to list on paper: the counts, and where the incidents themselves are."""
    out = document_heading("Incidentenoverzicht", f"{counted(d['aantal'], 'incident')}: samenvatting", d["instelling"])
    out.append(facts(d["filters"]))
    out.append(Spacer(1, 2 * mm))
    out.append(facts([(x["status"][:1].upper() + x["status"][1:], x["aantal"]) for x in d["per_status"]]))
    out.append(Spacer(1, 2 * mm))
    out.append(hint(f"Dit overzicht telt {counted(d['aantal'], 'incident')}: te veel om op papier te lezen. Hieronder staan ze "
                    "geteld; de incidenten zelf staan in hetzelfde overzicht als XLSX of CSV (Incidenten › Overzicht "
                    "afdrukken/exporteren, of examdesk report incidenten --out bestand.xlsx)."))
    out += section("", "Per categorie")
    out.append(table_or_none(["Code", "Categorie", "Aantal"],
                             [[x["code"], x["categorie"], x["aantal"]] for x in d["per_categorie"]],
                             widths(3.5, 11, 2.5)))
    out += section("", "Per afhandeling")
    out.append(table_or_none(["Afhandeling", "Aantal"], [[x["afhandeling"], x["aantal"]] for x in d["per_route"]],
                             widths(14.5, 2.5)))
    out += section("", "Per locatie")
    out.append(table_or_none(["Locatie", "Aantal"], [[x["locatie"], x["aantal"]] for x in d["per_locatie"]],
                             widths(14.5, 2.5)))
    out += section("", "Per maand")
    out.append(table_or_none(["Maand", "Aantal"], [[x["maand"], x["aantal"]] for x in d["per_maand"]],
                             widths(14.5, 2.5)))
    return out


def story(d: dict[str, Any]) -> list[Flowable]:
    if d.get("samenvatting"):
        return summary_story(d)
    out = document_heading("Incidentenoverzicht", f"{counted(len(d['incidenten']), 'incident')}, in volgorde van tijd",
                           d["instelling"])
    out.append(facts(d["filters"]))
    out.append(Spacer(1, 2 * mm))
    out.append(facts([(x["status"][:1].upper() + x["status"][1:], x["aantal"]) for x in d["per_status"]]))
    out += section("", "Incidenten", "Noteer alleen wat nodig is: de beschrijving staat hier zoals vastgelegd "
                                     "(na correcties); de namen van kandidaten alleen waar het incident hen betreft.")
    rows = [[f"{r['datum']}\n{r['tijd']}", f"{r['afname']}\nlokaal {r['lokaal']}",
             f"{r['code']}\n{r['categorie']}", f"{r['afhandeling']}\n{r['status']}", r["kandidaten"] or "—",
             r["wat_gebeurde"]] for r in d["incidenten"]]
    out.append(table_or_none(["Moment", "Afname", "Categorie", "Route en status", "Kandidaten", "Wat gebeurde er"],
                             rows, widths(2.2, 2.8, 4.1, 3.4, 2.6, 4.3)))
    out.append(Spacer(1, 3 * mm))
    out.append(hint("Voor verdere analyse: maak hetzelfde overzicht als XLSX of CSV (Incidenten › Overzicht "
                    "afdrukken/exporteren, of examdesk report incidenten)."))
    return out
