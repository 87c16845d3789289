"""Check the audit trail: every seal and link, then the trail against every checkpoint.

The chain finds a changed event and a deleted one in the middle; with the key, a changed event
sealed again is found too, since nobody else can make its seal. What the chain alone cannot
find, a cut-off tail, the checkpoints do: each names how many events there were up to which
one, and that one's seal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from registry.audit import (
    GENESIS,
    KEYED,
    AuditSeal,
    check_seal,
    current_seal,
    event_body,
)
from registry.audit_checkpoint import Checkpoint, CheckpointFile, read_checkpoints
from registry.models import AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


@dataclass
class TrailWalk:
    """What one walk through the trail found."""

    count: int = 0
    last_id: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    unkeyed: int = 0  # events sealed without a key (before the registry had one, or a demo)
    keyed_from: int | None = None  # the first event sealed with a key
    key_ids: list[str] = field(default_factory=list)  # the keys keyed events name, in order
    # For each watched id (a checkpoint's last event): events up to it, and its seal.
    seen: dict[int, tuple[int, str]] = field(default_factory=dict)


async def verify_chain(
    seal: AuditSeal | None = None, *, watch: Collection[int] = (), batch: int = 5000
) -> TrailWalk:
    """Walk the trail in order and return what was read and every break found."""
    seal = seal or current_seal()
    walk = TrailWalk()
    expected_prev = GENESIS
    while True:
        rows = await AuditEvent.filter(id__gt=walk.last_id).order_by("id").limit(batch)
        if not rows:
            return walk
        for event in rows:
            walk.count += 1
            if event.prev_hash != expected_prev:
                walk.breaks.append(
                    ChainBreak(event.id, "an event before this one was deleted or changed")
                )
            _check_event(walk, seal, event)
            if event.id in watch:
                walk.seen[event.id] = (walk.count, event.hash)
            expected_prev = event.hash
            walk.last_id = event.id


def _check_event(walk: TrailWalk, seal: AuditSeal, event: AuditEvent) -> None:
    """Check one event's seal: its scheme, its key, its content."""
    check = check_seal(seal, event_body(event.prev_hash, event), event.hash)
    if check.scheme == KEYED:
        if walk.keyed_from is None:
            walk.keyed_from = event.id
        if check.key_id not in walk.key_ids:
            walk.key_ids.append(check.key_id)
            if check.matches is None:
                walk.breaks.append(ChainBreak(event.id, _cannot_check(seal, check.key_id)))
    elif check.scheme == "sha256":
        walk.unkeyed += 1
        if walk.keyed_from is not None:
            walk.breaks.append(
                ChainBreak(
                    event.id,
                    "sealed without a key after keyed events: anyone can make such a seal "
                    "(the event was written or sealed again without the key)",
                )
            )
    else:
        walk.breaks.append(ChainBreak(event.id, "its seal is not one the registry makes"))
        return
    if check.matches is False:
        walk.breaks.append(ChainBreak(event.id, "this event was changed after it was written"))


def _cannot_check(seal: AuditSeal, key_id: str) -> str:
    if not seal.keyed:
        return (
            f"sealed with key {key_id}, but no audit key was given: "
            "this event and the ones after it cannot be checked"
        )
    return (
        f"sealed with key {key_id}, not the audit key given ({seal.key_id}): "
        "this event and the ones after it cannot be checked"
    )


def against_checkpoint(walk: TrailWalk, checkpoint: Checkpoint) -> list[str]:
    """Say how the trail differs from what a checkpoint recorded (nothing: it holds)."""
    if checkpoint.last_id == 0:
        return []  # taken when the trail was empty
    recorded = (
        f"the checkpoint of {checkpoint.when} recorded {checkpoint.events} events "
        f"up to event {checkpoint.last_id}"
    )
    if checkpoint.last_id not in walk.seen:
        if walk.last_id < checkpoint.last_id:
            ends = f"ends at event {walk.last_id}" if walk.count else "is empty"
            return [f"the trail {ends} but {recorded}: its tail was cut off"]
        return [f"event {checkpoint.last_id} is missing, but {recorded}"]
    count, head = walk.seen[checkpoint.last_id]
    problems = []
    if head != checkpoint.head:
        problems.append(
            f"event {checkpoint.last_id} is not as the checkpoint of {checkpoint.when} "
            "recorded it: it was changed and sealed again"
        )
    if count < checkpoint.events:
        missing = checkpoint.events - count
        events = "1 event" if missing == 1 else f"{missing} events"
        problems.append(
            f"{events} up to event {checkpoint.last_id} {'was' if missing == 1 else 'were'} "
            f"deleted: {recorded}, the trail holds {count}"
        )
    elif count > checkpoint.events:
        problems.append(
            f"the trail holds {count} events up to event {checkpoint.last_id} but "
            f"{recorded}: events were added after it"
        )
    return problems


@dataclass(frozen=True)
class TrailVerdict:
    """The chain's walk, the checkpoint file read, and every problem found with either."""

    walk: TrailWalk
    checkpoints: CheckpointFile
    problems: list[str]  # checkpoint problems; the chain's own are `walk.breaks`

    @property
    def ok(self) -> bool:
        return not self.walk.breaks and not self.problems

    @property
    def last_checkpoint(self) -> Checkpoint | None:
        found = self.checkpoints.checkpoints
        return found[-1] if found else None


async def verify_trail(seal: AuditSeal, checkpoint_file: Path) -> TrailVerdict:
    """Check the trail's chain and compare it with every checkpoint the file holds."""
    checkpoints = read_checkpoints(checkpoint_file, seal)
    watch = {c.last_id for c in checkpoints.checkpoints}
    walk = await verify_chain(seal, watch=watch)
    problems = list(checkpoints.problems)
    # A cut-off tail is named once, by the checkpoint that reaches furthest past the end.
    beyond = [c for c in checkpoints.checkpoints if c.last_id > walk.last_id]
    if beyond:
        problems.extend(against_checkpoint(walk, max(beyond, key=lambda c: c.last_id)))
    for checkpoint in checkpoints.checkpoints:
        if checkpoint.last_id <= walk.last_id:
            problems.extend(against_checkpoint(walk, checkpoint))
    return TrailVerdict(walk, checkpoints, problems)
