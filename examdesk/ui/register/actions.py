"""What the Register's buttons do: each opens its dialog for the instrument or kwalificatie on show and,
when something was saved, has the screen read the register again with it still selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.domain.register import Qualification, route_refusal, school_year_bounds
from examdesk.domain.roles import Action
from examdesk.ui.common import show_error
from examdesk.ui.register.criteria_dialog import CriteriaDialog
from examdesk.ui.register.dialogs import (
    AdoptDialog,
    InstrumentDialog,
    RouteChoiceDialog,
    RouteExceptionDialog,
    StatusStepDialog,
)
from examdesk.ui.register.import_dialog import ImportDialog, choose_export_file
from examdesk.ui.worker import run_in_background

if TYPE_CHECKING:
    from examdesk.ui.register.screen import RegisterScreen


class InstrumentActions:
    def __init__(self, screen: RegisterScreen):
        self.screen = screen

    def _qualifications(self) -> list[Qualification]:
        return [q.qualification for q in self.screen.view_data.qualifications] if self.screen.view_data else []

    def new_instrument(self) -> None:
        if not self.screen.ctx.can(Action.EDIT_REGISTER) or self.screen.view_data is None:
            return
        dialog = InstrumentDialog(self.screen, self.screen.service, self._qualifications(), self.screen.view_data.suppliers,
                                  crebo=self.screen._selected_crebo or "")
        if dialog.exec():
            self.screen._after_change(dialog.result_value.id, dialog.result_value.crebo)

    def edit_instrument(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.ctx.can(Action.EDIT_REGISTER) or self.screen.view_data is None:
            return
        dialog = InstrumentDialog(self.screen, self.screen.service, self._qualifications(), self.screen.view_data.suppliers,
                                  instrument=x.instrument)
        if dialog.exec():
            self.screen._after_change(x.instrument.id, dialog.result_value.crebo)

    def adopt(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.adopt_button.isEnabled():
            return
        if AdoptDialog(self.screen, self.screen.service, x.instrument).exec():
            self.screen._after_change(x.instrument.id)

    def _status_step(self, title: str, intro: str, ok: str, action) -> None:
        x = self.screen.selected_instrument()
        if x is None:
            return
        dialog = StatusStepDialog(self.screen, self.screen.service, x.instrument, title, intro, ok,
                              lambda iid, reason, on: action(iid, reason, on))
        if dialog.exec():
            self.screen._after_change(x.instrument.id)

    def mark_changed(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.change_button.isEnabled():
            return
        if x.instrument.replaceable:
            intro = ("Een gewijzigd instrument is vanaf deze datum niet meer valide, tot de examencommissie het opnieuw "
                     "vaststelt. Beschrijf wat er is gewijzigd.")
        else:
            intro = ("Dit instrument heeft een vaste examenopdracht: met de wijziging eindigt de validiteit, en opnieuw "
                     "vaststellen alleen maakt het niet weer valide (daarvoor is ook de route opnieuw nodig: "
                     "nieuwe inkoop, de criteria van bijlage 2 opnieuw, of een nieuwe externe validering). "
                     "Beschrijf wat er is gewijzigd.")
        self._status_step(f"{x.instrument.code} als gewijzigd markeren", intro, "Markeren als gewijzigd",
                          self.screen.service.mark_changed)

    def mark_provisional(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.provisional_button.isEnabled():
            return
        self._status_step(f"{x.instrument.code}: opdracht vervangen",
                          "De school heeft opdrachten van dit instrument vervangen. Het is vanaf deze datum onder "
                          "voorbehoud en niet valide tot de examencommissie het opnieuw vaststelt; het kan wel worden "
                          "gepland, maar een afnamepakket volgt pas na die vaststelling. Welke opdracht?",
                          "Vastleggen", self.screen.service.mark_provisional)

    def record_criteria(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.criteria_button.isEnabled():
            return
        if CriteriaDialog(self.screen, self.screen.service, x.instrument, list(x.criteria)).exec():
            self.screen._after_change(x.instrument.id)

    def route_exception(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.exception_button.isEnabled() or self.screen.view_data is None:
            return
        year = self.screen.school_year
        on = max(self.screen.view_data.on, school_year_bounds(year)[0])
        line = self.screen.selected_qualification()
        reason = route_refusal(x.instrument, line.route_choice if line else None, None, on) or (
            f"{x.instrument.code} valt binnen de routekeuze voor {year}; een afwijking is niet nodig.")
        if RouteExceptionDialog(self.screen, self.screen.service, x.instrument, year, x.exception, reason).exec():
            self.screen._after_change(x.instrument.id)

    def withdraw(self) -> None:
        x = self.screen.selected_instrument()
        if x is None or not self.screen.withdraw_button.isEnabled():
            return
        self._status_step(f"{x.instrument.code} intrekken",
                          "Een ingetrokken instrument wordt niet meer gebruikt en kan niet opnieuw worden "
                          "vastgesteld. Waarom wordt het ingetrokken?", "Intrekken", self.screen.service.withdraw)

    def choose_routes(self) -> None:
        line = self.screen.selected_qualification()
        if line is None or not self.screen.ctx.can(Action.CHOOSE_ROUTES):
            return
        dialog = RouteChoiceDialog(self.screen, self.screen.service, line.qualification, self.screen.school_year, line.route_choice)
        if dialog.exec():
            self.screen._after_change(crebo=line.qualification.crebo)

    def import_file(self) -> None:
        if not self.screen.ctx.can(Action.IMPORT_REGISTER):
            return
        dialog = ImportDialog(self.screen, self.screen.service)
        if dialog.exec() and dialog.result is not None:
            self.screen.refresh()
            QMessageBox.information(self.screen, "Importeren", dialog.result.sentence)

    def export(self) -> None:
        if not self.screen.ctx.can(Action.EXPORT_REGISTER):
            return
        path = choose_export_file(self.screen, self.screen.ctx.clock().date())
        if path is None:
            return
        run_in_background(self.screen, lambda: self.screen.service.export(path), lambda n: QMessageBox.information(
            self.screen, "Exporteren", f"Het register ({counted(n, 'instrument')}) is geëxporteerd naar {path}."),
            lambda exc: show_error(self.screen, exc) if isinstance(exc, ExamDeskError) else _raise(exc), "Exporteren…")


def _raise(exc: Exception) -> None:
    raise exc
