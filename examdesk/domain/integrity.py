"""What `examdesk verify` and the startup check prove about a database, as pure rules.

Four kinds of record must prove themselves (``docs/trust.md``):

* the **audit chain** (``domain/audit.py``), keyed since v007;
* the commission's **desk records** (triage, Inspectie reports and answers, decisions with their
  members, resits and their withdrawals, closures): each row is *sealed* when it is written — an
  audit entry ``verzegeld`` whose summary carries the SHA-256 of the row's canonical content — so
  the keyed audit chain covers them; verify recomputes every row;
* every **session's event chain** (``domain/session_events.verify_chain``), keyed since v011;
* the **witnesses** of the audit head kept outside the chain: the head printed on every issued
  document, the head in every backup, and the witness file beside the keys. A witness at entry N
  whose hash no longer matches entry N, or an N past the end, means history was rewritten or
  truncated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from examdesk.domain.audit import GENESIS_HASH
from examdesk.domain.fingerprint import fingerprint
from examdesk.domain.keys import mac, mac_matches

SEAL_ACTION = "verzegeld"
WITNESS_PURPOSE = "examdesk-witness"
SHORT_HASH = 8  # hex characters of the audit head printed on documents


@dataclass(frozen=True)
class SealedTable:
    """A table of the desk whose rows are sealed: the columns covered and the row's key column. A
    column added later is not covered until a later version adds it here (old seals stay valid)."""

    table: str
    key: str
    columns: tuple[str, ...]
    label: str  # Dutch, as the audit log and verify name it


# The tables sealed when schema v007 made the audit chain keyed (that step seals their existing rows).
SEALED_AT_V007: tuple[SealedTable, ...] = (
    SealedTable("incident_triage", "id", (
        "id", "incident_id", "kind", "previous_category", "category", "handler", "protocol_point", "letter",
        "serious", "decision_to_inspectie", "reason", "recorded_at", "user_id", "username"), "triage"),
    SealedTable("inspectie_reports", "id", (
        "id", "incident_id", "subject", "reported_on", "reference", "reported_by", "remark", "recorded_at",
        "user_id", "username"), "melding aan de Inspectie"),
    SealedTable("inspectie_answers", "id", (
        "id", "report_id", "incident_id", "outcome", "scope", "candidate_ids", "answered_on", "reference", "remark",
        "recorded_at", "user_id", "username"), "antwoord van de Inspectie"),
    SealedTable("decisions", "id", (
        "id", "number", "incident_id", "candidate_id", "decided_on", "protocol_point", "measures", "retake_scope",
        "no_measure_reason", "reasoning", "heard", "heard_on", "minor", "supersedes", "revision_reason",
        "recorded_at", "user_id", "username"), "besluit"),
    SealedTable("resits", "id", (
        "id", "candidate_id", "incident_id", "decision_id", "answer_id", "scope", "not_before_next_period",
        "created_at"), "herkansing"),
    SealedTable("resit_withdrawals", "resit_id", ("resit_id", "decision_id", "at"), "ingetrokken herkansing"),
    SealedTable("incident_closures", "id", (
        "id", "incident_id", "action", "note", "at", "user_id", "username"), "afsluiting of heropening"),
)
# Every sealed table, in the order of the schema steps that created them. The v007 upgrade seals only the
# tables of its own time (`SEALED_AT_V007`); later ones are sealed from their creation. A database at an
# older version lacks the later tables: the verifier checks the sealed tables the database has.
SEALED_TABLES: tuple[SealedTable, ...] = (
    *SEALED_AT_V007,
    # v011 (issue 11): the keys this database trusts for signed exchange, and their revocations
    SealedTable("exchange_keys", "fingerprint", (
        "fingerprint", "role", "signing_key", "exchange_key", "database_id", "institution", "label", "first_file",
        "first_file_at", "confirmed_at", "confirmed_by", "confirmed_how"), "uitwisselsleutel"),
    SealedTable("exchange_key_revocations", "fingerprint", ("fingerprint", "revoked_at", "revoked_by", "reason"),
                "ingetrokken uitwisselsleutel"),
    # v012 (issue 12): what the commission records about letters, the annual report and grade determination
    SealedTable("letter_dispatches", "id", (
        "id", "decision_id", "sent_on", "recorded_at", "user_id", "username"), "verzending van een besluitbrief"),
    SealedTable("minor_answers", "id", (
        "id", "decision_id", "minor", "note", "recorded_at", "user_id", "username"), "antwoord op minderjarigheid"),
    SealedTable("commission_policies", "id", (
        "id", "school_year", "text", "recorded_at", "user_id", "username"), "beleid en afwegingen"),
    SealedTable("grade_determinations", "id", (
        "id", "session_id", "processed_on", "processed_by", "system", "remark", "recorded_at", "user_id",
        "username"), "verwerking van de resultaten"),
    # v014 (issue 13): the commission's whole case. An attachment's content is covered by its SHA-256
    # (`data/audit._content` hashes a BLOB), so a changed file is found like a changed row.
    SealedTable("hearings", "id", (
        "id", "incident_id", "candidate_id", "invited_on", "invited_how", "outcome", "held_on", "heard_by", "account",
        "representative", "interpreter", "reason", "decision_id", "recorded_at", "user_id", "username"), "horen"),
    SealedTable("attachments", "id", (
        "id", "incident_id", "hearing_id", "candidate_id", "file_name", "media_type", "size", "sha256", "content",
        "description", "recorded_at", "user_id", "username"), "bijlage"),
    SealedTable("decision_signers", "id", (
        "id", "decision_id", "user_id", "username", "full_name", "how", "confirmed_at"), "bevestiging van een besluit"),
    SealedTable("appeals", "id", (
        "id", "decision_id", "candidate_id", "lodged_on", "lodged_by", "term_until", "late_reason", "recorded_at",
        "user_id", "username"), "beroep"),
    SealedTable("appeal_hearings", "id", (
        "id", "appeal_id", "held_on", "note", "recorded_at", "user_id", "username"), "zitting commissie van beroep"),
    SealedTable("appeal_outcomes", "id", (
        "id", "appeal_id", "outcome", "decided_on", "new_decision_id", "note", "recorded_at", "user_id", "username"),
                "uitspraak in beroep"),
    # v018 (issue 11, trust2): the exchange's own records — an edit unties a session from its exam PC or
    # clears a package's replay record. Sealed when written (`data/exchange_rows`); v018 sealed those before.
    SealedTable("exchange_log", "seq", (
        "seq", "file_id", "direction", "kind", "file_name", "file_sha256", "origin", "at", "username", "sessions",
        "outcome", "signer", "sequence"), "regel van het uitwisselingslogboek"),
    SealedTable("event_origins", "event_id", (
        "event_id", "origin", "origin_seq", "origin_prev_hash", "origin_hash", "origin_user_id", "import_seq",
        "signer"), "herkomst van een gebeurtenis"),
)
SEALED: dict[str, SealedTable] = {t.table: t for t in SEALED_TABLES}


def row_digest(table: str, content: dict[str, Any]) -> str:
    """SHA-256 of a desk row's canonical content (a decision's content includes its members)."""
    return fingerprint({"tabel": table, "rij": content})


def seal_entity_id(table: str, key: str | int) -> str:
    """'decisions#3f9a…': a seal names its table too, so it never reads as an entry about a user or session
    that happens to have the same number."""
    return f"{table}#{key}"


def seal_summary(table: str, key: str | int, digest: str) -> dict[str, Any]:
    return {"tabel": table, "sleutel": str(key), "inhoud": digest}


def parse_seal(action: str, summary: dict[str, Any]) -> tuple[str, str, str] | None:
    """(table, key, digest) of a seal entry; None for any other entry."""
    if action != SEAL_ACTION:
        return None
    table, key, digest = summary.get("tabel"), summary.get("sleutel"), summary.get("inhoud")
    if table not in SEALED or not isinstance(key, str) or not isinstance(digest, str):
        return None
    return table, key, digest


# --- findings -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One broken thing, named: which table, which row, and a Dutch sentence saying what is wrong."""

    table: str
    row: str
    sentence: str


@dataclass(frozen=True)
class Position:
    """How far everything was verified: the audit entry, the newest session event (rowid) and the
    newest row of each sealed table. The startup check resumes from here."""

    audit_seq: int = 0
    audit_hash: str = GENESIS_HASH
    events_rowid: int = 0
    desk_rowids: tuple[tuple[str, int], ...] = ()
    # the account ledger at `audit_seq` (`domain/audit_ledgers.AccountLedger.to_dict`, checked where it is
    # read): the startup check folds only later entries and compares every account. None: a checkpoint from
    # before v018, from which the start checks everything once.
    accounts: dict[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"audit_seq": self.audit_seq, "audit_hash": self.audit_hash, "events_rowid": self.events_rowid,
                "desk_rowids": dict(self.desk_rowids), "accounts": self.accounts}

    @staticmethod
    def from_dict(raw: Any) -> Position | None:
        if not isinstance(raw, dict):
            return None
        seq, digest, events, desk = (raw.get("audit_seq"), raw.get("audit_hash"), raw.get("events_rowid"),
                                     raw.get("desk_rowids"))
        if type(seq) is not int or not isinstance(digest, str) or type(events) is not int or not isinstance(desk, dict):
            return None
        if not all(isinstance(k, str) and type(v) is int for k, v in desk.items()):
            return None
        accounts = raw.get("accounts")
        return Position(seq, digest, events, tuple(sorted(desk.items())), accounts if isinstance(accounts, dict) else None)


@dataclass(frozen=True)
class IntegrityReport:
    problems: tuple[Problem, ...] = ()
    audit_entries: int = 0
    position: Position | None = None   # what was verified (to record as the next checkpoint)
    full: bool = False                 # everything from the first row, or only what came after a checkpoint
    keys_missing: bool = False         # the database's keys are not on this computer (nothing else checked)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> str:
        return self.problems[0].sentence if self.problems else ""


# --- the witness beside the keys ------------------------------------------------------------------

@dataclass(frozen=True)
class Witness:
    """Kept outside the database, per database file: the newest audit head seen here and the position
    verified here, with an HMAC so that it cannot be moved by someone without the key."""

    database_id: str
    seen: tuple[int, str]
    verified: Position | None

    def payload(self) -> dict[str, Any]:
        return {"database_id": self.database_id, "seen": list(self.seen),
                "verified": self.verified.to_dict() if self.verified else None}

    def signed(self, key: bytes) -> dict[str, Any]:
        return {**self.payload(), "mac": mac(key, WITNESS_PURPOSE, self.payload())}


def witness_from_dict(raw: Any, key: bytes) -> Witness | None:
    """The witness when its HMAC is valid under `key`, else None."""
    if not isinstance(raw, dict):
        return None
    seen = raw.get("seen")
    if not (isinstance(seen, list) and len(seen) == 2 and type(seen[0]) is int and isinstance(seen[1], str)):
        return None
    verified = Position.from_dict(raw["verified"]) if raw.get("verified") is not None else None
    if raw.get("verified") is not None and verified is None:
        return None
    witness = Witness(str(raw.get("database_id", "")), (seen[0], seen[1]), verified)
    return witness if mac_matches(key, WITNESS_PURPOSE, witness.payload(), raw.get("mac", "")) else None


def short_hash(digest: str) -> str:
    """'3f9a 12c0': the part of an audit hash printed beside a document's fingerprint."""
    part = digest[:SHORT_HASH]
    return f"{part[:4]} {part[4:]}"


def witness_problem(what: str, seq: int, digest: str, head_seq: int, hash_at: str | None) -> str | None:
    """Whether a witness of audit entry `seq` (full or short `digest`) contradicts the chain as it is now.

    `what` names the witness in Dutch ('Document "Procesverbaal …" (uitgegeven 23-11-2026)');
    `hash_at` is the hash entry `seq` has now (None when it does not exist)."""
    if seq <= 0:
        return None
    if seq > head_seq or hash_at is None:
        return (f"{what} noemt auditregel {seq}, maar het auditlogboek eindigt bij regel {head_seq}: regels aan het "
                "eind zijn verwijderd buiten ExamDesk.")
    wanted = digest.replace(" ", "").lower()
    if not wanted or not hash_at.startswith(wanted):
        return (f"{what} noemt auditregel {seq} met kenmerk {short_hash(wanted.ljust(SHORT_HASH, '?'))}, maar die "
                f"regel heeft nu kenmerk {short_hash(hash_at)}: de geschiedenis tot en met regel {seq} is buiten "
                "ExamDesk herschreven.")
    return None
