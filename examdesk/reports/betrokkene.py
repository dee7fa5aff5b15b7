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
        items.append(data_table(["Besluit", "Datum", "Maatregelen", "Motivering", "Besloten door"], data["besluiten"],
                                widths(0.1, 0.12, 0.2, 0.36, 0.22)))
    items += section("5", "Horen, bewijs en beroep",
                     "Hoe u bent gehoord (met uw verhaal in uw eigen woorden), het bewijs bij uw zaak met de "
                     "SHA-256-vingerafdruk waarmee u het bestand kunt controleren, en uw beroep.")
    items.append(table_or_none(["Datum", "Horen", "Uw verhaal"], data["horen"], widths(0.12, 0.48, 0.4),
                               "U bent niet gehoord over een incident."))
    items.append(table_or_none(["Bestand", "Soort", "Grootte", "SHA-256", "In deze export"], data["bewijs"],
                               widths(0.18, 0.13, 0.11, 0.34, 0.24), "Er is geen bewijs bij uw zaak opgeslagen."))
    items.append(table_or_none(["Ingesteld", "Tegen", "Beroep"], data["beroep"], widths(0.12, 0.13, 0.75),
                               "U heeft geen beroep ingesteld."))
    items += section("6", "Wie heeft uw gegevens ingezien of gewijzigd",
                     "Uit het auditlogboek: elke keer dat iemand uw dossier, een besluit over u of uw voorzieningen "
                     "opende, en elke wijziging.")
    items.append(table_or_none(["Wanneer", "Wie", "Wat"], data["ingezien"], widths(0.2, 0.25, 0.55),
                               "Geen vermeldingen."))
    items += section("7", "Waarom, op welke grond en hoe lang",
                     "Het register van ExamDesk (docs/privacy.md) voor de gegevens hierboven.")
    items.append(data_table(["Gegevens", "Doel", "Grondslag", "Bewaard"], data["doelen"],
                            widths(0.18, 0.4, 0.25, 0.17)))
    items.append(hint(data["bewaartermijn"]))
    items += section("8", "Waar deze gegevens staan")
    rows = [[table, str(n)] for table, n in data["tabellen"]]
    items.append(data_table(["Tabel in de database", "Rijen"], rows, widths(0.7, 0.3)) if rows else none_line())
    return items
