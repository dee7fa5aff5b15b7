"""What the keyed audit trail says of rows that are not sealed, replayed by `verify` (docs/trust.md):
which roles each account should have and whether it is active ("Accounts in the file"), and which
documents were issued with which fingerprint and PDF ("Issued documents").

The ``users`` and ``user_roles`` rows change (a role given, an account deactivated), so they cannot be
sealed like the desk's append-only rows. But every change that gives or takes power is an audit entry,
made by the service in the same transaction: the first beheerder (*inrichting*), a new account with its
roles (*gebruiker toegevoegd*), *rollen gewijzigd*, *gebruiker (ge)deactiveerd*. Someone who holds only
the database file can change the rows — give a surveillant the beheerder role, re-activate an account
taken away — but not write a keyed audit entry; replaying the trail shows the difference, and `verify`
names the account.

Accounts that arrive with an exam PC's first package carry no entry of their own (the import is one
entry): such an account may only be a surveillant, which is all a package can make.

Since trust2 (issue 11) every entry that sets a password — *inrichting*, *gebruiker toegevoegd*, a reset,
an own change, a rehash at login, the import that made an exam PC's accounts, the upgrade that vouched for
the hashes already there — carries, under ``wachtwoorden``, a keyed digest of each stored hash it set
(`password_digest`: HMAC under the database's key over the account id and the hash; never the hash itself).
Someone with only the file who puts their own hash on an account cannot make the digest for it: `verify`
and the startup check name the account, and the login refuses it (`services/auth.py`).

Every issued document is an audit entry *document gemaakt* naming its id and fingerprint, and since issue 11
(red team) the SHA-256 of the PDF as issued: a stored copy swapped, a row added or removed in the file no
longer passes — `examdesk verify-document` would otherwise vouch for a forged PDF put in as the issued copy.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from examdesk.domain.fingerprint import sha256_hex
from examdesk.domain.integrity import Problem
from examdesk.domain.keys import mac, mac_matches

PACKAGE_ROLES = frozenset({"surveillant"})
PASSWORD_PURPOSE = "examdesk-password-hash"
PASSWORDS_KEY = "wachtwoorden"
PASSWORD_UPGRADE_ACTION = "wachtwoorden vastgelegd"
# The entries that set a password and so carry `wachtwoorden` (the package import's action: "afnamepakket ingelezen").
PASSWORD_ACTIONS = ("inrichting", "gebruiker toegevoegd", "wachtwoord opnieuw ingesteld", "eigen wachtwoord gewijzigd",
                    "wachtwoordopslag vernieuwd", "afnamepakket ingelezen", PASSWORD_UPGRADE_ACTION)
# Every entry the account ledger folds: what the startup check replays when it has no ledger in its checkpoint.
ACCOUNT_ACTIONS = (*PASSWORD_ACTIONS, "rollen gewijzigd", "gebruiker geactiveerd", "gebruiker gedeactiveerd")


def password_digest(key: bytes, user_id: int, password_hash: str) -> str:
    """The keyed digest of an account's stored hash: bound to the account, so one account's digest never
    vouches for a hash copied onto another; without the key nobody makes one for a hash of their own."""
    return mac(key, PASSWORD_PURPOSE, {"account": user_id, "hash": password_hash})


def passwords_summary(key: bytes, hashes: dict[int, str]) -> dict[str, dict[str, str]]:
    """The ``wachtwoorden`` part of an audit summary for the hashes just stored (account id → hash)."""
    return {PASSWORDS_KEY: {str(user_id): password_digest(key, user_id, h) for user_id, h in sorted(hashes.items())}}


def vouched_passwords(action: str, summary: dict[str, Any]) -> dict[int, str]:
    """(account id → digest) an entry vouches for; empty for an entry that sets no password."""
    found = summary.get(PASSWORDS_KEY) if action in PASSWORD_ACTIONS else None
    if not isinstance(found, dict):
        return {}
    return {int(k): v for k, v in found.items() if isinstance(k, str) and k.isdigit() and isinstance(v, str)}


def password_vouched(key: bytes, user_id: int, password_hash: str, digest: str | None) -> bool:
    return digest is not None and mac_matches(key, PASSWORD_PURPOSE, {"account": user_id, "hash": password_hash},
                                              digest)


@dataclass
class AccountLedger:
    """The roles, active flag and password digest of each account id, folded from audit entries in chain
    order. `to_dict`/`from_dict`: the ledger at a checkpoint, kept in the (keyed) witness file, so the
    startup check folds only the entries after it (docs/trust.md, "Verify and the startup check")."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    active: dict[int, bool] = field(default_factory=dict)
    passwords: dict[int, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {str(a): [sorted(self.roles[a]) if a in self.roles else None, self.active.get(a),
                         self.passwords.get(a)] for a in sorted(self.roles.keys() | self.active.keys()
                                                               | self.passwords.keys())}

    @staticmethod
    def from_dict(raw: Any) -> AccountLedger | None:
        if not isinstance(raw, dict):
            return None
        ledger = AccountLedger()
        for k, v in raw.items():
            if not (isinstance(k, str) and k.isdigit() and isinstance(v, list) and len(v) == 3):
                return None
            account, (roles, active, digest) = int(k), v
            if roles is not None:
                if not (isinstance(roles, list) and all(isinstance(r, str) for r in roles)):
                    return None
                ledger.roles[account] = frozenset(roles)
            if active is not None:
                if not isinstance(active, bool):
                    return None
                ledger.active[account] = active
            if digest is not None:
                if not isinstance(digest, str):
                    return None
                ledger.passwords[account] = digest
        return ledger

    def add(self, action: str, user_id: int | None, entity: str, entity_id: str, summary: dict[str, Any]) -> None:
        self.passwords.update(vouched_passwords(action, summary))
        if action == "inrichting" and user_id is not None:
            self.roles[user_id] = frozenset({"beheerder"})
            self.active[user_id] = True
            return
        if entity != "gebruiker" or not entity_id.isdigit():
            return
        account = int(entity_id)
        if action == "gebruiker toegevoegd":
            self.roles[account] = _roles(summary.get("rollen"))
            self.active[account] = True
        elif action == "rollen gewijzigd":
            self.roles[account] = _roles(summary.get("wordt"))
        elif action in ("gebruiker geactiveerd", "gebruiker gedeactiveerd"):
            self.active[account] = action == "gebruiker geactiveerd"

    def problems(self, accounts: Iterable[tuple[int, str, frozenset[str], bool, str]], key: bytes | None = None,
                 ) -> list[Problem]:
        """(id, user name, roles, active, password hash) of every account as the database holds it, against
        the trail. `key`: the database's HMAC key, to check each stored hash against its last digest (None:
        a database from before v018 is being checked, whose entries carry no digests)."""
        found = []
        for account, username, roles, active, password_hash in accounts:
            if key is not None and not password_vouched(key, account, password_hash, self.passwords.get(account)):
                found.append(Problem("users", username, password_problem(username)))
            expected = self.roles.get(account)
            if expected is None:
                if not roles <= PACKAGE_ROLES:
                    found.append(Problem("users", username, (
                        f"Account {username} heeft de rol(len) {', '.join(sorted(roles))}, maar het auditlogboek "
                        "heeft geen toevoeging van dit account: het is buiten ExamDesk toegevoegd of gewijzigd.")))
                continue
            if roles != expected:
                found.append(Problem("users", username, (
                    f"De rollen van account {username} ({', '.join(sorted(roles)) or 'geen'}) zijn buiten ExamDesk "
                    f"gewijzigd: volgens het auditlogboek zijn het {', '.join(sorted(expected)) or 'geen'}.")))
            if active != self.active.get(account, True):
                found.append(Problem("users", username, (
                    f"Account {username} is buiten ExamDesk {'geactiveerd' if active else 'gedeactiveerd'}: het "
                    "auditlogboek zegt anders.")))
        return found


def password_problem(username: str) -> str:
    return (f"Het wachtwoord van account {username} is buiten ExamDesk gewijzigd: de opgeslagen wachtwoordhash past "
            "niet bij de laatste wachtwoordregel in het auditlogboek.")


def _roles(value: Any) -> frozenset[str]:
    return frozenset(v for v in value if isinstance(v, str)) if isinstance(value, list) else frozenset()


DOCUMENT_ACTION = "document gemaakt"
PDF_SHA_KEY = "pdf_sha256"
EMPTY_SHA256 = sha256_hex(b"")   # a stored PDF removed by an anonymisation


class IssuedDocument(NamedTuple):
    """What the audit entry of an issued document says: its fingerprint and (since issue 11) its PDF's hash."""

    fingerprint: str
    pdf_sha256: str | None


def issued_document(action: str, summary: dict[str, Any]) -> tuple[str, IssuedDocument] | None:
    """(document id, what was issued) of a *document gemaakt* entry; None for any other entry."""
    if action != DOCUMENT_ACTION or not isinstance(summary.get("document"), str):
        return None
    pdf = summary.get(PDF_SHA_KEY)
    return summary["document"], IssuedDocument(str(summary.get("vingerafdruk", "")),
                                               pdf if isinstance(pdf, str) else None)


def document_problem(title: str, document_id: str, issued: IssuedDocument | None, fingerprint: str,
                     pdf_sha256: str) -> str:
    """Why a stored document does not match its audit entry (Dutch), or empty when it does."""
    if issued is None:
        return (f'Het document "{title}" ({document_id}) staat niet in het auditlogboek: het is buiten ExamDesk '
                "toegevoegd.")
    if issued.fingerprint != fingerprint or (issued.pdf_sha256 is not None and issued.pdf_sha256 != pdf_sha256):
        return (f'Het uitgegeven document "{title}" ({document_id}) is buiten ExamDesk gewijzigd: het past niet '
                "meer bij zijn regel in het auditlogboek.")
    return ""


@dataclass
class DocumentLedger:
    """Every issued document as the audit trail records it, folded in chain order."""

    issued: dict[str, IssuedDocument] = field(default_factory=dict)

    def add(self, action: str, summary: dict[str, Any]) -> None:
        found = issued_document(action, summary)
        if found is not None:
            self.issued[found[0]] = found[1]

    def problems(self, stored: Iterable[tuple[str, str, str, str]], anonymised: Collection[str] = ()) -> list[Problem]:
        """(id, title, fingerprint, SHA-256 of the PDF) of every stored document, against the trail.
        `anonymised`: documents a valid keyed redaction covers — their stored PDF was removed by an
        anonymisation (issue 18) and only the fingerprint record stays, which must still match."""
        found, seen = [], set()
        for document_id, title, fingerprint, pdf_sha256 in stored:
            seen.add(document_id)
            issued = self.issued.get(document_id)
            if document_id in anonymised and issued is not None and issued.fingerprint == fingerprint \
                    and pdf_sha256 == EMPTY_SHA256:
                continue
            sentence = document_problem(title, document_id, issued, fingerprint, pdf_sha256)
            if sentence:
                found.append(Problem("documents", document_id, sentence))
        for document_id in self.issued.keys() - seen:
            found.append(Problem("documents", document_id, f"Het uitgegeven document {document_id} is buiten ExamDesk "
                                                           "verwijderd: het auditlogboek noemt het wel."))
        return found
