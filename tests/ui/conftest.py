"""Widget tests: a form left open with typed input when a test ends (or fails halfway) would ask
'Weggooien?' while pytest-qt closes it, and wait for an answer forever; before the widgets are closed,
every open form and screen panel is told that nothing needs keeping."""

from __future__ import annotations

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    from PySide6.QtWidgets import QApplication

    from examdesk.ui.dialogs import FormDialog
    from examdesk.ui.unsaved import UnsavedInput

    app = QApplication.instance()
    for top in app.topLevelWidgets() if app is not None else []:
        for form in [top, *top.findChildren(FormDialog)]:
            if isinstance(form, FormDialog):
                form.discard_without_asking()
        for panel in top.findChildren(UnsavedInput):      # a screen's panel with typed input (ui/unsaved)
            panel.forget()
    return (yield)
