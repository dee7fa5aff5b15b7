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

PACKAGE_ROLES = frozenset({"surveillant"})


@dataclass
class AccountLedger:
    """The roles and active flag of each account id, folded from audit entries in chain order."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    active: dict[int, bool] = field(default_factory=dict)

    def add(self, action: str, user_id: int | None, entity: str, entity_id: str, summary: dict[str, Any]) -> None:
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

    def problems(self, accounts: Iterable[tuple[int, str, frozenset[str], bool]]) -> list[Problem]:
        """(id, user name, roles, active) of every account as the database holds it, against the trail."""
        found = []
        for account, username, roles, active in accounts:
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
