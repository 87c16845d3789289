"""Checkpoints: the trail's head written down outside the database, where its keeper cannot reach.

A sealed chain shows a changed or deleted event, but not a cut-off tail: the last events can go
and what is left is still a whole chain. A checkpoint records, at a moment, how many events
there were, the last one's id and its seal, and is itself sealed with the audit key. It is
appended as one JSON line to a file of its own (never rewritten) and can be mailed to an
address off the machine. `registry.audit_verify` then compares the trail with every checkpoint.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tortoise.transactions import in_transaction

from registry.audit import GENESIS, KEYED, AuditSeal, check_can_follow, check_seal, lock_chain
from registry.enums import Adapter
from registry.models import AuditEvent, Delivery
from registry.notices import Notice, owe_notices

_VERSION = 1
# Put before the line's content when sealing, so an event's seal can never pass for a line's.
_DOMAIN = b"por audit checkpoint\n"


@dataclass(frozen=True)
class Checkpoint:
    """The trail's head at a moment: `events` events, the last `last_id` sealed with `head`."""

    at: datetime
    events: int
    last_id: int
    head: str
    mac: str = ""  # the line's own seal

    @property
    def when(self) -> str:
        """The moment in UTC, as the line and every message name it."""
        return f"{self.at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"

    def _content(self) -> dict[str, object]:
        return {
            "checkpoint": _VERSION,
            "at": self.when,
            "events": self.events,
            "last_id": self.last_id,
            "head": self.head,
        }

    def body(self) -> bytes:
        """Return the bytes the line's seal covers."""
        encoded = json.dumps(self._content(), sort_keys=True, separators=(",", ":"))
        return _DOMAIN + encoded.encode()

    def sealed(self, seal: AuditSeal) -> Checkpoint:
        return replace(self, mac=seal.seal(self.body()))

    def line(self) -> str:
        """Return the checkpoint as the one JSON line the file and the email carry."""
        return json.dumps({**self._content(), "mac": self.mac}, separators=(",", ":"))


def parse_checkpoint(text: str) -> Checkpoint:
    """Read one line back; raise ValueError saying what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not JSON") from None
    if not isinstance(data, dict) or data.get("checkpoint") != _VERSION:
        raise ValueError("not a checkpoint line")
    events, last_id = data.get("events"), data.get("last_id")
    head, mac, at = data.get("head"), data.get("mac"), data.get("at")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (events, last_id)):
        raise ValueError("events and last_id must be whole numbers")
    if not all(isinstance(v, str) for v in (head, mac, at)):
        raise ValueError("at, head and mac must be text")
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        raise ValueError(f"at: {at!r} is not a time") from None
    if moment.tzinfo is None:
        raise ValueError(f"at: {at!r} has no time zone")
    return Checkpoint(moment, int(str(events)), int(str(last_id)), str(head), str(mac))


async def take_checkpoint(seal: AuditSeal, *, now: datetime) -> Checkpoint:
    """Read the trail's head, after every append in flight has committed, and seal it.

    Raises `AuditSealError` when the trail is keyed and `seal` is not its key.
    """
    async with in_transaction() as conn:
        await lock_chain(conn)
        count = await AuditEvent.all().using_db(conn).count()
        last = await AuditEvent.all().using_db(conn).order_by("-id").first()
    if last is not None:
        check_can_follow(seal, last.hash)  # an unkeyed line after keyed events proves nothing
    return Checkpoint(
        at=now.astimezone(UTC).replace(microsecond=0),
        events=count,
        last_id=last.id if last else 0,
        head=last.hash if last else GENESIS,
    ).sealed(seal)


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Add one line at the end of the file, made owner-only (0600) if it is new.

    O_APPEND: every write lands at the end, whatever else has the file open. A line left
    unfinished by a crash is ended first, so this one stays readable.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        size = os.fstat(fd).st_size
        ends_open = size > 0 and os.pread(fd, 1, size - 1) != b"\n"
        data = ("\n" if ends_open else "") + checkpoint.line() + "\n"
        view = memoryview(data.encode())
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class CheckpointFile:
    """The checkpoints a file holds whose seals hold, and what is wrong with the others."""

    exists: bool = False
    lines: int = 0
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_checkpoints(path: Path, seal: AuditSeal) -> CheckpointFile:
    """Read every line and check its seal; a line that fails is named, never trusted."""
    found = CheckpointFile()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return found
    found.exists = True
    keyed_seen, unchecked = False, set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        found.lines += 1
        where = f"{path} line {number}"
        try:
            checkpoint = parse_checkpoint(raw)
        except ValueError as exc:
            found.problems.append(f"{where} is not a checkpoint ({exc})")
            continue
        check = check_seal(seal, checkpoint.body(), checkpoint.mac)
        named = f"{where} (checkpoint of {checkpoint.when})"
        if check.scheme == KEYED and check.matches is None:
            if check.key_id not in unchecked:
                unchecked.add(check.key_id)
                found.problems.append(f"{named} is sealed with key {check.key_id}, {_no(seal)}")
            keyed_seen = True
            continue
        if check.scheme == "unknown" or check.matches is False:
            found.problems.append(f"{named}: its seal does not match: it was forged or changed")
            continue
        if check.scheme == KEYED:
            keyed_seen = True
        elif keyed_seen:
            found.problems.append(
                f"{named} is sealed without a key after keyed lines: anyone can write such a line"
            )
            continue
        found.checkpoints.append(checkpoint)
    return found


def _no(seal: AuditSeal) -> str:
    """Say why a keyed seal cannot be checked with `seal`."""
    if not seal.keyed:
        return "but no audit key was given to check it"
    return f"not the audit key given ({seal.key_id})"


async def owe_checkpoint_mail(checkpoint: Checkpoint, to: str, *, now: datetime) -> Delivery:
    """Queue the checkpoint line to `to` as an email delivery (the outbox sends it)."""
    notice = Notice(
        Adapter.EMAIL,
        to,
        "audit-checkpoint",
        {
            "line": checkpoint.line(),
            "at": checkpoint.when,
            "events": checkpoint.events,
            "last_id": checkpoint.last_id,
        },
        subject=f"Audit checkpoint {checkpoint.when}: {checkpoint.events} events",
    )
    async with in_transaction() as conn:
        [delivery] = await owe_notices([notice], now=now, connection=conn)
    return delivery


@dataclass(frozen=True)
class WrittenCheckpoint:
    checkpoint: Checkpoint
    mail: Delivery | None  # the email delivery owed, when an address is configured


async def write_checkpoint(
    path: Path, *, seal: AuditSeal, now: datetime, email: str = ""
) -> WrittenCheckpoint:
    """Take a checkpoint, append it to the file, then (with an address) owe it by email."""
    checkpoint = await take_checkpoint(seal, now=now)
    await asyncio.to_thread(append_checkpoint, path, checkpoint)
    mail = await owe_checkpoint_mail(checkpoint, email, now=now) if email else None
    return WrittenCheckpoint(checkpoint, mail)
