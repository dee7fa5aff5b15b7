"""Which signatures this database trusts: the keys it has pinned, and the decision for a file's signer.

An exam PC pins the commission's key from its first package; the commission pins each exam PC's key
on its first record. Pinning is never silent: a key seen for the first time, or a sender whose key
changed, is confirmed by a person who compared the fingerprint with the sender over the phone — the
beheerder, or on a fresh exam PC whoever sets it up with the package's setup code (docs/exchange.md,
"Sleutels vastleggen"). A file signed by any other key is refused. A pinned key is never changed or
removed, only revoked (also when a confirmed new key of the same sender replaces it); a revoked key
is never trusted again.
"""

from __future__ import annotations

from dataclasses import dataclass

from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.exchange import KIND_PACKAGE, KIND_RECORD, Envelope, ExchangeRefused
from examdesk.domain.exchange_crypto import Identity, display_fingerprint

ROLE_COMMISSION = "examencommissie"
ROLE_EXAM_PC = "examenpc"
ROLE_LABELS = {ROLE_COMMISSION: "de examencommissie", ROLE_EXAM_PC: "een examenpc"}
SIGNER_ROLE = {KIND_PACKAGE: ROLE_COMMISSION, KIND_RECORD: ROLE_EXAM_PC}

STATE_UNKNOWN = "onbekend"        # first seen: nothing of this sender is pinned
STATE_CHANGED = "gewijzigd"       # the sender's pinned key is another one
STATE_REVOKED = "ingetrokken"     # this key was revoked here: never again
STATE_WRONG_ROLE = "andere rol"   # pinned for the other side (a package signed by an exam PC's key)

CONFIRMED_AT_SETUP = "bij het inrichten van deze examenpc: instelcode en telefonisch vergeleken vingerafdruk"
CONFIRMED_BY_BEHEERDER = "telefonisch vergeleken en bevestigd door de beheerder"


@dataclass(frozen=True)
class PinnedKey:
    """A key this database trusts for one role, with who confirmed it and whether it has been revoked."""

    fingerprint: str            # key id: SHA-256 of the Ed25519 public key, hex
    role: str
    signing_key: bytes
    exchange_key: bytes
    database_id: str            # the sender's database identity
    institution: str
    label: str
    first_file: str             # the file it was first confirmed from
    first_file_at: str          # when that file was made (signed)
    confirmed_at: str
    confirmed_by: str           # user name, or '' when confirmed while setting up an exam PC
    confirmed_how: str
    revoked_at: str | None = None
    revoked_by: str = ""
    revoked_reason: str = ""

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def identity(self) -> Identity:
        return Identity(self.database_id, self.signing_key, self.exchange_key)

    @property
    def display(self) -> str:
        return display_fingerprint(self.fingerprint)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def confirmed_label(self) -> str:
        who = self.confirmed_by or "wie de examenpc inrichtte"
        return f"{who}, {format_datetime(from_iso(self.confirmed_at))}"


class KeyNotTrusted(ExchangeRefused):
    """A file signed by a key this database has not (or no longer) pinned for its role. Carries what a
    confirmation dialog shows: both fingerprints, the one pinned before, and who may confirm."""

    def __init__(self, message: str, state: str, envelope: Envelope, role: str, previous: PinnedKey | None,
                 own_fingerprint: str):
        super().__init__(message)
        self.state = state
        self.envelope = envelope
        self.role = role
        self.previous = previous
        self.own_fingerprint = own_fingerprint

    @property
    def signer(self) -> Identity:
        return self.envelope.sender

    @property
    def confirmable(self) -> bool:
        return self.state in (STATE_UNKNOWN, STATE_CHANGED)

    @property
    def sender_label(self) -> str:
        return sender_label(self.envelope, self.role)

    @property
    def who_confirms(self) -> str:
        if self.role == ROLE_COMMISSION:
            return ("Bevestigen mag alleen een beheerder van deze computer, na telefonisch contact met de "
                    "examencommissie. Een nieuwe examenpc bevestigt de sleutel bij het inrichten, met de instelcode.")
        return ("Bevestigen mag alleen de beheerder, nadat de vingerafdruk telefonisch is vergeleken met de "
                "surveillant of beheerder bij deze examenpc (daar: Beheer → Sleutels of 'examdesk keys show').")


class SetupCodeNeeded(ExchangeRefused):
    """The file is encrypted under a setup code (a package for an exam PC whose key the office does not know)."""


def sender_label(envelope: Envelope, role: str) -> str:
    if role == ROLE_COMMISSION:
        return f"de examencommissie van {envelope.institution_name or envelope.brin}"
    return f"examenpc {envelope.sender.database_id[:8]} van {envelope.institution_name or envelope.brin}"


def decide(envelope: Envelope, pinned: list[PinnedKey], own: Identity) -> PinnedKey | None:
    """The pinned key that vouches for this file's signer (None: the signer is this installation itself),
    or KeyNotTrusted with the reason. `pinned`: every key pinned here, revoked ones included."""
    signer = envelope.sender
    role = SIGNER_ROLE[envelope.kind]
    if signer.key_id == own.key_id:
        return None           # a file this installation made itself
    what = f"Dit {envelope.kind_label}"
    found = next((k for k in pinned if k.fingerprint == signer.key_id), None)
    if found is not None and not found.active:
        raise KeyNotTrusted(
            f"{what} is ondertekend met een sleutel die hier op {format_datetime(from_iso(found.revoked_at or ''))} "
            f"is ingetrokken door {found.revoked_by or 'de beheerder'} ({found.revoked_reason}); een ingetrokken "
            f"sleutel wordt nooit meer vertrouwd (vingerafdruk {signer.fingerprint}). Er is niets ingelezen.",
            STATE_REVOKED, envelope, role, found, own.fingerprint)
    if found is not None and found.role != role:
        raise KeyNotTrusted(
            f"{what} is ondertekend met de sleutel van {found.role_label} ({found.label}), maar een "
            f"{envelope.kind_label} komt van {ROLE_LABELS[role]}. Er is niets ingelezen.",
            STATE_WRONG_ROLE, envelope, role, found, own.fingerprint)
    if found is not None:
        return found
    active = [k for k in pinned if k.active and k.role == role]
    previous = next((k for k in active if role == ROLE_COMMISSION or k.database_id == signer.database_id), None)
    how = ("Vergelijk de vingerafdruk telefonisch met de afzender; een beheerder bevestigt hem in het venster "
           "Uitwisselen, in Beheer → Uitwisselsleutels of met: examdesk keys trust BESTAND --fingerprint "
           "\"VINGERAFDRUK\" --user BEHEERDER.")
    if previous is None:
        raise KeyNotTrusted(
            f"{what} is ondertekend met een sleutel die deze database nog niet kent: {sender_label(envelope, role)}, "
            f"vingerafdruk {signer.fingerprint}. {how} Er is niets ingelezen.",
            STATE_UNKNOWN, envelope, role, None, own.fingerprint)
    raise KeyNotTrusted(
        f"{what} is ondertekend met een andere sleutel dan die van {previous.label}, die hier is vastgelegd "
        f"(vastgelegd: {previous.display}; in het bestand: {signer.fingerprint}). Dat kan een vervalsing zijn, of een "
        f"nieuwe computer of database bij de afzender. {how} Er is niets ingelezen.",
        STATE_CHANGED, envelope, role, previous, own.fingerprint)


def matches(fingerprint_text: str, key_id: str) -> bool:
    """Whether a fingerprint as typed or read aloud ('3f9a 12c0 …', with or without spaces) is this key id."""
    typed = "".join(ch for ch in (fingerprint_text or "").lower() if ch not in " -:\t\n")
    return len(typed) == len(key_id) and typed == key_id


def label_for(envelope: Envelope, role: str, name: str = "") -> str:
    """How Beheer names a pinned key: the name the beheerder gave, else the sender as the file says."""
    name = " ".join((name or "").split())[:100]
    return name or sender_label(envelope, role)
