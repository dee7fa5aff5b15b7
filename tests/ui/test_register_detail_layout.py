"""The Register's detail panel lays its rich-text facts and history out once per text and width (issue 16):
Qt's QLabel laid the whole table out twice on every height asked, some twenty times as the screen opened."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.register.detail import WrappedRichText
from examdesk.ui.register.screen import RegisterScreen


def _screen(qtbot, store) -> RegisterScreen:
    screen = RegisterScreen(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(screen)
    screen.resize(1400, 850)
    screen.show()
    screen.refresh()
    qtbot.waitExposed(screen)
    return screen


def test_a_resize_that_keeps_the_width_does_not_lay_the_facts_out_again(qtbot, store):
    screen = _screen(qtbot, store)
    detail = screen.detail
    assert detail.facts.text()                    # an instrument is shown
    QApplication.processEvents()
    facts, history = detail.facts.layouts, detail.history.layouts
    # taller, same width: the scroll area asks the labels' heights again, at widths already measured
    detail.resize(detail.width(), detail.height() + 120)
    QApplication.sendEvent(detail, QResizeEvent(detail.size(), QSize(detail.width(), detail.height() - 120)))
    QApplication.processEvents()
    assert (detail.facts.layouts, detail.history.layouts) == (facts, history)


def test_the_same_instrument_shown_again_is_not_laid_out_again(qtbot, store):
    screen = _screen(qtbot, store)
    QApplication.processEvents()
    before = screen.detail.facts.layouts
    screen._show_instrument(screen.selected_instrument())
    QApplication.processEvents()
    assert screen.detail.facts.layouts == before


def test_heights_follow_the_text_the_width_and_the_font(qtbot):
    label = WrappedRichText()
    qtbot.addWidget(label)
    label.setText("<table><tr><td>Code</td><td>kort</td></tr></table>")
    short = label.heightForWidth(200)
    assert label.heightForWidth(200) == short and label.layouts == 1
    label.setText("<table><tr><td>Code</td><td>" + "een lange zin die afbreekt " * 12 + "</td></tr></table>")
    long = label.heightForWidth(200)
    assert long > short                                    # new text: measured again
    assert label.heightForWidth(100) > long                # narrower: more lines
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)                                    # 200 %: the same width holds fewer words a line
    assert label.heightForWidth(200) > long


def test_the_register_is_read_as_the_screen_is_built_and_read_again_after_a_write(qtbot, store, monkeypatch):
    """Built while the user reads the Overzicht, the screen has the register read by then: opening it fills and
    paints (issue 16). A write in between is not hidden by that: the open reads it again."""
    from examdesk.services.register import RegisterService

    computed: list[object] = []
    real = RegisterService._compute_view
    monkeypatch.setattr(RegisterService, "_compute_view",
                        lambda self, on, year: computed.append(on) or real(self, on, year))
    ctx = AppContext(store, AuthService(store).login("commissie", "demo"))
    screen = RegisterScreen(ctx)
    qtbot.addWidget(screen)
    assert len(computed) == 1                            # while built
    screen.refresh()
    assert len(computed) == 1 and screen.qual_model.rowCount() == 13       # opened: nothing read again
    store.conn.execute("UPDATE qualifications SET name = name || ' (gewijzigd)' WHERE crebo = '25491'")
    screen.refresh()
    assert len(computed) == 2
    assert any(q.qualification.name.endswith("(gewijzigd)") for q in screen.qual_model.rows)


def test_a_role_without_the_register_still_builds_the_screen(qtbot, store):
    """The read-ahead is refused for a user who may not see the register; building does not fail on it."""
    ctx = AppContext(store, AuthService(store).login("surveillant", "demo"))
    screen = RegisterScreen(ctx)
    qtbot.addWidget(screen)
    assert screen.view_data is None
