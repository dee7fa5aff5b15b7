"""The register as a spreadsheet: XLSX (one flat sheet with filters and a frozen header, real dates,
plus the suppliers and route choices) or CSV (UTF-8 with BOM and ';', so Dutch Excel opens it right)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from examdesk.domain.errors import StorageError, ValidationError
from examdesk.domain.register import RouteChoice, adoption_of
from examdesk.services.spreadsheet_export import append_xlsx_row, csv_bytes

if TYPE_CHECKING:
    from examdesk.services.register import InstrumentLine, RegisterService, RegisterView

INSTRUMENT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Crebo", 9), ("Kwalificatie", 38), ("Niveau", 8), ("Soort kwalificatie", 16), ("Code", 16), ("Titel", 40),
    ("Onderdeel", 28), ("Soort instrument", 24), ("Formatief/summatief", 12), ("Route", 7), ("Leverancier", 28),
    ("Certificaat geldig tot", 14), ("Externe validator", 24), ("Validatiedatum", 13), ("Versie", 8),
    ("Status", 20), ("Vastgesteld op", 13), ("Besluitnummer", 16), ("Valide op peildatum", 10),
    ("Reden niet valide", 70), ("Routekeuze schooljaar", 14), ("Past bij routekeuze", 60),
)
DATE_COLUMNS = {"Certificaat geldig tot", "Validatiedatum", "Vastgesteld op"}


def _row(x: InstrumentLine, view: RegisterView, choices: dict[str, RouteChoice | None]) -> list[object]:
    i, q, s = x.instrument, x.qualification, x.supplier
    adoption = adoption_of(x.history, view.on)
    choice = choices.get(i.crebo)
    fit = x.mismatch or ("ja" if choice else f"geen routekeuze voor {view.school_year}")
    return [
        i.crebo, q.name if q else "", q.niveau if q else None, q.kind.label if q else "", i.code, i.title, i.part,
        i.kind, i.purpose_label, i.route, s.name if s else "", s.certified_until if s else None, i.validator,
        i.validation_date, i.version, x.status.label, adoption.effective_on if adoption else None,
        adoption.decision_number if adoption else "", "ja" if x.verdict.valid else "nee",
        " ".join(x.verdict.reasons), choice.routes_label if choice else "", fit,
    ]


def export_register(service: RegisterService, path: Path, on: date) -> int:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(f"Exporteer naar een .xlsx- of .csv-bestand, niet naar '{path.name}'.")
    view = service.view(on)
    lines = sorted(view.instrument_lines(), key=lambda x: (x.instrument.crebo, x.instrument.code.lower()))
    choices = {q.qualification.crebo: q.route_choice for q in view.qualifications}
    rows = [_row(x, view, choices) for x in lines]
    try:
        if suffix == ".csv":
            _write_csv(path, rows)
        else:
            _write_xlsx(path, rows, view)
    except OSError as exc:
        raise StorageError(f"{path} kan niet worden geschreven: {exc.strerror or exc}. Er is niets opgeslagen.") from None
    service.ctx.audit("register geëxporteerd", "export", path.name,
                      {"bestand": path.name, "instrumenten": len(rows), "peildatum": on.isoformat()})
    return len(rows)


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(csv_bytes([name for name, _ in INSTRUMENT_COLUMNS], rows))
    tmp.replace(path)


def _write_xlsx(path: Path, rows: list[list[object]], view: RegisterView) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F5F8B")
    workbook = Workbook()

    def sheet(title: str, columns: tuple[tuple[str, int], ...], data: list[list[object]], dates: set[str],
              first: bool = False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title
        append_xlsx_row(ws, [name for name, _ in columns])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in data:
            append_xlsx_row(ws, row)
        for index, (name, width) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = width
            if name in dates:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "DD-MM-YYYY"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(data) + 1)}"
        return ws

    ws = sheet("Register", INSTRUMENT_COLUMNS, rows, DATE_COLUMNS, first=True)
    ws.sheet_properties.tabColor = "1F5F8B"

    supplier_columns = (("Leverancier", 34), ("Certificerende instelling", 30), ("Certificaatnummer", 18),
                        ("Gecertificeerd van", 14), ("Gecertificeerd tot", 14), ("Certificaat op peildatum", 40))
    suppliers = [[s.name, s.authority, s.certificate_number, s.certified_from, s.certified_until,
                  s.certificate_sentence(view.on)] for s in view.suppliers]
    sheet("Leveranciers", supplier_columns, suppliers, {"Gecertificeerd van", "Gecertificeerd tot"})

    choice_columns = (("Crebo", 9), ("Kwalificatie", 40), ("Schooljaar", 11), ("Routes", 9), ("Afwegingen", 70),
                      ("Vastgesteld door", 24), ("Vastgesteld op", 13), ("Instrumenten", 12))
    choices = [[q.qualification.crebo, q.qualification.name, view.school_year,
                q.route_choice.routes_label if q.route_choice else "",
                q.route_choice.considerations if q.route_choice else "geen routekeuze vastgesteld",
                q.route_choice.adopted_by if q.route_choice else "",
                q.route_choice.adopted_on if q.route_choice else None, q.instrument_count]
               for q in view.qualifications if q.route_choice or q.instrument_count]
    sheet("Routekeuzes", choice_columns, choices, {"Vastgesteld op"})

    info = workbook.create_sheet("Over dit bestand")
    for line in (("Instrumentenregister", ""), ("Peildatum", view.on), ("Schooljaar", view.school_year),
                 ("Instrumenten", len(rows)),
                 ("Toelichting", "Valide op peildatum volgt de regels van de Afspraken valide exameninstrumenten "
                                 "mbo (routes 1, 2 en 3).")):
        append_xlsx_row(info, list(line))
    info["B2"].number_format = "DD-MM-YYYY"
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    tmp = path.with_name(path.name + ".tmp")
    workbook.save(tmp)
    tmp.replace(path)
