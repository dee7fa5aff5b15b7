"""House style: calm greys, one accent colour for what needs attention, readable type.

Type sizes in every style sheet are in points at 100 %; `scaled` multiplies them by the font scale the
application starts with (the system's text size: the default font at 9 pt is 100 %), so ExamDesk follows a
user who doubles the text size (issue 14: the whole app works at 200 %)."""

import re

ACCENT = "#1f5f8b"
WARN = "#b35c00"
INK = "#1d2733"
MUTED = "#5b6672"
PANEL = "#f4f6f8"
RULE = "#d5dbe1"

STYLESHEET = f"""
QWidget {{ color: {INK}; font-size: 10pt; }}
QMainWindow, QDialog {{ background: white; }}
#Sidebar {{ background: {PANEL}; border: none; border-right: 1px solid {RULE}; outline: 0; }}
#Sidebar::item {{ padding: 9px 16px; border: none; }}
#Sidebar::item:selected {{ background: white; color: {ACCENT}; font-weight: bold; border-left: 3px solid {ACCENT}; }}
#AppName {{ font-size: 15pt; font-weight: bold; color: {ACCENT}; padding: 14px 16px 10px 16px; background: {PANEL}; }}
#ScreenTitle {{ font-size: 16pt; font-weight: bold; }}
#HeaderClock {{ color: {MUTED}; font-size: 11pt; }}
#Header {{ border-bottom: 1px solid {RULE}; }}
#Card {{ background: white; border: 1px solid {RULE}; border-radius: 6px; }}
#CardTitle {{ font-weight: bold; color: {MUTED}; text-transform: uppercase; font-size: 9pt; }}
#CardLink {{ color: {ACCENT}; }}
#CardWarning {{ color: {WARN}; font-weight: bold; }}
#Notice {{ background: {PANEL}; border: 1px solid {RULE}; border-radius: 6px; padding: 18px; color: {MUTED}; }}
#ErrorText {{ color: {WARN}; }}
#Hint {{ color: {MUTED}; font-size: 9pt; }}
QPushButton {{ padding: 5px 14px; border: 1px solid {RULE}; border-radius: 4px; background: {PANEL}; }}
QPushButton:default {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa3ac; }}
QHeaderView {{ font-weight: bold; }}
QHeaderView::section {{ background: {PANEL}; padding: 4px 6px; border: none; border-bottom: 1px solid {RULE}; }}
QTableView {{ gridline-color: {RULE}; selection-background-color: #d7e6f2; selection-color: {INK}; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit {{ padding: 3px 5px; }}
QStatusBar {{ color: {MUTED}; }}
#StatusChip {{ padding: 4px 12px; border-radius: 12px; background: white; }}
#StatusChip:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; font-weight: bold; }}
"""

BASE_POINT_SIZE = 9.0          # the default system font (Windows, most Linux desktops) is 100 %
_font_scale = 1.0
_POINTS = re.compile(r"(\d+(?:\.\d+)?)pt\b")


def set_font_scale(system_point_size: float) -> float:
    """Takes the system font's size as the user's text size (never below 100 %); returns the scale."""
    global _font_scale
    _font_scale = max(1.0, system_point_size / BASE_POINT_SIZE)
    return _font_scale


def scaled(css: str) -> str:
    """A style sheet with every point size multiplied by the font scale."""
    if _font_scale == 1.0:
        return css
    return _POINTS.sub(lambda m: f"{float(m.group(1)) * _font_scale:g}pt", css)
