"""The subject-access document (inzageverzoek, AVG art. 15): everything ExamDesk holds about one candidate,
written for the candidate to read. Built from plain data (`services/privacy.subject_access`)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from examdesk.reports.common import (
    data_table,
    document_heading,
    facts,
    hint,
    none_line,
    para,
    section,
    table_or_none,
    widths,
)


def story(data: dict[str, Any]) -> list[Flowable]:
    items: list[Flowable] = document_heading(
        "Overzicht van uw gegevens", f"Inzageverzoek (AVG artikel 15) · gemaakt op {data['gemaakt_op']}",
        data["instelling"])
    items.append(para("Dit overzicht bevat alle gegevens die ExamDesk, het examenregistratiesysteem van de "
                      "examencommissie, over u bewaart: uw gegevens, de afnames waaraan u deelnam, wat daarbij over "
                      "u is vastgelegd, besluiten over u, en wie uw gegevens heeft ingezien. Een bestand met "
                      "dezelfde gegevens in machineleesbare vorm (JSON) hoort bij dit overzicht."))
    items += section("1", "Uw gegevens")
    items.append(facts(data["kandidaat"]))
    items += section("2", "Afnames", "De afnames waarvoor u stond ingeschreven, met uw werkplek en voorzieningen.")
    items.append(table_or_none(["Datum", "Afname", "Werkplek", "Extra tijd en voorzieningen"], data["afnames"],
                               widths(0.14, 0.42, 0.12, 0.32), "U stond niet ingeschreven voor een afname."))
    items += section("3", "Wat er tijdens een afname over u is vastgelegd")
    items.append(table_or_none(["Tijd", "Afname", "Registratie"], data["registraties"], widths(0.18, 0.3, 0.52),
                               "Er is niets over u persoonlijk vastgelegd."))
    items += section("4", "Incidenten en besluiten")
    items.append(table_or_none(["Datum", "Incident", "Status"], data["incidenten"], widths(0.16, 0.6, 0.24),
                               "U was niet betrokken bij een incident."))
    if data["besluiten"]:
        items.append(data_table(["Besluit", "Datum", "Maatregelen", "Motivering"], data["besluiten"],
                                widths(0.12, 0.14, 0.3, 0.44)))
    items += section("5", "Wie heeft uw gegevens ingezien of gewijzigd",
                     "Uit het auditlogboek: elke keer dat iemand uw dossier, een besluit over u of uw voorzieningen "
                     "opende, en elke wijziging.")
    items.append(table_or_none(["Wanneer", "Wie", "Wat"], data["ingezien"], widths(0.2, 0.25, 0.55),
                               "Geen vermeldingen."))
    items += section("6", "Waarom, op welke grond en hoe lang",
                     "Het register van ExamDesk (docs/privacy.md) voor de gegevens hierboven.")
    items.append(data_table(["Gegevens", "Doel", "Grondslag", "Bewaard"], data["doelen"],
                            widths(0.18, 0.4, 0.25, 0.17)))
    items.append(hint(data["bewaartermijn"]))
    items += section("7", "Waar deze gegevens staan")
    rows = [[table, str(n)] for table, n in data["tabellen"]]
    items.append(data_table(["Tabel in de database", "Rijen"], rows, widths(0.7, 0.3)) if rows else none_line())
    return items
