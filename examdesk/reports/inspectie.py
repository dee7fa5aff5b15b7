"""Aanvraagformulier opnieuw afnemen centraal examen: every field of the bijlage of the Beleidsregel
(Inspectie van het Onderwijs, 2014), in its order, pre-filled; the aanvraagnummer is left for the
Inspectie and the declaration is signed by hand."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from examdesk.reports.common import CELL_PAD, CONTENT_WIDTH, hint, para, rich, section, text
from examdesk.reports.frame import MUTED, RULE, styles

BLANK = "……………………………………"
LABEL_WIDTH = 68 * mm


def _row(label: str, value: Any, filled: bool = True) -> list[Any]:
    st = styles()
    shown = text(value) if value not in (None, "") else f"<font color='#5b6672'>{BLANK}</font>"
    if not filled:
        shown = f"<font color='#5b6672'>{text(value)}</font>"
    return [Paragraph(text(label), st["cellbold"]), Paragraph(shown, st["cell"])]


def _form(rows: list[list[Any]]) -> Table:
    table = Table(rows, colWidths=[LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, MUTED),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD + 1),
    ]))
    return table


def _exam_choice(exams: list[str], chosen: str) -> str:
    """'☒ Ned3F  ☐ Ned2F …': all four printed, the one that applies marked."""
    return "   ".join(f"{'☒' if e == chosen else '☐'} {e}" for e in exams)


def story(d: dict[str, Any]) -> list[Flowable]:
    st = styles()
    inst = d["instelling"]
    who = d["indiener"]
    submitter = who["naam"] + (f", {who['functie']}" if who["functie"] else "") if who["naam"] else ""
    out: list[Flowable] = [
        Paragraph("Aanvraagformulier opnieuw afnemen centraal examen", st["title"]),
        Paragraph("Bijlage bij de Beleidsregel niet op regelmatige wijze afnemen van het centraal examen in "
                  "beroepsopleidingen (Inspectie van het Onderwijs, 2014), artikel 2, tweede lid, en artikel 5.",
                  st["small"]),
        Spacer(1, 4 * mm),
    ]
    if d["incident"]["twijfelgeval"]:
        out += [rich("<b>Twijfelgeval:</b> de examencommissie twijfelt of zij dit zelf mag afhandelen en meldt het "
                     "daarom als zodanig.", "body"), Spacer(1, 2 * mm)]
    out.append(_form([
        _row("Aanvraagnummer", "in te vullen door de Inspectie van het Onderwijs", filled=False),
        _row("Datum", d["datum"]),
        _row("BRIN-nummer instelling", inst["brin"]),
        _row("Naam instelling", inst["naam"]),
        _row("Examencommissie die aanvraag doet", inst["examencommissie"]),
        _row("Indiener en functie die aanvraag doet", submitter),
        _row("Telefoonnummer indiener", who["telefoon"]),
        _row("E-mailadres indiener", who["email"]),
        _row("Datum onregelmatigheid bij afname", d["datum_onregelmatigheid"]),
        _row("Tijdstip onregelmatigheid bij afname", d["tijdstip_onregelmatigheid"]),
        [Paragraph("Examen", st["cellbold"]), Paragraph(text(_exam_choice(d["examens"], d["examen"])), st["cell"])],
        _row("Betrokken examenvarianten", d["varianten"]),
        _row("Afnameperiode", d["afnameperiode"]),
    ]))
    if d.get("afnameperiode_controle"):
        out.append(para(f"Controle afnameperiode: {d['afnameperiode_controle']}", "small"))
    out += section("", "Beschrijving onregelmatigheid")
    out.append(_form([
        _row("1. Wat is er gebeurd?", d["wat_is_er_gebeurd"]),
        _row("2. Op hoeveel deelnemers had de onregelmatigheid betrekking?", f"{d['aantal_betrokken']}"),
        _row("3. Hoeveel deelnemers hebben deelgenomen aan het desbetreffende examen?",
             f"{d['aantal_deelgenomen']} (afname {d['afname']['datum']} {d['afname']['gepland']}, "
             f"{d['afname']['locatie']}, lokaal {d['afname']['lokaal']})"),
    ]))
    out.append(Spacer(1, 5 * mm))
    name = text(who["naam"]) if who["naam"] else BLANK
    out.append(rich(f"Ik, <b>{name}</b>, verklaar dit formulier naar waarheid te hebben ingevuld op {BLANK} te "
                    f"{text(inst['plaats']) if inst['plaats'] else BLANK}.", "body"))
    out.append(Spacer(1, 4 * mm))
    signature = Table([["Handtekening", ""]], colWidths=[LABEL_WIDTH, 70 * mm], rowHeights=[13 * mm], hAlign="LEFT")
    signature.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                                   ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("LINEBELOW", (1, 0), (1, 0), 0.6, MUTED)]))
    out.append(signature)
    out.append(Spacer(1, 4 * mm))
    if not (who["telefoon"] and who["email"]):
        out.append(para("Vul de ontbrekende gegevens van de indiener met de hand in, of leg ze vast in het profiel "
                        "van de gebruiker en maak het formulier opnieuw.", "small"))
    out.append(hint(f"Incident {d['incident']['code']} ({d['incident']['categorie']}), ExamDesk-kenmerk "
                    f"{d['incident']['id']}. Zend het formulier zo spoedig mogelijk aan de Inspectie van het "
                    "Onderwijs; een twijfelgeval mag als zodanig worden gemeld."))
    return out
