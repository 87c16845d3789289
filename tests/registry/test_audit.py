"""The audit trail is a hash chain: a changed or deleted event is detected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registry.audit import GENESIS, event_hash, record_event, verify_chain
from registry.models import AuditEvent
from tests.factories import T0

pytestmark = pytest.mark.usefixtures("registry")


async def write_events(count: int) -> list[AuditEvent]:
    return [
        await record_event(
            actor="staff",
            action="account.created",
            object_type="user",
            object_id=f"user{i}",
            at=T0 + timedelta(seconds=i),
            details={"role": "officer", "n": i},
        )
        for i in range(count)
    ]


async def test_each_event_carries_the_hash_of_the_one_before() -> None:
    events = await write_events(3)
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert await verify_chain() == (3, [])


async def test_a_changed_event_is_detected() -> None:
    events = await write_events(3)
    await AuditEvent.filter(id=events[1].id).update(actor="someone-else")
    count, breaks = await verify_chain()
    assert count == 3
    assert [(b.event_id, b.problem) for b in breaks] == [
        (events[1].id, "this event was changed after it was written")
    ]


async def test_a_deleted_event_is_detected_at_the_next_one() -> None:
    events = await write_events(3)
    await AuditEvent.filter(id=events[1].id).delete()
    count, breaks = await verify_chain()
    assert count == 2
    assert [(b.event_id, b.problem) for b in breaks] == [
        (events[2].id, "an event before this one was deleted or changed")
    ]


async def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_event() -> None:
    events = await write_events(3)
    forged = await AuditEvent.get(id=events[0].id)
    forged.details = {"role": "manager", "n": 0}
    await AuditEvent.filter(id=forged.id).update(
        details=forged.details, hash=event_hash(forged.prev_hash, forged)
    )
    _, breaks = await verify_chain()
    assert [b.event_id for b in breaks] == [events[1].id]
