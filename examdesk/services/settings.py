"""Every setting ExamDesk reads, declared once (as Picard's `options.py` does): its name, type, default,
limits and which modules read it. Nowhere else is a setting's key written than here and in
`services/window_settings.py` (`tests/services/test_settings.py` checks both: no literal key outside these two
modules, and `readers` names exactly the modules that use it).

Two kinds:

* **Institution settings**, stored in the database (table `settings`): they travel with the database and
  its backups. Read and written here, with `read(store, SETTING)` / `write(store, SETTING, value)`; an
  unreadable stored value counts as the default, never as an error (a setting must not stop a session).
* **Window state of this PC** (QSettings, `examdesk.ini` in the config folder): sizes and last folders.
  Declared in `services/window_settings.py`, which loads nothing of the domain: the login dialog reads its
  geometry before the domain is loaded (issue 16). Read and written in `ui/` through `examdesk.ui.common`
  (`remembered`, `remember`), the only layer that imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from examdesk.domain.backups import DEFAULT_KEEP_DAILY, DEFAULT_KEEP_WEEKLY
from examdesk.domain.casework import MEMBERS_PER_SANCTION_DEFAULT
from examdesk.domain.privacy import ACCOUNTS, DOSSIERS, RESULTS

if TYPE_CHECKING:    # the window settings are read before the login is drawn, the database's after (issue 16)
    from examdesk.data.db import Store


@dataclass(frozen=True)
class IntSetting:
    """A whole number stored as text in the `settings` table, at least `minimum`."""

    key: str
    default: int
    minimum: int
    readers: tuple[str, ...]     # modules (under examdesk/) that read or write it
    meaning: str

    def parse(self, text: str) -> int:
        """The stored text as a value: unreadable or missing gives the default, too small the minimum."""
        try:
            value = int(text)
        except ValueError:
            value = self.default
        return max(self.minimum, value)


SESSION_LOCK_MINUTES = IntSetting(
    "session_lock_minutes", 5, 1, ("services/session_mode.py",),
    "minutes without a key or mouse before session mode locks itself (names hidden, password to open)")
BACKUP_KEEP_DAILY = IntSetting(
    "backup_keep_daily", DEFAULT_KEEP_DAILY, 1, ("services/backup.py",),
    "automatic backups kept, one per day")
BACKUP_KEEP_WEEKLY = IntSetting(
    "backup_keep_weekly", DEFAULT_KEEP_WEEKLY, 0, ("services/backup.py",),
    "automatic backups kept, one per week, after the daily ones")

MEMBERS_PER_SANCTION = IntSetting(
    "members_per_sanction", MEMBERS_PER_SANCTION_DEFAULT, 1, ("services/casework.py",),
    "commission members who decide a sanction (a measure of examenprotocol 8B), each with their own login")

# retention periods (issue 18): defaults, minimums and their sources in domain/privacy.py
PRIVACY_RESULTS_MONTHS = IntSetting(
    "privacy_bewaren_resultaten_maanden", RESULTS.default, RESULTS.minimum, ("services/privacy.py",),
    "months a candidate's results and data are kept after the school year of their last session (point 18)")
PRIVACY_DOSSIER_YEARS = IntSetting(
    "privacy_bewaren_dossiers_jaren", DOSSIERS.default, DOSSIERS.minimum, ("services/privacy.py",),
    "school years the procesverbaal, incidents and decisions about a candidate are kept")
PRIVACY_ACCOUNT_MONTHS = IntSetting(
    "privacy_bewaren_accounts_maanden", ACCOUNTS.default, ACCOUNTS.minimum, ("services/privacy.py",),
    "months the account of a member of staff who left is kept after it was switched off")

DATABASE_SETTINGS: tuple[IntSetting, ...] = (SESSION_LOCK_MINUTES, BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY,
                                             MEMBERS_PER_SANCTION, PRIVACY_RESULTS_MONTHS, PRIVACY_DOSSIER_YEARS,
                                             PRIVACY_ACCOUNT_MONTHS)


def read(store: Store, setting: IntSetting) -> int:
    from examdesk.data import institution as institution_data

    return setting.parse(institution_data.get_setting(store, setting.key, ""))


def write(store: Store, setting: IntSetting, value: int) -> None:
    """Writes as given; the caller validates (and audits) in its own transaction."""
    from examdesk.data import institution as institution_data

    institution_data.set_setting(store, setting.key, str(value))

