"""The keys this database trusts for signed exchange, as the beheerder manages them (Beheer →
Uitwisselsleutels, `examdesk keys list|trust|revoke`): list them, pin the signer of a file after
comparing its fingerprint with the sender over the phone, and revoke one.

Pinning reads only the file's signed manifest (the signature is checked, nothing is decrypted) and
pins exactly the key that signed it, for the role its kind implies: a package's signer as the
commission, a record's as an exam PC. A changed key of a sender replaces the old one, which is
revoked in the same transaction. Every pin and revocation is sealed into the audit chain and audited.
"""

from __future__ import annotations

from pathlib import Path

from examdesk.data import exchange as container
from examdesk.data import exchange_keys as key_data
from examdesk.data import exchange_rows as rows
from examdesk.data import keystore
from examdesk.domain.clock import to_iso
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.exchange_crypto import display_fingerprint, identity_of
from examdesk.domain.exchange_keys import (
    CONFIRMED_BY_BEHEERDER,
    KeyNotTrusted,
    PinnedKey,
    decide,
    label_for,
    matches,
)
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext

AUDIT_ENTITY = "uitwisselsleutel"


class ExchangeKeyService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def pinned(self) -> list[PinnedKey]:
        """Every key pinned here, revoked ones included (Beheer shows them all)."""
        self.ctx.require(Action.TRUST_EXCHANGE_KEY)
        return key_data.pinned(self.ctx.store)

    def own_fingerprint(self) -> str:
        """This installation's fingerprint, which the other side compares over the phone."""
        self.ctx.require(Action.TRUST_EXCHANGE_KEY)
        store = self.ctx.store
        return identity_of(keystore.require(rows.database_id(store), store.path)).fingerprint

    def signer(self, path: Path | str) -> PinnedKey | None:
        """The pinned key that vouches for the signer of this file (None: this installation signed it), or
        KeyNotTrusted with both fingerprints — what Beheer shows before the beheerder confirms a key."""
        self.ctx.require(Action.TRUST_EXCHANGE_KEY)
        store = self.ctx.store
        sealed = container.read_sealed(Path(path))
        return decide(sealed.envelope, key_data.pinned(store),
                      identity_of(keystore.require(rows.database_id(store), store.path)))

    def trust(self, path: Path | str, fingerprint: str, name: str = "") -> PinnedKey:
        """Pins the key that signed this file, after the beheerder compared `fingerprint` with the sender.
        Refuses a fingerprint that is not the signer's, a revoked key, and a key already trusted."""
        user = self.ctx.require(Action.TRUST_EXCHANGE_KEY)
        store = self.ctx.store
        sealed = container.read_sealed(Path(path))
        envelope = sealed.envelope
        if not matches(fingerprint, envelope.sender.key_id):
            raise ValidationError(f"De opgegeven vingerafdruk is niet die van de sleutel waarmee {sealed.name} is "
                                  f"ondertekend ({envelope.sender.fingerprint}). Er is niets vastgelegd.")
        own = identity_of(keystore.require(rows.database_id(store), store.path))
        try:
            decide(envelope, key_data.pinned(store), own)
        except KeyNotTrusted as exc:
            if not exc.confirmable:
                raise
            previous, role = exc.previous, exc.role
        else:
            raise ValidationError(f"De sleutel waarmee {sealed.name} is ondertekend wordt hier al vertrouwd; er is niets "
                                  "gewijzigd.")
        at = to_iso(self.ctx.clock())
        key = PinnedKey(
            fingerprint=envelope.sender.key_id, role=role, signing_key=envelope.sender.signing_key,
            exchange_key=envelope.sender.exchange_key, database_id=envelope.sender.database_id,
            institution=envelope.institution_name,
            label=label_for(envelope, role, name or (previous.label if previous is not None else "")),
            first_file=sealed.name,
            first_file_at=envelope.created_at, confirmed_at=at, confirmed_by=user.username,
            confirmed_how=CONFIRMED_BY_BEHEERDER)
        with store.transaction():
            if previous is not None:
                self._revoke(previous, at, f"vervangen door de sleutel {display_fingerprint(key.fingerprint)[:19]} …")
            key_data.insert(store, key, user.id, user.username)
            self.ctx.audit("uitwisselsleutel vertrouwd", AUDIT_ENTITY, key.fingerprint, {
                "rol": key.role, "naam": key.label, "vingerafdruk": key.display, "bestand": sealed.name,
                "vervangt": previous.display if previous is not None else None, "bevestigd": key.confirmed_how})
        return key

    def revoke(self, fingerprint: str, reason: str) -> PinnedKey:
        """Withdraws a pinned key: files it signs are refused from now on, and it is never trusted again."""
        self.ctx.require(Action.TRUST_EXCHANGE_KEY)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError("Geef een reden voor het intrekken van de sleutel.")
        if len(reason) > 400:
            raise ValidationError("De reden is langer dan 400 tekens.")
        found = [k for k in key_data.pinned(self.ctx.store) if matches(fingerprint, k.fingerprint)
                 or (len(_hex(fingerprint)) >= 8 and k.fingerprint.startswith(_hex(fingerprint)))]
        if len(found) != 1:
            raise NotFound(f"Er is hier geen (eenduidige) vastgelegde sleutel met vingerafdruk '{fingerprint.strip()}'.")
        key = found[0]
        if not key.active:
            raise ValidationError(f"De sleutel van {key.label} is al ingetrokken; er is niets gewijzigd.")
        with self.ctx.store.transaction():
            self._revoke(key, to_iso(self.ctx.clock()), reason)
        return key_data.by_fingerprint(self.ctx.store, key.fingerprint) or key

    def _revoke(self, key: PinnedKey, at: str, reason: str) -> None:
        user = self.ctx.user
        key_data.revoke(self.ctx.store, key.fingerprint, at, user.username if user else "", reason,
                        user.id if user else None)
        self.ctx.audit("uitwisselsleutel ingetrokken", AUDIT_ENTITY, key.fingerprint, {
            "rol": key.role, "naam": key.label, "vingerafdruk": key.display, "reden": reason})


def _hex(text: str) -> str:
    return "".join(ch for ch in (text or "").lower() if ch not in " -:\t\n")

