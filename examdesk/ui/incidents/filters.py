"""The Incidenten filters: the search (with the screen's status chips) in view, and behind "Meer filters"
category, route, location, session, candidate, period and the two checks (and "beroep loopt"). `changed`
fires when the list should be read again (typing waits a moment); `current(status)` reads them as an
`IncidentFilter`, saying in Dutch which typed date cannot be read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, parse_date
from examdesk.domain.incident_desk import APPEAL_FILTERS, HANDLER_FILTERS, IncidentFilter
from examdesk.domain.plural import number
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.window_settings import INCIDENT_MORE_FILTERS
from examdesk.ui.fields import SearchPicker
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.window_state import remember, remembered

MORE_FILTERS = "Meer filters"


def _remembered_open() -> bool:
    """Whether this PC's user last left the other filters open (QSettings' ini file keeps a bool as text)."""
    return str(remembered(INCIDENT_MORE_FILTERS, default=False)).lower() in ("true", "1")


class CountSlot:
    """The room the status chips of one row keep for their counts: as many digits as the largest count any of
    them has shown, never fewer, and the dots that group them ('1.234', `domain.plural.number`). Every chip's
    count is at most the 'Alle' count of the whole list, which the screen shows first, so from then on a
    chip's '…' becoming its number, or a narrower filter's smaller number, leaves every chip as wide as it
    was: the row is not laid out anew and nothing jumps. (Room for more digits than ever shown made the chips
    wrap onto a third line at 200 % on a laptop.)"""

    LEAST = 1

    def __init__(self) -> None:
        self.digits = self.LEAST
        self.chips: list[StatusChip] = []

    def make_room(self, count: int) -> None:
        digits = len(str(count))
        if digits > self.digits:
            self.digits = digits
            for chip in self.chips:
                chip.updateGeometry()


class StatusChip(QPushButton):
    """A status filter with its count ('Open  12', 'Open  …' while counting), as wide as its label with the
    row's digit slot whatever the count on show (`CountSlot`)."""

    def __init__(self, label: str, slot: CountSlot, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self.slot = slot
        slot.chips.append(self)
        self.setCheckable(True)
        self.setObjectName("StatusChip")
        self.show_count(None)

    def show_count(self, count: int | None) -> None:
        """The count, or '…' while it is being counted; the text is not set again when it stays (each new text
        asks the row for a new layout)."""
        if count is not None:
            self.slot.make_room(count)
        text = f"{self.label}  {'…' if count is None else number(count)}"
        if self.text() != text:
            self.setText(text)

    def _widest(self) -> str:
        """The text this chip keeps room for: its label and the slot's digits, each the font's widest, grouped
        with dots as the count is shown ('8.888')."""
        metrics = self.fontMetrics()
        digit = max("0123456789", key=metrics.horizontalAdvance)
        return f"{self.label}  {number(10 ** self.slot.digits - 1).replace('9', digit)}"

    def _reserved(self, hint: QSize) -> QSize:
        """At least the size the style gives the widest text, measured as QPushButton measures its own."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = self._widest()
        text = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, option.text)
        widest = self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, text, self)
        return hint.expandedTo(QSize(widest.width(), hint.height()))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._reserved(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._reserved(super().minimumSizeHint())


class FittingEdit(QLineEdit):
    """A text field as wide as `fit` (its placeholder, or the start of it) in the font it is drawn in. A width
    measured as the field is built takes the application's font, not the style sheet's, which is applied
    later: 'tot en met dd-mm…' and 'Kandidaat (naam of st…' were cut at 100 %."""

    def __init__(self, placeholder: str, fit: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.fit = fit or placeholder

    def _fitted(self, hint: QSize) -> QSize:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        margins = self.textMargins()
        text = QSize(self.fontMetrics().horizontalAdvance(self.fit) + margins.left() + margins.right() + 4,
                     hint.height())
        if self.isClearButtonEnabled():
            text += QSize(self.fontMetrics().height() + 8, 0)
        wanted = self.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option, text, self)
        return QSize(max(hint.width(), wanted.width()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._fitted(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._fitted(super().minimumSizeHint())


class IncidentFilterBar(QWidget):
    changed = Signal()
    typed = Signal()        # typing paused in the search or candidate field: the list follows, its file later
    cleared = Signal()

    def __init__(self, service: IncidentDeskService, parent: QWidget | None = None,
                 chips: Sequence[QWidget] = ()):
        super().__init__(parent)
        self.service = service
        self._loading = False
        self._candidate_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.appeal = QCheckBox("beroep loopt")
        self.appeal.setToolTip("Besluiten waartegen de beroepstermijn nog loopt, en beroepen bij de commissie van "
                               "beroep zonder uitspraak")
        self._appeal_kind = ""          # from a link: only running terms or only appeals; the box itself: either
        # the search keeps room for the start of its placeholder and takes what is left of its line: beside
        # combos that keep their letters it was squeezed to 'Zo…' at 200 %; no more than that start, so at 200 %
        # the status chips share its line and the list keeps its rows
        self.search = FittingEdit("Zoeken: wat er gebeurde, categorie, afname, locatie, kandidaat …",
                                  fit="Zoeken: wat er gebeurde")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.route = QComboBox()
        self.location = QComboBox()
        # sessions grow with the years: typed and fetched on demand instead of a list of thousands
        self.session = SearchPicker(service.session_choices, "Afname (typ titel of datum)")
        for combo, letters in ((self.category, 20), (self.route, 13), (self.location, 14)):
            # long names are cut in the closed box (the list shows them whole), so the screen fits a laptop
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
        self.session.setMinimumWidth(200)
        self.candidate = FittingEdit("Kandidaat (naam of studentnummer)")
        self.candidate.setClearButtonEnabled(True)
        self.date_from = FittingEdit("van dd-mm-jjjj")
        self.date_to = FittingEdit("tot en met dd-mm-jjjj")
        self.to_report = QCheckBox("te melden bij de Inspectie")
        self.without_letter = QCheckBox("besluit zonder brief")
        self.reset = QPushButton("Filters wissen")
        # The status chips (the screen's, given as `chips`) and the search stay in view, on one wrapping line in
        # reading order; the other filters and "Filters wissen" fold away behind "Meer filters": at 200 % the
        # twelve controls took most of the screen's height and left the list four rows. The search finds
        # category names too; the search clears with its own button, the status with "Alle".
        self.more = QPushButton(MORE_FILTERS)
        self.more.setObjectName("MoreFilters")
        self.more.setCheckable(True)
        self.more.setToolTip("De overige filters tonen of verbergen: categorie, route, locatie, afname, kandidaat, "
                             "periode en de vinkjes")
        row_box, row = flow_row()
        for chip in chips:
            row.add(chip)
        row.add(self.search, stretch=True)
        row.add(self.more)
        layout.addWidget(row_box)
        self.folded, folded = flow_row()
        self.folded.setObjectName("MoreFiltersPanel")
        for widget, stretch in ((self.category, False), (self.route, False), (self.location, False),
                                (self.session, True), (self.candidate, True), (self.date_from, False),
                                (self.date_to, False), (self.appeal, False), (self.to_report, False),
                                (self.without_letter, False), (self.reset, False)):
            folded.add(widget, stretch=stretch)
        layout.addWidget(self.folded)
        # Tab goes from the search to the toggle, then into what it opened
        QWidget.setTabOrder(self.search, self.more)
        QWidget.setTabOrder(self.more, self.category)
        self.more.setChecked(_remembered_open())
        self.folded.setVisible(self.more.isChecked())
        self.more.toggled.connect(self.folded.setVisible)
        self.more.clicked.connect(lambda on: remember(INCIDENT_MORE_FILTERS, bool(on)))   # the user's choice
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.hide()
        layout.addWidget(self.error)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.typed)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.candidate.textChanged.connect(self._on_candidate_typed)
        self.date_from.editingFinished.connect(self.changed)
        self.date_to.editingFinished.connect(self.changed)
        for combo in (self.category, self.route, self.location):
            combo.currentIndexChanged.connect(lambda _=0: self._on_changed())
        self.session.chosen.connect(lambda _value: self._on_changed())
        self.to_report.toggled.connect(lambda _: self._on_changed())
        self.without_letter.toggled.connect(lambda _: self._on_changed())
        self.appeal.toggled.connect(self._on_appeal_toggled)
        self.reset.clicked.connect(self.cleared)
        for edit in (self.candidate, self.date_from, self.date_to):
            edit.textChanged.connect(lambda _="": self._count_folded())
        self._count_folded()

    def fill_choices(self) -> None:
        self._loading = True
        choices = self.service.filter_choices()

        def fill(combo: QComboBox, first: str, items: list[tuple[Any, str]]) -> None:
            current = combo.currentData()
            combo.clear()
            combo.addItem(first, None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

        fill(self.category, "Alle categorieën", choices["categories"])
        fill(self.route, "Alle routes", list(HANDLER_FILTERS.items()))
        fill(self.location, "Alle locaties", choices["locations"])
        self._loading = False

    def _on_candidate_typed(self, _text: str) -> None:
        if not self._loading:
            self._candidate_id = None
            self._timer.start()

    def _on_appeal_toggled(self, on: bool) -> None:
        self._count_folded()
        if not self._loading:
            self._appeal_kind = "loopt" if on else ""
            self.appeal.setText(APPEAL_FILTERS["loopt"])
            self.changed.emit()

    def _on_changed(self) -> None:
        self._count_folded()
        if not self._loading:
            self.changed.emit()

    def folded_set(self) -> int:
        """How many of the filters behind "Meer filters" narrow the list now."""
        return sum((self.category.currentData() is not None, self.route.currentData() is not None,
                    self.location.currentData() is not None, bool(self.session.value()), bool(self.candidate.text().strip()),
                    bool(self.date_from.text().strip()), bool(self.date_to.text().strip()),
                    self.appeal.isChecked(), self.to_report.isChecked(), self.without_letter.isChecked()))

    def _count_folded(self) -> None:
        """'Meer filters (2)': folded away, a filter that narrows the list is still told."""
        n = self.folded_set()
        text = f"{MORE_FILTERS} ({n})" if n else MORE_FILTERS
        if self.more.text() != text:
            self.more.setText(text)
            self.more.setAccessibleName(text)

    def show_folded_when_set(self) -> None:
        """A filter behind the toggle that narrows the list is shown (a link from the Overzicht, a restored
        or a typed filter): a list narrowed by a filter out of sight reads as a list that lost its rows."""
        self._count_folded()
        if self.folded_set() and not self.more.isChecked():
            self.more.setChecked(True)

    def current(self, status: str) -> IncidentFilter:
        errors = []

        def when(edit: QLineEdit, what: str) -> Any:
            text = edit.text().strip()
            if not text:
                return None
            try:
                return parse_date(text)
            except ValueError:
                errors.append(f"'{text}' is geen datum ({what}); typ dd-mm-jjjj.")
                return None

        f = IncidentFilter(
            status=status, category=self.category.currentData() or "", handler=self.route.currentData() or "",
            location_id=self.location.currentData(), date_from=when(self.date_from, "van"),
            date_to=when(self.date_to, "tot en met"), session_id=self.session.value() or "",
            candidate_id=self._candidate_id, candidate=self.candidate.text(), text=self.search.text(),
            to_report=self.to_report.isChecked(), without_letter=self.without_letter.isChecked(),
            appeal=(self._appeal_kind or "loopt") if self.appeal.isChecked() else "")
        self.error.setText(" ".join(errors))
        self.error.setVisible(bool(errors))
        return f

    @property
    def readable(self) -> bool:
        """False while a typed date cannot be read (after `current`)."""
        return not self.error.text()

    def set_filter(self, f: IncidentFilter) -> None:
        """Shows these filters (everything not named is cleared) without reading the list in between."""
        self._loading = True
        for combo, value in ((self.category, f.category or None), (self.route, f.handler or None),
                             (self.location, f.location_id)):
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
        self.session.set_value(f.session_id or None, self.service.session_label(f.session_id) if f.session_id else "")
        self._candidate_id = f.candidate_id
        self.candidate.setText(f.candidate)
        self.date_from.setText(format_date(f.date_from) if f.date_from else "")
        self.date_to.setText(format_date(f.date_to) if f.date_to else "")
        self.search.setText(f.text)
        self.to_report.setChecked(f.to_report)
        self.without_letter.setChecked(f.without_letter)
        self._appeal_kind = f.appeal
        self.appeal.setChecked(bool(f.appeal))
        self.appeal.setText(APPEAL_FILTERS[f.appeal or "loopt"])   # a link's narrower filter says what it shows
        self._loading = False
        self._timer.stop()
        self.show_folded_when_set()
