"""The commission withdraws an incident from the Incidenten screen: one reason, then the desk's service
(`IncidentDeskService.withdraw`) writes the withdrawal into the session's record and withdraws the resits
its decisions created. Kept in its own module so the screen needs only a button for it."""

from __future__ import annotations

from typing import Any

from examdesk.ui.incident_dialogs import ReasonDialog

PROMPT = ("Waarom trekt de examencommissie dit incident in? De reden komt in het verslag van de afname en op het "
          "procesverbaal; herkansingen die een besluit over dit incident gaf, vervallen.")


def withdraw_incident(screen: Any) -> bool:
    """`screen` is the Incidenten screen with an incident on show (`screen.case`)."""
    incident_id = screen.case.row.incident_id
    dialog = ReasonDialog(screen, "Incident intrekken", PROMPT,
                          lambda reason: screen.service.withdraw(incident_id, reason), ok_text="Intrekken")
    return screen._run(dialog)
