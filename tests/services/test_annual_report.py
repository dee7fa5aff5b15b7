"""The annual report as a Dutch commission reads it (issue 12): numbers written the Dutch way (55,0%), a first
part with the commission's own policy and considerations for the year (seed 000 §5, "op basis van zijn visie",
stored per school year with every version and audited), decisions counted per case as well as per candidate,
and the same tables as an XLSX workbook, one sheet per table, formula-safe."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.numbers import dutch_decimal, dutch_percent
from examdesk.domain.register import school_year_of
from examdesk.domain.roles import Role
from examdesk.services.commission_policy import CommissionPolicyService
from examdesk.services.doc_jaarverslag import collect, export_annual_report
from examdesk.services.documents import DocumentService
from examdesk.services.incident_desk import IncidentDeskService


@pytest.mark.parametrize(("part", "total", "shown"), [(11, 20, "55,0%"), (1, 3, "33,3%"), (0, 5, "0,0%"),
                                                      (5, 0, "—"), (2, 2, "100,0%")])
def test_dutch_percentages(part, total, shown):
    assert dutch_percent(part, total) == shown


def test_dutch_decimals():
    assert dutch_decimal(12.5) == "12,5" and dutch_decimal(-0.04) == "0,0" and dutch_decimal(3.14159, 2) == "3,14"


@pytest.fixture
def year(ctx_for) -> str:
    return school_year_of(ctx_for(Role.COMMISSIE).clock().date())


def _pdf(ctx, year: str) -> str:
    _, pdf = DocumentService(ctx).issue("jaarverslag", year)
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_every_share_is_written_the_dutch_way(ctx_for, year):
    data = collect(ctx_for(Role.COMMISSIE).store, year).data
    shares = [data["kerncijfers"]["aandeel_route1"], *[x["aandeel"] for x in data["per_categorie"]],
              *[x["aandeel"] for x in data["per_locatie"]]]
    assert shares and all(re.fullmatch(r"\d{1,3},\d%", s) for s in shares), shares
    whole = _pdf(ctx_for(Role.COMMISSIE), year)
    assert not re.search(r"\d\.\d%", whole)
    assert re.search(r"Aandeel route 1 \d{1,3},\d% van alle instrumenten", whole)


def test_decisions_are_counted_per_case_and_per_candidate(ctx_for, year):
    """The power cut of today's session concerned every candidate at work: one case, a decision for each."""
    commission = ctx_for(Role.COMMISSIE)
    before = collect(commission.store, year).data["besluiten"]
    desk = IncidentDeskService(commission)
    outage = desk.page(IncidentFilter(category="STROOMSTORING"), 0, 5)[0]
    involved = tuple(c.candidate_id for c in desk.case(outage.incident_id).candidates)
    desk.decide(outage.incident_id, DecisionInput(involved, commission.clock().date(), (commission.user.id,),
                                                  ("ongeldig_opnieuw",), reasoning="Zitting afgebroken."))
    data = collect(commission.store, year).data
    b = data["besluiten"]
    cases = b["zaken"]
    assert (b["totaal"], cases) == (before["totaal"] + len(involved), before["zaken"] + 1) and len(involved) > 3
    assert sum(x["zaken"] for x in b["per_zaak"]) == cases
    assert {x["uitkomst"] for x in b["per_zaak"]} <= {"met maatregel", "geen maatregel"}
    whole = _pdf(ctx_for(Role.COMMISSIE), year)
    assert "Besluiten per zaak" in whole and f"{b['totaal']} over {cases} zaken" in whole


def test_the_commissions_policy_text_is_stored_per_year_versioned_and_audited(ctx_for, year):
    commission = ctx_for(Role.COMMISSIE)
    service = CommissionPolicyService(commission)
    assert "geen beleid en afwegingen vastgelegd" in _pdf(commission, year)
    with pytest.raises(PermissionDenied, match="mag niet"):
        CommissionPolicyService(ctx_for(Role.BUREAU)).save(year, "Wij kopen alles in.")
    with pytest.raises(ValidationError, match="Schrijf het beleid"):
        service.save(year, "   ")
    first = service.save(year, "Wij kopen in principe in bij gecertificeerde leveranciers (route 1).\n"
                               "Voor Engels construeren wij zelf: er is geen passend aanbod.")
    assert first.version == 1
    with pytest.raises(ValidationError, match="niet gewijzigd"):
        service.save(year, first.text)
    second = service.save(year, first.text + "\nRoute 3 gebruiken wij niet.")
    assert second.version == 2 and service.current(year).text.endswith("Route 3 gebruiken wij niet.")
    whole = _pdf(commission, year)
    assert "Visie, beleid en afwegingen" in whole and "Route 3 gebruiken wij niet." in whole
    assert "(versie 2)" in whole
    audit = [r[0] for r in commission.store.query("SELECT action FROM audit_log WHERE entity_id = ?", (year,))]
    assert audit.count("beleid en afwegingen vastgelegd") == 2
    other = f"{int(year[:4]) - 1}-{year[:4]}"
    assert service.current(other) is None


def test_the_report_as_a_workbook_with_one_sheet_per_table(ctx_for, year, tmp_path):
    commission = ctx_for(Role.COMMISSIE)
    CommissionPolicyService(commission).save(year, "=HYPERLINK(\"http://x\") is geen formule in het verslag")
    path = tmp_path / "jaarverslag.xlsx"
    sheets = export_annual_report(commission, year, path)
    book = load_workbook(path)
    assert len(book.sheetnames) == sheets
    for name in ("Kerncijfers", "Beleid en afwegingen", "Routekeuze", "Incidenten per categorie",
                 "Besluiten per zaak", "Meldingen Inspectie"):
        assert name in book.sheetnames, name
    key = {r[0].value: r for r in book["Kerncijfers"].iter_rows()}
    share = key["Aandeel route 1"][1]
    assert isinstance(share.value, float) and share.number_format == "0.0%"    # 55,0% in a Dutch spreadsheet
    policy = book["Beleid en afwegingen"]["A2"]
    assert policy.data_type == "s" and policy.value.startswith("=HYPERLINK")    # text, never a formula
    categories = list(book["Incidenten per categorie"].iter_rows(min_row=2, values_only=True))
    data = collect(commission.store, year).data
    assert [r[0] for r in categories] == [x["code"] for x in data["per_categorie"]]
    assert abs(sum(r[4] for r in categories) - 1.0) < 1e-9
    with pytest.raises(ValidationError, match=".xlsx"):
        export_annual_report(commission, year, tmp_path / "jaarverslag.csv")
    with pytest.raises(PermissionDenied):
        export_annual_report(ctx_for(Role.SURVEILLANT), year, tmp_path / "x.xlsx")
