"""The incident's file on the right of the Incidenten screen: it lays out what `services.incident_file`
composed — heading, the actions the case allows, the Inspectie form, the sections, the decision cards
with their letters — and reports the user's choice by signal; the screen opens the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from examdesk.services.context import AppContext
from examdesk.services.incident_file import DecisionCard, IncidentFile
from examdesk.services.view_text import Section
from examdesk.ui.common import steady_width
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.rich_text import line_html, lines_html, rich_label
from examdesk.ui.style import MUTED, RETIRED_RULE, RULE, WHITE, scaled

if TYPE_CHECKING:
    from examdesk.ui.documents.panel import DocumentPanel

# the document panels' texts (`ui.documents.panel.DocumentTexts`): that module, with the document viewer and its
# PDF module, loads with the first file that has a form or a letter, not with the list (issue 16)
FORM_TEXTS = dict(
    button="Inspectieformulier…",
    tooltip="Maak het Aanvraagformulier opnieuw afnemen centraal examen voor dit incident, met u als indiener",
    outdated="Na het maken van het formulier zijn gegevens gewijzigd — maak een nieuw formulier.",
    renew="Nieuw formulier",
    current="Het aanvraagformulier is actueel.",
    stale="Het aanvraagformulier is niet meer actueel.",
    none="Nog geen aanvraagformulier gemaakt.",
    busy="Aanvraagformulier maken…",
)
LETTER_TEXTS = dict(
    button="Besluitbrief…",
    tooltip="Maak de brief aan de kandidaat over dit besluit (met afschrift voor de wettelijk vertegenwoordigers "
            "als de kandidaat minderjarig was)",
    outdated="Na het maken van de brief zijn gegevens gewijzigd — maak een nieuwe brief.",
    renew="Nieuwe brief",
    current="Brief gemaakt en actueel.",
    stale="Brief niet meer actueel.",
    none="Nog geen brief.",
    busy="Besluitbrief maken…",
)


CASE_FILE_ACTIONS = frozenset({"horen", "bewijs", "beroep", "geschiedenis"})


def _section_title(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("SectionTitle")
    label.setStyleSheet(scaled(f"font-weight: bold; color: {MUTED}; text-transform: uppercase; font-size: 9pt;"
                               f" padding-top: 10px; border-bottom: 1px solid {RULE};"))   # 9 pt at 100 %
    return label


class CasePanel(QScrollArea):
    action_requested = Signal(str)            # an ActionButton key
    revise_requested = Signal(object)         # the Decision
    dispatch_requested = Signal(object)       # the Decision whose letter was sent ('Brief verzonden…')
    document_previewed = Signal(object)       # DocumentViewer: a new document on show, not issued yet
    document_issued = Signal(object, object)  # DocumentRecord, DocumentViewer: printed or saved from its preview

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("DetailPanel")
        self.setStyleSheet(f"#DetailPanel, #DetailPanel > QWidget > QWidget {{ background: {WHITE}; }}"
                           f" #DetailPanel {{ border-left: 1px solid {RULE}; }}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        steady_width(self)
        self.detail = QWidget()
        self.detail_layout = QVBoxLayout(self.detail)
        self.detail_layout.setContentsMargins(14, 4, 8, 8)
        self.setWidget(self.detail)
        self.setMinimumWidth(430)
        self.action_buttons: dict[str, QPushButton] = {}
        self.revise_buttons: dict[str, QPushButton] = {}
        self.dispatch_buttons: dict[str, QPushButton] = {}     # decision id → 'Brief verzonden…'
        self.form_panel: DocumentPanel | None = None           # the Inspectie form, when the route asks for it
        self.letter_panels: dict[str, DocumentPanel] = {}      # decision id → its letter
        self.before_form: Callable[[], bool] | None = None     # asked before the Inspectie form is made
        self.before_letter: Callable[[str], bool] | None = None   # asked (decision id) before a letter is made

    # --- states ----------------------------------------------------------------------------------------------
    def clear(self) -> None:
        self.action_buttons = {}
        self.revise_buttons = {}
        self.dispatch_buttons = {}
        self.form_panel = None
        self.letter_panels = {}
        while self.detail_layout.count():
            item = self.detail_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
            elif item.layout() is not None:
                item.layout().deleteLater()

    def show_notice(self, text: str = "Kies een incident in de lijst om het dossier te zien.") -> None:
        self.clear()
        notice = QLabel(text)
        notice.setObjectName("Notice")
        notice.setWordWrap(True)
        self.detail_layout.addWidget(notice)
        self.detail_layout.addStretch(1)

    def show_refusal(self, message: str) -> None:
        self.clear()
        self.detail_layout.addWidget(rich_label(escape(message)))

    def show_file(self, file: IncidentFile) -> None:
        """The file, built anew. When the keyboard was in the old file (on the button whose dialog just saved),
        it goes to the new file's first action rather than nowhere: the old button is gone, and a keyboard user
        was left without focus, the next Tab starting over at the window's first control."""
        focus = QApplication.focusWidget()
        keep_keyboard = focus is not None and self.detail.isAncestorOf(focus)
        self.detail.hide()              # built out of sight, laid out once when shown (`_show_parts`)
        try:
            self._build(file)
        finally:                        # whatever was built is shown: never a panel left hidden
            self._show_parts()
            self._fit_height()
            self.detail.show()
        if keep_keyboard:
            first = next((b for b in self.action_buttons.values() if b.isDefault()),
                         next(iter(self.action_buttons.values()), None))
            (first or self).setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self, file: IncidentFile) -> None:
        self.clear()
        add = self.detail_layout.addWidget
        for line in file.heading:
            add(rich_label(line_html(line)))
        if file.actions:
            add(self._action_row(file))
        if file.close_blocker is not None:
            add(rich_label(line_html(file.close_blocker)))
        if file.inspectie_form:
            self.form_panel = self._document_panel("inspectie", FORM_TEXTS, file.incident_id)
            self.form_panel.before_make = lambda: self.before_form() if self.before_form else True
            add(self.form_panel)
        for section in file.sections_before:
            self._section(section)
        if file.decisions:
            add(_section_title("Besluiten"))
            for card in file.decisions:
                add(self._decision_card(card))
        for section in file.sections_after:
            self._section(section)
        self.detail_layout.addStretch(1)

    def _show_parts(self) -> None:
        """The file's parts shown now, while the file is hidden, so that it is laid out once, at its height, when it is
        shown (issue 16: 60-100 ms of opening Incidenten on ten years). Qt shows a part added to a shown file a turn
        of the event loop later and lays the file out as if it were empty until then: it was painted squeezed, then
        laid out and painted again, the list beside it too. And a part shown into a shown file lays the whole file
        out at once: shown one by one, each section's text was laid out again for every part after it."""
        for index in range(self.detail_layout.count()):
            widget = self.detail_layout.itemAt(index).widget()
            if widget is not None and widget.isHidden() \
                    and not widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):   # hidden on purpose
                widget.show()

    def _fit_height(self) -> None:
        """Wrapped labels in a resizable scroll area report no height for their width: without this a long file
        is squeezed into the view (buttons and cards crushed) instead of scrolling."""
        width = self.viewport().width()
        if width > 0 and self.detail_layout.hasHeightForWidth():
            self.detail.setMinimumHeight(self.detail_layout.heightForWidth(width))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_height()

    # --- pieces ----------------------------------------------------------------------------------------------
    def _section(self, section: Section) -> None:
        self.detail_layout.addWidget(_section_title(section.title))
        self.detail_layout.addWidget(rich_label(lines_html(section.lines)))

    def _action_row(self, file: IncidentFile) -> QWidget:
        """The desk's actions on one row, the case file's (hearing, evidence, appeal, history) on a second; each
        row wraps on a narrow panel instead of widening it."""
        wrap = QWidget()
        column = QVBoxLayout(wrap)
        column.setContentsMargins(0, 4, 0, 4)
        rows = (flow_row(), flow_row())
        for action in file.actions:
            button = QPushButton(action.label)
            button.setDefault(action.primary)
            button.clicked.connect(lambda _=False, key=action.key: self.action_requested.emit(key))
            self.action_buttons[action.key] = button
            rows[action.key in CASE_FILE_ACTIONS][1].addWidget(button)
        for holder, row in rows:
            if row.count():
                column.addWidget(holder)
        return wrap

    def _decision_card(self, card: DecisionCard) -> QWidget:
        d = card.decision
        frame = QFrame()
        frame.setObjectName("DecisionCard")
        frame.setStyleSheet(f"#DecisionCard {{ border: 1px solid {RULE if d.current else RETIRED_RULE}; "
                            "border-radius: 4px; }")
        box = QVBoxLayout(frame)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(rich_label(lines_html(card.lines)))
        row: QHBoxLayout | None = None
        if card.letters:
            panel = self._document_panel("besluit", LETTER_TEXTS, d.id)
            panel.before_make = lambda dec=d: self.before_letter(dec.id) if self.before_letter else True
            if card.letter_owed:
                panel.state.setObjectName("CardWarning")    # owed: the Overzicht counts it
            self.letter_panels[d.id] = panel
            box.addWidget(panel)
            row = panel.row                                # sending and revising sit on the letter's line
            if card.dispatch:
                sent = QPushButton("Brief verzonden…")
                sent.clicked.connect(lambda _=False, dec=d: self.dispatch_requested.emit(dec))
                self.dispatch_buttons[d.id] = sent
                row.addWidget(sent)
        if card.revise_label:
            button = QPushButton(card.revise_label)
            button.clicked.connect(lambda _=False, dec=d: self.revise_requested.emit(dec))
            self.revise_buttons[d.id] = button
            if row is None:
                row = QHBoxLayout()
                row.addStretch(1)
                box.addLayout(row)
            row.addWidget(button)
        return frame

    def _document_panel(self, kind: str, texts: dict[str, str], subject_id: str) -> DocumentPanel:
        """The shared document button with its state and outdated bar (as on the Afnames screen)."""
        from examdesk.ui.documents.panel import DocumentPanel, DocumentTexts

        panel = DocumentPanel(self.ctx, kind, DocumentTexts(**texts))
        panel.show_subject(subject_id)
        panel.previewed.connect(self.document_previewed.emit)
        panel.issued.connect(lambda record, viewer: self.document_issued.emit(record, viewer))
        return panel

    def text(self) -> str:
        """Everything the file says, as plain text (what a reader sees)."""
        return "\n".join(label.text() for label in self.detail.findChildren(QLabel))

