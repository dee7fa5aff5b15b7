"""A forger who has read docs/exchange.md and has nothing but Python's standard library: builds
`.examdesk` files by hand (zip with manifest.json and inhoud.json, the closing SHA-256 in the zip
comment) and event chains (SHA-256 over the previous hash and the canonical JSON of the row). The
tests use it to show that what such a file claims is checked for meaning, not only for bytes."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
MARKER = b"examdesk-sha256:"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                                              "surrogatepass")


def chain(session_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (id, occurred_at, recorded_at, user_id, username, kind, data, corrects) numbered and hashed."""
    out: list[dict[str, Any]] = []
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        body = {"id": row.get("id") or str(uuid.uuid4()), "session_id": session_id, "seq": seq,
                "occurred_at": row["occurred_at"], "recorded_at": row.get("recorded_at", row["occurred_at"]),
                "user_id": row.get("user_id"), "username": row["username"], "kind": row["kind"],
                "data": row.get("data", {}), "corrects": row.get("corrects")}
        digest = hashlib.sha256(prev.encode("ascii") + canonical(body)).hexdigest()
        out.append({**body, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def write(path: Path, kind: str, payload: dict[str, Any], sessions: list[dict[str, Any]],
          brin: str = "25PZ", institution: str = "ROC Midden-Holland") -> Path:
    """An .examdesk file: `sessions` are the manifest's entries (id, title, session_date, events, chain_head)."""
    content = json.dumps(payload, sort_keys=True).encode("ascii")     # any valid JSON will do
    manifest = {
        "format": "examdesk-uitwisseling", "format_version": 1, "file_id": str(uuid.uuid4()), "kind": kind,
        "created_at": "2027-03-10T12:00:00+01:00", "created_by": "surveillant", "created_by_name": "Jan Bakker",
        "app_version": "ExamDesk 1.0", "database_id": "f" * 32, "institution": {"name": institution, "brin": brin},
        "catalogue_version": "", "sessions": sessions,
        "content": {"inhoud.json": {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", canonical(manifest))
        zf.writestr("inhoud.json", content)
        zf.comment = MARKER + b"0" * 64
    raw = buffer.getvalue()
    body = raw[:-64]
    path.write_bytes(body + hashlib.sha256(body).hexdigest().encode("ascii"))
    return path


def record_entry(session_id: str, rows: list[dict[str, Any]], title: str = "Nederlands 3F",
                 session_date: str = "2027-03-10") -> dict[str, Any]:
    return {"id": session_id, "title": title, "session_date": session_date, "events": len(rows),
            "chain_head": rows[-1]["hash"] if rows else GENESIS}


def package_entry(session: dict[str, Any]) -> dict[str, Any]:
    return {"id": session["id"], "title": session["title"], "session_date": session["session_date"], "events": 0,
            "chain_head": GENESIS}


def scrypt_hash(password: str) -> str:
    """A password hash in the format docs/exchange.md names (scrypt), for a password the forger knows."""
    salt = b"forgedsalt123456"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"
