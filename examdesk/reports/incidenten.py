"""Incidentenoverzicht (model IO-1): the filters, counts per status, and one row per incident in
time order, in landscape-width columns that split over pages with the header repeated."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from examdesk.reports.common import document_heading, facts, hint, section, table_or_none, widths


def story(d: dict[str, Any]) -> list[Flowable]:
    out = document_heading("Incidentenoverzicht", f"{len(d['incidenten'])} incidenten, in volgorde van tijd",
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
