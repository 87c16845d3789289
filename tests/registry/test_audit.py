"""The audit trail is a sealed chain: a changed, deleted or re-sealed event is detected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registry.audit import (
    GENESIS,
    NO_KEY,
    AuditSeal,
    AuditSealError,
    check_head,
    event_hash,
    record_event,
    seal_event,
    use_seal,
)
from registry.audit_verify import ChainBreak, verify_chain
from registry.models import AuditEvent
from tests.factories import T0

pytestmark = pytest.mark.usefixtures("registry")

KEY = AuditSeal(b"an audit key of at least 32 characters, for tests")
OTHER_KEY = AuditSeal(b"another audit key, 32 characters or more, for tests")


async def write_events(count: int, *, start: int = 0) -> list[AuditEvent]:
    return [
        await record_event(
            actor="staff",
            action="account.created",
            object_type="user",
            object_id=f"user{i}",
            at=T0 + timedelta(seconds=i),
            details={"role": "officer", "n": i},
        )
        for i in range(start, start + count)
    ]


def problems(breaks: list[ChainBreak]) -> list[tuple[int, str]]:
    return [(b.event_id, b.problem) for b in breaks]


@pytest.fixture
def keyed() -> None:
    use_seal(KEY)


@pytest.mark.usefixtures("keyed")
async def test_each_event_carries_the_keyed_seal_of_the_one_before() -> None:
    events = await write_events(3)
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert all(e.hash.startswith(f"hmac1:{KEY.key_id}:") for e in events)
    assert len(events[0].hash) <= 64  # the column's length: no schema change
    walk = await verify_chain(KEY)
    assert (walk.count, walk.breaks, walk.keyed_from, walk.unkeyed) == (3, [], events[0].id, 0)


async def test_without_a_key_events_are_sealed_with_plain_sha256_and_still_checked() -> None:
    events = await write_events(3)
    assert events[1].hash == event_hash(events[1].prev_hash, events[1])
    walk = await verify_chain(NO_KEY)
    assert (walk.count, walk.breaks, walk.keyed_from, walk.unkeyed) == (3, [], None, 3)


@pytest.mark.usefixtures("keyed")
async def test_a_changed_event_is_detected() -> None:
    events = await write_events(3)
    await AuditEvent.filter(id=events[1].id).update(actor="someone-else")
    walk = await verify_chain(KEY)
    assert walk.count == 3
    assert problems(walk.breaks) == [(events[1].id, "this event was changed after it was written")]


@pytest.mark.usefixtures("keyed")
async def test_a_deleted_event_is_detected_at_the_next_one() -> None:
    events = await write_events(3)
    await AuditEvent.filter(id=events[1].id).delete()
    walk = await verify_chain(KEY)
    assert walk.count == 2
    assert problems(walk.breaks) == [
        (events[2].id, "an event before this one was deleted or changed")
    ]


@pytest.mark.usefixtures("keyed")
async def test_the_last_event_changed_and_resealed_with_the_public_hash_is_a_downgrade() -> None:
    events = await write_events(3)
    forged = await AuditEvent.get(id=events[-1].id)
    forged.details = {"role": "manager", "n": 2}
    resealed = event_hash(forged.prev_hash, forged)
    await AuditEvent.filter(id=forged.id).update(details=forged.details, hash=resealed)
    walk = await verify_chain(KEY)
    assert problems(walk.breaks) == [
        (
            forged.id,
            "sealed without a key after keyed events: anyone can make such a seal "
            "(the event was written or sealed again without the key)",
        )
    ]


@pytest.mark.usefixtures("keyed")
async def test_a_reseal_that_names_the_key_but_was_made_without_it_is_detected() -> None:
    events = await write_events(3)
    forged = await AuditEvent.get(id=events[-1].id)
    forged.actor = "someone-else"
    # The key id is public (every seal shows it); a seal under another key cannot match.
    guessed = seal_event(OTHER_KEY, forged.prev_hash, forged).split(":")[2]
    await AuditEvent.filter(id=forged.id).update(
        actor=forged.actor, hash=f"hmac1:{KEY.key_id}:{guessed}"
    )
    walk = await verify_chain(KEY)
    assert problems(walk.breaks) == [(forged.id, "this event was changed after it was written")]


async def test_events_sealed_before_the_key_stay_verifiable_and_keyed_ones_follow() -> None:
    old = await write_events(2)
    use_seal(KEY)
    new = await write_events(2, start=2)
    assert new[0].prev_hash == old[-1].hash
    walk = await verify_chain(KEY)
    assert (walk.count, walk.breaks, walk.keyed_from, walk.unkeyed) == (4, [], new[0].id, 2)


@pytest.mark.usefixtures("keyed")
async def test_an_unkeyed_event_after_keyed_ones_is_a_break() -> None:
    events = await write_events(2)
    # What a process without the key would append if the registry let it: a downgrade.
    last = events[-1]
    forged = AuditEvent(
        at=T0,
        actor="staff",
        action="account.created",
        object_type="user",
        object_id="intruder",
        details={},
        prev_hash=last.hash,
    )
    forged.hash = event_hash(forged.prev_hash, forged)
    await forged.save()
    walk = await verify_chain(KEY)
    assert [b.event_id for b in walk.breaks] == [forged.id]
    assert "sealed without a key after keyed events" in walk.breaks[0].problem


@pytest.mark.usefixtures("keyed")
async def test_the_registry_refuses_to_continue_a_keyed_trail_without_its_key() -> None:
    await write_events(2)
    for seal, expected in ((NO_KEY, "no audit key is configured"), (OTHER_KEY, "configured")):
        use_seal(seal)
        with pytest.raises(AuditSealError, match=expected):
            await write_events(1, start=5)
        with pytest.raises(AuditSealError, match=KEY.key_id):
            await check_head(seal)
    assert await AuditEvent.all().count() == 2
    await check_head(KEY)


@pytest.mark.usefixtures("keyed")
async def test_a_keyed_trail_cannot_be_checked_without_its_key_and_says_which_key() -> None:
    events = await write_events(3)
    walk = await verify_chain(NO_KEY)
    assert problems(walk.breaks) == [
        (
            events[0].id,
            f"sealed with key {KEY.key_id}, but no audit key was given: "
            "this event and the ones after it cannot be checked",
        )
    ]
    other = await verify_chain(OTHER_KEY)
    assert f"not the audit key given ({OTHER_KEY.key_id})" in other.breaks[0].problem


async def test_without_a_key_a_resealed_last_event_passes_the_chain_alone() -> None:
    # Why a demo's trail is "not keyed" and why checkpoints exist (see test_audit_checkpoint).
    events = await write_events(3)
    forged = await AuditEvent.get(id=events[-1].id)
    forged.details = {"role": "manager", "n": 2}
    await AuditEvent.filter(id=forged.id).update(
        details=forged.details, hash=event_hash(forged.prev_hash, forged)
    )
    walk = await verify_chain(NO_KEY)
    assert walk.breaks == []


async def test_a_rehashed_forgery_in_the_middle_still_breaks_the_link_to_the_next_event() -> None:
    events = await write_events(3)
    forged = await AuditEvent.get(id=events[0].id)
    forged.details = {"role": "manager", "n": 0}
    await AuditEvent.filter(id=forged.id).update(
        details=forged.details, hash=event_hash(forged.prev_hash, forged)
    )
    walk = await verify_chain(NO_KEY)
    assert [b.event_id for b in walk.breaks] == [events[1].id]


async def test_the_key_never_shows_in_its_repr_and_each_key_has_its_own_id() -> None:
    assert "audit key" not in repr(KEY)
    assert KEY.key_id != OTHER_KEY.key_id and len(KEY.key_id) == 8
