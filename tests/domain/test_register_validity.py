"""The validity rule: each reason on its own (table-driven from the sentences of seed 000 §4), then
properties over generated histories checked against an independent statement of the rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examdesk.domain.register import (
    Assignments,
    CertificatePeriod,
    Criterion,
    CriterionCheck,
    Instrument,
    Qualification,
    Status,
    StatusEntry,
    Supplier,
    package_blocker,
    registered_on,
    status_on,
    validity,
)

D = date(2026, 9, 1)
SUPPLIER = Supplier("s1", "Leverancier X", "Certificerende Autoriteit", "C-1", date(2024, 8, 1), date(2027, 7, 31))
QUAL = Qualification("25491", "Verzorgende IG", 3, "Verzorgende IG")


FIXED, REPLACEABLE = Assignments.FIXED, Assignments.REPLACEABLE


def instrument(route: int = 1, validator: str = "", validation_date: date | None = None,
               supplier_id: str | None = "s1", assignments: Assignments = FIXED,
               purchased_on: date | None = None) -> Instrument:
    return Instrument("i1", "VIG-PVB-1", "Proeve", "25491", "B1-K1", "proeve van bekwaamheid", False, route,
                      supplier_id if route == 1 else None, validator, validation_date, "1", assignments,
                      purchased_on if route == 1 else None)


def checks(on: date, met: bool = True, skip: tuple[Criterion, ...] = ()) -> list[CriterionCheck]:
    return [CriterionCheck("i1", c, met, "A. Vaststeller", on, "" if met else "ontbreekt", n)
            for n, c in enumerate(Criterion) if c not in skip]


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
    """'De validiteit van een exameninstrument eindigt zodra het exameninstrument met vaste examenopdracht
    gewijzigd wordt'."""
    history = [*ADOPTED, entry(3, Status.CHANGED, date(2026, 8, 15), reason="Beoordelingsformulier aangepast.")]
    verdict = validity(instrument(), history, SUPPLIER, QUAL, D)
    assert not verdict.valid
    assert verdict.reasons == ("Niet valide op 01-09-2026: het instrument met vaste examenopdracht is op 15-08-2026 "
                               "gewijzigd (Beoordelingsformulier aangepast); daarmee is de validiteit geëindigd. "
                               "Opnieuw vaststellen alleen is niet genoeg: nodig is ook een nieuwe inkoop bij de "
                               "gecertificeerde leverancier na de wijziging (leg de inkoopdatum vast).",)
    assert validity(instrument(), history, SUPPLIER, QUAL, date(2026, 8, 14)).valid
    assert not validity(instrument(), history, SUPPLIER, QUAL, date(2026, 8, 15)).valid
    replaceable = validity(instrument(assignments=REPLACEABLE), history, SUPPLIER, QUAL, D)
    assert replaceable.reasons == ("Niet valide op 01-09-2026: het instrument is op 15-08-2026 gewijzigd "
                                   "(Beoordelingsformulier aangepast) en sindsdien niet opnieuw vastgesteld.",)


def test_replaceable_assignments_adopted_again_after_a_change_is_valid_again():
    """'Een gewijzigd instrument kan hierdoor weer valide worden.'"""
    history = [*ADOPTED, entry(3, Status.CHANGED, date(2026, 8, 15)), entry(4, Status.ADOPTED, date(2026, 8, 20))]
    assert validity(instrument(assignments=REPLACEABLE), history, SUPPLIER, QUAL, D).valid


CHANGE, READOPTION = date(2026, 8, 15), date(2026, 8, 20)
READOPTED = [*ADOPTED, entry(3, Status.CHANGED, CHANGE), entry(4, Status.ADOPTED, READOPTION)]


@pytest.mark.parametrize("route,renewal,valid", [
    # route 1: a new purchase from the certified supplier between the change and the re-adoption
    (1, {}, False),
    (1, {"purchased_on": date(2025, 1, 20)}, False),        # the old purchase, before the change
    (1, {"purchased_on": date(2026, 8, 16)}, True),
    (1, {"purchased_on": date(2026, 8, 25)}, False),        # bought only after the re-adoption
    # route 2: every criterion of bijlage 2 checked again after the change
    (2, {}, False),
    (2, {"criteria": checks(date(2025, 1, 15))}, False),    # checked before the change
    (2, {"criteria": checks(date(2026, 8, 18), skip=(Criterion.INDEPENDENCE,))}, False),
    (2, {"criteria": checks(date(2026, 8, 18))}, True),
    # route 3: a new external validation after the change
    (3, {"validation_date": date(2025, 1, 10)}, False),
    (3, {"validation_date": date(2026, 8, 17)}, True),
])
def test_a_changed_fixed_assignment_instrument_is_not_valid_by_readoption_alone(route, renewal, valid):
    inst = instrument(route, "Stichting Validering" if route == 3 else "", renewal.get("validation_date"),
                      purchased_on=renewal.get("purchased_on"))
    verdict = validity(inst, READOPTED, SUPPLIER, QUAL, D, renewal.get("criteria", ()))
    assert verdict.valid is valid
    if not valid:
        assert any("opnieuw vaststellen alleen maakt het niet weer valide" in r for r in verdict.reasons)


def test_replaced_assignments_are_onder_voorbehoud_and_not_valid_until_adopted_again():
    """Seed 000, every route: 'Indien er sprake is van een exameninstrument waarbij scholen zelf opdrachten
    (deels) kunnen vervangen, geldt dat deze na aanpassing vastgesteld wordt door de examencommissie'."""
    replaced = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1), reason="Opdracht 2 vervangen")]
    for route in (1, 2, 3):
        inst = instrument(route, "Stichting Validering", date(2025, 1, 5), assignments=REPLACEABLE)
        verdict = validity(inst, replaced, SUPPLIER, QUAL, D)
        assert not verdict.valid and verdict.provisional
        assert verdict.reasons == ("Niet valide op 01-09-2026: de school heeft op 01-05-2026 opdrachten vervangen "
                                   "(Opdracht 2 vervangen); het instrument is onder voorbehoud tot de "
                                   "examencommissie het opnieuw vaststelt.",)
        assert validity(inst, replaced, SUPPLIER, QUAL, date(2026, 4, 30)).valid
        readopted = [*replaced, entry(4, Status.ADOPTED, date(2026, 6, 1))]
        again = validity(inst, readopted, SUPPLIER, QUAL, D)
        assert again.valid and not again.provisional


def test_onder_voorbehoud_with_another_reason_is_not_only_awaiting_adoption():
    replaced = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1))]
    inst = instrument(assignments=REPLACEABLE)
    assert validity(inst, replaced, SUPPLIER, QUAL, D).only_awaiting_adoption
    expired = Supplier("s1", "Leverancier X", "CA", "C-1", date(2023, 8, 1), date(2026, 7, 31))
    verdict = validity(inst, replaced, expired, QUAL, D)
    assert verdict.provisional and not verdict.only_awaiting_adoption and len(verdict.reasons) == 2


def test_replaced_assignments_of_a_fixed_instrument_end_validity():
    replaced = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1))]
    verdict = validity(instrument(), replaced, SUPPLIER, QUAL, D)
    assert not verdict.valid and not verdict.provisional
    assert "vaste examenopdracht" in verdict.reasons[0]


def test_a_session_package_is_refused_until_the_instrument_is_adopted_again():
    replaced = [*ADOPTED, entry(3, Status.PROVISIONAL, date(2026, 5, 1))]
    inst = instrument(assignments=REPLACEABLE)
    blocker = package_blocker("VIG-PVB-1", "VIG-PVB-1 – Proeve", D, validity(inst, replaced, SUPPLIER, QUAL, D))
    assert blocker.startswith("VIG-PVB-1 is onder voorbehoud: de examencommissie moet het na het vervangen van "
                              "opdrachten eerst opnieuw vaststellen")
    readopted = [*replaced, entry(4, Status.ADOPTED, date(2026, 6, 1))]
    assert package_blocker("VIG-PVB-1", "x", D, validity(inst, readopted, SUPPLIER, QUAL, D)) is None
    withdrawn = [*ADOPTED, entry(3, Status.WITHDRAWN, date(2026, 5, 1))]
    assert "niet meer valide" in package_blocker("VIG-PVB-1", "x", D, validity(inst, withdrawn, SUPPLIER, QUAL, D))


def test_no_validity_before_the_registration():
    """An adoption dated before the instrument entered the register does not make it valid earlier."""
    history = [entry(1, Status.CONCEPT, date(2026, 9, 1)), entry(2, Status.ADOPTED, date(2026, 8, 25))]
    (reason,) = validity(instrument(), history, SUPPLIER, QUAL, date(2026, 8, 30)).reasons
    assert reason == ("Niet valide op 30-08-2026: het instrument staat pas sinds 01-09-2026 in het register; een "
                      "vaststelling kan niet eerder gelden.")
    assert registered_on(history) == date(2026, 9, 1)


@pytest.mark.parametrize("purchased,reason", [
    (date(2024, 9, 1), None),
    (date(2024, 7, 31), "de inkoop op 31-07-2024 valt buiten elke certificaatperiode van Leverancier X"),
    (date(2026, 9, 2), "het instrument is pas op 02-09-2026 ingekocht"),
])
def test_a_route_1_purchase_falls_inside_a_certificate_period(purchased, reason):
    verdict = validity(instrument(purchased_on=purchased), ADOPTED, SUPPLIER, QUAL, D)
    if reason is None:
        assert verdict.valid
    else:
        (text,) = verdict.reasons
        assert reason in text


def test_an_earlier_certificate_counts_for_a_purchase_and_a_date_in_its_period():
    earlier = CertificatePeriod("C-0", "CA", date(2021, 8, 1), date(2024, 7, 31))
    renewed = Supplier("s1", "Leverancier X", "CA", "C-1", date(2024, 8, 1), date(2027, 7, 31),
                       earlier_certificates=(earlier,))
    assert validity(instrument(purchased_on=date(2023, 3, 1)), ADOPTED, renewed, QUAL, D).valid
    assert not validity(instrument(purchased_on=date(2023, 3, 1)), ADOPTED, SUPPLIER, QUAL, D).valid
    gap = Supplier("s1", "Leverancier X", "CA", "C-1", date(2025, 6, 1), date(2027, 7, 31),
                   earlier_certificates=(earlier,))
    (reason,) = validity(instrument(), ADOPTED, gap, QUAL, date(2025, 4, 1)).reasons
    assert "Leverancier X had op die dag geen geldig certificaat (certificaten: C-0 (01-08-2021 t/m 31-07-2024), " \
           "C-1 (01-06-2025 t/m 31-07-2027))" in reason


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


def test_every_reason_is_reported_not_just_the_first():
    expired = Supplier("s1", "Leverancier X", "CA", "C-1", date(2023, 8, 1), date(2026, 7, 31))
    old = Qualification("25491", "Verzorgende IG", 3, valid_until=date(2026, 7, 31))
    verdict = validity(instrument(), ADOPTED[:1], expired, old, D)
    assert len(verdict.reasons) == 3
    assert verdict.sentence == " ".join(verdict.reasons)


def test_registration_as_concept_never_hides_an_earlier_dated_adoption():
    """Registered today, adopted (decision) last week: the adoption counts from the registration on."""
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
    inst = instrument(route, validator, draw(optional_dates), draw(st.sampled_from(["s1", None])),
                      draw(st.sampled_from([FIXED, REPLACEABLE])), draw(optional_dates))
    cert_from, cert_until = sorted([draw(dates), draw(dates)])
    old_from, old_until = sorted([draw(dates), draw(dates)])
    earlier = (CertificatePeriod("C-0", "CA", old_from, old_until),)
    supplier = draw(st.one_of(st.none(), st.just(Supplier("s1", "Leverancier X")),
                              st.just(Supplier("s1", "Leverancier X", "CA", "C-1", cert_from, cert_until)),
                              st.just(Supplier("s1", "Leverancier X", "CA", "C-1", cert_from, cert_until,
                                               earlier_certificates=earlier)),
                              st.just(Supplier("s1", "Leverancier X", earlier_certificates=earlier))))
    q_from, q_until = draw(optional_dates), draw(optional_dates)
    if q_from and q_until and q_from > q_until:
        q_from, q_until = q_until, q_from
    qualification = draw(st.one_of(st.none(), st.just(Qualification("25491", "Verzorgende IG", 3,
                                                                      valid_from=q_from, valid_until=q_until))))
    criteria = draw(st.lists(st.builds(
        lambda c, met, on, n: CriterionCheck("i1", c, met, "A. Vaststeller", on, "", n),
        st.sampled_from(list(Criterion)), st.booleans(), dates, st.integers(0, 50)), max_size=12))
    return inst, draw(histories()), supplier, qualification, draw(dates), criteria


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_verdict_is_valid_exactly_when_it_has_no_reasons(case):
    inst, history, supplier, qualification, on, criteria = case
    verdict = validity(inst, history, supplier, qualification, on, criteria)
    assert verdict.valid == (verdict.reasons == ())
    prefix = f"Niet valide op {on:%d-%m-%Y}: "
    assert all(r.startswith(prefix) and r.endswith(".") for r in verdict.reasons)
    assert len(set(verdict.reasons)) == len(verdict.reasons)
    assert not (verdict.provisional and verdict.valid)


def _all_met_between(criteria, start, end) -> bool:
    """Every criterion's last check in [start, end] says 'met' (an independent restatement)."""
    for criterion in Criterion:
        inside = [c for c in criteria if c.criterion is criterion and start <= c.checked_on <= end]
        if not inside or not max(inside, key=lambda c: (c.checked_on, c.seq)).met:
            return False
    return True


@settings(max_examples=400, deadline=None)
@given(cases())
def test_valid_exactly_when_every_condition_holds(case):
    """An independent statement of the rule of seed 000, checked against the implementation."""
    inst, history, supplier, qualification, on, criteria = case
    registration = min(s.effective_on for s in history if s.status is Status.CONCEPT)
    steps_in_force = sorted((s for s in history if s.status is not Status.CONCEPT and s.effective_on <= on),
                            key=lambda s: (s.effective_on, s.seq))
    adopted = on >= registration and bool(steps_in_force) and steps_in_force[-1].status is Status.ADOPTED
    if adopted and inst.assignments is FIXED:
        last = steps_in_force[-1]
        changes = [s for s in steps_in_force[:-1] if s.status in (Status.CHANGED, Status.PROVISIONAL)]
        if changes:
            c, a = changes[-1].effective_on, last.effective_on
            adopted = {
                1: inst.purchased_on is not None and c <= inst.purchased_on <= a,
                2: _all_met_between(criteria, c, a),
                3: bool(inst.validator) and inst.validation_date is not None and c <= inst.validation_date <= a,
            }[inst.route]
    periods = []
    if supplier is not None and supplier.certificate_number and supplier.certified_until:
        periods.append((supplier.certified_from or date.min, supplier.certified_until))
    if supplier is not None:
        periods += [(p.starts_on or date.min, p.ends_on) for p in supplier.earlier_certificates]

    def certified(day):
        return any(start <= day <= end for start, end in periods)

    route_ok = {
        1: supplier is not None and certified(on) and (
            inst.purchased_on is None or (inst.purchased_on <= on and certified(inst.purchased_on))),
        2: True,
        3: bool(inst.validator) and inst.validation_date is not None and inst.validation_date <= on,
    }[inst.route]
    in_force = qualification is not None and qualification.in_force_on(on)
    verdict = validity(inst, history, supplier, qualification, on, criteria)
    assert verdict.valid == (adopted and route_ok and in_force)
    current = steps_in_force[-1] if steps_in_force and on >= registration else None
    assert verdict.provisional == (current is not None and current.status is Status.PROVISIONAL
                                   and inst.assignments is REPLACEABLE)


@settings(max_examples=200, deadline=None)
@given(cases(), st.integers(1, 500), steps)
def test_steps_after_the_date_never_change_the_verdict_on_it(case, days, status):
    inst, history, supplier, qualification, on, criteria = case
    later = [*history, entry(len(history) + 1, status, on + timedelta(days=days))]
    assert (validity(inst, history, supplier, qualification, on, criteria)
            == validity(inst, later, supplier, qualification, on, criteria))


@settings(max_examples=200, deadline=None)
@given(cases())
def test_a_change_or_withdrawal_in_force_always_means_not_valid(case):
    inst, history, supplier, qualification, on, criteria = case
    current = status_on(history, on)
    if current is not None and current.status in (Status.CHANGED, Status.WITHDRAWN, Status.CONCEPT,
                                                  Status.PROVISIONAL):
        assert not validity(inst, history, supplier, qualification, on, criteria).valid


@settings(max_examples=200, deadline=None)
@given(cases())
def test_order_of_the_history_as_given_does_not_matter(case):
    inst, history, supplier, qualification, on, criteria = case
    assert (validity(inst, history, supplier, qualification, on, criteria)
            == validity(inst, list(reversed(history)), supplier, qualification, on, list(reversed(criteria))))


@pytest.mark.parametrize("days", [0, 1, 30])
def test_expired_supplier_named_in_the_reason(days):
    until = D - timedelta(days=days + 1)
    s = Supplier("s1", "Examenhuis Bouw", "CA", "C-9", date(2020, 1, 1), until)
    (reason,) = validity(instrument(), ADOPTED, s, QUAL, D).reasons
    assert "Examenhuis Bouw" in reason and until.strftime("%d-%m-%Y") in reason
