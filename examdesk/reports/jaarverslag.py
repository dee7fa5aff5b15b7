"""Jaarverslag van de examencommissie (model JV-1): Deel 1 Visie, beleid en afwegingen (the commission's own
text for the year), Deel 2 Exameninstrumenten en routes, Deel 3 Afnames en incidenten (tables and a bar
chart), Deel 4 Besluiten (per candidate and per case) en meldingen bij de Inspectie, Deel 5 Vaststelling on a
sheet of its own."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from examdesk.domain.plural import counted
from examdesk.reports.common import (
    bar_chart,
    document_heading,
    facts,
    hint,
    new_sheet,
    para,
    part,
    section,
    signature_table,
    table_or_none,
    widths,
)


def story(d: dict[str, Any]) -> list[Flowable]:
    k = d["kerncijfers"]
    out: list[Flowable] = []
    out += document_heading(f"Jaarverslag van de examencommissie {d['schooljaar']}",
                            f"Verantwoording over {d['van']} tot en met {d['tot']} · peildatum geldigheid "
                            f"{d['peildatum']} · input voor het examenverslag en de PDCA-cyclus", d["instelling"])
    out.append(facts([
        ("Kwalificaties en certificaten", f"{k['kwalificaties']} met exameninstrumenten of een routekeuze"),
        ("Exameninstrumenten", f"{k['instrumenten']}: route 1 {k['route1']}, route 2 {k['route2']}, "
                               f"route 3 {k['route3']}"),
        ("Aandeel route 1", f"{k['aandeel_route1']} van alle instrumenten (route 1 is 'in principe' de norm)"),
        ("Valide op peildatum", f"{k['valide']} valide, {k['niet_valide']} niet valide"),
        ("Afnames", f"{counted(d['afnames']['instelling'], 'instellingsexamen')}, "
                    f"{counted(d['afnames']['centraal'], 'centraal examen')}"),
        ("Incidenten", f"{d['incidenten_totaal']}"),
        ("Besluiten", f"{d['besluiten']['totaal']} over {counted(d['besluiten']['zaken'], 'zaak')} (waarvan {d['besluiten']['minderjarig']} "
                      "over een minderjarige)"),
        ("Meldingen bij de Inspectie", f"{len(d['inspectie'])}"),
    ]))

    out += part(1, "Visie, beleid en afwegingen")
    policy = d["beleid"]
    out += section("1.1", "Beleid en afwegingen van de examencommissie",
                   "Afspraken valide exameninstrumenten mbo (2024), §5: de school maakt op basis van haar visie "
                   "jaarlijks de beleidskeuzes en afwegingen inzichtelijk (in principe inkopen bij een gecertificeerde "
                   "leverancier, route 1, dan wel zelf construeren, route 2 en 3).")
    if policy["tekst"]:
        out += [para(line) for line in policy["tekst"].split("\n") if line.strip()]
        out.append(hint(f"Vastgelegd door de examencommissie op {policy['vastgelegd']}."))
    else:
        out.append(para("De examencommissie heeft voor dit schooljaar (nog) geen beleid en afwegingen vastgelegd "
                        "(Rapporten → Jaarverslag → Beleid en afwegingen)."))

    out += part(2, "Exameninstrumenten en routes")
    out += section("2.1", "Routekeuze en afwegingen per kwalificatie en certificaat",
                   "R1/R2/R3: aantal instrumenten per route; 'niet valide': op de peildatum.")
    out.append(table_or_none(
        ["Crebo", "Kwalificatie", "Niv.", "Routes", "Afwegingen", "R1", "R2", "R3", "Niet valide"],
        [[x["crebo"], x["naam"], x["niveau"], x["routes"] or "geen keuze", x["afwegingen"] or "—", x["r1"], x["r2"],
          x["r3"], x["niet_valide"]] for x in d["kwalificaties"]],
        widths(1.5, 4.6, 1.2, 1.7, 5.5, 0.7, 0.7, 0.7, 1.4), "Er staan geen kwalificaties in het register.",
        align_right=(5, 6, 7, 8)))
    out += section("2.2", "Lacunes")
    out.append(para("a. Kwalificaties met instrumenten maar zonder routekeuze voor dit schooljaar", "cellbold"))
    out.append(table_or_none(["Crebo", "Kwalificatie", "Instrumenten"],
                             [[x["crebo"], x["naam"], x["instrumenten"]] for x in d["zonder_routekeuze"]],
                             widths(2, 12, 3), "Geen: voor elke kwalificatie met instrumenten is een route gekozen.",
                             align_right=(2,)))
    out.append(Spacer(1, 3 * mm))
    out.append(para(f"b. Instrumenten die op de peildatum ({d['peildatum']}) niet valide zijn", "cellbold"))
    out.append(table_or_none(["Code", "Titel", "Crebo", "Route", "Waarom niet valide"],
                             [[x["code"], x["titel"], x["crebo"], x["route"], x["reden"]] for x in d["niet_valide"]],
                             widths(2.6, 4.4, 1.4, 1.3, 7.3), "Geen: alle instrumenten zijn valide."))
    out.append(Spacer(1, 3 * mm))
    out.append(para("c. Certificaten van examenleveranciers die verlopen zijn of binnen 90 dagen verlopen",
                    "cellbold"))
    out.append(table_or_none(["Leverancier", "Certificaat", "Stand op de peildatum", "Instrumenten"],
                             [[x["leverancier"], x["certificaat"], x["stand"], x["instrumenten"]]
                              for x in d["certificaten"]],
                             widths(5, 3, 6.5, 2.5), "Geen.", align_right=(3,)))
    out.append(Spacer(1, 3 * mm))
    out.append(para("d. Afnames met een instrument dat op de datum van de afname niet valide was", "cellbold"))
    out.append(table_or_none(["Datum", "Instrument", "Afname", "Waarom niet valide"],
                             [[x["datum"], x["instrument"], x["afname"], x["reden"]] for x in d["afnames_niet_valide"]],
                             widths(2, 2.6, 5, 7.4), "Geen: elke afname gebruikte een instrument dat op die dag valide "
                                                     "was."))

    out += part(3, "Afnames en incidenten")
    out += section("3.1", "Incidenten per maand")
    out.append(bar_chart("Aantal incidenten per maand", [m["maand"] for m in d["per_maand"]],
                         [m["aantal"] for m in d["per_maand"]]))
    out.append(table_or_none(["Maand", "Incidenten"], [[m["maand"], m["aantal"]] for m in d["per_maand"]],
                             widths(4, 2), align_right=(1,)))
    out += section("3.2", "Incidenten per categorie", "Categorie na eventuele herclassificatie door de commissie.")
    out.append(table_or_none(["Code", "Categorie", "Punt", "Aantal", "Aandeel"],
                             [[x["code"], x["naam"], x["protocolpunt"] or "art. 12", x["aantal"], x["aandeel"]]
                              for x in d["per_categorie"]],
                             widths(3.4, 7.6, 2, 1.6, 1.8), "Geen incidenten in dit schooljaar.", align_right=(3, 4)))
    out += section("3.3", "Incidenten per locatie en per afhandelingsroute")
    out.append(table_or_none(["Locatie", "Aantal", "Aandeel"],
                             [[x["locatie"], x["aantal"], x["aandeel"]] for x in d["per_locatie"]],
                             widths(10, 2, 2), "Geen.", align_right=(1, 2)))
    out.append(Spacer(1, 2 * mm))
    out.append(table_or_none(["Afhandeling", "Aantal"], [[x["route"], x["aantal"]] for x in d["per_route"]],
                             widths(10, 2), "Geen.", align_right=(1,)))

    out += part(4, "Besluiten en meldingen bij de Inspectie")
    b = d["besluiten"]
    out += section("4.1", "Besluiten van de examencommissie",
                   f"{counted(b['totaal'], 'geldend besluit')} (per kandidaat, of over een incident als geheel); {b['minderjarig']} keer ging een afschrift naar de wettelijke "
                   "vertegenwoordigers van een minderjarige.")
    out.append(table_or_none(["Maatregel", "Aantal"], [[x["maatregel"], x["aantal"]] for x in b["per_maatregel"]],
                             widths(10, 2), "Geen besluiten in dit schooljaar.", align_right=(1,)))
    out.append(Spacer(1, 2 * mm))
    out.append(table_or_none(["Protocolpunt", "Besluiten"], [[x["punt"], x["aantal"]] for x in b["per_punt"]],
                             widths(10, 2), "Geen.", align_right=(1,)))
    out += section("4.2", "Besluiten per zaak",
                   f"{counted(b['zaken'], 'zaak')} (incidenten) met een geldend besluit; een "
                   "zaak telt als 'met maatregel' als de examencommissie daarin over minstens één kandidaat een "
                   "maatregel nam.")
    out.append(table_or_none(["Protocolpunt", "Uitkomst", "Zaken"],
                             [[x["punt"], x["uitkomst"], x["zaken"]] for x in b["per_zaak"]],
                             widths(9, 4, 2), "Geen besluiten in dit schooljaar.", align_right=(2,)))
    out += section("4.3", "Meldingen bij de Inspectie van het Onderwijs en hun uitkomst")
    out.append(table_or_none(["Gemeld", "Onderwerp", "Incident", "Kenmerk", "Uitkomst"],
                             [[x["gemeld"], x["onderwerp"], x["incident"], x["kenmerk"], x["uitkomst"]]
                              for x in d["inspectie"]],
                             widths(2, 3.2, 4.8, 3, 4), "Geen meldingen in dit schooljaar."))
    out += section("4.4", "Beroep bij de commissie van beroep",
                   "Beroepen ingesteld in dit schooljaar (examenprotocol punt 8F) en hun uitspraak tot nu toe.")
    a = d.get("beroep")
    if a:
        out.append(table_or_none(["Beroep", "Aantal"], [
            ["ingesteld", a["ingesteld"]], ["waarvan buiten de termijn in behandeling genomen", a["buiten_termijn"]],
            ["ongegrond: besluit blijft in stand", a["in_stand"]], ["gegrond: besluit vernietigd", a["vernietigd"]],
            ["gegrond: besluit gewijzigd", a["gewijzigd"]], ["nog geen uitspraak", a["lopend"]]],
            widths(12, 3), "", align_right=(1,)))
    else:
        out.append(para("Er is in dit schooljaar geen beroep ingesteld tegen een besluit van de examencommissie."))

    out += new_sheet()
    out += part(5, "Vaststelling")
    inst = d["instelling"]
    out.append(para(f"Dit jaarverslag over schooljaar {d['schooljaar']} is vastgesteld door de "
                    f"{inst['examencommissie']} van {inst['naam']} ({inst['brin']}) op .............................. "
                    f"te {inst['plaats'] or '..............................'}."))
    out.append(Spacer(1, 4 * mm))
    out.append(signature_table([("", "voorzitter examencommissie"), ("", "secretaris examencommissie")]))
    out.append(Spacer(1, 3 * mm))
    out.append(hint("Gegevens uit ExamDesk; de digitale vingerafdruk laat zien of dit verslag nog overeenkomt met de "
                    "vastgelegde gegevens."))
    return out
