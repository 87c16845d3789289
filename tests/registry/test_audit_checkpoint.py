"""Checkpoints anchor the trail's end outside the database: a cut-off tail is found too."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from registry.audit import NO_KEY, AuditSeal, event_hash, use_seal
from registry.audit_checkpoint import (
    Checkpoint,
    append_checkpoint,
    parse_checkpoint,
    read_checkpoints,
    write_checkpoint,
)
from registry.audit_verify import TrailVerdict, verify_trail
from registry.models import AuditEvent
from tests.factories import T0
from tests.registry.test_audit import KEY, write_events

pytestmark = pytest.mark.usefixtures("registry")

LATER = T0 + timedelta(hours=1)


@pytest.fixture
def checkpoints(tmp_path: Path) -> Path:
    use_seal(KEY)
    return tmp_path / "data" / "audit-checkpoints.jsonl"


async def verify(path: Path, seal: AuditSeal = KEY) -> TrailVerdict:
    return await verify_trail(seal, path)


async def test_a_clean_trail_with_checkpoints_holds(checkpoints: Path) -> None:
    await write_events(5)
    first = await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await write_events(3)
    second = await write_checkpoint(checkpoints, seal=KEY, now=LATER)
    assert (first.checkpoint.events, second.checkpoint.events) == (5, 8)
    verdict = await verify(checkpoints)
    assert verdict.ok, (verdict.walk.breaks, verdict.problems)
    assert verdict.last_checkpoint == second.checkpoint
    assert len(verdict.checkpoints.checkpoints) == 2


async def test_no_checkpoint_yet_is_no_problem_by_itself(checkpoints: Path) -> None:
    await write_events(2)
    verdict = await verify(checkpoints)
    assert verdict.ok
    assert not verdict.checkpoints.exists and verdict.last_checkpoint is None


async def test_deleting_the_last_11_events_is_found_against_the_checkpoint(
    checkpoints: Path,
) -> None:
    events = await write_events(51)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await AuditEvent.filter(id__gt=events[39].id).delete()
    verdict = await verify(checkpoints)
    assert verdict.walk.breaks == []  # what is left is a whole chain: the chain alone is blind
    assert verdict.problems == [
        f"the trail ends at event {events[39].id} but the checkpoint of 2026-11-02T15:00:00Z "
        f"recorded 51 events up to event {events[50].id}: its tail was cut off"
    ]


async def test_a_cut_tail_is_named_once_by_the_checkpoint_reaching_furthest(
    checkpoints: Path,
) -> None:
    events = await write_events(20)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await write_events(5)
    await write_checkpoint(checkpoints, seal=KEY, now=LATER)
    await AuditEvent.filter(id__gt=events[9].id).delete()
    verdict = await verify(checkpoints)
    [problem] = verdict.problems
    assert "checkpoint of 2026-11-02T16:00:00Z recorded 25 events" in problem


async def test_the_last_event_changed_and_resealed_with_the_public_hash_is_found(
    checkpoints: Path,
) -> None:
    events = await write_events(4)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    forged = await AuditEvent.get(id=events[-1].id)
    forged.details = {"n": 99}
    await AuditEvent.filter(id=forged.id).update(
        details=forged.details, hash=event_hash(forged.prev_hash, forged)
    )
    verdict = await verify(checkpoints)
    assert [b.event_id for b in verdict.walk.breaks] == [forged.id]
    assert verdict.problems == [
        f"event {forged.id} is not as the checkpoint of 2026-11-02T15:00:00Z recorded it: "
        "it was changed and sealed again"
    ]


async def test_without_a_key_the_checkpoint_still_finds_a_resealed_last_event(
    tmp_path: Path,
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    events = await write_events(3)
    await write_checkpoint(path, seal=NO_KEY, now=T0)
    forged = await AuditEvent.get(id=events[-1].id)
    forged.details = {"n": 99}
    await AuditEvent.filter(id=forged.id).update(
        details=forged.details, hash=event_hash(forged.prev_hash, forged)
    )
    verdict = await verify(path, NO_KEY)
    assert verdict.walk.breaks == []
    assert [p.split(":")[0] for p in verdict.problems] == [
        f"event {forged.id} is not as the checkpoint of 2026-11-02T15"
    ]


async def test_a_changed_middle_event_is_found(checkpoints: Path) -> None:
    events = await write_events(10)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await AuditEvent.filter(id=events[4].id).update(actor="someone-else")
    verdict = await verify(checkpoints)
    assert [(b.event_id, b.problem) for b in verdict.walk.breaks] == [
        (events[4].id, "this event was changed after it was written")
    ]
    assert verdict.problems == []  # the head the checkpoint vouches for is untouched


async def test_a_deleted_middle_event_is_found_by_the_chain_and_the_count(
    checkpoints: Path,
) -> None:
    events = await write_events(10)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await AuditEvent.filter(id=events[4].id).delete()
    verdict = await verify(checkpoints)
    assert [b.event_id for b in verdict.walk.breaks] == [events[5].id]
    assert verdict.problems == [
        f"1 event up to event {events[9].id} was deleted: the checkpoint of "
        f"2026-11-02T15:00:00Z recorded 10 events up to event {events[9].id}, the trail holds 9"
    ]


async def test_a_forged_checkpoint_line_is_named_and_not_trusted(checkpoints: Path) -> None:
    events = await write_events(51)
    written = await write_checkpoint(checkpoints, seal=KEY, now=T0)
    await AuditEvent.filter(id__gt=events[39].id).delete()
    # The intruder appends a line that matches the cut trail, but cannot seal it.
    real = json.loads(written.checkpoint.line())
    forged = {**real, "at": "2026-11-02T16:00:00Z", "events": 40, "last_id": events[39].id}
    forged["head"] = events[39].hash
    with checkpoints.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    verdict = await verify(checkpoints)
    assert verdict.problems[0] == (
        f"{checkpoints} line 2 (checkpoint of 2026-11-02T16:00:00Z): its seal does not match: "
        "it was forged or changed"
    )
    assert "its tail was cut off" in verdict.problems[1]
    assert verdict.last_checkpoint == written.checkpoint


async def test_an_unkeyed_line_after_keyed_ones_and_a_broken_line_are_refused(
    checkpoints: Path,
) -> None:
    await write_events(2)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    downgraded = Checkpoint(LATER, 2, 2, "x" * 64).sealed(NO_KEY)
    append_checkpoint(checkpoints, downgraded)
    with checkpoints.open("a") as file:
        file.write('{"checkpoint": 1, "at": "yesterday"\n')
    found = read_checkpoints(checkpoints, KEY)
    assert len(found.checkpoints) == 1
    assert found.problems == [
        f"{checkpoints} line 2 (checkpoint of 2026-11-02T16:00:00Z) is sealed without a key "
        "after keyed lines: anyone can write such a line",
        f"{checkpoints} line 3 is not a checkpoint (not JSON)",
    ]


async def test_a_keyed_line_without_the_key_cannot_be_trusted(checkpoints: Path) -> None:
    await write_events(2)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    found = read_checkpoints(checkpoints, NO_KEY)
    assert found.checkpoints == []
    assert found.problems == [
        f"{checkpoints} line 1 (checkpoint of 2026-11-02T15:00:00Z) is sealed with key "
        f"{KEY.key_id}, but no audit key was given to check it"
    ]


def on_disk(path: Path) -> tuple[bytes, int, int]:
    """The file's content, inode and permission bits."""
    return path.read_bytes(), path.stat().st_ino, stat.S_IMODE(path.stat().st_mode)


async def test_the_file_is_created_owner_only_and_only_ever_appended_to(
    checkpoints: Path,
) -> None:
    await write_events(2)
    await write_checkpoint(checkpoints, seal=KEY, now=T0)
    before, inode, mode = on_disk(checkpoints)
    assert mode == 0o600
    await write_events(1)
    await write_checkpoint(checkpoints, seal=KEY, now=LATER)
    after, inode_after, mode_after = on_disk(checkpoints)
    assert after.startswith(before) and after.count(b"\n") == 2
    assert inode_after == inode  # the same file, not a rewritten copy
    assert mode_after == 0o600


async def test_a_line_left_unfinished_is_ended_before_the_next_one(tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.jsonl"
    path.write_text('{"checkpoint": 1, "at"')
    os.chmod(path, 0o600)
    await write_events(1)
    written = await write_checkpoint(path, seal=KEY, now=T0)
    lines = path.read_text().splitlines()
    assert lines[0] == '{"checkpoint": 1, "at"'
    assert parse_checkpoint(lines[1]) == written.checkpoint


async def test_a_checkpoint_of_an_empty_trail_holds_and_compares_nothing(
    checkpoints: Path,
) -> None:
    written = await write_checkpoint(checkpoints, seal=KEY, now=T0)
    assert (written.checkpoint.events, written.checkpoint.last_id) == (0, 0)
    assert (await verify(checkpoints)).ok
