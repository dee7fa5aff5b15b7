"""What each key of session mode does: F2 incident, F3 late, F4 absent, F5 pause/resume, F6 the next step
(receipt, start, end, close), F7 a candidate's status, F8 a remark, F10 close, Space present, Enter on a
log line to correct or void it. Each opens its form over the window, and saves one event through
`SessionModeService` before the window says "opgeslagen"."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
)

from examdesk.domain.clock import format_time
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.domain.session_events import IncidentPayload, ResumePayload
from examdesk.domain.session_state import CandidateStatus
from examdesk.domain.sessions import IncidentInput
from examdesk.services.session_views import closing_summary_text, early_end_question
from examdesk.ui.common import ask
from examdesk.ui.rich_text import plain_label
from examdesk.ui.session_mode.forms import (
    CandidateField,
    EnterTextEdit,
    IncidentDialog,
    SessionForm,
    TimeField,
    pick_combo,
)

if TYPE_CHECKING:
    from examdesk.ui.session_mode.window import SessionModeWindow


class SessionActions:
    def __init__(self, window: SessionModeWindow):
        self.window = window

    def incident(self, category: Any = None) -> None:
        if not self.window.ready():
            return
        dialog = IncidentDialog(self.window, self.window.service, self.window.state, self.window.ctx.clock(), self.window.selected_ids(),
                                category if category is not None and not isinstance(category, bool) else None)
        self.window.run_form(dialog)

    def present(self) -> None:
        """Space: the selected candidates are present (after the start: arrived late)."""
        if not self.window.ready():
            return
        ids = [i for i in self.window.selected_ids() if self.window.state.candidate(i).status == CandidateStatus.VERWACHT]
        if not ids:
            self.window.say("Selecteer met ↑↓ (en Shift) kandidaten met de status 'verwacht' en druk op spatie.", True)
            return
        try:
            messages = self.window.service.mark_present(ids)
        except ExamDeskError as exc:
            self.window.say(exc.message, True)
            return
        self.window.saved_now(" ".join(messages), any("geweigerd" in m for m in messages))
        self._select_next_expected()

    def _select_next_expected(self) -> None:
        for row, c in enumerate(self.window.state.candidates):
            if c.status == CandidateStatus.VERWACHT:
                self.window.table.selectRow(row)
                return

    def late(self) -> None:
        if not self.window.ready():
            return
        field = CandidateField(self.window.state, self.window.selected_one())
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            outcome = self.window.service.late_arrival(field.candidate_id(), time.value())
            return outcome.message if outcome.admitted else "!" + outcome.message

        dialog = SessionForm(self.window, "Te laat gekomen", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Aangekomen om", time)
        limit = self.window.state.late_limit
        if limit:
            dialog.form.addRow("", QLabel(f"Toelating tot {format_time(limit)}; de eindtijd blijft gelijk."))
        self.window.run_form(dialog)

    def absent(self) -> None:
        if not self.window.ready():
            return
        field = CandidateField(self.window.state, self.window.selected_one())
        reason = pick_combo([("onbekend", None), ("met geldige reden", True), ("zonder geldige reden", False)])
        remark = QLineEdit()
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            self.window.service.mark_absent(field.candidate_id(), reason.currentData(), remark.text(), time.value())
            return f"{field.candidate().entry.name} afwezig gemeld"

        dialog = SessionForm(self.window, "Afwezig", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Reden", reason)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        self.window.run_form(dialog)

    def pause_or_resume(self) -> None:
        if not self.window.ready():
            return
        time = TimeField(self.window.ctx.clock())
        if self.window.state.open_pauses:
            pauses = QListWidget()
            for p in self.window.state.open_pauses:
                item = QListWidgetItem(f"sinds {format_time(p.started)} · {counted(len(p.candidate_ids), 'kandidaat')} · "
                                       f"{p.reason}")
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                pauses.addItem(item)

            def resume() -> str:
                chosen = [pauses.item(i).data(Qt.ItemDataRole.UserRole) for i in range(pauses.count())
                          if pauses.item(i).checkState() == Qt.CheckState.Checked]
                events = self.window.service.resume(chosen, time.value())
                minutes = ", ".join(f"+{e.payload.minutes} min" for e in events
                                    if isinstance(e.payload, ResumePayload))
                return f"Hervat om {format_time(time.value())} ({minutes} op de eindtijd)"

            dialog = SessionForm(self.window, "Hervatten", resume)
            dialog.form.addRow("Pauzes", pauses)
            dialog.form.addRow("Hervat om", time)
            self.window.run_form(dialog)
            return
        selected = self.window.selected_ids()
        everyone = QRadioButton("alle kandidaten die aan het werk zijn")
        chosen = QRadioButton(f"alleen de geselecteerde ({len(selected)})")
        # one candidate selected: most likely that one's pc froze; several or none: everyone
        (chosen if len(selected) == 1 else everyone).setChecked(True)
        chosen.setEnabled(bool(selected))
        reason = QLineEdit()
        reason.setPlaceholderText("stroomstoring, storing platform, ontruiming, …")

        def pause() -> str:
            ids = None if everyone.isChecked() else selected
            self.window.service.pause(ids, reason.text(), time.value())
            return f"Pauze vanaf {format_time(time.value())}: de eindtijden lopen mee tot het hervatten (F5)"

        dialog = SessionForm(self.window, "Pauze (storing)", pause)
        dialog.form.addRow("Voor", everyone)
        dialog.form.addRow("", chosen)
        dialog.form.addRow("Reden", reason)
        dialog.form.addRow("Vanaf", time)
        dialog.first_field = reason
        self.window.run_form(dialog)

    def next_step(self) -> None:
        if not self.window.ready():
            return
        step = self.window.state.step
        if step == "ontvangst":
            self.receipt()
        elif step == "aanwezigheid":
            self.start()
        elif step == "bezig":
            self.end()
        elif step == "afsluiten":
            self.close_session()
        else:
            self.window.say("Deze afname is afgesloten. Met F8 voegt u nog een opmerking toe.")

    def receipt(self) -> None:
        who = QLineEdit(self.window.ctx.user.full_name if self.window.ctx.user else "")
        intact = QCheckBox("verzegeld en intact ontvangen")
        intact.setChecked(True)
        remark = QLineEdit()
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            self.window.service.record_receipt(who.text(), intact.isChecked(), remark.text(), time.value())
            return "Ontvangst van de exameninstrumenten vastgelegd. Meld nu de kandidaten aanwezig (spatie)."

        dialog = SessionForm(self.window, "Ontvangst exameninstrumenten", save)
        dialog.form.addRow("Ontvangen door", who)
        dialog.form.addRow("Staat", intact)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        self.window.run_form(dialog)

    def start(self) -> None:
        time = TimeField(self.window.ctx.clock())
        waiting = [c.entry.name for c in self.window.state.candidates if c.status == CandidateStatus.VERWACHT]

        def save() -> str:
            self.window.service.start(time.value())
            return (f"Afname gestart om {format_time(time.value())}; iedereen is klaar om "
                    f"{format_time(self.window.service.state().base_end)} plus eigen extra tijd.")

        dialog = SessionForm(self.window, "Start van de afname", save)
        dialog.form.addRow("Starttijd", time)
        if waiting:
            note = QLabel(f"Nog verwacht ({len(waiting)}): {', '.join(waiting[:6])}{' …' if len(waiting) > 6 else ''}."
                          " Zij kunnen tot de toelatingsgrens binnenkomen (F3).")
            note.setWordWrap(True)
            dialog.form.addRow("", note)
        self.window.run_form(dialog)

    def end(self) -> None:
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            self._confirm_early_end(time.value())
            self.window.service.end(time.value())
            return f"Einde vastgelegd om {format_time(time.value())}. Sluit af met F10."

        dialog = SessionForm(self.window, "Einde van de afname", save)
        dialog.form.addRow("Eindtijd", time)
        self.window.run_form(dialog)

    def _confirm_early_end(self, at: datetime) -> None:
        """Ending while candidates still have time asks first ("Nee" is the default, so F6, Enter ends
        nothing); declining keeps the form open and records nothing."""
        question = early_end_question(self.window.state, at)
        if question is None:
            return
        parent = self.window.dialog or self.window
        if not ask(parent, "Afname nu beëindigen?", question, "Ja, nu beëindigen", "Nee"):
            raise ExamDeskError("Niet beëindigd: de kandidaten werken verder. Esc sluit dit formulier.")

    def candidate_status(self) -> None:
        if not self.window.ready():
            return
        field = CandidateField(self.window.state, self.window.selected_one())
        status = pick_combo([("weer aan het werk" if s == CandidateStatus.AANWEZIG else s.label, s.value)
                             for s in (CandidateStatus.INGELEVERD, CandidateStatus.VERTROKKEN, CandidateStatus.ONWEL,
                                       CandidateStatus.AANWEZIG)])
        remark = QLineEdit()
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            self.window.service.set_candidate_status(field.candidate_id(), status.currentData(), remark.text(), time.value())
            return f"{field.candidate().entry.name}: {status.currentText()}"

        dialog = SessionForm(self.window, "Status van een kandidaat", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Status", status)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        dialog.first_field = status
        self.window.run_form(dialog)

    def remark(self) -> None:
        if not self.window.ready():
            return
        text = EnterTextEdit()
        text.setFixedHeight(110)
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            self.window.service.remark(text.toPlainText(), time.value())
            return "Opmerking opgeslagen"

        dialog = SessionForm(self.window, "Opmerking", save)
        text.submitted.connect(dialog.ok)
        dialog.form.addRow("Opmerking", text)
        dialog.form.addRow("Tijd", time)
        self.window.run_form(dialog)

    def close_session(self) -> None:
        if not self.window.ready():
            return
        if self.window.state.closed:
            self.window.say("Deze afname is al afgesloten. Met F8 voegt u nog een opmerking toe.")
            return
        summary = self.window.service.summary(self.window.state)
        time = TimeField(self.window.ctx.clock())

        def save() -> str:
            if self.window.state.ended_at is None:
                self._confirm_early_end(time.value())
            self.window.service.close(time.value())
            return "Afname afgesloten. Alleen opmerkingen en correcties kunnen nog worden toegevoegd."

        dialog = SessionForm(self.window, "Afsluiten", save)
        text = QPlainTextEdit(closing_summary_text(summary))
        text.setReadOnly(True)
        text.setMinimumHeight(330)
        text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        dialog.form.addRow(text)
        if self.window.state.ended_at is None:
            dialog.form.addRow("Einde en afsluiten om", time)
        else:
            dialog.form.addRow("Afsluiten om", time)
        dialog.ok_button.setText("Afsluiten (⏎)")
        dialog.setMinimumWidth(900)
        self.window.run_form(dialog)

    def correct_item(self, item: QListWidgetItem) -> None:
        """Enter on a log line: an incident opens for correction; anything else can be declared void."""
        if not self.window.ready():
            return
        event_id = item.data(Qt.ItemDataRole.UserRole)
        event = self.window.state.effective.get(event_id)
        if event is None:
            self.window.say("Deze registratie is al vervallen verklaard.")
            return
        if isinstance(event.payload, IncidentPayload):
            dialog = IncidentDialog(self.window, self.window.service, self.window.state, self.window.ctx.clock(), [], correcting=event_id,
                                    correcting_as=IncidentInput.of(event.payload, event.occurred))
            self.window.run_form(dialog)
            return
        reason = QLineEdit()

        def save() -> str:
            self.window.service.void(event_id, reason.text())
            return "Registratie vervallen verklaard (blijft zichtbaar, doorgestreept)"

        dialog = SessionForm(self.window, "Registratie vervallen verklaren", save)
        dialog.form.addRow("Registratie", plain_label(item.text()))
        dialog.form.addRow("Reden", reason)
        self.window.run_form(dialog)
