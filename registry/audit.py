"""The append-only audit trail: each event is sealed to the one before it.

A seal is kept in `AuditEvent.hash` and names its scheme:

- `hmac1:<key id>:<mac>`: HMAC-SHA256 under the registry's audit key (`AuditSeal`), the key id
  and the MAC in unpadded base64url (58 characters, so the 64-character column holds it). Only
  a holder of the key can seal an event, so a changed event cannot be sealed again.
- 64 hexadecimal digits: unkeyed SHA-256 (`event_hash`), as every event was sealed before the
  registry had a key, and as a demo without `security.audit_key` still seals. Anyone can compute
  it: once a keyed event appears, an unkeyed one after it is a break (a downgrade).

The key never goes in the database. The gateway hands it over once at start-up with
`use_seal`; the registry keeps it for the process (`current_seal`) and never reads configuration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from registry.models import AuditEvent, User

GENESIS = "0" * 64
KEYED = "hmac1"
# Any constant will do: it names the lock that serializes appends across processes.
_CHAIN_LOCK = 0x504F52_4155  # "POR" "AU"
_KEYED_SEAL = re.compile(r"hmac1:([A-Za-z0-9_-]{8}):([A-Za-z0-9_-]{43})")
_UNKEYED_SEAL = re.compile(r"[0-9a-f]{64}")
_KEY_ID_LABEL = b"por audit key id"


class AuditSealError(RuntimeError):
    """The trail cannot be continued with this process's seal (no key, or another key)."""


@dataclass(frozen=True)
class AuditSeal:
    """The key that seals the trail; empty means no key (unkeyed SHA-256, a demo)."""

    key: bytes = field(default=b"", repr=False)

    @property
    def keyed(self) -> bool:
        return bool(self.key)

    @cached_property
    def key_id(self) -> str:
        """Name the key without revealing it, so a seal says which key made it."""
        if not self.key:
            return ""
        digest = hmac.new(self.key, _KEY_ID_LABEL, hashlib.sha256).digest()
        return _b64(digest[:6])

    def seal(self, body: bytes) -> str:
        """Return the seal of `body`: keyed when there is a key, else plain SHA-256."""
        if not self.key:
            return hashlib.sha256(body).hexdigest()
        mac = hmac.new(self.key, body, hashlib.sha256).digest()
        return f"{KEYED}:{self.key_id}:{_b64(mac)}"


NO_KEY = AuditSeal()
_seal = NO_KEY


def use_seal(seal: AuditSeal) -> None:
    """Seal every event this process records from now on with `seal` (set at start-up)."""
    global _seal
    _seal = seal


def current_seal() -> AuditSeal:
    """The seal this process records with."""
    return _seal


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SealCheck:
    """What a stored seal says: its scheme, its key id, and whether it matches the content."""

    scheme: str  # "hmac1", "sha256" or "unknown"
    key_id: str = ""
    matches: bool | None = None  # None: not checked (no key, or another key)


def check_seal(seal: AuditSeal, body: bytes, stored: str) -> SealCheck:
    """Tell how `stored` was made and whether it is the seal of `body`."""
    keyed = _KEYED_SEAL.fullmatch(stored)
    if keyed:
        key_id = keyed[1]
        if not seal.keyed or key_id != seal.key_id:
            return SealCheck(KEYED, key_id)
        return SealCheck(KEYED, key_id, hmac.compare_digest(seal.seal(body), stored))
    if _UNKEYED_SEAL.fullmatch(stored):
        return SealCheck("sha256", "", hmac.compare_digest(NO_KEY.seal(body), stored))
    return SealCheck("unknown")


def event_body(prev_hash: str, event: AuditEvent) -> bytes:
    """Return the bytes a seal covers: the event's content and the seal before it."""
    body = {
        "prev": prev_hash,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "object": [event.object_type, event.object_id],
        "outcome": event.outcome,
        "details": event.details,
    }
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return encoded.encode()


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """Return the unkeyed SHA-256 seal of an event (the old scheme, public: anyone can make it)."""
    return NO_KEY.seal(event_body(prev_hash, event))


def seal_event(seal: AuditSeal, prev_hash: str, event: AuditEvent) -> str:
    """Return the seal that binds an event's content to the chain before it."""
    return seal.seal(event_body(prev_hash, event))


def check_can_follow(seal: AuditSeal, last_hash: str) -> None:
    """Refuse to continue a keyed trail without its key (a downgrade) or with another key."""
    keyed = _KEYED_SEAL.fullmatch(last_hash)
    if keyed is None:
        return
    if not seal.keyed:
        raise AuditSealError(
            f"the audit trail is sealed with key {keyed[1]}, but no audit key is configured "
            "(security.audit_key)"
        )
    if keyed[1] != seal.key_id:
        raise AuditSealError(
            f"the audit trail is sealed with key {keyed[1]}, but the configured audit key is "
            f"{seal.key_id}"
        )


async def lock_chain(conn: BaseDBAsyncClient) -> None:
    """Take the trail's turn until the caller's transaction ends (on PostgreSQL).

    Appends from several processes must each see the one before: they take turns. A reader
    that takes it too sees every append that started before it committed. SQLite has one
    writer at a time already.
    """
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [_CHAIN_LOCK])


async def check_head(seal: AuditSeal) -> None:
    """Raise `AuditSealError` at start-up when this seal cannot continue the trail."""
    last = await AuditEvent.all().order_by("-id").first()
    if last is not None:
        check_can_follow(seal, last.hash)


async def record_event(
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    outcome: str = "success",
    connection: BaseDBAsyncClient | None = None,
) -> AuditEvent:
    """Append one event; call inside the transaction that makes the change it records.

    Raises `AuditSealError` (and so fails that transaction) when the trail is keyed and this
    process has no key or another one.
    """
    conn = connection or connections.get("default")
    await lock_chain(conn)
    last = await AuditEvent.all().using_db(conn).order_by("-id").first()
    seal = _seal
    if last is not None:
        check_can_follow(seal, last.hash)
    event = AuditEvent(
        at=at.astimezone(UTC),
        actor=actor[:64],
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = seal_event(seal, event.prev_hash, event)
    await event.save(using_db=conn)
    return event


async def record_account_event(
    user: User,
    action: str,
    *,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    outcome: str = "success",
    connection: BaseDBAsyncClient | None = None,
) -> AuditEvent:
    """Append one event about an account (login, password, MFA, linking, activation)."""
    return await record_event(
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.username,
        at=at,
        details=details,
        outcome=outcome,
        connection=connection,
    )
