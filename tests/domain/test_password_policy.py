"""The one password policy (domain/users.check_new_password): each refusal a Dutch sentence saying why."""

from __future__ import annotations

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.users import (
    MIN_PASSWORD_LENGTH,
    check_new_password,
    common_passwords,
    hash_password,
    needs_rehash,
    verify_password,
)

INSTITUTION = "ROC Midden-Holland"


def test_the_bundled_list_is_a_real_list_of_common_passwords():
    words = common_passwords()
    assert len(words) > 19_000
    assert {"123456", "password", "qwerty", "welkom01", "wachtwoord", "geheim123", "iloveyou"} <= words
    assert all(w == w.lower() for w in words)


@pytest.mark.parametrize("password", [
    "wachtwoord123", "WACHTWOORD123", "WachtWoord123", "qwertyuiop", "Welkom2025!", "!!Welkom!!",
    "1qaz2wsx3edc", "examencommissie", "Password2024!", "iloveyou12345",
])
def test_common_passwords_and_their_obvious_variants_are_refused_in_any_case(password):
    with pytest.raises(ValidationError, match="veelgebruikte wachtwoorden"):
        check_new_password(password, "j.bakker", INSTITUTION)


@pytest.mark.parametrize("password,message", [
    ("", "minstens 10 tekens"),
    ("demo", r"minstens 10 tekens hebben \(dit heeft er 4\)"),
    ("korteZin!", "minstens 10 tekens"),
    ("x" * 257, "hoogstens 256 tekens"),
    ("aaaaaaaaaaaa", "te weinig verschillende tekens"),
    ("1212121212121", "te weinig verschillende tekens"),
    ("j.bakker-in-lokaal-b2", "gebruikersnaam"),
    ("J.BAKKER loopt rond", "gebruikersnaam"),
    ("rocmiddenholland!!", "naam van de instelling"),
    ("zomer in Midden Holland", "naam van de instelling"),
    ("hollandse nieuwe haring", "'Holland' uit 'ROC Midden-Holland'"),
    ("tekst met \ud800 erin", "niet kunnen worden opgeslagen"),
])
def test_each_refusal_says_why(password, message):
    with pytest.raises(ValidationError, match=message):
        check_new_password(password, "j.bakker", INSTITUTION)


@pytest.mark.parametrize("password", [
    "paard-batterij-nietje", "uil op de kerktoren", "Zes koffie, twee thee!", "vJ8#qL2!mZ4@",
    "Łukasz fietst naar Gouda",
])
def test_a_long_uncommon_password_passes(password):
    assert len(password) >= MIN_PASSWORD_LENGTH
    check_new_password(password, "j.bakker", INSTITUTION)


def test_a_short_user_name_only_refuses_the_name_itself():
    check_new_password("jb-zit-in-lokaal-12", "jb", INSTITUTION)   # two letters occur everywhere
    with pytest.raises(ValidationError, match="gebruikersnaam"):
        check_new_password("ab1234567890", "ab1234567890", "")


def test_an_argon2_hash_round_trips_and_is_current():
    stored = hash_password("uil op de kerktoren")
    assert verify_password("uil op de kerktoren", stored)
    assert not verify_password("Uil op de kerktoren", stored)
    assert not needs_rehash(stored)
    assert needs_rehash("scrypt$16384$8$1$00$00")
