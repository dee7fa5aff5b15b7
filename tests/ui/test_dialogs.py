"""Every dialog of ExamDesk (issue 14, through the one base of issue 15): it opens with the cursor in its
first field, and Tab — pressed as a user presses it — walks every field in reading order and reaches the
buttons last. The dialog classes are found by importing every module under examdesk/ui, so a new dialog
without a row here fails `test_every_dialog_class_has_a_row`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fake_document_kind
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QScrollArea,
    QWidget,
)

import examdesk.ui
from examdesk.domain.backups import DatabaseState, StartupVerdict
from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.candidates import read_table
from examdesk.services.commission_policy import CommissionPolicyService
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.documents import DocumentService
from examdesk.services.exam_periods import ExamPeriodService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.keys import KeyService
from examdesk.services.register import RegisterService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService
from examdesk.services.users import UserService
from examdesk.ui.dialogs import BaseDialog, FormDialog, reading_order
from tests.session_support import Clock, at, context, plan_session

BASES = {BaseDialog, FormDialog}   # what every dialog is made of; not shown on their own


def _dialog_classes() -> dict[str, type[QDialog]]:
    found: dict[str, type[QDialog]] = {}
    for info in pkgutil.walk_packages(examdesk.ui.__path__, "examdesk.ui."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, QDialog) and obj.__module__ == module.__name__:
                found[name if name not in found else f"{module.__name__}.{name}"] = obj
    return found


@dataclass
class Env:
    """What the rows build their dialogs from: the demo database as each role sees it."""

    store: Any
    ctx_for: Callable[[Role], Any]
    tmp_path: Path
    parent: QWidget
    qtbot: Any

    def register(self, role: Role = Role.COMMISSIE) -> RegisterService:
        return RegisterService(self.ctx_for(role))

    def instrument(self, route: int | None = None):
        view = self.register().view()
        return next(x.instrument for x in view.instrument_lines() if route is None or x.instrument.route == route)

    def desk(self) -> IncidentDeskService:
        return IncidentDeskService(self.ctx_for(Role.COMMISSIE))

    def session_mode(self) -> tuple[SessionModeService, Any]:
        clock = Clock(at(8, 30))
        sid, _ids = plan_session(self.store, clock, count=3)
        service = SessionModeService(context(self.store, "surveillant", clock), sid)
        return service, clock


def _session_mode_window(env: Env):
    from examdesk.ui.session_mode.window import SessionModeWindow

    service, clock = env.session_mode()
    window = SessionModeWindow(service.ctx, service.plan.id)
    window.timer.stop()
    env.qtbot.addWidget(window)
    return window


def _session_form(env: Env, action: str) -> tuple[QDialog, str]:
    window = _session_mode_window(env)
    window.show()
    getattr(window.actions, action)()
    return window.dialog, {"late": "row:Kandidaat", "absent": "row:Kandidaat", "pause_or_resume": "row:Reden",
                           "candidate_status": "row:Status", "remark": "row:Opmerking",
                           "receipt": "row:Ontvangen door"}[action]


def _recovery_verdict(env: Env) -> StartupVerdict:
    from examdesk.domain.clock import now

    return StartupVerdict(env.tmp_path / "examdesk.sqlite", DatabaseState.DAMAGED, "De database is beschadigd.",
                          now(), repairable=True)


def _viewer(env: Env):
    from examdesk.ui.documents.viewer import DocumentViewer

    record, pdf = DocumentService(env.ctx_for(Role.COMMISSIE)).issue("test", "instelling")
    return DocumentViewer(env.ctx_for(Role.COMMISSIE), record, pdf, env.parent)


def _candidate_import(env: Env):
    from examdesk.ui.sessions.candidate_import import ImportDialog

    path = env.tmp_path / "kandidaten.csv"
    path.write_text("studentnummer;achternaam;voornaam\n1001;Şahin;Elif\n", encoding="utf-8")
    return ImportDialog(env.ctx_for(Role.BUREAU), read_table(path), "Osiris", env.parent)


def _decision(env: Env):
    from examdesk.ui.incidents.dialogs import DecisionDialog

    desk = env.desk()
    row = desk.page(IncidentFilter(status="open"), 0, 1)[0]
    case = desk.case(row.incident_id)
    people = [(c.candidate_id, c.name) for c in case.candidates]
    members = desk.commission_members()
    return DecisionDialog(env.parent, row.protocol_point, desk.allowed_measures(row.incident_id), people,
                          {c for c, _ in people}, members, members[0].id, amsterdam_today(), lambda d: None)


def _decided(env: Env):
    """A decision about a candidate in the demo, and the case it belongs to."""
    desk = env.desk()
    for row in desk.page(IncidentFilter(status="besloten"), 0, 50):
        case = desk.case(row.incident_id)
        decision = next((d for d in case.decisions if d.candidate_id is not None), None)
        if decision is not None:
            return case, decision
    raise AssertionError("the demo has no decision about a candidate")


def _key_confirm(env: Env):
    """The confirmation a beheerder sees for a record signed by an exam PC this database does not know."""
    from examdesk.domain.exchange_keys import KeyNotTrusted
    from examdesk.services.exchange_keys import ExchangeKeyService
    from examdesk.ui.key_confirm_dialog import KeyConfirmDialog
    from tests import exchange_forger as forger

    path = forger.write(env.tmp_path / "verslag.examdesk", "afnameverslag", {"sessions": [], "users": []}, [],
                        signer=forger.Key.new(), setup_code="AAAA-BBBB-CCCC-DDDD")
    ctx = env.ctx_for(Role.BEHEERDER)
    with pytest.raises(KeyNotTrusted) as refused:
        ExchangeKeyService(ctx).signer(path)
    return KeyConfirmDialog(refused.value, path, ctx, parent=env.parent)


# class name → build(env) → (dialog, name of the attribute holding the field it must open in)
ROWS: dict[str, Callable[[Env], tuple[QDialog, str]]] = {
    "ExportKeysDialog": lambda env: (_import("admin.keys").ExportKeysDialog(KeyService(env.ctx_for(Role.BEHEERDER)),
                                                                            env.parent), "path"),
    "ImportKeysDialog": lambda env: (_import("admin.keys").ImportKeysDialog(env.tmp_path / "x.sqlite", env.parent),
                                     "path"),
    "NewUserDialog": lambda env: (_import("admin.users").NewUserDialog(UserService(env.ctx_for(Role.BEHEERDER)),
                                                                        env.parent), "username"),
    "PasswordDialog": lambda env: (_import("admin.users").PasswordDialog(
        UserService(env.ctx_for(Role.BEHEERDER)), env.ctx_for(Role.SURVEILLANT).user, env.parent), "password"),
    "LoginDialog": lambda env: (_import("auth_dialogs").LoginDialog(AuthService(env.store), "ROC", "demo",
                                                                    env.parent), "username"),
    "SetupDialog": lambda env: (_import("auth_dialogs").SetupDialog(AuthService(env.store), env.parent), "name"),
    "ReasonDialog": lambda env: (_import("dialogs").ReasonDialog(env.parent, "Heropenen", "Waarom?", lambda t: None),
                                 "text"),
    "DocumentViewer": lambda env: (_viewer(env), "view"),
    "KeyConfirmDialog": lambda env: (_key_confirm(env), "compared"),
    "SetupCodeDialog": lambda env: (_import("key_confirm_dialog").SetupCodeDialog("pakket.examdesk", env.parent),
                                    "code"),
    "IncidentCorrectionDialog": lambda env: (_import("incidents.correction_dialog").IncidentCorrectionDialog(
        env.parent, env.desk(), _decided(env)[0]), "category"),
    "MinorDialog": lambda env: (_import("incidents.letter_dialogs").MinorDialog(
        env.parent, DecisionLetterService(env.ctx_for(Role.COMMISSIE)), _decided(env)[1].id,
        "Was de kandidaat minderjarig op de besluitdatum?"), "minor"),
    "DispatchDialog": lambda env: (_import("incidents.letter_dialogs").DispatchDialog(
        env.parent, DecisionLetterService(env.ctx_for(Role.COMMISSIE)), _decided(env)[1], amsterdam_today()), "sent_on"),
    "PolicyDialog": lambda env: (_import("reports.annual_report").PolicyDialog(
        env.parent, CommissionPolicyService(env.ctx_for(Role.COMMISSIE)), "2026-2027"), "text"),
    "GradeDeterminationDialog": lambda env: (_import("sessions.grade_determination").GradeDeterminationDialog(
        env.parent, env.ctx_for(Role.BUREAU), SessionService(env.ctx_for(Role.BUREAU)).list()[0]), "processed_on"),
    "ExchangeDialog": lambda env: (_import("exchange_dialog").ExchangeDialog(env.ctx_for(Role.BUREAU), env.parent),
                                   "package_tab.list"),
    "AnswerDialog": lambda env: (_import("incidents.dialogs").AnswerDialog(
        env.parent, amsterdam_today(), [(1, "Elif Şahin")], lambda *a: None), "back"),
    "DecisionDialog": lambda env: (_decision(env), "candidates"),
    "FoundIncidentDialog": lambda env: (_import("incidents.casework_dialogs").FoundIncidentDialog(
        env.parent, env.desk().catalogue, [("x", "10-03-2027 · Nederlands 3F")], lambda s: [(1, "Elif Şahin")],
        amsterdam_today(), lambda *a: None), "session"),
    "HearingDialog": lambda env: (_import("incidents.casework_dialogs").HearingDialog(
        env.parent, [(1, "Elif Şahin")], "Marieke de Vries", amsterdam_today(), lambda *a: None), "candidate"),
    "EvidenceDialog": lambda env: (_import("incidents.casework_dialogs").EvidenceDialog(
        env.parent, [], lambda *a: None), "path"),
    "AppealDialog": lambda env: (_import("incidents.casework_dialogs").AppealDialog(
        env.parent, [(_decided(env)[1], "termijn tot en met 01-05-2027")], amsterdam_today(), lambda *a: None), "decision"),
    "AppealOutcomeDialog": lambda env: (_import("incidents.casework_dialogs").AppealOutcomeDialog(
        env.parent, "Beroep ingesteld op 01-04-2027", ("cijfer_1", "ongeldig"), amsterdam_today(), lambda *a: None),
        "hearing_known"),
    "HistoryDialog": lambda env: (_import("incidents.casework_dialogs").HistoryDialog(
        env.parent, [(1, "Elif Şahin")], lambda cid: []), "candidate"),
    "ReclassifyDialog": lambda env: (_import("incidents.dialogs").ReclassifyDialog(
        env.parent, env.desk().catalogue, "centraal", "ONWEL", lambda *a: None), "category"),
    "ReportDialog": lambda env: (_import("incidents.dialogs").ReportDialog(
        env.parent, "melding", amsterdam_today(), env.desk().commission_members(), 0, lambda *a: None), "reported_on"),
    "MyDetailsDialog": lambda env: (_import("profile_dialog").MyDetailsDialog(env.ctx_for(Role.COMMISSIE),
                                                                              env.parent), "function"),
    "RecoveryDialog": lambda env: (_import("recovery_dialog").RecoveryDialog(_recovery_verdict(env), env.parent),
                                   "repair_button"),
    "AdoptDialog": lambda env: (_import("register.dialogs").AdoptDialog(env.parent, env.register(),
                                                                        env.instrument()), "on"),
    "CriteriaDialog": lambda env: (_import("register.criteria_dialog").CriteriaDialog(
        env.parent, env.register(), env.instrument(route=2), []), "checked_by"),
    "ImportDialog": lambda env: (_import("register.import_dialog").ImportDialog(env.parent, env.register()), "kind"),
    "examdesk.ui.sessions.candidate_import.ImportDialog": lambda env: (_candidate_import(env), "source"),
    "InstrumentDialog": lambda env: (_import("register.dialogs").InstrumentDialog(
        env.parent, env.register(), [q.qualification for q in env.register().view().qualifications],
        env.register().view().suppliers), "code"),
    "RouteChoiceDialog": lambda env: (_import("register.dialogs").RouteChoiceDialog(
        env.parent, env.register(), env.register().view().qualifications[0].qualification, "2026-2027", None),
        "routes.1"),
    "RouteExceptionDialog": lambda env: (_import("register.dialogs").RouteExceptionDialog(
        env.parent, env.register(), env.instrument(), "2026-2027", None, "Buiten de routekeuze."), "reason"),
    "StatusStepDialog": lambda env: (_import("register.dialogs").StatusStepDialog(
        env.parent, env.register(), env.instrument(), "Intrekken", "Waarom?", "Intrekken", lambda *a: None), "on"),
    "SupplierDialog": lambda env: (_import("register.dialogs").SupplierDialog(env.parent, env.register()), "name"),
    "IncidentDialog": lambda env: _incident_form(env),
    "SessionForm": lambda env: _session_form(env, "late"),
    "CandidateDialog": lambda env: (_import("sessions.candidates").CandidateDialog(env.ctx_for(Role.BUREAU), None,
                                                                                   env.parent), "number"),
    "EndTimeDialog": lambda env: _end_time(env),
    "PeriodDialog": lambda env: (_import("sessions.exam_periods").PeriodDialog(
        ExamPeriodService(env.ctx_for(Role.BUREAU)), "2026-2027", env.parent), "school_year"),
    "LocationDialog": lambda env: (_import("sessions.locations").LocationDialog(
        LocationService(env.ctx_for(Role.BUREAU)), None, env.parent), "name"),
    "RoomDialog": lambda env: (_import("sessions.locations").RoomDialog(
        LocationService(env.ctx_for(Role.BUREAU)), None, env.parent), "location"),
    "PlanDialog": lambda env: (_import("sessions.plan_dialog").PlanDialog(env.ctx_for(Role.BUREAU), None,
                                                                          env.parent), "central"),
}
# session mode builds most of its forms from SessionForm as a key is pressed: each of those too
EXTRA_ROWS: dict[str, Callable[[Env], tuple[QDialog, str]]] = {
    f"SessionForm:{action}": (lambda env, a=action: _session_form(env, a))
    for action in ("absent", "pause_or_resume", "candidate_status", "remark", "receipt")
}


def _import(name: str) -> Any:
    return importlib.import_module(f"examdesk.ui.{name}")


def _incident_form(env: Env) -> tuple[QDialog, str]:
    window = _session_mode_window(env)
    window.show()
    window.actions.incident()
    return window.dialog, "filter"


def _end_time(env: Env) -> tuple[QDialog, str]:
    from examdesk.ui.sessions.end_time_dialog import EndTimeDialog

    service, clock = env.session_mode()
    clock.set(8, 45)
    service.record_receipt("Jan Bakker", True, "", at(8, 40))
    service.mark_present([c.candidate_id for c in service.state().candidates])
    clock.set(9, 0)
    service.start(at(9, 0))
    return EndTimeDialog(service, service.state(), env.parent), "candidate"


def _attribute(dialog: QDialog, path: str) -> QWidget:
    """An attribute path ('routes.1'), or 'row:Label' for the first field of the form row with that label."""
    if path.startswith("row:"):
        form = dialog.form
        for row in range(form.rowCount()):
            label = form.itemAt(row, form.ItemRole.LabelRole)
            if label is not None and label.widget().text() == path[4:]:
                field = form.itemAt(row, form.ItemRole.FieldRole)
                widget = field.widget()
                return (reading_order(widget) or [widget])[0] if widget.layout() else widget
        raise AssertionError(f"no form row {path[4:]!r}")
    value: Any = dialog
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


@pytest.fixture
def env(qtbot, store, ctx_for, tmp_path, monkeypatch) -> Env:
    fake_document_kind.register(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)
    return Env(store, ctx_for, tmp_path, parent, qtbot)


def test_every_dialog_class_has_a_row():
    classes = _dialog_classes()
    missing = sorted(name for name, cls in classes.items() if cls not in BASES and name not in ROWS)
    assert missing == [], f"dialogs without a row in tests/ui/test_dialogs.py: {missing}"
    assert all(issubclass(cls, BaseDialog) for cls in classes.values()), "every dialog is made from BaseDialog"
    assert sorted(ROWS) == sorted(name for name, cls in classes.items() if cls not in BASES)


def _owner(widget: QWidget | None, fields: list[QWidget]) -> QWidget | None:
    """The field a focused widget belongs to (a spin box's line edit → the spin box)."""
    while widget is not None and widget not in fields:
        widget = widget.parentWidget()
    return widget


def _rect(widget: QWidget, dialog: QDialog) -> QRect:
    """Where the widget sits in the dialog as laid out, as if the dialog were tall enough not to scroll: a
    form taller than the screen scrolls, and a field scrolled out of view still reads before the buttons."""
    top_left = widget.mapTo(dialog, QPoint(0, 0))
    for area in dialog.findChildren(QScrollArea):
        content = area.widget()
        if content is None or not area.isVisibleTo(dialog):
            continue
        area_top = area.mapTo(dialog, QPoint(0, 0))
        if content.isAncestorOf(widget):
            top_left = widget.mapTo(content, QPoint(0, 0)) + area_top
        elif top_left.y() >= area_top.y() + area.height() and not area.isAncestorOf(widget):
            top_left += QPoint(0, max(0, content.height() - area.viewport().height()))
    return QRect(top_left, widget.size())


def _reads_before(a: QRect, b: QRect) -> bool:
    """b comes after a when reading: further right on the same line, or lower down (or inside a, as a tab
    page's first field after its tab)."""
    if a.contains(b):
        return True
    overlap = min(a.bottom(), b.bottom()) - max(a.top(), b.top())
    if overlap > min(a.height(), b.height()) / 2:
        return b.center().x() > a.center().x()
    return b.center().y() > a.center().y()


@pytest.mark.parametrize("row", sorted({**ROWS, **EXTRA_ROWS}))
def test_the_dialog_opens_in_its_first_field_and_tab_follows_reading_order(qtbot, env, row):
    dialog, first = {**ROWS, **EXTRA_ROWS}[row](env)      # owned by its parent window, closed with it
    if not dialog.isVisible():
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isAncestorOf(QApplication.focusWidget()))
    fields = [w for w in reading_order(dialog) if w.isEnabled() and w.isVisibleTo(dialog)]
    expected = _attribute(dialog, first)
    assert _owner(QApplication.focusWidget(), fields) is expected, (
        f"{row} opens in {QApplication.focusWidget()!r}, not in its first field {first}")

    cycle: list[QWidget] = [expected]          # Tab pressed until it comes round to where it started
    for _ in range(8 * len(fields) + 10):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        current = _owner(QApplication.focusWidget(), fields)
        if current is None or (current is expected and len(cycle) > 1):
            break
        if current is not cycle[-1]:           # a date field takes Tab from day to month to year first
            cycle.append(current)
    start = min(range(len(cycle)), key=lambda i: fields.index(cycle[i]))
    visited = cycle[start:] + cycle[:start]    # read from the top of the dialog
    buttons = {w for w in visited if isinstance(w, QAbstractButton) and not isinstance(w, QCheckBox | QRadioButton)}
    last_field = max((i for i, w in enumerate(visited) if w not in buttons), default=-1)
    box_buttons = {b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()}
    assert not any(w in box_buttons for w in visited[:max(last_field, 0)]), f"{row}: OK or Annuleren before a field"
    for before, after in zip(visited, visited[1:], strict=False):
        assert _reads_before(_rect(before, dialog), _rect(after, dialog)), (
            f"{row}: Tab goes from {before!r} to {after!r}, against the reading order")
    reachable = [w for w in fields if w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value and w.isVisible()
                 and not (isinstance(w, QRadioButton) and not w.isChecked())]   # a radio group: one stop
    assert set(reachable) <= set(visited), (
        f"{row}: Tab never reaches {[w for w in reachable if w not in visited]}")
    dialog.done(QDialog.DialogCode.Rejected)
