"""Reading student-system exports: encodings, delimiters, dates, the mapping and bad files."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.domain.candidate_import import guess_mapping, to_candidates
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
    parsed = to_candidates(table, guess_mapping(table.header), TODAY)
    assert not parsed.errors
    lois = parsed.candidates[1]
    assert lois.full_name == "Loïs van den Berg"
    assert lois.birth_date == date(2009, 11, 30)
    assert parsed.candidates[0].birth_date == date(2008, 4, 3)


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
        to_candidates(table, mapping, TODAY)


def test_duplicate_studentnummers_and_bad_dates_are_named_by_row():
    data = (b"Studentnummer;Achternaam;Geboortedatum\n1001;Jansen;01-01-2008\n1002;Visser;31-02-2008\n"
            b"1001;Bakker;01-01-2009\n")
    table = read_csv(data)
    parsed = to_candidates(table, guess_mapping(table.header), TODAY)
    assert "Regel 3: geboortedatum '31-02-2008' is geen datum (dd-mm-jjjj of jjjj-mm-dd)." in parsed.errors
    assert "Regel 4: studentnummer 1001 staat ook op regel 2." in parsed.errors


def test_accommodations_from_the_file_and_the_extra_time_rule():
    data = (b"nr;naam;extra tijd;reden extra tijd;voorzieningen\n1;A;30;;vergroting, koptelefoon\n"
            b"2;B;45;;\n")
    table = read_csv(data)
    mapping = {"student_number": "nr", "last_name": "naam", "extra_minutes": "extra tijd",
               "extra_reason": "reden extra tijd", "facilities": "voorzieningen"}
    parsed = to_candidates(table, mapping, TODAY)
    first = parsed.candidates[0]
    assert first.facilities == ("vergroting", "overig") and first.facility_other == "koptelefoon"
    assert first.accommodations_label() == "+30 min, vergroting, koptelefoon"
    assert any("Regel 3" in e and "met een reden" in e for e in parsed.errors)


def test_minor_on_a_date():
    c = validate_candidate(Candidate("77", "Vos", first_name="Zoë", birth_date=date(2008, 3, 2)), TODAY)
    assert c.is_minor_on(date(2026, 3, 1)) is True
    assert c.is_minor_on(date(2026, 3, 2)) is False
    assert Candidate("78", "X").is_minor_on(TODAY) is None
