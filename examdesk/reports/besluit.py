"""The decision letter to a candidate (model BS-1), and the copy for the legal representatives of a
minor on a page of its own."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from examdesk.reports.common import evidence_table, facts, hint, keep, rich, signature_table, text
from examdesk.reports.frame import styles


def _letter(d: dict[str, Any], copy: bool) -> list[Flowable]:
    st = styles()
    inst, b, k, inc, a = d["instelling"], d["besluit"], d["kandidaat"], d["incident"], d["afname"]
    out: list[Flowable] = []
    if copy:
        out.append(rich("<b>AFSCHRIFT voor de wettelijke vertegenwoordigers</b> van "
                        f"{text(k['naam'])}, die op de datum van het besluit minderjarig was "
                        f"({text(b['afschrift_grond'])}).", "body"))
        out.append(Spacer(1, 4 * mm))
    out += [
        Paragraph(text(inst["naam"]), st["h2"]),
        Paragraph(text(inst["examencommissie"]) + (f"<br/>{text(inst['plaats'])}" if inst["plaats"] else ""),
                  st["body"]),
        Spacer(1, 3 * mm),
        Paragraph(f"Aan: {text(k['naam'])}<br/>Studentnummer: {text(k['studentnummer'])}", st["body"]),
        Spacer(1, 3 * mm),
        Paragraph(f"{text(inst['plaats']) + ', ' if inst['plaats'] else ''}{text(b['datum'])}", st["body"]),
        Paragraph("Verzonden op: ..............................", st["small"]),
        Spacer(1, 3 * mm),
        Paragraph(f"Besluit {b['nummer']} van de examencommissie", st["title"]),
        Paragraph(f"Onderwerp: onregelmatigheid bij het examen {text(a['examen'])} op {text(a['datum'])}",
                  st["small"]),
        Spacer(1, 3 * mm),
        Paragraph(f"Beste {text(k['naam'])},", st["body"]),
        Spacer(1, 2 * mm),
        Paragraph(_what(inc, a), st["body"]),
        Spacer(1, 2 * mm),
        Paragraph(f"De examencommissie heeft dit beoordeeld als een {text(b['protocol_titel'])} "
                  f"({text(b['grondslag'])}).", st["body"]),
        Spacer(1, 3 * mm),
    ]
    heard = (f"U bent op {b['gehoord_op']} gehoord." if b["gehoord"] and b["gehoord_op"] else
             "U bent gehoord." if b["gehoord"] else "U bent niet gehoord voordat dit besluit werd genomen.")
    if b.get("horen"):
        heard = b["horen"]
    measure = "; ".join(b["maatregelen"]) if b["maatregelen"] else f"geen maatregel — {b['geen_maatregel']}"
    pairs = [("Besluit", measure), ("Grond", b["grond"]), ("Motivering", b["motivering"]), ("Hoor en wederhoor", heard),
             ("Datum besluit", b["datum"]),
             ("Besloten door", ", ".join(b["leden"]) + (" — ieder lid bevestigde het besluit met de eigen inlog "
                                                        "(" + "; ".join(b["bevestigd"]) + ")" if b.get("bevestigd")
                                                        else ""))]
    if b["vervangt"]:
        pairs.append(("Herziening", f"Dit besluit vervangt {b['vervangt']}: {b['herzieningsreden']}"))
    if not b["huidig"]:
        pairs.append(("Let op", "Dit besluit is later herzien; het nieuwere besluit geldt."))
    out.append(facts(pairs, label_width=38 * mm))
    if d.get("bijlagen"):
        out += evidence_table(d["bijlagen"], "Bewijsstukken",
                              "Deze stukken zijn bij het besluit betrokken; de SHA-256 is de vingerafdruk van elk "
                              "bestand zoals het in ExamDesk is bewaard.")
    out.append(Spacer(1, 3 * mm))
    if b["beroep_soort"] == "klacht":
        out.append(Paragraph("<b>Klacht</b>", st["body"]))
        out.append(Paragraph(text(b["beroep"]), st["body"]))
    else:
        out.append(Paragraph("<b>Beroep</b>", st["body"]))
        out.append(Paragraph(
            f"{text(b['beroep'])} Vermeld in uw beroepschrift het besluitnummer ({b['nummer']}), waarom u het niet "
            "eens bent met het besluit, en uw naam, adres en handtekening.", st["body"]))
    out.append(Spacer(1, 3 * mm))
    out.append(keep(Paragraph("Met vriendelijke groet,", st["body"]),   # the signatures stay on one page
                    Paragraph(f"namens de {text(inst['examencommissie'])}", st["body"]), Spacer(1, 2 * mm),
                    signature_table([(name, "lid examencommissie") for name in b["leden"]], place_date=False)))
    out.append(Spacer(1, 2 * mm))
    out.append(hint("Dit besluit is opgemaakt met ExamDesk; de digitale vingerafdruk onderaan laat zien of deze brief "
                    "overeenkomt met het besluit zoals het is vastgelegd."))
    return out


def _what(inc: dict[str, Any], a: dict[str, Any]) -> str:
    where = f"{text(a['soort'])} {text(a['examen'])} ({text(a['locatie'])}, lokaal {text(a['lokaal'])})"
    if inc.get("achteraf"):
        return (f"Bij het {where} op {text(a['datum'])} is {text(inc['achteraf'])} het volgende vastgesteld: "
                f"<i>{text(inc['categorie'])}</i>. {text(inc['wat_gebeurde'])}")
    return (f"Op {text(inc['datum'])} om {text(inc['tijd'])} is tijdens het {where} het volgende vastgelegd: "
            f"<i>{text(inc['categorie'])}</i>. {text(inc['wat_gebeurde'])}")


def story(d: dict[str, Any]) -> list[Flowable]:
    out = _letter(d, copy=False)
    if d["besluit"]["minderjarig"]:
        out += [PageBreak(), *_letter(d, copy=True)]
    return out
