"""Qt only here: one package per screen (see docs/architecture.md, "The screens"), the one table model,
the dialog base. No SQL: everything goes through services."""

import sys

import PySide6.QtCore  # noqa: F401 (loads PySide's support modules, changed below before the screens import)


def _answer_pyside_feature_scan() -> None:
    """PySide6 reads the source of every module imported after it (`shibokensupport.feature._mod_uses_pyside`:
    `inspect.getsource` and a search for "PySide6") to set the module's default for its opt-in
    `from __feature__ import snake_case, true_property` — on a start ~170 files read and kept in `linecache`,
    ~25 ms on the GUI thread (issue 16). ExamDesk selects no feature anywhere, so the answer is known without
    reading: an ExamDesk module gets "no feature" (0, what reading would give a module that uses PySide), any
    other module "ignore" (-1, what it gives a module that does not). Only the answer changes, not the import:
    a PySide without this function (a later version) is left alone."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda module: str(getattr(module, "__name__", "")).split(".")[0] == "examdesk"


_answer_pyside_feature_scan()
