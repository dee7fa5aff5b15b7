"""*Overzicht afdrukken/exporteren…* on the Incidenten screen: the list as it is filtered now, as the
official incident overview (PDF, opened in the preview and issued when printed or saved there) or as XLSX/CSV for analysis.

The filters travel as they are (period, status, category, route, location, session, candidate, search,
the two check boxes); without a period the overview runs from the first incident that fits to today.
The subject id is made by services.doc_incidenten, the one place that encodes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.doc_incidenten import export_incidents, subject_of, with_period
from examdesk.services.documents import DocumentService, PreparedDocument
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.ui.common import hint_label
from examdesk.ui.save_dialog import ask_save_path, file_name
from examdesk.ui.worker import run_in_background

if TYPE_CHECKING:     # the viewer (and its PDF module) loads with the first preview, not with the list (issue 16)
    from examdesk.ui.documents.viewer import DocumentViewer

FORMATS = {"xlsx": "Excel-werkmap (*.xlsx)", "csv": "CSV, puntkomma-gescheiden (*.csv)"}
NOTHING = "Geen incidenten bij deze filters: er is niets gemaakt."


def _ask_path(parent: QWidget, suggested: str, file_filter: str) -> str:
    return ask_save_path(parent, "Opslaan als", suggested, file_filter)[0]


class IncidentOverviewActions(QWidget):
    """The button with its menu, and one line saying what came of it (saved where, or why not)."""

    def __init__(self, ctx: AppContext, current_filter: Callable[[], IncidentFilter | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.current_filter = current_filter
        self.documents = DocumentService(ctx)
        self.desk = IncidentDeskService(ctx)
        self.ask_path: Callable[[QWidget, str, str], str] = _ask_path   # tests answer the dialog
        self.last_viewer: DocumentViewer | None = None
        self.last_saved: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = hint_label("")
        self.status.setMaximumWidth(380)
        self.status.hide()          # until there is something to say: empty, it still took room beside the button
        self.button = QPushButton("Overzicht afdrukken/exporteren…")
        self.button.setToolTip("Het incidentenoverzicht met de filters zoals ze nu staan: als PDF (afdrukken, "
                               "later te controleren) of als XLSX/CSV voor verdere analyse")
        menu = QMenu(self.button)
        self.pdf_action = QAction("PDF bekijken en afdrukken…", menu)
        self.xlsx_action = QAction("Exporteren als Excel-werkmap (XLSX)…", menu)
        self.csv_action = QAction("Exporteren als CSV…", menu)
        self.pdf_action.triggered.connect(lambda: self.make_pdf())
        self.xlsx_action.triggered.connect(lambda: self.export("xlsx"))
        self.csv_action.triggered.connect(lambda: self.export("csv"))
        for action in (self.pdf_action, self.xlsx_action, self.csv_action):
            menu.addAction(action)
        self.button.setMenu(menu)
        layout.addWidget(self.button)
        layout.addWidget(self.status)           # after the button: the button stays in line with the others
        self.setVisible(ctx.can(Action.PRODUCE_DOCUMENTS))

    # --- what the overview covers ----------------------------------------------------------------------
    def _overview_filter(self) -> IncidentFilter | None:
        """The screen's filter with a period, or None after saying why there is nothing to make."""
        f = self.current_filter()
        if f is None:
            self._say("Verbeter eerst de datum in de filters (dd-mm-jjjj).", error=True)
            return None
        try:
            if self.desk.count(f) == 0:
                self._say(NOTHING, error=True)
                return None
            return with_period(self.ctx.store, f, self.ctx.clock().date())
        except ExamDeskError as exc:
            self._say(exc.message, error=True)
            return None

    # --- PDF ---------------------------------------------------------------------------------------------
    def make_pdf(self) -> None:
        f = self._overview_filter()
        if f is None:
            return
        self._say("")
        run_in_background(self, lambda: self.documents.prepare("incidenten", subject_of(f)), self._show_pdf,
                          self._failed, "Incidentenoverzicht maken…")

    def _show_pdf(self, prepared: PreparedDocument) -> None:
        self._say("Overzicht geopend als voorbeeld: afdrukken of opslaan geeft het uit.", tooltip=prepared.record.title)
        from examdesk.ui.documents.viewer import DocumentViewer

        self.last_viewer = DocumentViewer.preview(self.ctx, prepared, self)
        self.last_viewer.setModal(False)
        self.last_viewer.recorded.connect(
            lambda record: self._say("Overzicht uitgegeven (afgedrukt of opgeslagen).", tooltip=record.title))
        self.last_viewer.present()

    # --- XLSX / CSV --------------------------------------------------------------------------------------
    def export(self, suffix: str) -> None:
        f = self._overview_filter()
        if f is None:
            return
        name = file_name(f"Incidentenoverzicht {format_date(f.date_from)} tot {format_date(f.date_to)}", suffix)
        chosen = self.ask_path(self, name, FORMATS[suffix])
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(path.name + f".{suffix}")
        self._say("")
        run_in_background(self, lambda: (export_incidents(self.ctx, f, path), path), self._saved, self._failed,
                          "Overzicht opslaan…")

    def _saved(self, result: tuple[int, Path]) -> None:
        count, path = result
        self.last_saved = path
        self._say(f"{counted(count, 'incident')} opgeslagen in {path.name}.", tooltip=str(path))

    # --- feedback ----------------------------------------------------------------------------------------
    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ExamDeskError):
            raise exc
        self._say(exc.message, error=True)

    def _say(self, text: str, error: bool = False, tooltip: str = "") -> None:
        self.status.setObjectName("ErrorText" if error else "Hint")
        self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setToolTip(tooltip or text)
        self.status.setVisible(bool(text))
