"""Canonical JSON and SHA-256 fingerprints: the same data always gives the same hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(value: Any) -> str:
    return sha256_hex(canonical_json(value))


def grouped(hex_digest: str, groups: int | None = None) -> str:
    """'9f86 d081 884c …': how a fingerprint is printed for people."""
    parts = [hex_digest[i : i + 4] for i in range(0, len(hex_digest), 4)]
    if groups is not None:
        parts = parts[:groups]
    return " ".join(parts)
