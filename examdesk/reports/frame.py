"""One page frame for every ExamDesk document: A4, embedded Unicode font, header, Pagina x van y,
and a footer with the creation time, the digitale vingerafdruk, the model code and the audit head the
document was issued at (a witness of the history before it; not part of the fingerprint)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from examdesk.domain.fingerprint import grouped
from examdesk.domain.integrity import short_hash
from examdesk.paths import resource

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6672")
ACCENT = colors.HexColor("#1f5f8b")
RULE = colors.HexColor("#c8d0d8")


def register_fonts() -> None:
    """Embeds DejaVu Sans (see resources/fonts/LICENSE-DejaVu.txt) so Şahin, Łukasz and Nguyễn print."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10,
                             spaceAfter=4, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8,
                             spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11),
    }


@dataclass(frozen=True)
class PageFrame:
    title: str                 # document title, left in the header
    subject: str               # e.g. the session or incident, right in the header
    institution_line: str      # "ROC Midden-Holland (25PZ)"
    model: str                 # "Procesverbaal afname · model PV-1 (versie 2026)"
    created: str               # "23-11-2026 14:02"
    fingerprint: str           # full SHA-256 hex
    concept: bool = False      # prints a CONCEPT watermark on every page
    audit_head: tuple[int, str] | None = None  # (seq, hash) of the audit log when issued: printed beside
                                               # the fingerprint, never part of it (a witness of history)


def _fit(title: str, room: float) -> str:
    """The header title shortened with '…' when it would run into the subject on the right."""
    if pdfmetrics.stringWidth(title, FONT_BOLD, 9) <= room:
        return title
    while title and pdfmetrics.stringWidth(title + "…", FONT_BOLD, 9) > room:
        title = title[:-1]
    return title.rstrip(" ,·") + "…"


def _numbered_canvas(frame: PageFrame) -> type:
    class NumberedCanvas(rl_canvas.Canvas):
        """Draws header and footer once the page count is known, for 'Pagina x van y'."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.setFillColor(INK)
            self.setFont(FONT_BOLD, 9)
            self.drawString(18 * mm, height - 13 * mm,
                            _fit(frame.title, width - 42 * mm - pdfmetrics.stringWidth(frame.subject, FONT, 8)))
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - 18 * mm, height - 13 * mm, frame.subject)
            self.drawString(18 * mm, height - 17 * mm, frame.institution_line)
            self.drawRightString(width - 18 * mm, height - 17 * mm, f"Pagina {self._pageNumber} van {total}")
            self.line(18 * mm, height - 19 * mm, width - 18 * mm, height - 19 * mm)
            self.line(18 * mm, 17 * mm, width - 18 * mm, 17 * mm)
            self.setFont(FONT, 7)
            made = f"Gemaakt {frame.created} · {frame.model}"
            self.drawString(18 * mm, 13 * mm, made)
            self.drawString(18 * mm, 9.5 * mm, f"Digitale vingerafdruk: {grouped(frame.fingerprint)}")
            if frame.audit_head is not None:
                seq, digest = frame.audit_head
                head = f"Auditlogboek t/m regel {seq} · {short_hash(digest)}"
                room = width - 36 * mm - pdfmetrics.stringWidth(made, FONT, 7) - 6 * mm
                fits = pdfmetrics.stringWidth(head, FONT, 7) <= room
                self.drawRightString(width - 18 * mm, 13 * mm if fits else 6 * mm, head)
            if frame.concept:
                self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
                self.setFont(FONT_BOLD, 90)
                self.translate(width / 2, height / 2)
                self.rotate(45)
                self.drawCentredString(0, 0, "CONCEPT")
            self.restoreState()

    return NumberedCanvas


def build_pdf(frame: PageFrame, story: list[Flowable], metadata: dict[str, str] | None = None) -> bytes:
    """Renders the story inside the frame; the full fingerprint goes into the PDF metadata too."""
    register_fonts()
    buffer = BytesIO()
    keywords = f"examdesk-fingerprint:{frame.fingerprint}"
    metadata = dict(metadata or {})
    if frame.audit_head is not None:
        metadata["auditseq"], metadata["audithash"] = str(frame.audit_head[0]), frame.audit_head[1]
    if metadata:
        keywords += " " + " ".join(f"examdesk-{k}:{v}" for k, v in sorted(metadata.items()))
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=24 * mm, bottomMargin=22 * mm,
        title=frame.title, subject=frame.subject, author=frame.institution_line, creator="ExamDesk",
        keywords=keywords,
    )
    doc.build(story, canvasmaker=_numbered_canvas(frame))
    return buffer.getvalue()
