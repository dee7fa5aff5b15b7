"""Dutch collation for names in documents and exports, and Dutch plurals and counts from one helper."""

from __future__ import annotations

import pytest

from examdesk.domain.collation import dutch_key, split_prefix
from examdesk.domain.plural import PLURALS, counted, noun_for, number


def test_sahin_sorts_before_wojcik_and_lukasz_among_the_l():
    names = ["Wójcik", "Zeeman", "Şahin", "Sanders", "Łukasz", "Lambert", "Mulder", "Öztürk", "Oosterhuis"]
    assert sorted(names, key=dutch_key) == ["Lambert", "Łukasz", "Mulder", "Oosterhuis", "Öztürk", "Şahin",
                                            "Sanders", "Wójcik", "Zeeman"]
    assert sorted(["Sanders", "Şahin"], key=dutch_key) == ["Şahin", "Sanders"]    # sahin < sanders


def test_a_surname_with_a_tussenvoegsel_sorts_under_the_surname():
    names = ["Jansen", "van Dijk", "de Vries", "Bakker", "van den Berg", "Dekker", "Visser"]
    assert sorted(names, key=dutch_key) == ["Bakker", "van den Berg", "Dekker", "van Dijk", "Jansen", "Visser",
                                            "de Vries"]
    assert split_prefix("van 't Hek") == ("Hek", "van 't")
    assert split_prefix("Vandenberg") == ("Vandenberg", "")


@pytest.mark.parametrize(("n", "text"), [(0, "0 kandidaten"), (1, "1 kandidaat"), (2, "2 kandidaten")])
def test_counted_says_the_noun_in_the_form_the_number_needs(n, text):
    assert counted(n, "kandidaat") == text


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (999, "999"), (1000, "1.000"), (1234, "1.234"),
                                         (248_000, "248.000"), (12_345_678, "12.345.678"), (-1234, "-1.234")])
def test_a_count_groups_its_thousands_with_a_dot_as_a_dutch_reader_reads_it(n, text):
    assert number(n) == text


def test_a_counted_noun_carries_the_dutch_number():
    assert counted(1234, "incident") == "1.234 incidenten"
    assert counted(1, "incident") == "1 incident"


def test_every_listed_noun_has_its_plural_and_an_unknown_noun_is_an_error():
    assert counted(1, "minuut") == "1 minuut" and counted(85, "minuut") == "85 minuten"
    assert noun_for(1, "regel") == "regel" and noun_for(3, "regel") == "regels"
    assert all(PLURALS[n] for n in PLURALS)
    with pytest.raises(KeyError):
        counted(2, "kandidaats")


def test_full_names_and_people_sort_under_the_surname_the_dutch_way():
    from dataclasses import dataclass

    from examdesk.domain.collation import by_sort_name, sorted_names

    assert sorted_names(["Anna Wójcik", "Elif Şahin", "Jan de Vries", "Ëlif", "Sanne Bakker"]) == \
        ["Sanne Bakker", "Ëlif", "Elif Şahin", "Jan de Vries", "Anna Wójcik"]
    assert sorted_names(["Loïs van den Berg", "Noël Daoudi", "Daan de Vries"]) == \
        ["Loïs van den Berg", "Noël Daoudi", "Daan de Vries"]

    @dataclass(frozen=True)
    class Person:
        sort_name: str

    people = [Person("Wójcik, Łukasz"), Person("Vries, Daan de"), Person("Şahin, Elif"), Person("Ëlif")]
    assert [p.sort_name for p in by_sort_name(people)] == ["Ëlif", "Şahin, Elif", "Vries, Daan de", "Wójcik, Łukasz"]
