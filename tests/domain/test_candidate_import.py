"""Reading student-system exports: encodings, delimiters, dates, the mapping, bad lines named by the line
an editor shows, and the plan of a re-import that never erases what the file does not carry."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.domain.candidate_import import guess_mapping, plan_import
from examdesk.domain.candidates import Candidate, validate_candidate
from examdesk.domain.errors import ValidationError
from examdesk.services.candidates import parse_csv as read_csv

TODAY = date(2026, 3, 1)
HEADER = ["Studentnummer", "Achternaam", "Voorvoegsel", "Roepnaam", "Geboortedatum", "Crebo", "Cohort"]
ROWS = [["1001", "Şahin", "", "Elif", "03-04-2008", "25480", "2024"],
        ["1002", "Berg", "van den", "Loïs", "2009-11-30", "25491", "2025"]]


def encode(delimiter: str, encoding: str, bom: bool = False) -> bytes:
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in ROWS]
    data = "\r\n".join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_delimiters_and_encodings(delimiter, encoding, bom):
    if encoding == "cp1252":
        rows = [[c.replace("Ş", "S") for c in r] for r in ROWS]  # cp1252 has no Ş; ï it has
        data = "\r\n".join([delimiter.join(HEADER)] + [delimiter.join(r) for r in rows]).encode("cp1252")
    else:
        data = encode(delimiter, encoding, bom)
    table = read_csv(data)
    assert table.delimiter == delimiter
    assert table.header == HEADER
    plan = plan_import(table, guess_mapping(table.header), {}, TODAY)
    assert not plan.errors
    lois = plan.candidates[1].candidate
    assert lois.full_name == "Loïs van den Berg"
    assert lois.birth_date == date(2009, 11, 30)
    assert plan.candidates[0].candidate.birth_date == date(2008, 4, 3)
    assert [c.line for c in plan.candidates] == [2, 3] and plan.added == 2


def test_guess_mapping_from_typical_headers():
    guess = guess_mapping(["Deelnemernummer", "Geslachtsnaam", "Tussenvoegsels", "Voornamen", "Geb.datum",
                           "Opleidingscode", "Instroomcohort", "Extra tijd", "Voorzieningen"])
    assert guess["student_number"] == "Deelnemernummer"
    assert guess["last_name"] == "Geslachtsnaam"
    assert guess["prefix"] == "Tussenvoegsels"
    assert guess["first_name"] == "Voornamen"
    assert guess["birth_date"] == "Geb.datum"
    assert guess["crebo"] == "Opleidingscode"
    assert guess["extra_minutes"] == "Extra tijd"
    assert guess["facilities"] == "Voorzieningen"


def test_mapping_without_studentnummer_is_refused():
    table = read_csv(encode(";", "utf-8"))
    mapping = guess_mapping(table.header)
    del mapping["student_number"]
    with pytest.raises(ValidationError, match="laat 'Studentnummer' leeg"):
        plan_import(table, mapping, {}, TODAY)


def test_duplicate_studentnummers_and_bad_dates_are_named_by_row():
    data = (b"Studentnummer;Achternaam;Geboortedatum\n1001;Jansen;01-01-2008\n1002;Visser;31-02-2008\n"
            b"1001;Bakker;01-01-2009\n")
    table = read_csv(data)
    plan = plan_import(table, guess_mapping(table.header), {}, TODAY)
    assert "Regel 3: geboortedatum '31-02-2008' is geen datum (dd-mm-jjjj of jjjj-mm-dd)." in plan.errors
    assert "Regel 4: studentnummer 1001 staat ook op regel 2." in plan.errors


def test_accommodations_from_the_file_and_the_extra_time_rule():
    data = (b"nr;naam;extra tijd;reden extra tijd;voorzieningen\n1;A;30;;vergroting, koptelefoon\n"
            b"2;B;45;;\n")
    table = read_csv(data)
    mapping = {"student_number": "nr", "last_name": "naam", "extra_minutes": "extra tijd",
               "extra_reason": "reden extra tijd", "facilities": "voorzieningen"}
    plan = plan_import(table, mapping, {}, TODAY)
    first = plan.candidates[0].candidate
    assert first.facilities == ("vergroting", "overig") and first.facility_other == "koptelefoon"
    assert first.accommodations_label() == "+30 min, vergroting, koptelefoon"
    assert any("Regel 3" in e and "met een reden" in e for e in plan.errors)


KNOWN = Candidate("1001", "Şahin", "", "Elif", date(2008, 4, 3), "25480", "2024", "isk", 30, "", ("vergroting",),
                  id=7)


def test_a_reimport_keeps_what_the_file_does_not_carry():
    """Today's bug: a file with only studentnummer and name wiped birth date, kwalificatie, target group,
    extra time and facilities."""
    table = read_csv("Studentnummer;Achternaam;Roepnaam\n1001;Şahin;Elif\n".encode())
    plan = plan_import(table, guess_mapping(table.header), {"1001": KNOWN}, TODAY)
    (row,) = plan.candidates
    assert row.outcome == "ongewijzigd" and row.changes == ()
    assert row.candidate == KNOWN
    assert plan.unmapped == ("Tussenvoegsel", "Geboortedatum", "Kwalificatie (crebo)", "Cohort", "Doelgroep",
                             "Extra tijd (minuten)", "Reden extra tijd", "Voorzieningen")


def test_an_empty_cell_in_a_mapped_column_is_a_change_shown_field_by_field():
    table = read_csv("Studentnummer;Achternaam;Roepnaam;Geboortedatum;Extra tijd;Voorzieningen\n"
                     "1001;Şahin;Elif;;0;voorleessoftware\n".encode())
    plan = plan_import(table, guess_mapping(table.header), {"1001": KNOWN}, TODAY)
    (row,) = plan.candidates
    assert row.outcome == "gewijzigd"
    assert [c.sentence for c in row.changes] == [
        "geboortedatum: 03-04-2008 → (leeg)", "extra tijd: 30 min → (leeg)",
        "voorzieningen: vergroting → voorleessoftware"]
    assert row.candidate.birth_date is None and row.candidate.crebo == "25480" and row.candidate.target_group == "isk"
    assert (plan.added, plan.changed, plan.unchanged) == (0, 1, 0)
    assert plan.summary == "1 kandidaat in het bestand: 0 nieuw, 1 gewijzigd, 0 ongewijzigd."


def test_a_file_with_only_numbers_and_extra_time_updates_just_that():
    table = read_csv(b"Studentnummer;Extra tijd\n1001;20\n1002;10\n")
    plan = plan_import(table, guess_mapping(table.header), {"1001": KNOWN}, TODAY)
    assert [c.sentence for c in plan.candidates[0].changes] == ["extra tijd: 30 min → 20 min"]
    assert plan.errors == ("Regel 3: Vul de achternaam in van kandidaat 1002.",)   # a new one needs a name


def test_line_numbers_are_the_lines_an_editor_shows_and_every_bad_line_is_reported():
    data = ("Studentnummer;Achternaam;Roepnaam;Geboortedatum\n"
            "\n"                                         # line 2: empty, skipped
            "1;Jansen;Anouk;01-01-2008\n"                 # line 3
            "2;Berg\n"                                    # line 4: fields missing
            ";;;\n"                                       # line 5: only separators, skipped
            "3;\"Vos;Zoë;01-01-2008\n"                    # line 6: a quote that is never closed …
            "4;Bos;Ruben;01-01-2008\n"                    # line 7: … swallows this line
            "5;Dekker;Luuk;01-01-2008;extra\n"            # line 8: a field too many
            "6;Kok;Roos;31-02-2008\n").encode()           # line 9: no such date
    plan = plan_import(read_csv(data), guess_mapping(["Studentnummer", "Achternaam", "Roepnaam", "Geboortedatum"]),
                       {}, TODAY)
    assert [c.line for c in plan.candidates] == [3]
    assert plan.errors == (
        "Regel 4: deze regel heeft 2 velden en de kopregel 4; controleer de scheidingstekens.",
        "Regel 6: een veld loopt door tot regel 9 (een aanhalingsteken zonder sluitend aanhalingsteken?); die regels "
        "zijn zo niet te lezen.",
    )
    clean = data.replace(b'3;"Vos', b"3;Vos")
    plan = plan_import(read_csv(clean), guess_mapping(["Studentnummer", "Achternaam", "Roepnaam", "Geboortedatum"]),
                       {}, TODAY)
    assert [c.line for c in plan.candidates] == [3, 6, 7]
    assert plan.errors == (
        "Regel 4: deze regel heeft 2 velden en de kopregel 4; controleer de scheidingstekens.",
        "Regel 8: deze regel heeft 5 velden en de kopregel 4; staat er misschien een scheidingsteken in een naam "
        "zonder aanhalingstekens.",
        "Regel 9: geboortedatum '31-02-2008' is geen datum (dd-mm-jjjj of jjjj-mm-dd).",
    )


def test_minor_on_a_date():
    c = validate_candidate(Candidate("77", "Vos", first_name="Zoë", birth_date=date(2008, 3, 2)), TODAY)
    assert c.is_minor_on(date(2026, 3, 1)) is True
    assert c.is_minor_on(date(2026, 3, 2)) is False
    assert Candidate("78", "X").is_minor_on(TODAY) is None
