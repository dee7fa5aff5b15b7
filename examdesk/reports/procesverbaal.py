"""Procesverbaal van een afname (model PV-1): Deel 1 Verslag van de afname (up to the processing of the
results), Deel 2 Kandidaten, Deel 3 Ondertekening on a sheet of its own. Built from the plain data of
doc_procesverbaal."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from examdesk.domain.plural import counted
from examdesk.reports.common import (
    document_heading,
    evidence_table,
    facts,
    hint,
    new_sheet,
    none_line,
    para,
    part,
    rich,
    section,
    signature_table,
    subheading,
    table_or_none,
    text,
    widths,
)

PRIVACY = "Noteer alleen wat nodig is: gegevens over gezondheid en gedrag staan hier alleen voor zover de afname ze raakt."


def story(d: dict[str, Any]) -> list[Flowable]:
    a = d["afname"]
    out: list[Flowable] = []
    subtitle = "Examenprotocol punt 11 · " + ("CONCEPT — de afname is nog niet afgesloten" if d["concept"]
                                               else f"afgesloten {d['afgesloten']}")
    out += document_heading("Procesverbaal van de afname", subtitle, d["instelling"])
    out.append(facts(_particulars(d), label_width=45 * mm))
    if d["concept"]:
        out += [Spacer(1, 2 * mm), rich(
            "<b>CONCEPT.</b> Deze afname is nog niet afgesloten; dit procesverbaal kan nog veranderen en is pas "
            "definitief na het afsluiten.", "body")]

    out += part(1, "Verslag van de afname")
    out += _staff(d)
    out += _receipt(d)
    out += _attendance(d)
    out += _disruptions(d)
    out += _incidents(d)
    out += _log(d)
    out += _decisions(d)
    out += _grades(d)

    out += part(2, "Kandidaten")
    out += _candidates(d)
    out += _accommodations(d)

    out += new_sheet()
    out += _signatures(d, a)
    return out


def _particulars(d: dict[str, Any]) -> list[tuple[str, str]]:
    a = d["afname"]
    rows = [("Examen", d["examen"]), ("Soort examen", a["soort"])]
    if a["instrument"]:
        i = a["instrument"]
        rows.append(("Exameninstrument", f"{i['code']} · {i['titel']}" + (f" · {i['onderdeel']}" if i["onderdeel"]
                                                                              else "") + f" (versie {i['versie']})"))
        rows.append(("Kwalificatie", a["kwalificatie"]))
    rows += [
        ("Examenvariant", a["variant"] or "—"),
        ("Afnameperiode", a["afnameperiode"] or "—"),
        ("Datum", a["datum"]),
        ("Locatie", a["locatie"] + (f" · {a['adres']}" if a["adres"] else "")),
        ("Lokaal", a["lokaal"]),
        ("Gepland", f"{a['gepland_begin']}–{a['gepland_einde']} ({counted(a['duur_minuten'], 'minuut')})"),
        ("Werkelijk", f"begin {d['werkelijk_begin'] or '—'} · einde {d['werkelijk_einde'] or '—'}"),
        ("Toelatingsgrens te laat", f"{counted(a['toelatingsgrens_minuten'], 'minuut')} na de start (protocolpunt 13)"),
    ]
    return rows


def _staff(d: dict[str, Any]) -> list[Flowable]:
    rows = [[p["naam"], p["rol"], p["functie"], p["tijden"]] for p in d["medewerkers"]]
    return [*section("1.1", "Betrokken medewerkers"),
            table_or_none(["Naam", "Rol bij deze afname", "Functie", "Registraties"], rows, widths(5, 5, 4.5, 2.5),
                          "Geen medewerkers vastgelegd."),
            hint("De handtekeningen van deze medewerkers staan in deel 3.")]


def _receipt(d: dict[str, Any]) -> list[Flowable]:
    r = d["ontvangst"]
    out = section("1.2", "Ontvangst van de exameninstrumenten")
    if not r:
        return [*out, none_line("De ontvangst van de exameninstrumenten is (nog) niet vastgelegd.")]
    pairs = [("Ontvangen door", r["door"]), ("Tijd", r["tijd"]),
             ("Staat", "intact ontvangen" if r["intact"] else "NIET intact ontvangen"),
             ("Opmerking", r["opmerking"] or "—"), ("Vastgelegd door", r["vastgelegd_door"])]
    if r["correctie"]:
        pairs.append(("Correctie", r["correctie"]))
    return [*out, facts(pairs, label_width=45 * mm)]


def _attendance(d: dict[str, Any]) -> list[Flowable]:
    n = d["aanwezigheid"]
    summary = (f"Gepland: {n['gepland']} · deelgenomen: {n['deelgenomen']} · afwezig: {n['afwezig']} · "
               f"te laat toegelaten: {n['te_laat_toegelaten']} · geweigerd: {n['geweigerd']} · onwel: {n['onwel']}")
    if n.get("nog_verwacht"):
        summary += f" · nog verwacht: {n['nog_verwacht']}"
    out = [*section("1.3", "Aanwezigheid", PRIVACY), Spacer(1, 1 * mm), para(summary)]
    out += [*subheading("Afwezig"), table_or_none(
        ["Pc", "Kandidaat", "Reden", "Opmerking"],
        [[r["pc"], r["kandidaat"], r["reden"], r["opmerking"]] for r in d["afwezig"]],
        widths(1, 6, 3.5, 6), "Niemand was afwezig.")]
    out += [*subheading("Te laat gekomen"), table_or_none(
        ["Pc", "Kandidaat", "Aankomst", "Grens", "Besluit"],
        [[r["pc"], r["kandidaat"], r["aankomst"], r["grens"],
          "toegelaten, eindtijd gelijk (punt 14)" if r["toegelaten"] else "geweigerd (na de toelatingsgrens)"]
         for r in d["te_laat"]],
        widths(1, 6, 2, 2, 5.5), "Niemand kwam te laat.")]
    out += [*subheading("Onwel geworden"), table_or_none(
        ["Pc", "Kandidaat", "Tijd", "Toelichting", "Quarantaine / voortzetting"],
        [[r["pc"], r["kandidaat"], r["tijd"], r["toelichting"], r["quarantaine"]] for r in d["onwel"]],
        widths(1, 4.5, 1.4, 6, 4), "Niemand werd onwel.")]
    return out


def _disruptions(d: dict[str, Any]) -> list[Flowable]:
    rows = [[r["van"], r["tot"], f"+{r['minuten']} min", r["kandidaten"], r["reden"]] for r in d["verstoringen"]]
    return [*section("1.4", "Verstoringen en toegevoegde tijd"),
            table_or_none(["Van", "Tot", "Toegevoegd", "Voor", "Reden"], rows, widths(1.4, 1.8, 2.3, 5.5, 6.5),
                          "Er waren geen verstoringen.")]


def _incidents(d: dict[str, Any]) -> list[Flowable]:
    rows = []
    for r in d["incidenten"]:
        what = r["wat_gebeurde"] + (f"\nGedaan: {r['wat_gedaan']}" if r["wat_gedaan"] else "")
        if r.get("achteraf"):
            what = f"{r['achteraf'][:1].upper()}{r['achteraf'][1:]}.\n{what}"
        if r["duur"]:
            what += f"\nDuur: {r['duur']} min"
        if r["gecorrigeerd"]:
            what += "\n(gecorrigeerd; zie 1.6)"
        rows.append([r["tijd"], f"{r['code']}\n{r['categorie']}", r["afhandeling"], r["kandidaten"] or "—", what])
    out = [*section("1.5", "Incidenten en bijzonderheden", PRIVACY),
           table_or_none(["Tijd", "Code en categorie", "Afhandeling", "Kandidaten", "Wat gebeurde er"], rows,
                         widths(1.4, 4.1, 3.6, 3.0, 5.7), "Er zijn geen incidenten vastgelegd.")]
    if d.get("bijlagen"):
        out += evidence_table(d["bijlagen"], "Bewijsstukken bij de incidenten",
                              "Bewaard in ExamDesk; de SHA-256 is de vingerafdruk van elk bestand.")
    return out


def _log(d: dict[str, Any]) -> list[Flowable]:
    rows = []
    for r in d["verslag"]:
        if r["vervallen"]:
            cell = rich(f"<strike>{text(r['tekst'])}</strike><br/><font color='#8a4b00'>{text(r['correctie'])}</font>",
                        "cell")
        elif r["oorspronkelijk"]:
            cell = rich(f"{text(r['tekst'])}<br/><font color='#8a4b00'>{text(r['correctie'])}; oorspronkelijk: "
                        f"<strike>{text(r['oorspronkelijk'])}</strike></font>", "cell")
        elif r["correctie"]:
            cell = rich(f"{text(r['tekst'])}<br/><font color='#8a4b00'>{text(r['correctie'])}</font>", "cell")
        else:
            cell = r["tekst"]
        rows.append([r["tijd"], r["soort"], cell, r["door"]])
    return [*section("1.6", "Chronologisch verslag", "Alles wat tijdens de afname is vastgelegd, in volgorde van tijd. "
                                                    "Een correctie staat naast wat zij corrigeert; niets is gewist."),
            table_or_none(["Tijd", "Soort", "Wat", "Vastgelegd door"], rows, widths(1.4, 3.3, 9.3, 3.1),
                          "Er is nog niets vastgelegd.")]


def _decisions(d: dict[str, Any]) -> list[Flowable]:
    rows = [[r["datum"], r["door"], r["kandidaat"] or "—", r["besluit"], r["grond"]] for r in d["besluiten"]]
    return [*section("1.7", "Besluiten tot nu toe"),
            table_or_none(["Datum", "Door", "Kandidaat", "Besluit", "Grond"], rows, widths(2.4, 2.8, 3.6, 4.2, 4.5),
                          "Er zijn (nog) geen besluiten over deze afname genomen.")]


def _grades(d: dict[str, Any]) -> list[Flowable]:
    out = section("1.8", "Verwerking van de resultaten (tot en met de cijferbepaling)",
                  "Beleidsregel, toelichting bij artikel 3: het procesverbaal loopt van de ontvangst van de "
                  "exameninstrumenten tot en met de cijferbepaling.")
    g = d.get("cijferbepaling")
    if not g:
        return [*out, none_line("De verwerking van de resultaten is (nog) niet vastgelegd door het examenbureau.")]
    pairs = [("Verwerkt op", g["datum"]), ("Door", g["door"]), ("Systeem", g["systeem"])]
    if g["opmerking"]:
        pairs.append(("Opmerking", g["opmerking"]))
    pairs.append(("Vastgelegd", g["vastgelegd"]))
    return [*out, facts(pairs, label_width=45 * mm)]


def _candidates(d: dict[str, Any]) -> list[Flowable]:
    rows = [[r["pc"], r["studentnummer"], r["naam"], r["status"], r["eindtijd"] or "—", r["opbouw"]]
            for r in d["kandidaten"]]
    return [*section("2.1", "Kandidaten en hun eindtijd",
                     "Eindtijd = werkelijk begin + duur + extra tijd (passend examineren) + tijd verloren door storingen "
                     "+ besluiten van de examencommissie. Wie onwel werd of vertrok zonder af te maken, heeft geen "
                     "eindtijd."),
            table_or_none(["Pc", "Studentnr.", "Naam", "Status", "Eindtijd", "Opbouw extra tijd"], rows,
                          widths(0.9, 2.1, 5.2, 3.9, 1.6, 3.8), "Er staan geen kandidaten in deze afname.",
                          align_right=(0,))]


def _accommodations(d: dict[str, Any]) -> list[Flowable]:
    rows = [[r["pc"], r["kandidaat"], r["extra_tijd"] or "—", r["voorzieningen"], r["toegekend"]]
            for r in d["voorzieningen"]]
    return [*section("2.2", "Passend examineren: kandidaten met recht op aanpassingen en toegekende faciliteiten",
                     "Protocolpunt 12; de onderbouwing staat in het dossier van de kandidaat, niet hier."),
            table_or_none(["Pc", "Kandidaat", "Extra tijd", "Faciliteiten", "Toegekend"], rows,
                          widths(0.9, 5.5, 1.8, 5, 4.3), "Geen kandidaat in deze afname heeft recht op aanpassingen.")]


def _signatures(d: dict[str, Any], a: dict[str, Any]) -> list[Flowable]:
    inst = d["instelling"]
    place = a["locatie"].split(",")[0] if a["locatie"] else inst["plaats"]
    out = part(3, "Ondertekening")
    out.append(para(
        f"Dit procesverbaal van de afname {d['examen']} op {a['datum']} in lokaal {a['lokaal']} is naar waarheid "
        f"opgemaakt te {place or '..............................'} op "
        f"{d['afgesloten'][:10] if d['afgesloten'] else '..............................'}."))
    out.append(Spacer(1, 4 * mm))
    if d["concept"]:
        out.append(rich("<b>Niet ondertekenen:</b> dit is een CONCEPT; de afname is nog niet afgesloten.", "body"))
        out.append(Spacer(1, 3 * mm))
    people = [(p["naam"], p["rol"]) for p in d["medewerkers"]]
    people.append(("", f"namens de {inst['examencommissie'][:1].lower()}{inst['examencommissie'][1:]}"))
    out.append(signature_table(people))
    out.append(Spacer(1, 4 * mm))
    out.append(hint("Ondertekend exemplaar bewaren bij de examenadministratie; de Inspectie van het Onderwijs kan om "
                    "inzage vragen. Controleer met de digitale vingerafdruk of dit papier overeenkomt met ExamDesk."))
    return out

