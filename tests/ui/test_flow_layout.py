"""The wrapping row keeps its height per width (Qt asks it hundreds of times as a screen opens) and still
answers right when an item is added, hidden, shown or grows: a kept answer that outlived its items would cut
off the buttons that wrapped onto a new line."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from examdesk.ui.flow_layout import flow_row


def _row(qtbot, texts):
    holder, layout = flow_row()
    qtbot.addWidget(holder)
    buttons = [QPushButton(t) for t in texts]
    for b in buttons:
        layout.add(b)
    return holder, layout, buttons


def test_hiding_and_showing_an_item_changes_the_height_it_needs(qtbot):
    holder, layout, buttons = _row(qtbot, ["Eerste knop", "Tweede knop", "Derde knop"])
    width = buttons[0].sizeHint().width() + buttons[1].sizeHint().width() + 10   # two fit, the third wraps
    two_lines = layout.heightForWidth(width)
    buttons[2].hide()
    assert layout.heightForWidth(width) < two_lines          # one line once the third is hidden
    buttons[2].show()
    assert layout.heightForWidth(width) == two_lines


def test_an_item_that_grows_or_is_added_is_measured_again(qtbot):
    holder, layout, buttons = _row(qtbot, ["Een", "Twee"])
    width = 400
    one_line = layout.heightForWidth(width)
    buttons[1].setText("Een veel langere titel die niet meer naast de eerste knop past" * 2)
    assert layout.heightForWidth(width) > one_line           # the grown button wrapped onto a line of its own
    buttons[1].setText("Twee")
    assert layout.heightForWidth(width) == one_line
    layout.add(QPushButton("Nog een knop die net niet meer past op de regel, lang genoeg" * 2))
    assert layout.heightForWidth(width) > one_line
