"""The base of every dialog: the one place where what issue 14 asks of all of them is done.

`BaseDialog` — every dialog, forms and viewers alike:
* remembers its size and place per dialog class, fitted to the screen it opens on, so a 1366×768
  exam-room laptop keeps the buttons in view;
* opens with the cursor in its first field (not on OK, where a typed space would press it);
* Tab walks the fields in reading order — top to bottom, left to right, as the layout shows them —
  and a plain multi-line text passes Tab on instead of typing it.

`FormDialog` — every form that saves something:
* an optional intro, the form (scrolling when the screen is small), an error line and OK/Annuleren;
  `submit()` does the work and returns what was saved; an `ExamDeskError` keeps the dialog open with
  its Dutch message, so nothing typed is lost;
* `ok()` is the one way to save: the OK button, Enter in a one-line field and Ctrl+Enter anywhere
  (also in a multi-line text) all call it, and a second press while the first is working does nothing;
* Enter in a list or a search field acts on that field, never on the dialog;
* Escape, Annuleren or closing the window with typed input asks before throwing it away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import (
    QtCore,  # Qt as `QtCore.Qt` where used: its 93 enums (~50 ms) wait until then (issue 16)
    QtWidgets,  # the widget classes the login does not use, as `QtWidgets.X` where used: see `ui.qt_classes`
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.services.window_settings import DIALOG_GEOMETRY
from examdesk.ui.accessibility import name_controls
from examdesk.ui.qt_classes import is_a
from examdesk.ui.window_state import fit_to_screen, remember, remembered, scrolling_form

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLayout, QLayoutItem

SEARCH_FIELD = "examdeskSearchField"   # a QLineEdit with this property set: Enter acts on the field


def mark_search_field(edit: QLineEdit, on_enter: Callable[[], None] | None = None) -> None:
    """Enter in this field runs `on_enter` (pick the match, go to the list) instead of saving the dialog."""
    edit.setProperty(SEARCH_FIELD, True)
    if on_enter is not None:
        edit.returnPressed.connect(on_enter)


# --- reading order ----------------------------------------------------------------------------------------

def reading_order(root: QWidget) -> list[QWidget]:
    """The widgets that take Tab focus, in the order the layout shows them: form rows top to bottom
    (label, then field), a row's widgets left to right, grid cells row by row, a button box by position."""
    found: list[QWidget] = []
    if root.layout() is not None:
        _walk_layout(root.layout(), found)
    return found


def _walk_layout(layout: QLayout, found: list[QWidget]) -> None:
    if isinstance(layout, QFormLayout):
        for row in range(layout.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                         QFormLayout.ItemRole.SpanningRole):
                item = layout.itemAt(row, role)
                if item is not None:
                    _walk_item(item, found)
    elif isinstance(layout, QtWidgets.QGridLayout):
        cells = sorted(range(layout.count()), key=lambda i: tuple(layout.getItemPosition(i)[:2]))
        for index in cells:
            _walk_item(layout.itemAt(index), found)
    else:
        for index in range(layout.count()):
            _walk_item(layout.itemAt(index), found)


def _walk_item(item: QLayoutItem, found: list[QWidget]) -> None:
    if item.widget() is not None:
        _walk_widget(item.widget(), found)
    elif item.layout() is not None:
        _walk_layout(item.layout(), found)


def _walk_widget(widget: QWidget, found: list[QWidget]) -> None:
    if isinstance(widget, QDialogButtonBox):
        found.extend(buttons_in_order(widget))
    elif isinstance(widget, QtWidgets.QScrollArea):
        if widget.widget() is not None:
            _walk_widget(widget.widget(), found)
    elif isinstance(widget, QtWidgets.QTabWidget):
        found.append(widget)
        for page in range(widget.count()):
            _walk_widget(widget.widget(page), found)
    elif isinstance(widget, QtWidgets.QStackedWidget):
        for page in range(widget.count()):
            _walk_widget(widget.widget(page), found)
    elif isinstance(widget, QtWidgets.QSplitter):
        for pane in range(widget.count()):
            _walk_widget(widget.widget(pane), found)
    elif widget.focusPolicy().value & QtCore.Qt.FocusPolicy.TabFocus.value:
        found.append(widget)
    elif widget.layout() is not None:
        _walk_layout(widget.layout(), found)


def buttons_in_order(box: QDialogButtonBox) -> list[QAbstractButton]:
    """A button box's buttons as it shows them (the order depends on the platform's style)."""
    box.layout().activate()
    return sorted(box.buttons(), key=lambda b: (b.y(), b.x()))


def focus_first_field(root: QWidget, order: list[QWidget] | None = None, first: QWidget | None = None) -> None:
    """The keyboard on the first field of `root` in reading order (a dialog as it opens, a screen reached with
    Ctrl+N): the first thing to type in or choose from, else the first thing to press."""
    order = reading_order(root) if order is None else order
    usable = [w for w in order if w.isEnabled() and w.isVisibleTo(root)]
    start = first or next((w for w in usable if is_field(w)), None) or next(iter(usable), None)
    if start is not None:
        start.setFocus(QtCore.Qt.FocusReason.TabFocusReason)


def is_field(widget: QWidget) -> bool:
    """Something to type in or choose from: not a push button, not a read-only text."""
    if isinstance(widget, QAbstractButton) and not is_a(widget, "QCheckBox", "QRadioButton"):
        return False
    if is_a(widget, "QLineEdit", "QPlainTextEdit", "QTextEdit") and widget.isReadOnly():
        return False
    return not is_a(widget, "QTabWidget")


def field_value(widget: QWidget) -> Any:
    """What the user typed or chose in a widget, comparable with an earlier look."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked() if widget.isCheckable() else None
    if is_a(widget, "QPlainTextEdit", "QTextEdit"):
        return widget.toPlainText()
    if is_a(widget, "QAbstractSpinBox"):
        return widget.text()
    if is_a(widget, "QComboBox"):
        return widget.currentIndex(), widget.currentText()
    if is_a(widget, "QListWidget"):
        return tuple((widget.item(i).text(), widget.item(i).checkState().value) for i in range(widget.count()))
    if is_a(widget, "QTableWidget"):
        return tuple(tuple(widget.item(r, c).text() if widget.item(r, c) else ""
                           for c in range(widget.columnCount())) for r in range(widget.rowCount()))
    return None


# --- the bases ----------------------------------------------------------------------------------------------

class BaseDialog(QDialog):
    """Geometry remembered per class and fitted to the screen; first field focused; Tab in reading order."""

    first_field: QWidget | None = None   # a subclass may name the field to start in (else the first one)

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._arranged = False
        geometry = remembered(DIALOG_GEOMETRY, type(self).__name__)
        if geometry is not None:
            self.restoreGeometry(geometry)

    def fields(self) -> list[QWidget]:
        """The dialog's focusable widgets in reading order."""
        return reading_order(self)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if not self._arranged:
            self._arranged = True
            self.arrange()
        super().showEvent(event)

    def arrange(self) -> None:
        """On first show, when the subclass has built everything: tab order, plain texts, accessible names,
        size, focus."""
        if self.layout() is not None:
            self.layout().activate()
        name_controls(self)
        order = self.fields()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for widget in order:
            if is_a(widget, "QPlainTextEdit", "QTextEdit"):
                widget.setTabChangesFocus(True)
            elif is_a(widget, "QAbstractItemView"):
                widget.setTabKeyNavigation(False)    # arrows move inside a list or table, Tab moves on
            elif is_a(widget, "QDateTimeEdit"):
                from examdesk.ui.fields import tab_leaves

                tab_leaves(widget)                   # Tab leaves a date or time, not its day or its hours
        self.fit_to_screen()
        self.focus_first(order)

    def focus_first(self, order: list[QWidget]) -> None:
        """The keyboard on the first field as the dialog opens (`first_field`, else the first in `order`)."""
        focus_first_field(self, order, self.first_field)

    def wanted_size(self) -> tuple[int, int]:
        """The size to open at before fitting to the screen: what the layout asks for."""
        hint = self.sizeHint()
        return hint.width(), hint.height()

    def fit_to_screen(self) -> None:
        """At least the size the dialog wants (or had), never larger than the screen it opens on, and
        wholly on that screen."""
        fit_to_screen(self, *self.wanted_size())
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        self.setMinimumWidth(min(self.minimumWidth(), available.width() - 20))
        frame = self.frameGeometry()
        x = max(min(frame.x(), available.right() - frame.width()), available.left())
        y = max(min(frame.y(), available.bottom() - frame.height()), available.top())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def done(self, result: int) -> None:
        remember(DIALOG_GEOMETRY, self.saveGeometry(), type(self).__name__)
        super().done(result)


class FormDialog(BaseDialog):
    """An optional intro, a form, an error line and OK/Annuleren. Override `submit()` (or pass `submit`);
    its return value is kept in `result_value`."""

    DISCARD_TITLE = "Niet opgeslagen"
    DISCARD_TEXT = "U hebt in dit formulier iets ingevuld dat nog niet is opgeslagen. Wilt u dat weggooien?"
    scrolls = True          # the form in a scroll area (`scrolling_form`); the login's two fields always fit

    def __init__(self, parent: QWidget | None, title: str, intro: str = "", ok_text: str = "Opslaan",
                 submit: Callable[[], Any] | None = None, cancel_text: str = "Annuleren"):
        super().__init__(parent, title)
        self._submit_action = submit
        self.result_value: Any = None
        self._busy = False
        self._saved = False
        self._snapshot: list[Any] | None = None
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.layout_.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # a field too wide beside its label (200 % font on a laptop) goes below the label instead of off the edge
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form_box = QWidget()
        self.form_box.setObjectName("FormBox")
        self.form_box.setLayout(self.form)
        # on a small screen the form scrolls; the error line and the buttons below it stay in view
        self.scroll = scrolling_form(self.form_box) if self.scrolls else self.form_box
        self.layout_.addWidget(self.scroll, 1)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox()   # not QDialogButtonBox(buttons): picking that constructor builds the Qt enums
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(cancel_text)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.ok)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.ok)

    # --- building --------------------------------------------------------------------------------------------
    def field(self, label: str, text: str = "", password: bool = False, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def wanted_size(self) -> tuple[int, int]:
        """The whole form without scrolling, plus what is around it."""
        others = sum(self.layout_.itemAt(i).sizeHint().height() for i in range(self.layout_.count())
                     if self.layout_.itemAt(i).widget() is not self.scroll and not self._hidden(self.layout_.itemAt(i)))
        margins = self.layout_.contentsMargins()
        chrome = others + margins.top() + margins.bottom() + self.layout_.spacing() * self.layout_.count() + 8
        hint = self.form_box.sizeHint()
        width = max(self.sizeHint().width(), hint.width() + margins.left() + margins.right() + 24)
        return width, hint.height() + chrome

    @staticmethod
    def _hidden(item: QLayoutItem) -> bool:
        return item.widget() is not None and item.widget().isHidden()

    def arrange(self) -> None:
        """Also: no push button inside the form is 'auto default' (a QPushButton in a dialog is, and is then
        drawn as the default and pressed by Enter once it has had focus): the PlanDialog's 'Alle gevonden
        toevoegen' looked like the button to press instead of Opslaan. Enter is the OK button's alone."""
        for button in self.findChildren(QPushButton):
            if button is not self.ok_button and not button.isDefault():
                button.setAutoDefault(False)
        super().arrange()
        self._snapshot = self._values()

    # --- saving ----------------------------------------------------------------------------------------------
    def submit(self) -> Any:
        """Does the work; raise an ExamDeskError to refuse (the dialog stays open with the message)."""
        if self._submit_action is None:
            raise NotImplementedError
        return self._submit_action()

    def ok(self) -> None:
        """The one OK: runs `submit` once; while it works (or after it saved) further presses do nothing."""
        if self._busy or self._saved:
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        try:
            value = self.submit()
        except ExamDeskError as exc:
            self.show_error(exc.message)
            return
        finally:
            self._busy = False
            self.ok_button.setEnabled(True)
        self.result_value = value
        self._saved = True
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """Enter in a list or a search field has done its work there; it does not also save the form."""
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter) \
                and not event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier:
            focus = self.focusWidget()
            if isinstance(focus, QtWidgets.QAbstractItemView) or (focus is not None and focus.property(SEARCH_FIELD)):
                event.accept()
                return
        super().keyPressEvent(event)

    # --- nothing typed is lost -------------------------------------------------------------------------------
    def _values(self) -> list[Any]:
        return [field_value(w) for w in self.fields()]

    def has_unsaved_input(self) -> bool:
        """Something typed or chosen since the dialog opened (before it is shown, nothing is)."""
        return self._snapshot is not None and self._values() != self._snapshot

    def discard_without_asking(self) -> None:
        """For closing everything at once (the end of a test run): the form may go without the question."""
        self._snapshot = None

    def confirm_discard(self) -> bool:
        from examdesk.ui.common import ask

        return ask(self, self.DISCARD_TITLE, self.DISCARD_TEXT, "Weggooien", "Terug naar het formulier")

    def reject(self) -> None:
        if self._busy:
            return
        if not self._saved and self.has_unsaved_input() and not self.confirm_discard():
            return
        super().reject()


class ReasonDialog(FormDialog):
    """A reason in words for a step (cancel, reopen, twijfelgeval, close): a prompt and a multi-line text."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, submit: Callable[[str], Any],
                 required: bool = True, ok_text: str = "Vastleggen"):
        super().__init__(parent, title, intro=prompt, ok_text=ok_text, submit=lambda: submit(self.text.toPlainText()))
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setFixedHeight(90)
        self.text.setPlaceholderText("verplicht" if required else "optioneel")
        self.form.addRow(self.text)
        self.resize(520, 240)
