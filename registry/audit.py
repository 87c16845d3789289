"""The append-only audit trail: each event carries the SHA-256 of the one before it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from registry.models import AuditEvent, User

GENESIS = "0" * 64
# Any constant will do: it names the lock that serializes appends across processes.
_CHAIN_LOCK = 0x504F52_4155  # "POR" "AU"


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """Return the hash that seals an event's content to the chain before it."""
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
    return hashlib.sha256(encoded.encode()).hexdigest()


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
    """Append one event; call inside the transaction that makes the change it records."""
    conn = connection or connections.get("default")
    if conn.capabilities.dialect == "postgres":
        # Appends from several processes must see each other's last hash: take turns.
        await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [_CHAIN_LOCK])
    last = await AuditEvent.all().using_db(conn).order_by("-id").first()
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
    event.hash = event_hash(event.prev_hash, event)
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


async def verify_chain(batch: int = 5000) -> tuple[int, list[ChainBreak]]:
    """Walk the trail in order and return how many events were read and every break found."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = await AuditEvent.filter(id__gt=last_id).order_by("id").limit(batch)
        if not rows:
            break
        for event in rows:
            count += 1
            if event.prev_hash != expected_prev:
                breaks.append(
                    ChainBreak(event.id, "an event before this one was deleted or changed")
                )
            if event_hash(event.prev_hash, event) != event.hash:
                breaks.append(ChainBreak(event.id, "this event was changed after it was written"))
            expected_prev = event.hash
            last_id = event.id
    return count, breaks
