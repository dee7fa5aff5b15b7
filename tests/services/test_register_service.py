"""RegisterService through real SQLite: roles, status steps, audit, the read model and the card."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from examdesk.data.audit import all_entries
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from examdesk.domain.register import (
    Assignments,
    Criterion,
    InstrumentDraft,
    RegisterFilter,
    Status,
    SupplierDraft,
)
from examdesk.domain.roles import Role
from examdesk.services.context import AppContext
from examdesk.services.navigation import RegisterTarget
from examdesk.services.overview import OverviewService
from examdesk.services.register import RegisterService, overview_card


@pytest.fixture
def bureau(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.BUREAU))


@pytest.fixture
def commission(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.COMMISSIE))


def new_instrument(service: RegisterService, code: str = "NEW-1", route: int = 2, registered_days_ago: int = 30,
                   **kw) -> str:
    supplier_id = kw.pop("supplier_id", None)
    if route == 1 and supplier_id is None:
        supplier_id = service.list_suppliers()[0].id
    draft = InstrumentDraft(code, kw.pop("title", "Nieuwe proeve"), kw.pop("crebo", "25491"), "B1-K1", "pvb", False,
                            route, supplier_id, **kw)
    return service.add_instrument(draft, service.today() - timedelta(days=registered_days_ago)).id


def check_all(service: RegisterService, instrument_id: str, days_ago: int, skip: tuple[Criterion, ...] = ()) -> None:
    for criterion in Criterion:
        if criterion not in skip:
            service.record_criterion(instrument_id, criterion, True, "A. Vaststeller",
                                     service.today() - timedelta(days=days_ago), "vaststellingsformulier")


def test_demo_register_has_the_crebo_list_and_instruments(commission):
    assert len(commission.list_qualifications()) == 470
    assert len(commission.list_instruments()) == 40
    assert len(commission.list_suppliers()) == 7


def test_validity_on_is_the_rule_sessions_use(commission):
    expired = commission.instrument_by_code("LOG-PVB-K1")
    verdict = commission.validity_on(expired.id, commission.today())
    assert not verdict.valid
    assert "het certificaat van Logistiek Examencentrum Nederland is verlopen op" in verdict.reasons[0]
    ok = commission.instrument_by_code("VIG-PVB-K1")
    assert commission.validity_on(ok.id, commission.today()).valid
    assert ok not in commission.list_instruments(crebo="25371", valid_on=commission.today())
    assert ok in commission.list_instruments(crebo="25491", valid_on=commission.today())


def test_unknown_instrument_is_not_found(commission):
    with pytest.raises(NotFound, match="staat niet in het register"):
        commission.validity_on("no-such-id", amsterdam_today())


def test_the_life_of_an_instrument(bureau, commission):
    today = commission.today()
    instrument_id = new_instrument(bureau)
    assert [s.status for s in bureau.history(instrument_id)] == [Status.CONCEPT]
    assert not bureau.validity_on(instrument_id, today).valid

    with pytest.raises(PermissionDenied, match="mag niet exameninstrumenten vaststellen"):
        bureau.adopt(instrument_id, today, "EC-1")
    with pytest.raises(ValidationError, match="ligt in de toekomst"):
        commission.adopt(instrument_id, today + timedelta(days=1), "EC-1")
    with pytest.raises(ValidationError, match="besluitnummer"):
        commission.adopt(instrument_id, today, " ")
    with pytest.raises(ValidationError, match="ligt vóór de registratie van NEW-1"):
        commission.adopt(instrument_id, today - timedelta(days=31), "EC-1")
    with pytest.raises(ValidationError, match="criteria van bijlage 2 zijn niet als voldaan vastgelegd: A1 "):
        commission.adopt(instrument_id, today - timedelta(days=10), "EC-1")
    check_all(bureau, instrument_id, 20)
    commission.adopt(instrument_id, today - timedelta(days=10), "EC-1")
    assert bureau.validity_on(instrument_id, today).valid
    with pytest.raises(ValidationError, match="al vastgesteld"):
        commission.adopt(instrument_id, today, "EC-2")

    with pytest.raises(ValidationError, match="reden van de wijziging"):
        bureau.mark_changed(instrument_id, "  ")
    bureau.mark_changed(instrument_id, "Opdracht 2 herschreven", today - timedelta(days=5))
    verdict = bureau.validity_on(instrument_id, today)
    assert not verdict.valid and "Opdracht 2 herschreven" in verdict.reasons[0]
    assert bureau.validity_on(instrument_id, today - timedelta(days=6)).valid

    # a fixed assignment, changed: adopting again alone is not enough (route 2: the criteria again)
    with pytest.raises(ValidationError, match="niet als voldaan vastgelegd na de wijziging van"):
        commission.adopt(instrument_id, today, "EC-2")
    check_all(bureau, instrument_id, 2)
    commission.adopt(instrument_id, today, "EC-2")
    assert bureau.validity_on(instrument_id, today).valid
    with pytest.raises(ValidationError, match="vaste examenopdracht; opdrachten vervangen is dan een wijziging"):
        bureau.mark_provisional(instrument_id, "opdracht vervangen")

    bureau.withdraw(instrument_id, "Vervangen door versie 2")
    assert not bureau.validity_on(instrument_id, today).valid
    with pytest.raises(ValidationError, match="ingetrokken blijft ingetrokken|blijft ingetrokken"):
        commission.adopt(instrument_id, today, "EC-3")
    assert [s.status for s in bureau.history(instrument_id)] == [
        Status.CONCEPT, Status.ADOPTED, Status.CHANGED, Status.ADOPTED, Status.WITHDRAWN]
    actions = [e.action for e in all_entries(bureau.store) if e.entity_id == instrument_id]
    assert actions == ["instrument geregistreerd", *["criterium getoetst"] * 6, "instrument vastgesteld",
                       "instrument gewijzigd", *["criterium getoetst"] * 6, "instrument vastgesteld",
                       "instrument ingetrokken"]


def test_criteria_of_bijlage_2_are_recorded_per_instrument(bureau, commission):
    instrument_id = new_instrument(bureau)
    today = bureau.today()
    with pytest.raises(ValidationError, match="Criterium A3 is niet voldaan: beschrijf wat er ontbreekt"):
        bureau.record_criterion(instrument_id, Criterion.INDEPENDENCE, False, "A. Vaststeller", today, "")
    with pytest.raises(ValidationError, match="Vul in wie criterium A1"):
        bureau.record_criterion(instrument_id, "A1", True, " ", today)
    with pytest.raises(ValidationError, match="Onbekend criterium 'A9'"):
        bureau.record_criterion(instrument_id, "A9", True, "X", today)
    with pytest.raises(ValidationError, match="ligt in de toekomst"):
        bureau.record_criterion(instrument_id, "B", True, "X", today + timedelta(days=1))
    bureau.record_criterion(instrument_id, "A3", False, "A. Vaststeller", today - timedelta(days=3),
                            "Constructeur zit ook in de vaststellingscommissie.")
    check_all(bureau, instrument_id, 4, skip=(Criterion.INDEPENDENCE,))
    with pytest.raises(ValidationError, match="niet als voldaan vastgelegd: A3 onafhankelijkheid is gewaarborgd\\.$"):
        commission.adopt(instrument_id, today, "EC-5")
    check = bureau.record_criterion(instrument_id, "A3", True, "B. Vaststeller", today - timedelta(days=1),
                                    "Andere vaststeller aangewezen.")
    assert check.recorded_by == "bureau" and check.checked_by == "B. Vaststeller"
    commission.adopt(instrument_id, today, "EC-5")
    assert [c.criterion.value for c in bureau.criteria(instrument_id)].count("A3") == 2   # nothing overwritten
    route_1 = bureau.instrument_by_code("VIG-PVB-K1").id
    with pytest.raises(ValidationError, match="volgt route 1; de criteria van bijlage 2 gelden"):
        bureau.record_criterion(route_1, "A1", True, "X", today)


def test_a_route_1_purchase_must_fall_inside_a_certificate_period(bureau):
    today = bureau.today()
    supplier = bureau.add_supplier(SupplierDraft("Examenhuis Oost", "CA", "C-1", today - timedelta(days=400),
                                                 today - timedelta(days=100)))
    renewed = bureau.update_supplier(supplier.id, SupplierDraft("Examenhuis Oost", "CA", "C-2",
                                                                today - timedelta(days=50), today + timedelta(days=700)))
    assert [p.number for p in renewed.certificate_periods] == ["C-1", "C-2"]
    entry = all_entries(bureau.store)[-1]
    assert entry.action == "leverancier gewijzigd" and entry.summary["eerder certificaat bewaard"].startswith("C-1")
    with pytest.raises(ValidationError, match="De inkoopdatum .* valt buiten elke certificaatperiode van Examenhuis "
                                              "Oost \\(certificaten: C-1 .*, C-2 .*\\)"):
        new_instrument(bureau, "OOST-1", route=1, supplier_id=supplier.id, purchased_on=today - timedelta(days=75))
    with pytest.raises(ValidationError, match="inkoopdatum .* ligt in de toekomst"):
        new_instrument(bureau, "OOST-1", route=1, supplier_id=supplier.id, purchased_on=today + timedelta(days=1))
    old_period = new_instrument(bureau, "OOST-1", route=1, supplier_id=supplier.id,
                                purchased_on=today - timedelta(days=200))
    assert bureau.instrument(old_period).purchased_on == today - timedelta(days=200)
    line = bureau.view().line(old_period)
    assert line.signals == ()
    unknown = new_instrument(bureau, "OOST-2", route=1, supplier_id=supplier.id)
    assert "De inkoopdatum is niet vastgelegd" in bureau.view().line(unknown).signals[0]


def test_replaced_assignments_are_onder_voorbehoud_until_adopted_again(bureau, commission):
    today = commission.today()
    instrument_id = new_instrument(bureau, route=1, supplier_id=bureau.instrument_by_code("VIG-PVB-K1").supplier_id,
                                   assignments=Assignments.REPLACEABLE, purchased_on=today - timedelta(days=30))
    commission.adopt(instrument_id, today - timedelta(days=3), "EC-9")
    bureau.mark_provisional(instrument_id, "Opdracht 3 vervangen door een casus van de eigen praktijk")
    verdict = bureau.validity_on(instrument_id, today)
    assert not verdict.valid and verdict.provisional
    assert all_entries(bureau.store)[-1].action == "instrument onder voorbehoud (opdrachten vervangen)"
    commission.adopt(instrument_id, today, "EC-10")
    assert bureau.validity_on(instrument_id, today).valid


def test_history_cannot_be_rewritten(store, bureau):
    instrument_id = new_instrument(bureau)
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE instrument_status SET status = 'vastgesteld' WHERE instrument_id = ?",
                           (instrument_id,))
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("DELETE FROM instrument_status WHERE instrument_id = ?", (instrument_id,))


def test_an_adopted_instrument_cannot_silently_change(bureau, commission):
    instrument = commission.instrument_by_code("VIG-CGI-K1")
    draft = InstrumentDraft(instrument.code, "Nieuwe titel", instrument.crebo, instrument.part, instrument.kind,
                            instrument.formative, instrument.route, instrument.supplier_id, instrument.validator,
                            instrument.validation_date, instrument.version)
    assert bureau.update_instrument(instrument.id, draft).title == "Nieuwe titel"  # a title may be corrected
    with pytest.raises(ValidationError, match="versie wijzigen is een wijziging van het instrument"):
        bureau.update_instrument(instrument.id, InstrumentDraft(**{**draft.__dict__, "version": "2026.1"}))
    bureau.mark_changed(instrument.id, "Nieuwe versie van de opdracht")
    assert bureau.update_instrument(instrument.id, InstrumentDraft(**{**draft.__dict__, "version": "2026.1"})).version == "2026.1"


def test_instrument_input_is_checked(bureau):
    with pytest.raises(ValidationError, match="Route 1 vraagt een examenleverancier"):
        bureau.add_instrument(InstrumentDraft("X-1", "T", "25491", "", "pvb", False, 1, None))
    with pytest.raises(ValidationError, match="Route 4 bestaat niet"):
        bureau.add_instrument(InstrumentDraft("X-1", "T", "25491", "", "pvb", False, 4, None))
    with pytest.raises(ValidationError, match="Crebo 99999 staat niet in het register"):
        bureau.add_instrument(InstrumentDraft("X-1", "T", "99999", "", "pvb", False, 2, None))
    with pytest.raises(ValidationError, match="al een exameninstrument met code 'vig-pvb-k1'"):
        bureau.add_instrument(InstrumentDraft("vig-pvb-k1", "T", "25491", "", "pvb", False, 2, None))
    with pytest.raises(ValidationError, match="validatiedatum .* ligt in de toekomst"):
        bureau.add_instrument(InstrumentDraft("X-1", "T", "25491", "", "pvb", False, 3, None, "V",
                                              bureau.today() + timedelta(days=2)))


def test_roles(ctx_for):
    surveillant = RegisterService(ctx_for(Role.SURVEILLANT))
    with pytest.raises(PermissionDenied):
        surveillant.list_instruments()
    admin = RegisterService(ctx_for(Role.BEHEERDER))
    assert admin.list_instruments()
    with pytest.raises(PermissionDenied, match="het instrumentenregister bewerken"):
        admin.add_supplier(SupplierDraft("Nieuwe leverancier"))
    with pytest.raises(PermissionDenied, match="routekeuze"):
        RegisterService(ctx_for(Role.BUREAU)).set_route_choice("25201", "2026-2027", [1], "", date(2026, 9, 1))
    assert overview_card(ctx_for(Role.SURVEILLANT)) is None


def test_suppliers(bureau):
    s = bureau.add_supplier(SupplierDraft("Examenhuis Noord", "CA", "C-77", date(2025, 1, 1), date(2027, 1, 1)))
    with pytest.raises(ValidationError, match="al een examenleverancier"):
        bureau.add_supplier(SupplierDraft("examenhuis noord"))
    with pytest.raises(ValidationError, match="tot wanneer het certificaat"):
        bureau.add_supplier(SupplierDraft("Examenhuis Zuid", "CA", "C-78"))
    with pytest.raises(ValidationError, match="eindigt"):
        bureau.add_supplier(SupplierDraft("Examenhuis Zuid", "CA", "C-78", date(2027, 1, 1), date(2026, 1, 1)))
    changed = bureau.update_supplier(s.id, SupplierDraft("Examenhuis Noord", "CA", "C-77", date(2025, 1, 1),
                                                         date(2025, 6, 1)))
    assert changed.certified_until == date(2025, 6, 1)
    assert any(e.action == "leverancier gewijzigd" for e in all_entries(bureau.store))


def test_route_choice(commission, bureau):
    year = "2026-2027"
    with pytest.raises(ValidationError, match="afwegingen"):
        commission.set_route_choice("25201", year, [2], "", commission.today())
    with pytest.raises(ValidationError, match="ook bij route 1 moeten afwegingen en keuzes herleidbaar zijn"):
        commission.set_route_choice("25201", year, [1], " ", commission.today())
    choice = commission.set_route_choice("25201", year, [2, 3], "Geen gecertificeerd aanbod.", commission.today())
    assert choice.adopted_by == "Marieke de Vries" and choice.routes == frozenset({2, 3})
    assert bureau.route_choice("25201", year) == choice
    entry = all_entries(commission.store)[-1]
    assert entry.action == "routekeuze vastgesteld" and entry.summary["routes"] == "2, 3"


def test_view_filters(ctx_for):
    service = RegisterService(ctx_for(Role.BUREAU))
    view = service.view()
    codes = lambda f: sorted(x.instrument.code for lines in view.filtered(f)[1].values() for x in lines)  # noqa: E731
    assert codes(RegisterFilter(text="log-pvb-k")) == ["LOG-PVB-K1", "LOG-PVB-K2"]
    assert len(codes(RegisterFilter(text="25491"))) == 5
    shown, _ = view.filtered(RegisterFilter(text="verkoper"))
    assert [q.qualification.crebo for q in shown if q.qualification.name == "Verkoper"] == ["25167", "25503"]
    assert codes(RegisterFilter(status=Status.CHANGED)) == ["DA-CGI-K2"]
    assert codes(RegisterFilter(status=Status.PROVISIONAL)) == ["VPK-PVB-K3"]
    invalid = codes(RegisterFilter(invalid_on=view.on))
    assert len(invalid) == 11 and {"PMK-PRES-2", "VPK-PVB-K3", "VIG-PVB-K2"} <= set(invalid)
    assert codes(RegisterFilter(expiring_within=90)) == ["KOK-PVB-K1", "KOK-PVB-K2", "ZWK-PVB-K1"]
    assert codes(RegisterFilter(route_mismatch=True)) == ["KOK-LB-1"]      # KOK-SCHR-1: the commission deviated
    shown, _ = view.filtered(RegisterFilter(route_choice_signals=True))
    assert [q.qualification.crebo for q in shown] == ["25192"]              # recorded after the school year began
    shown, _ = view.filtered(RegisterFilter(no_route_choice=True))
    assert sorted(q.qualification.crebo for q in shown) == ["25201", "25242"]
    assert codes(RegisterFilter(route=3, text="mv")) == ["MV-PORT-1"]
    supplier = next(s for s in view.suppliers if s.name == "ICT Examenpartners")
    assert codes(RegisterFilter(supplier_id=supplier.id)) == ["ICT-DIG-1", "ICT-PVB-K1"]
    assert len(view.filtered(RegisterFilter(), with_instruments_only=True)[0]) == 13
    assert len(view.filtered(RegisterFilter())[0]) == 470


def test_overview_card_links_to_what_it_counts(ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    cards = {c.title: c for c in OverviewService(ctx).cards()}
    lines = {line.text: line for line in cards["Register"].lines}
    invalid = lines["11 instrumenten niet valide vandaag"]
    assert invalid.target == RegisterTarget(RegisterFilter(invalid_on=amsterdam_today())) and invalid.warning
    view = RegisterService(ctx).view()
    assert sum(len(v) for v in view.filtered(invalid.target.filter)[1].values()) == 11
    awaiting = lines["1 instrument wacht op nieuwe vaststelling (onder voorbehoud)"]
    assert [x.instrument.code for v in view.filtered(awaiting.target.filter)[1].values() for x in v] == [
        "VPK-PVB-K3"]
    late = lines["1 routekeuze zonder afwegingen of te laat vastgesteld"]
    assert [q.qualification.crebo for q in view.filtered(late.target.filter)[0]] == ["25192"]
    assert lines["1 leverancierscertificaat verloopt binnen 90 dagen"].target == RegisterTarget(
        suppliers=True, certificate_expiring=True)
    missing = lines[f"2 kwalificaties zonder routekeuze {view.school_year}"]
    assert len(view.filtered(missing.target.filter)[0]) == 2


def test_view_on_another_date_uses_that_date(ctx_for, store):
    later = datetime.now(AMSTERDAM) + timedelta(days=60)
    service = RegisterService(AppContext(store, ctx_for(Role.BUREAU).user, clock=lambda: later))
    codes = {x.instrument.code for x in service.view().instrument_lines() if not x.verdict.valid}
    assert {"KOK-PVB-K1", "KOK-PVB-K2", "ZWK-PVB-K1"} <= codes


def test_the_register_card_is_counted_once_per_state_of_the_database(ctx_for, store):
    """Going back to the Overzicht does not compute 6,000 instruments' validity again (issue 16); a change —
    here, or by another connection — counts anew."""
    ctx = ctx_for(Role.COMMISSIE)
    first = overview_card(ctx)
    assert overview_card(ctx) is first
    service = RegisterService(ctx)
    valid = next(x for x in service.view().instrument_lines() if x.verdict.valid)
    service.withdraw(valid.instrument.id, "vervangen door een nieuwe versie")
    again = overview_card(ctx)
    assert again is not first
    assert "12 instrumenten niet valide vandaag" in [line.text for line in again.lines]
    assert "11 instrumenten niet valide vandaag" in [line.text for line in first.lines]


def test_the_register_is_computed_once_while_the_database_is_unchanged(ctx_for, store):
    """The Overzicht's card and the Register screen share one computation (issue 16); a change — here, or by
    another desk on the same file — is seen at the next read."""
    commission = RegisterService(ctx_for(Role.COMMISSIE))
    first = commission.view()
    assert commission.view() is first
    code = next(x.instrument.code for x in first.instrument_lines() if x.status is Status.PROVISIONAL)
    other = sqlite3.connect(store.path)
    other.execute("UPDATE instruments SET title = 'Elders gewijzigd' WHERE code = ?", (code,))
    other.commit()
    other.close()
    again = commission.view()
    assert again is not first
    assert next(x for x in again.instrument_lines() if x.instrument.code == code).instrument.title == "Elders gewijzigd"
    new_id = new_instrument(RegisterService(ctx_for(Role.BUREAU)), code="NA-WIJZIGING")
    assert commission.view().line(new_id) is not None


def test_the_overzicht_card_counts_without_working_out_the_register_and_a_change_is_never_hidden(ctx_for):
    """Issue 16: the register card counts the stored verdicts in SQL (`data.validity`) instead of working out the
    whole register's view on the Overzicht's thread; the Register then reads the same stored verdicts, and a
    change shows at once."""
    ctx = ctx_for(Role.COMMISSIE)
    ctx.store.memo.clear()
    source, pending = next((s, p) for s, p in OverviewService(ctx).plan(slow_only=True) if s.name == "register")
    pending.keep(pending.make())          # what the Overzicht's worker and the GUI thread do
    assert "register_view" not in ctx.store.memo        # no 6,000 verdicts worked out for a count
    service = RegisterService(ctx)
    view = service.view()
    assert view.on == service.today()
    assert len(view.filtered(RegisterFilter(), with_instruments_only=True)[0]) == 13

    line = next(x for x in view.instrument_lines() if x.status is Status.ADOPTED)
    service.withdraw(line.instrument.id, "Vervangen door een nieuwe versie")
    fresh = service.view()
    assert fresh is not view
    assert fresh.line(line.instrument.id).status is Status.WITHDRAWN
