"""House style: calm greys, one accent colour for what needs attention, readable type.

Type sizes in every style sheet are in points at 100 %; `scaled` multiplies them by the font scale the
application starts with (the system's text size: the default font at 9 pt is 100 %), so ExamDesk follows a
user who doubles the text size (issue 14: the whole app works at 200 %)."""

import re
from dataclasses import dataclass

# --- the one palette (issue 14: every colour ExamDesk sets is declared here, and every text colour on every
# background it is drawn on is listed in CONTRAST_PAIRS, which tests/ui/test_contrast.py holds to WCAG AA) ---
ACCENT = "#1f5f8b"
WARN = "#a33a00"             # also session mode's: one warning colour (the lighter #b35c00 failed AA on grey)
INK = "#1d2733"
MUTED = "#535d68"            # 4.45:1 on session mode's selection as #5b6672; now ≥ 5:1 everywhere
PANEL = "#f4f6f8"
RULE = "#d5dbe1"
WHITE = "#ffffff"
FOCUS = ACCENT               # the 2 px ring round the control the keyboard is on (6.6:1 on white, 3:1 asked)
DISABLED = "#9aa3ac"         # inactive controls: WCAG 1.4.3 exempts them (listed, not held to AA)
SELECTION = "#d7e6f2"
ALTERNATE_ROW = "#f7f7f7"    # set in the style sheet, so the pairs below are the ones drawn
RETIRED_RULE = "#eceff2"     # the border of a decision that was superseded (no text in this colour)
OUTDATED_BACKGROUND = "#fff3c4"
OUTDATED_RULE = "#e0c050"
# session mode: large type read from two metres
SESSION_INK = "#0b0f14"
SESSION_BAR = "#0d2b45"
SESSION_SUBHEADER = "#d9e6f2"
SESSION_GRID = "#c9d1d9"
SESSION_SELECTION = "#cfe3f5"
SESSION_HEADER = "#eef2f5"
SAVED = "#1d6b2f"
NOTE = "#444444"


@dataclass(frozen=True)
class ColourPair:
    """Text in `foreground` drawn on `background` somewhere ExamDesk sets both. `large`: 18 pt and up, or
    bold from 14 pt (WCAG's large text, 3:1 suffices); `exempt`: why AA does not apply."""

    where: str
    foreground: str
    background: str
    large: bool = False
    exempt: str = ""


_ROWS = (WHITE, ALTERNATE_ROW, SELECTION)          # a list's rows: plain, alternate, selected
CONTRAST_PAIRS: tuple[ColourPair, ...] = (
    *(ColourPair(f"tekst in een lijst ({what})", fg, bg) for bg in _ROWS
      for what, fg in (("gewoon", INK), ("gedempt", MUTED), ("waarschuwing", WARN), ("accent", ACCENT))),
    ColourPair("tekst, dialogen en schermen", INK, WHITE),
    ColourPair("zijbalk en kolomkoppen", INK, PANEL),
    ColourPair("gekozen scherm in de zijbalk", ACCENT, WHITE),
    ColourPair("naam ExamDesk in de zijbalk", ACCENT, PANEL, large=True),
    ColourPair("klok, hints, kaarttitels, statusregel", MUTED, WHITE),
    ColourPair("melding op grijs", MUTED, PANEL),
    ColourPair("kaartlink, oordeel 'valide'", ACCENT, WHITE),
    ColourPair("waarschuwing, foutregel", WARN, WHITE),
    ColourPair("waarschuwing op grijs", WARN, PANEL),
    ColourPair("knop", INK, PANEL),
    ColourPair("standaardknop, gekozen statusfilter", WHITE, ACCENT),
    ColourPair("teller (badge)", WHITE, WARN),
    ColourPair("uitgeschakelde knop", DISABLED, PANEL, exempt="WCAG 1.4.3: inactieve bedieningselementen"),
    ColourPair("balk 'document verouderd'", INK, OUTDATED_BACKGROUND),
    ColourPair("sessiemodus: kop en klok", WHITE, SESSION_BAR, large=True),
    ColourPair("sessiemodus: stappen en toetsen", WHITE, SESSION_BAR),
    ColourPair("sessiemodus: subkop", SESSION_SUBHEADER, SESSION_BAR),
    ColourPair("sessiemodus: kandidaten", SESSION_INK, WHITE),
    ColourPair("sessiemodus: gekozen kandidaat", SESSION_INK, SESSION_SELECTION),
    ColourPair("sessiemodus: eindtijd verstreken", MUTED, WHITE),
    ColourPair("sessiemodus: eindtijd verstreken, gekozen", MUTED, SESSION_SELECTION),
    ColourPair("sessiemodus: bijna tijd, status", WARN, WHITE),
    ColourPair("sessiemodus: bijna tijd, gekozen", WARN, SESSION_SELECTION),
    ColourPair("sessiemodus: kolomkoppen", SESSION_INK, SESSION_HEADER),
    ColourPair("sessiemodus: opgeslagen", SAVED, WHITE),
    ColourPair("sessiemodus: vergrendeld", WHITE, WARN),
    ColourPair("sessiemodus: route", ACCENT, WHITE),
    ColourPair("sessiemodus: toelichting", NOTE, WHITE),
    ColourPair("sessiemodus: gekozen in een keuzelijst", WHITE, ACCENT),
)

STYLESHEET = f"""
QWidget {{ color: {INK}; font-size: 10pt; }}
QMainWindow, QDialog {{ background: {WHITE}; }}
#Sidebar {{ background: {PANEL}; border: none; border-right: 1px solid {RULE}; outline: 0; }}
#Sidebar::item {{ padding: 9px 16px; border: none; }}
#Sidebar::item:selected {{ background: {WHITE}; color: {ACCENT}; font-weight: bold; border-left: 3px solid {ACCENT}; }}
#AppName {{ font-size: 15pt; font-weight: bold; color: {ACCENT}; padding: 14px 16px 10px 16px; background: {PANEL}; }}
#ScreenTitle {{ font-size: 16pt; font-weight: bold; }}
#HeaderClock {{ color: {MUTED}; font-size: 11pt; }}
#Header {{ border-bottom: 1px solid {RULE}; }}
#Card {{ background: {WHITE}; border: 1px solid {RULE}; border-radius: 6px; }}
#CardTitle {{ font-weight: bold; color: {MUTED}; text-transform: uppercase; font-size: 9pt; }}
#CardLink {{ color: {ACCENT}; }}
#CardWarning {{ color: {WARN}; font-weight: bold; }}
#Notice {{ background: {PANEL}; border: 1px solid {RULE}; border-radius: 6px; padding: 18px; color: {MUTED}; }}
#ErrorText {{ color: {WARN}; }}
#Hint {{ color: {MUTED}; font-size: 9pt; }}
QPushButton {{ padding: 5px 14px; border: 1px solid {RULE}; border-radius: 4px; background: {PANEL}; }}
QPushButton:default {{ background: {ACCENT}; color: {WHITE}; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: {DISABLED}; }}
QHeaderView {{ font-weight: bold; }}
QHeaderView::section {{ background: {PANEL}; padding: 4px 6px; border: none; border-bottom: 1px solid {RULE}; }}
QTableView {{ gridline-color: {RULE}; selection-background-color: {SELECTION}; selection-color: {INK};
    alternate-background-color: {ALTERNATE_ROW}; }}
QLineEdit, QComboBox, QPlainTextEdit {{ padding: 3px 5px; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus,
QTextEdit:focus {{ border: 2px solid {FOCUS}; border-radius: 3px; background: {WHITE}; padding: 2px 4px; }}
/* a spin box has no style sheet rule of its own: padding or a border here takes its sizing and the drawing of
   its buttons from ui/house_style.py (7 px taller than a line edit, bevelled buttons); its style sizes and
   rings it */
QComboBox::drop-down {{ width: 20px; }}
QPushButton:focus {{ border: 2px solid {FOCUS}; padding: 4px 13px; }}
QPushButton:default:focus {{ border: 6px double {FOCUS}; padding: 0px 9px; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 0px; }}
QCheckBox:focus, QRadioButton:focus {{ border-color: {FOCUS}; }}
QCheckBox::indicator, QRadioButton::indicator, QAbstractItemView::indicator {{ width: 1.15em; height: 1.15em; }}
QAbstractItemView {{ border: 1px solid {RULE}; padding: 1px; }}
QAbstractItemView:focus {{ border: 2px solid {FOCUS}; padding: 0px; }}
#Sidebar::item:selected:focus {{ border: 2px solid {FOCUS}; border-left: 3px solid {FOCUS}; padding: 7px 14px 7px 16px; }}
QStatusBar {{ color: {MUTED}; }}
#StatusChip {{ padding: 4px 12px; border-radius: 12px; background: {WHITE}; }}
#StatusChip:checked {{ background: {ACCENT}; color: {WHITE}; border-color: {ACCENT}; }}
#StatusChip:focus {{ padding: 3px 11px; }}
#StatusChip:checked:focus {{ border-color: {INK}; }}
#MoreFilters:checked {{ background: {WHITE}; border-color: {ACCENT}; }}
#MoreFilters:checked:focus {{ border: 2px solid {FOCUS}; padding: 4px 13px; }}
"""

BASE_POINT_SIZE = 9.0          # the default system font (Windows, most Linux desktops) is 100 %
_font_scale = 1.0
_POINTS = re.compile(r"(\d+(?:\.\d+)?)pt\b")


def set_font_scale(system_point_size: float) -> float:
    """Takes the system font's size as the user's text size (never below 100 %); returns the scale."""
    global _font_scale
    _font_scale = max(1.0, system_point_size / BASE_POINT_SIZE)
    return _font_scale


def scaled(css: str, large_type: bool = False, scale: float | None = None) -> str:
    """A style sheet with every point size multiplied by the font scale (this start's, or `scale`: a sheet for
    another text size, as the tests lay screens out at 200 %, without changing this start's). `large_type`
    (session mode, read from two metres, already 14 pt and up): it grows only until its smallest text is as
    large as the user's text, so doubled text does not push the candidates off a laptop screen."""
    factor = scale = _font_scale if scale is None else max(1.0, scale)
    sizes = [float(size) for size in _POINTS.findall(css)]
    if large_type and sizes:
        factor = max(1.0, min(scale, BASE_POINT_SIZE * scale / min(sizes)))
    if factor == 1.0:
        return css
    return _POINTS.sub(lambda m: f"{float(m.group(1)) * factor:g}pt", css)
