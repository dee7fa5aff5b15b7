"""The single institution row and the key-value settings."""

from __future__ import annotations

from dataclasses import asdict

from examdesk.data.db import Store
from examdesk.domain.institution import Institution


def get(store: Store) -> Institution | None:
    row = store.query_one("SELECT * FROM institution WHERE id = 1")
    if row is None:
        return None
    return Institution(
        name=row["name"], brin=row["brin"], commission_name=row["commission_name"], place=row["place"],
        late_admission_minutes=row["late_admission_minutes"], appeal_term_days=row["appeal_term_days"],
        appeal_body=row["appeal_body"],
    )


def save(store: Store, inst: Institution) -> None:
    values = asdict(inst)
    store.write(
        "INSERT INTO institution (id, name, brin, commission_name, place, late_admission_minutes, appeal_term_days,"
        " appeal_body) VALUES (1, :name, :brin, :commission_name, :place, :late_admission_minutes,"
        " :appeal_term_days, :appeal_body) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " brin = excluded.brin, commission_name = excluded.commission_name, place = excluded.place,"
        " late_admission_minutes = excluded.late_admission_minutes, appeal_term_days = excluded.appeal_term_days,"
        " appeal_body = excluded.appeal_body",
        values,
    )


def get_setting(store: Store, key: str, default: str = "") -> str:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return row[0] if row else default


def set_setting(store: Store, key: str, value: str) -> None:
    store.write("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value))
