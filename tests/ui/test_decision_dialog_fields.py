"""The decision dialog shows only what the service reads (issue 13 follow-up): for a sanction the hearing record
and the members' own logins decide, so the old 'kandidaat gehoord op' box and the members' list are hidden there
(they were ignored), with the reason for no hearing in their place; for any other decision the box is the only
record of a hearing and stays, and a reason for no hearing (which the service ignores there) is hidden."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.ui.incidents.dialogs import DecisionDialog
from tests.desk_support import SECOND, desk
from tests.services.test_casework import _case, casework, counts, heard, sanction
from tests.session_support import DAY, Clock, at


def _dialog(qtbot, desk: IncidentDeskService, point: int) -> DecisionDialog:
    members = desk.commission_members()
    allowed = ("cijfer_1", "uitsluiting", "ongeldig", "volgend_tijdvak", "ongeldig_opnieuw")
    dialog = DecisionDialog(None, point, allowed, [(1, "Elif Şahin (1001)")], {1}, members, members[0].id,
                            amsterdam_today(), lambda d: None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _shown(dialog: DecisionDialog, widget) -> bool:
    label = dialog.form.labelForField(widget)
    return not widget.isHidden() and (label is None or not label.isHidden())


def test_a_sanction_hides_the_hearing_box_and_the_members_it_would_ignore(qtbot, ctx_for):
    dialog = _dialog(qtbot, IncidentDeskService(ctx_for(Role.COMMISSIE)), 9)
    assert _shown(dialog, dialog.heard_row) and _shown(dialog, dialog.members)
    assert not _shown(dialog, dialog.no_hearing)
    dialog.measure_boxes["cijfer_1"].setChecked(True)
    assert not _shown(dialog, dialog.heard_row) and not _shown(dialog, dialog.members)
    assert _shown(dialog, dialog.no_hearing)
    assert "Horen…" in dialog.sanction_hint.text()
    if os.environ.get("EXAMDESK_PNG"):
        dialog.grab().save(os.path.join(os.environ["EXAMDESK_PNG"], "decision_sanction.png"))
    dialog.measure_boxes["cijfer_1"].setChecked(False)
    dialog.measure_boxes["ongeldig_opnieuw"].setChecked(True)
    assert _shown(dialog, dialog.heard_row) and _shown(dialog, dialog.members)
    assert not _shown(dialog, dialog.no_hearing)
    if os.environ.get("EXAMDESK_PNG"):
        dialog.grab().save(os.path.join(os.environ["EXAMDESK_PNG"], "decision_void.png"))


def test_what_is_hidden_is_not_sent(qtbot, ctx_for):
    dialog = _dialog(qtbot, IncidentDeskService(ctx_for(Role.COMMISSIE)), 9)
    dialog.heard.setChecked(True)
    dialog.no_hearing.setText("de kandidaat is onbereikbaar")
    dialog.measure_boxes["uitsluiting"].setChecked(True)
    sanction = dialog.values()
    assert (sanction.heard, sanction.heard_on, sanction.no_hearing_reason) == (False, None,
                                                                               "de kandidaat is onbereikbaar")
    dialog.measure_boxes["uitsluiting"].setChecked(False)
    dialog.measure_boxes["ongeldig_opnieuw"].setChecked(True)
    other = dialog.values()
    assert other.heard and other.heard_on == amsterdam_today() and other.no_hearing_reason == ""


def test_the_service_refuses_a_gehoord_box_on_a_sanction(store):
    """What the box said was silently replaced by the hearing record; now a caller that sends it is told, and
    nothing is saved."""
    clock = Clock(at(8, 30))
    incident, ids = _case(store, clock, "gb")
    casework(store, clock).record_hearing(incident, heard(ids[0]))
    before = counts(store)
    with pytest.raises(ValidationError, match="Horen…"):
        desk(store, clock).decide(incident, sanction(ids[0], heard=True, heard_on=DAY), SECOND)
    assert counts(store) == before
    [d] = desk(store, clock).decide(incident, sanction(ids[0]), SECOND)
    assert d.heard and d.heard_on == DAY + timedelta(days=2)          # from the hearing record
