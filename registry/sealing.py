"""Seal short secrets (TOTP keys) with AES-256-GCM before they reach the database.

A sealed value reads `v1:<key id>:<base64url(nonce + ciphertext + tag)>`. The key id names the
key without revealing it, so a value sealed with another key is told apart from an altered one.
Each value is bound to what it is for (`purpose`, e.g. the account it belongs to) as associated
data: copying one account's sealed secret into another's row does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
_NONCE_BYTES = 12  # the size AES-GCM is defined for (NIST SP 800-38D)
_INFO = b"por-gateway mfa secrets v1"


class SealError(ValueError):
    """A sealed value cannot be opened: sealed with another key, or altered."""


def key_from_text(text: str) -> bytes:
    """Turn a configured key of any length into the 32 bytes AES-256 needs (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(text.encode())


@dataclass(frozen=True)
class Seal:
    """Seals and opens secrets with one key.

    `durable` is False when the key lives only as long as this process: secrets stored plain
    before sealing existed are then left as they are, since sealing them with a key the next
    start will not have would lose them.
    """

    key: bytes = field(repr=False)
    durable: bool = True

    def __post_init__(self) -> None:
        if len(self.key) != 32:
            raise ValueError("the sealing key must be 32 bytes (AES-256)")

    @property
    def key_id(self) -> str:
        """Eight hex digits naming the key (an HMAC of a constant: reveals nothing of it)."""
        return hmac.new(self.key, b"key id", hashlib.sha256).hexdigest()[:8]

    def seal(self, plain: str, purpose: str) -> str:
        """Return `plain` sealed for `purpose`, in the form `is_sealed` recognises."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.key).encrypt(nonce, plain.encode(), purpose.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{VERSION}:{self.key_id}:{body}"

    def open(self, stored: str, purpose: str) -> str:
        """Return the plain secret; a value that is not sealed (stored before sealing) as is.

        Raises SealError, naming the cause, when a sealed value cannot be opened.
        """
        if not is_sealed(stored):
            return stored
        _, key_id, body = stored.split(":", 2)
        if key_id != self.key_id:
            raise SealError(f"sealed with another key (key id {key_id}, this one is {self.key_id})")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            plain = AESGCM(self.key).decrypt(nonce, sealed, purpose.encode())
        except (ValueError, InvalidTag):
            raise SealError("the sealed value was altered or belongs elsewhere") from None
        return plain.decode()


def is_sealed(stored: str) -> bool:
    """Tell a sealed value from a plain one (a base32 secret never holds a colon)."""
    return stored.startswith(f"{VERSION}:") and stored.count(":") >= 2


def sealed_key_id(stored: str) -> str | None:
    """The id of the key a value was sealed with; None for a plain value."""
    return stored.split(":", 2)[1] if is_sealed(stored) else None
