"""`por-gateway audit checkpoint` and `audit verify`: what an operator sees, and the exit status."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.cli import main
from registry.audit import AuditSeal, event_hash, record_event, use_seal
from registry.db import close_registry, open_registry
from registry.enums import Adapter
from registry.models import AuditEvent, Delivery, DeliveryStatus
from tests.factories import T0
from tests.registry.test_audit import write_events

KEY_TEXT = "an audit key of at least 32 characters, for tests"
KEY = AuditSeal(KEY_TEXT.encode())


@pytest.fixture
def checkpoints(registry_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "audit-checkpoints.jsonl"
    monkeypatch.setenv("POR_DATABASE_URL", registry_url)
    monkeypatch.setenv("POR_SECURITY_AUDIT_KEY", KEY_TEXT)
    monkeypatch.setenv("POR_SECURITY_AUDIT_CHECKPOINT_FILE", str(path))
    return path


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[None]:
    """Open the registry to look or tamper, closed again before a command runs (its own loop)."""
    await open_registry(url, migrate=False)
    try:
        yield
    finally:
        await close_registry()


@pytest.fixture
async def trail(registry_url: str, checkpoints: Path) -> list[AuditEvent]:
    """51 keyed events."""
    use_seal(KEY)
    async with opened(registry_url):
        return await write_events(51)


async def run(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def checkpoint(capsys: pytest.CaptureFixture[str]) -> str:
    """Write a checkpoint with the command; return the moment it names."""
    assert await run("audit", "checkpoint") == 0
    out = capsys.readouterr().out
    assert "appended to" in out
    return out.split()[1].rstrip(":")


async def test_a_clean_trail_with_checkpoints_exits_0_with_a_summary(
    trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    await checkpoint(capsys)
    assert await run("audit", "verify") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "51 audit events read, 0 problems"
    assert out[1] == f"sealed with key {KEY.key_id} from event {trail[0].id} on"
    assert out[2].startswith("last checkpoint ")
    assert f": 51 events up to event {trail[-1].id} (1 checkpoint compared" in out[2]


async def test_no_checkpoint_yet_is_said_but_is_no_error(
    trail: list[AuditEvent], checkpoints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run("audit", "verify") == 0
    assert f"no checkpoint yet ({checkpoints} does not exist)" in capsys.readouterr().out


async def test_an_unkeyed_trail_is_said_to_be_not_keyed(
    registry_url: str,
    checkpoints: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("POR_SECURITY_AUDIT_KEY")
    async with opened(registry_url):
        await record_event(actor="staff", action="test", object_type="x", object_id="1", at=T0)
    assert await run("audit", "checkpoint") == 0
    assert "the checkpoint is not keyed" in capsys.readouterr().out
    assert await run("audit", "verify") == 0
    assert "the trail is not keyed (security.audit_key is not set)" in capsys.readouterr().out


async def test_deleting_the_last_11_events_exits_1_naming_the_cut(
    registry_url: str, trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    when = await checkpoint(capsys)
    async with opened(registry_url):
        await AuditEvent.filter(id__gt=trail[39].id).delete()
    assert await run("audit", "verify") == 1
    out = capsys.readouterr().out
    assert (
        f"checkpoint: the trail ends at event {trail[39].id} but the checkpoint of {when} "
        f"recorded 51 events up to event {trail[50].id}: its tail was cut off"
    ) in out
    assert "40 audit events read, 1 problem" in out


async def test_the_last_event_changed_and_resealed_with_the_public_hash_exits_1(
    registry_url: str, trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    when = await checkpoint(capsys)
    async with opened(registry_url):
        last = await AuditEvent.get(id=trail[-1].id)
        last.outcome = "failure"
        await AuditEvent.filter(id=last.id).update(
            outcome=last.outcome, hash=event_hash(last.prev_hash, last)
        )
    assert await run("audit", "verify") == 1
    out = capsys.readouterr().out
    assert f"audit event {last.id}: sealed without a key after keyed events" in out
    assert f"event {last.id} is not as the checkpoint of {when} recorded it" in out


async def test_a_changed_middle_event_exits_1(
    registry_url: str, trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    await checkpoint(capsys)
    async with opened(registry_url):
        await AuditEvent.filter(id=trail[20].id).update(action="edited")
    assert await run("audit", "verify") == 1
    out = capsys.readouterr().out
    assert f"audit event {trail[20].id}: this event was changed after it was written" in out


async def test_a_deleted_middle_event_exits_1(
    registry_url: str, trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    await checkpoint(capsys)
    async with opened(registry_url):
        await AuditEvent.filter(id=trail[20].id).delete()
    assert await run("audit", "verify") == 1
    out = capsys.readouterr().out
    assert f"audit event {trail[21].id}: an event before this one was deleted or changed" in out
    assert f"1 event up to event {trail[50].id} was deleted" in out


def append_changed(path: Path, **changes: object) -> None:
    """Append the file's first line with some values changed, its seal left as it was."""
    line = {**json.loads(path.read_text().splitlines()[0]), **changes}
    with path.open("a") as file:
        file.write(json.dumps(line) + "\n")


async def test_a_forged_checkpoint_line_exits_1(
    trail: list[AuditEvent], checkpoints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    when = await checkpoint(capsys)
    append_changed(checkpoints, events=52)
    assert await run("audit", "verify") == 1
    assert (
        f"checkpoint: {checkpoints} line 2 (checkpoint of {when}): its seal does not match: "
        "it was forged or changed"
    ) in capsys.readouterr().out


async def test_an_unkeyed_event_appended_after_keyed_ones_exits_1(
    registry_url: str, trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    intruder = AuditEvent(
        at=T0, actor="x", action="y", object_type="z", object_id="1", prev_hash=trail[-1].hash
    )
    intruder.hash = event_hash(intruder.prev_hash, intruder)
    async with opened(registry_url):
        await intruder.save()
    assert await run("audit", "verify") == 1
    assert f"audit event {intruder.id}: sealed without a key" in capsys.readouterr().out


async def test_a_command_without_the_key_refuses_to_write_on_a_keyed_trail(
    registry_url: str,
    trail: list[AuditEvent],
    checkpoints: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with opened(registry_url):
        dead = await Delivery.create(
            adapter=Adapter.EMAIL,
            destination="marshal@example.com",
            payload={"to": "marshal@example.com", "template": "receipt"},
            idempotency_key=uuid.uuid4(),
            status=DeliveryStatus.DEAD,
            next_attempt_at=T0,
            created_at=T0,
        )
    monkeypatch.delenv("POR_SECURITY_AUDIT_KEY")
    assert await run("outbox", "retry", str(dead.id)) == 2
    assert f"the audit trail is sealed with key {KEY.key_id}, but no audit key is configured" in (
        capsys.readouterr().err
    )
    async with opened(registry_url):
        # Nothing half-written: the replay and its event go together or not at all.
        assert (await Delivery.get(id=dead.id)).status == DeliveryStatus.DEAD
        assert await AuditEvent.all().count() == 51
    assert await run("audit", "verify") == 1
    assert "but no audit key was given: this event and the ones after it" in (
        capsys.readouterr().out
    )
    assert await run("audit", "checkpoint") == 2  # an unkeyed line would vouch for nothing
    assert not await asyncio.to_thread(checkpoints.exists)
