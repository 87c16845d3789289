"""The outbox: claim due deliveries, record how each send ended, report and replay.

A claim sets `status = sending`, a lease, and bumps `attempts`; the attempt number then serves
as the claim's fencing token, so a worker whose lease ran out cannot overwrite the outcome of
the worker that claimed the delivery after it. Nothing is ever deleted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.functions import Count, Min
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from outbound.transport import Outgoing
from registry.audit import record_event
from registry.db import is_postgres
from registry.entries import refreshed_payload
from registry.enums import FANOUT
from registry.models import Delivery, DeliveryStatus

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def _due(now: datetime) -> Q:
    # Due: waiting and its time has come, or claimed by a worker whose lease ran out.
    return Q(status__in=WAITING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, lease_until__lt=now
    )


async def claim_due_deliveries(now: datetime, lease: timedelta, limit: int) -> list[Outgoing]:
    """Claim up to `limit` due deliveries for this worker until `now + lease`."""
    if is_postgres():
        rows = await _claim_postgres(now, lease, limit)
    else:
        rows = await _claim_sqlite(now, lease, limit)
    return [
        Outgoing(
            delivery_id=row.id,
            adapter=row.adapter.value,
            key=str(row.idempotency_key),
            payload=row.payload,
            receipt=row.receipt,
            attempts=row.attempts,  # the claim's attempt, its fencing token
        )
        for row in rows
    ]


def _candidates(now: datetime, limit: int) -> QuerySet[Delivery]:
    return Delivery.filter(_due(now)).order_by("next_attempt_at", "id").limit(limit)


async def _claim_postgres(now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    # SKIP LOCKED: concurrent workers take different rows instead of queueing on the same ones.
    # The rows must be fetched as models: the ORM drops FOR UPDATE from a values_list() query.
    async with in_transaction() as conn:
        rows = await _candidates(now, limit).select_for_update(skip_locked=True).using_db(conn)
        if rows:
            await (
                Delivery.filter(id__in=[row.id for row in rows])
                .using_db(conn)
                .update(
                    status=DeliveryStatus.SENDING,
                    lease_until=now + lease,
                    attempts=F("attempts") + 1,
                )
            )
    for row in rows:
        row.attempts += 1
    return list(rows)


async def _claim_sqlite(now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    # SQLite ignores FOR UPDATE (LIBRARY-NOTES). One UPDATE repeats the "due" condition on the
    # candidates and stamps them with this claim's own lease time; SQLite runs it alone, so the
    # rows carrying that stamp afterwards (the row count says how many) are this worker's.
    ids = await _candidates(now, limit).values_list("id", flat=True)
    if not ids:
        return []
    stamp = now + lease + timedelta(microseconds=random.randrange(1, 1000))  # noqa: S311
    changed = await Delivery.filter(_due(now), id__in=ids).update(
        status=DeliveryStatus.SENDING, lease_until=stamp, attempts=F("attempts") + 1
    )
    if not changed:
        return []
    return await Delivery.filter(
        id__in=ids, status=DeliveryStatus.SENDING, lease_until=stamp
    ).order_by("next_attempt_at", "id")


async def record_sent(item: Outgoing, receipt: str, now: datetime) -> bool:
    """Mark a claimed delivery sent; False when the claim was lost (the lease ran out)."""
    changed = await _claimed(item).update(
        status=DeliveryStatus.SENT, receipt=receipt, sent_at=now, lease_until=None
    )
    return changed == 1


async def record_in_progress(item: Outgoing, receipt: str, check_at: datetime) -> bool:
    """Keep a delivery `sending` until `check_at`, when its receipt is reconciled.

    Waiting on the receiver is not an attempt: the claim's attempt is given back.
    """
    changed = await _claimed(item).update(
        receipt=receipt, lease_until=check_at, attempts=item.attempts - 1
    )
    return changed == 1


@dataclass(frozen=True)
class Retry:
    """How transient failures are retried: attempt⁴ seconds, ±10 % jitter, capped."""

    max_attempts: int = 8
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        seconds = min(float(attempt**4), self.cap.total_seconds())
        jitter = (rng or random).uniform(0.9, 1.1)  # spreading retries, not a secret
        return timedelta(seconds=seconds * jitter)


async def record_failure(
    item: Outgoing, reason: str, *, permanent: bool, retry: Retry, now: datetime
) -> DeliveryStatus | None:
    """Schedule a retry, or park the delivery as dead; return the new status (None: claim lost)."""
    dead = permanent or item.attempts >= retry.max_attempts
    if dead:
        status = DeliveryStatus.DEAD
        note = reason if permanent else f"{reason} (gave up after {item.attempts} attempts)"
        values: dict[str, object] = {"status": status, "last_error": note, "lease_until": None}
    else:
        status = DeliveryStatus.FAILED
        values = {
            "status": status,
            "last_error": reason,
            "lease_until": None,
            "receipt": None,  # a failed fax job is submitted afresh next time
            "next_attempt_at": now + retry.delay(item.attempts),
        }
    changed = await _claimed(item).update(**values)
    return status if changed == 1 else None


def _claimed(item: Outgoing) -> QuerySet[Delivery]:
    return Delivery.filter(
        id=item.delivery_id, status=DeliveryStatus.SENDING, attempts=item.attempts
    )


async def replay_delivery(delivery_id: int, *, actor: str, now: datetime) -> Delivery | None:
    """Send a dead or failed delivery again from its first attempt; None when there is none.

    The case, court and agency are read again, so a fix staff made since is what goes out.
    Its history stays: the last error is kept until the next outcome replaces it.
    """
    async with in_transaction() as conn:
        waiting = (DeliveryStatus.DEAD, DeliveryStatus.FAILED)
        row = await Delivery.filter(id=delivery_id, status__in=waiting).using_db(conn).first()
        if row is None:
            return None
        # A service's fan-out is rebuilt from the case; a mail or chat message stays as owed.
        fanout = row.adapter in FANOUT and row.entry_id is not None  # type: ignore[attr-defined]
        payload = await refreshed_payload(row, conn) if fanout else row.payload
        changed = await (
            Delivery.filter(id=delivery_id, status__in=waiting)
            .using_db(conn)
            .update(
                payload=payload,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                receipt=None,
            )
        )
        if changed != 1:
            return None
        await record_event(
            actor=actor,
            action="delivery.replayed",
            object_type="delivery",
            object_id=str(delivery_id),
            at=now,
            connection=conn,
        )
    return await Delivery.get(id=delivery_id)


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[tuple[str, str], int]  # (adapter, status) -> deliveries
    oldest_pending: datetime | None  # created_at of the oldest delivery not yet sent or dead

    def oldest_pending_age(self, now: datetime) -> timedelta | None:
        return None if self.oldest_pending is None else now - self.oldest_pending


async def outbox_status() -> OutboxStatus:
    """Count deliveries by adapter and status, and find the oldest one still owed."""
    rows = await (
        Delivery.annotate(n=Count("id"))
        .group_by("adapter", "status")
        .values("adapter", "status", "n")
    )
    counts = {(_text(r["adapter"]), _text(r["status"])): int(r["n"]) for r in rows}
    owed = (*WAITING, DeliveryStatus.SENDING)
    oldest = await (
        Delivery.filter(status__in=owed).annotate(first=Min("created_at")).first().values("first")
    )
    first = oldest["first"] if oldest else None
    if isinstance(first, str):  # SQLite hands aggregates back as text
        first = datetime.fromisoformat(first)
    return OutboxStatus(counts=counts, oldest_pending=first)


def _text(value: object) -> str:
    return str(getattr(value, "value", value))


async def dead_deliveries(limit: int = 100) -> list[Delivery]:
    """The dead deliveries staff must look at, newest first."""
    return await Delivery.filter(status=DeliveryStatus.DEAD).order_by("-id").limit(limit)
