"""Official documents and their digitale vingerafdruk: which data a paper copy was made from.

The fingerprint is the SHA-256 of a canonical JSON of exactly the data a document shows (with a
schema version, without the creation time), so the same data always gives the same fingerprint and
"is this printout still current?" is a comparison."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from examdesk.domain.fingerprint import fingerprint

DOCUMENT_SCHEMA_VERSION = 1
GROUPS = 16  # a SHA-256 hex digest printed as 16 groups of four characters

_MARKER = re.compile(rb"examdesk-fingerprint:([0-9a-f]{64})")
_META = re.compile(rb"examdesk-(kind|subject|auditseq|audithash):([A-Za-z0-9_.\-;=,+]+)")
SUBMITTER_KEY = "indiener"


def document_fingerprint(kind: str, data: dict[str, Any]) -> str:
    return fingerprint({"schema": DOCUMENT_SCHEMA_VERSION, "kind": kind, "data": data})


def personal_subject(subject_id: str, username: str) -> str:
    """A document that names the person making it (the Inspectie form's submitter) has that person
    in its subject: 'incident-id;indiener=m.devries'. Verification then compares like with like."""
    base, _ = split_personal_subject(subject_id)
    return f"{base};{SUBMITTER_KEY}={username}"


def split_personal_subject(subject_id: str) -> tuple[str, str]:
    """'incident-id;indiener=m.devries' → ('incident-id', 'm.devries'); no submitter → ''."""
    base, _, rest = subject_id.partition(";")
    for item in rest.split(";"):
        key, _, value = item.partition("=")
        if key == SUBMITTER_KEY:
            return base, value
    return base, ""


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    kind: str
    subject_id: str
    title: str
    fingerprint: str
    created_at: str
    created_by: str
    model: str
    audit_seq: int | None = None    # the audit head printed beside the fingerprint (v007 on)
    audit_hash: str | None = None


@dataclass(frozen=True)
class PdfMarker:
    fingerprint: str
    kind: str
    subject_id: str
    audit_seq: int | None = None
    audit_hash: str = ""


def read_marker(pdf: bytes) -> PdfMarker | None:
    """The fingerprint ExamDesk wrote into the PDF's metadata (the Info dictionary is not compressed)."""
    if not pdf.startswith(b"%PDF"):
        return None
    match = _MARKER.search(pdf)
    if not match:
        return None
    meta = {m.group(1).decode(): m.group(2).decode() for m in _META.finditer(pdf)}
    seq = meta.get("auditseq", "")
    return PdfMarker(match.group(1).decode(), meta.get("kind", ""), meta.get("subject", ""),
                     int(seq) if seq.isdigit() and len(seq) < 16 else None, meta.get("audithash", "")[:64])


class VerdictStatus(StrEnum):
    MATCH = "komt overeen"
    CHANGED = "gegevens gewijzigd"
    UNKNOWN = "onbekend document"
    NOT_EXAMDESK = "geen ExamDesk-document"


@dataclass(frozen=True)
class DocumentVerdict:
    status: VerdictStatus
    message: str
    record: DocumentRecord | None = None


def choose_groups() -> tuple[int, int]:
    """Two different group positions (1-based) the user is asked to type from a paper copy."""
    first = secrets.randbelow(GROUPS) + 1
    second = secrets.randbelow(GROUPS - 1) + 1
    if second >= first:
        second += 1
    return tuple(sorted((first, second)))  # type: ignore[return-value]


def groups_match(digest: str, typed: dict[int, str]) -> bool:
    for position, text in typed.items():
        group = digest[(position - 1) * 4 : position * 4]
        if text.strip().lower().replace(" ", "") != group:
            return False
    return True
