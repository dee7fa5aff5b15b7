"""The validity rule: each reason on its own, then properties over generated histories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examdesk.domain.register import (
    Instrument,
    Qualification,
    Status,
    StatusEntry,
    Supplier,
    status_on,
    validity,
)

D = date(2026, 9, 1)
SUPPLIER = Supplier("s1", "Leverancier X", "Certificerende Autoriteit", "C-1", date(2024, 8, 1), date(2027, 7, 31))
QUAL = Qualification("25491", "Verzorgende IG", 3, "Verzorgende IG")


def instrument(route: int = 1, validator: str = "", validation_date: date | None = None,
               supplier_id: str | None = "s1") -> Instrument:
    return Instrument("i1", "VIG-PVB-1", "Proeve", "25491", "B1-K1", "proeve van bekwaamheid", False, route,
                      supplier_id if route == 1 else None, validator, validation_date)


def entry(seq: int, status: Status, on: date, decision: str = "", reason: str = "") -> StatusEntry:
    if status is Status.ADOPTED and not decision:
        decision = f"EC-{seq}"
    if status in (Status.CHANGED, Status.PROVISIONAL, Status.WITHDRAWN) and not reason:
        reason = "opdracht vervangen"
    return StatusEntry(seq, "i1", status, on, decision, reason)


ADOPTED = [entry(1, Status.CONCEPT, date(2025, 1, 1)), entry(2, Status.ADOPTED, date(2025, 2, 1))]


def test_adopted_route_1_with_certified_supplier_is_valid():
    verdict = validity(instrument(), ADOPTED, SUPPLIER, QUAL, D)
    assert verdict.valid and verdict.reasons == ()
    assert verdict.sentence == "Valide op 01-09-2026."


def test_not_adopted():
    verdict = validity(instrument(), ADOPTED[:1], SUPPLIER, QUAL, D)
    assert not verdict.valid
    assert verdict.reasons == ("Niet valide op 01-09-2026: het instrument is (nog) niet vastgesteld door de "
                               "examencommissie.",)


def test_adoption_after_the_date_does_not_count():
    history = [entry(1, Status.CONCEPT, date(2025, 1, 1)), entry(2, Status.ADOPTED, date(2026, 9, 2))]
    assert not validity(instrument(), history, SUPPLIER, QUAL, D).valid
    assert validity(instrument(), history, SUPPLIER, QUAL, date(2026, 9, 2)).valid


def test_changed_after_adoption_ends_validity_at_once():
    history = [*ADOPTED, entry(3, Status.CHANGED, date(2026, 8, 15), reason="Beoordelingsformulier aangepast.")]
    verdict = validity(instrument(), history, SUPPLIER, QUAL, D)
    assert not verdict.valid
    assert verdict.reasons == ("Niet valide op 01-09-2026: het instrument is op 15-08-2026 gewijzigd "
                               "(Beoordelingsformulier aangepast) en sindsdien niet opnieuw vastgesteld.",)
    assert validity(instrument(), history, SUPPLIER, QUAL, date(2026, 8, 14)).valid
    assert not validity(instrument(), history, SUPPLIER, QUAL, date(2026, 8, 15)).valid


def test_adopted_again_after_a_change_is_valid_again():
    history = [*ADOPTED, entry(3, Status.CHANGED, date(2026, 8, 15)), entry(4, Status.ADOPTED, date(2026, 8, 20))]
    assert validity(instrument(), history, SUPPLIER, QUAL, D).valid


def test_route_1_supplier_certificate_expired():
    expired = Supplier("s1", "Leverancier X", "CA", "C-1", date(2023, 8, 1), date(2026, 7, 31))
    verdict = validity(instrument(), ADOPTED, expired, QUAL, D)
    assert verdict.reasons == ("Niet valide op 01-09-2026: het certificaat van Leverancier X is verlopen op "
                               "31-07-2026.",)


def test_route_1_supplier_certificate_not_yet_valid():
    future = Supplier("s1", "Leverancier X", "CA", "C-1", date(2026, 10, 1), date(2029, 7, 31))
    (reason,) = validity(instrument(), ADOPTED, future, QUAL, D).reasons
    assert reason == "Niet valide op 01-09-2026: het certificaat van Leverancier X geldt pas vanaf 01-10-2026."


def test_route_1_supplier_without_certificate_or_no_supplier():
    uncertified = Supplier("s1", "Leverancier X")
    (reason,) = validity(instrument(), ADOPTED, uncertified, QUAL, D).reasons
    assert "van Leverancier X is geen certificaat vastgelegd" in reason
    (reason,) = validity(instrument(), ADOPTED, None, QUAL, D).reasons
    assert "geen leverancier vastgelegd" in reason


def test_route_2_needs_no_supplier():
    assert validity(instrument(route=2), ADOPTED, None, QUAL, D).valid


def test_route_3_without_external_validation():
    verdict = validity(instrument(route=3), ADOPTED, None, QUAL, D)
    assert verdict.reasons == ("Niet valide op 01-09-2026: route 3 vraagt externe validering, maar er is geen "
                               "validerende instantie met validatiedatum vastgelegd.",)
    assert validity(instrument(3, "Stichting Validering", date(2026, 1, 10)), ADOPTED, None, QUAL, D).valid
    (reason,) = validity(instrument(3, "Stichting Validering", date(2026, 9, 10)), ADOPTED, None, QUAL, D).reasons
    assert "is pas op 10-09-2026" in reason


def test_qualification_expired_on_the_date():
    old = Qualification("25491", "Verzorgende IG", 3, valid_until=date(2026, 7, 31))
    verdict = validity(instrument(), ADOPTED, SUPPLIER, old, D)
    assert verdict.reasons == ("Niet valide op 01-09-2026: de kwalificatie 25491 Verzorgende IG is vervallen op "
                               "31-07-2026.",)
    assert validity(instrument(), ADOPTED, SUPPLIER, old, date(2026, 7, 31)).valid


def test_qualification_not_yet_in_force_or_missing():
    new = Qualification("25491", "Verzorgende IG", 3, valid_from=date(2026, 9, 2))
    (reason,) = validity(instrument(), ADOPTED, SUPPLIER, new, D).reasons
    assert "geldt pas vanaf 02-09-2026" in reason
    (reason,) = validity(instrument(), ADOPTED, SUPPLIER, None, D).reasons
    assert "crebo 25491 staat niet in het register" in reason


def test_withdrawn():
    history = [*ADOPTED, entry(3, Status.WITHDRAWN, date(2026, 6, 30), reason="vervangen door versie 2")]
    verdict = validity(instrument(), history, SUPPLIER, QUAL, D)
    assert verdict.reasons == ("Niet valide op 01-09-2026: het instrument is ingetrokken op 30-06-2026 "
                               "(vervangen door versie 2).",)


def test_provisional_route_1_is_valid_under_reservation():
    history = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1))]
    verdict = validity(instrument(), history, SUPPLIER, QUAL, D)
    assert verdict.valid and verdict.provisional
    assert verdict.sentence.startswith("Valide op 01-09-2026 onder voorbehoud")
    readopted = [*history, entry(4, Status.ADOPTED, date(2026, 6, 1))]
    assert not validity(instrument(), readopted, SUPPLIER, QUAL, D).provisional


def test_provisional_is_not_for_route_2():
    history = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1))]
    assert not validity(instrument(route=2), history, None, QUAL, D).valid


def test_every_reason_is_reported_not_just_the_first():
    expired = Supplier("s1", "Leverancier X", "CA", "C-1", date(2023, 8, 1), date(2026, 7, 31))
    old = Qualification("25491", "Verzorgende IG", 3, valid_until=date(2026, 7, 31))
    verdict = validity(instrument(), ADOPTED[:1], expired, old, D)
    assert len(verdict.reasons) == 3
    assert verdict.sentence == " ".join(verdict.reasons)


def test_registration_as_concept_never_hides_an_earlier_dated_adoption():
    """Registered today, adopted (decision) last week: the adoption counts."""
    history = [entry(1, Status.CONCEPT, date(2026, 9, 1)), entry(2, Status.ADOPTED, date(2026, 8, 25))]
    assert validity(instrument(), history, SUPPLIER, QUAL, D).valid


# --- properties ---------------------------------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
optional_dates = st.one_of(st.none(), dates)
steps = st.sampled_from([Status.ADOPTED, Status.CHANGED, Status.PROVISIONAL, Status.WITHDRAWN])


@st.composite
def histories(draw) -> list[StatusEntry]:
    start = draw(dates)
    result = [entry(1, Status.CONCEPT, start)]
    day = start
    for seq, status in enumerate(draw(st.lists(steps, max_size=6)), start=2):
        day = day + timedelta(days=draw(st.integers(0, 400)))
        result.append(entry(seq, status, day))
    return result


@st.composite
def cases(draw):
    route = draw(st.sampled_from([1, 2, 3]))
    validator = draw(st.sampled_from(["", "Stichting Validering"]))
    inst = instrument(route, validator, draw(optional_dates), draw(st.sampled_from(["s1", None])))
    cert_from, cert_until = sorted([draw(dates), draw(dates)])
    supplier = draw(st.one_of(st.none(), st.just(Supplier("s1", "Leverancier X")),
                              st.just(Supplier("s1", "Leverancier X", "CA", "C-1", cert_from, cert_until))))
    q_from, q_until = draw(optional_dates), draw(optional_dates)
    if q_from and q_until and q_from > q_until:
        q_from, q_until = q_until, q_from
    qualification = draw(st.one_of(st.none(), st.just(Qualification("25491", "Verzorgende IG", 3,
                                                                      valid_from=q_from, valid_until=q_until))))
    return inst, draw(histories()), supplier, qualification, draw(dates)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_verdict_is_valid_exactly_when_it_has_no_reasons(case):
    inst, history, supplier, qualification, on = case
    verdict = validity(inst, history, supplier, qualification, on)
    assert verdict.valid == (verdict.reasons == ())
    prefix = f"Niet valide op {on:%d-%m-%Y}: "
    assert all(r.startswith(prefix) and r.endswith(".") for r in verdict.reasons)
    assert len(set(verdict.reasons)) == len(verdict.reasons)
    assert not verdict.provisional or verdict.valid


@settings(max_examples=300, deadline=None)
@given(cases())
def test_valid_exactly_when_every_condition_holds(case):
    """An independent statement of the rule of seed 000, checked against the implementation."""
    inst, history, supplier, qualification, on = case
    current = status_on(history, on)
    adopted = current is not None and (current.status is Status.ADOPTED
                                       or (current.status is Status.PROVISIONAL and inst.route == 1))
    route_ok = {
        1: supplier is not None and supplier.certified_on(on),
        2: True,
        3: bool(inst.validator) and inst.validation_date is not None and inst.validation_date <= on,
    }[inst.route]
    in_force = qualification is not None and qualification.in_force_on(on)
    assert validity(inst, history, supplier, qualification, on).valid == (adopted and route_ok and in_force)


@settings(max_examples=200, deadline=None)
@given(cases(), st.integers(1, 500), steps)
def test_steps_after_the_date_never_change_the_verdict_on_it(case, days, status):
    inst, history, supplier, qualification, on = case
    later = [*history, entry(len(history) + 1, status, on + timedelta(days=days))]
    assert validity(inst, history, supplier, qualification, on) == validity(inst, later, supplier, qualification, on)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_a_change_or_withdrawal_in_force_always_means_not_valid(case):
    inst, history, supplier, qualification, on = case
    current = status_on(history, on)
    if current is not None and current.status in (Status.CHANGED, Status.WITHDRAWN, Status.CONCEPT):
        assert not validity(inst, history, supplier, qualification, on).valid


@settings(max_examples=200, deadline=None)
@given(cases())
def test_order_of_the_history_as_given_does_not_matter(case):
    inst, history, supplier, qualification, on = case
    assert (validity(inst, history, supplier, qualification, on)
            == validity(inst, list(reversed(history)), supplier, qualification, on))


@pytest.mark.parametrize("days", [0, 1, 30])
def test_expired_supplier_named_in_the_reason(days):
    until = D - timedelta(days=days + 1)
    s = Supplier("s1", "Examenhuis Bouw", "CA", "C-9", date(2020, 1, 1), until)
    (reason,) = validity(instrument(), ADOPTED, s, QUAL, D).reasons
    assert "Examenhuis Bouw" in reason and until.strftime("%d-%m-%Y") in reason
