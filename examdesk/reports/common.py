"""Building blocks every official document shares: the heading with the institution block, parts
(Deel 1/2/3) and numbered sections, fact tables, data tables that split over pages with the header
row repeated, privacy hints, signature tables and the break that puts the signature part on a sheet
of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from examdesk.reports.frame import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE, styles

CONTENT_WIDTH = 174 * mm   # A4 (210 mm) minus the frame's margins of 18 mm each side
HEADER_FILL = colors.HexColor("#e4ebf1")
ZEBRA_FILL = colors.HexColor("#f5f7f9")
CELL_PAD = 3
CELL_SIZE = 8.5


def text(value: Any) -> str:
    """Escaped for a Paragraph; newlines become line breaks."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def para(value: Any, style: str = "body") -> Paragraph:
    return Paragraph(text(value), styles()[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph with markup the caller built (and escaped) itself."""
    return Paragraph(markup, styles()[style])


def document_heading(title: str, subtitle: str, institution: dict[str, Any]) -> list[Flowable]:
    """The first-page block: title, subtitle and who issues it (instelling, BRIN, examencommissie)."""
    st = styles()
    block = facts([
        ("Instelling", institution.get("naam", "")),
        ("BRIN-nummer", institution.get("brin", "")),
        ("Examencommissie", institution.get("examencommissie", "")),
    ], label_width=45 * mm)
    return [Paragraph(text(title), st["title"]), Paragraph(text(subtitle), st["small"]), Spacer(1, 3 * mm), block,
            Spacer(1, 2 * mm)]


def part(number: int, title: str) -> list[Flowable]:
    """'Deel 1 · Verslag van de afname', with a rule under it; never alone at the foot of a page."""
    st = styles()
    rule = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[1.2])
    rule.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, -1), 1.2, ACCENT)]))
    return [CondPageBreak(40 * mm), Paragraph(f"Deel {number} · {text(title)}", st["h1"]), rule, Spacer(1, 1 * mm)]


def section(number: str, title: str, hint_text: str = "") -> list[Flowable]:
    st = styles()
    items: list[Flowable] = [CondPageBreak(25 * mm), Paragraph(f"{text(number)}  {text(title)}" if number else text(title), st["h2"])]
    if hint_text:
        items.append(hint(hint_text))
    return items


def subheading(value: str) -> list[Flowable]:
    """A small bold heading above a table inside a section ('Afwezig', 'Te laat gekomen'), kept
    off the foot of a page."""
    return [CondPageBreak(22 * mm), Spacer(1, 1.5 * mm), Paragraph(text(value), styles()["cellbold"])]


def hint(value: str) -> Paragraph:
    """A muted line under a heading, e.g. 'Noteer alleen wat nodig is' where privacy matters."""
    return Paragraph(f"<i>{text(value)}</i>", styles()["small"])


def none_line(value: str = "Geen.") -> Paragraph:
    return Paragraph(text(value), styles()["body"])


def facts(pairs: Sequence[tuple[str, Any]], label_width: float = 45 * mm, width: float = CONTENT_WIDTH) -> Table:
    """Label–value rows, e.g. the particulars of a session; values wrap."""
    st = styles()
    rows = [[Paragraph(text(label), st["cellbold"]), Paragraph(text(value) if value not in (None, "") else "—",
                                                                st["cell"])]
            for label, value in pairs]
    table = Table(rows, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]))
    return table


def wrap_lines(value: str, font: str, size: float, room: float) -> list[str]:
    """Lines of at most `room` points: words where possible, a word longer than a line broken by
    characters. Much cheaper than a Paragraph for a plain table cell."""
    lines: list[str] = []
    for paragraph in value.split("\n"):
        for line in simpleSplit(paragraph, font, size, room) or [""]:
            while stringWidth(line, font, size) > room and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > room:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


def _cell(value: Any, width: float, bold: bool = False) -> Any:
    """A plain string, broken into lines when it does not fit: tables draw those fast."""
    if isinstance(value, Flowable):
        return value
    s = "" if value is None else str(value)
    room = width - 2 * CELL_PAD
    font = FONT_BOLD if bold else FONT
    if "\n" not in s:
        # DejaVu Sans glyphs are at most ~1 em and at least ~0.3 em wide: most cells are decided by length
        if len(s) * CELL_SIZE <= room:
            return s
        if len(s) * CELL_SIZE * 0.3 <= room and stringWidth(s, font, CELL_SIZE) <= room:
            return s
    return "\n".join(wrap_lines(s, font, CELL_SIZE, room))


def data_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
               zebra: bool = True, align_right: Sequence[int] = ()) -> Table:
    """A table that splits over pages with its header row repeated. Widths in points; their sum
    should be CONTENT_WIDTH. Cells may be strings (wrapped when too long) or flowables."""
    body = [[_cell(h, w, bold=True) for h, w in zip(headers, widths, strict=True)]]
    body += [[_cell(v, w) for v, w in zip(row, widths, strict=True)] for row in rows]
    table = Table(body, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    for column in align_right:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    if zebra and len(body) > 4:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]))
    table.setStyle(TableStyle(commands))
    return table


def table_or_none(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
                  empty: str = "Geen.", align_right: Sequence[int] = ()) -> Flowable:
    return data_table(headers, rows, widths, align_right=align_right) if rows else none_line(empty)


def widths(*fractions: float) -> list[float]:
    """Column widths as fractions of the content width."""
    total = sum(fractions)
    return [CONTENT_WIDTH * f / total for f in fractions]


def signature_table(people: Sequence[tuple[str, str]], place_date: bool = True) -> Table:
    """Naam | rol | handtekening, with room to sign; one row per person."""
    st = styles()
    head = ["Naam", "Rol", "Datum", "Handtekening"] if place_date else ["Naam", "Rol", "Handtekening"]
    cols = widths(5, 4, 2.4, 5.6) if place_date else widths(5, 4, 8)
    rows: list[list[Any]] = [[Paragraph(h, st["cellbold"]) for h in head]]
    for name, role in people:
        row = [Paragraph(text(name), st["cell"]), Paragraph(text(role), st["cell"])]
        if place_date:
            row.append("")
        row.append("")
        rows.append(row)
    table = Table(rows, colWidths=cols, rowHeights=[None] + [16 * mm] * len(people), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("GRID", (0, 1), (-1, -1), 0.5, MUTED),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]))
    return table


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


class _BackSideFiller(Flowable):
    """Fills an even (back) page with a note, so what follows starts on the front of a new sheet."""

    def __init__(self) -> None:
        super().__init__()
        self._fills = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._fills = self.canv.getPageNumber() % 2 == 0
        self.width = avail_width
        self.height = avail_height - 1 if self._fills else 0
        return self.width, self.height

    def draw(self) -> None:
        if not self._fills:
            return
        self.canv.saveState()
        self.canv.setFont(FONT, 9)
        self.canv.setFillColor(MUTED)
        self.canv.drawCentredString(self.width / 2, self.height / 2,
                                    "Deze pagina is met opzet leeg gelaten (dubbelzijdig afdrukken).")
        self.canv.restoreState()


def new_sheet() -> list[Flowable]:
    """A page break, and a deliberately blank page when needed so that what follows starts on a
    front page: printed double-sided, the signature part is then a sheet of its own."""
    return [PageBreak(), _BackSideFiller()]


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], width: float = CONTENT_WIDTH,
              height: float = 62 * mm) -> Flowable:
    """A vertical bar chart drawn with reportlab's own graphics (no other chart library)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String

    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 34
    chart.width, chart.height = width - 40, height - 52
    chart.data = [list(values) or [0]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    top = max(values) if values else 1
    step = max(1, _nice_step(top))
    chart.valueAxis.valueMax = max(step, ((top + step - 1) // step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.angle = 35 if len(labels) > 6 else 0
    chart.categoryAxis.labels.dy = -2
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    return drawing


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top / step <= 6:
            return step
    return 20000


def evidence_table(rows: Sequence[dict[str, Any]], title: str, note: str) -> list[Flowable]:
    """Attachments as evidence: what, which file, its size and its SHA-256 in groups of eight (issue 13) — the
    procesverbaal and the decision letter list them the same way."""
    from examdesk.domain.casework import grouped_hash

    cells = [[r.get("incident", ""), f"{r['bestand']}\n{r['soort']}, {r['grootte']:,} bytes".replace(",", "."),
              (r.get("omschrijving") or "—"), grouped_hash(r["sha256"])] for r in rows]
    return [*subheading(title), hint(note),
            data_table(["Bij", "Bestand", "Omschrijving", "SHA-256"], cells, widths(2.6, 4.4, 4.0, 6.4))]
