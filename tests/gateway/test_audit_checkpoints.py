"""The gateway writes audit checkpoints on a schedule, mails them, and guards a keyed trail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.config import Config, load_config
from gateway.runtime import audit_seal
from gateway.scheduler import Job, Scheduler, gateway_jobs
from registry.audit import AuditSealError, record_event, use_seal
from registry.audit_checkpoint import parse_checkpoint
from registry.audit_verify import verify_trail
from registry.models import JobRun
from tests.mail import Sink, sink_relay
from tests.outbox import drain

KEY = "an audit key of at least 32 characters, for tests"
# Monday Nov 2, 2026, 08:00 EST.
MORNING = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
ClientMaker = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]


def gateway_config(tmp_path: Path, **env: str) -> Config:
    return load_config(
        None,
        env={
            "POR_SECURITY_AUDIT_KEY": KEY,
            "POR_SECURITY_AUDIT_CHECKPOINT_FILE": str(tmp_path / "audit-checkpoints.jsonl"),
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "60",
            "POR_OUTBOUND_SPOOL_DIR": str(tmp_path / "spool"),
            **env,
        },
    )


def checkpoint_jobs(config: Config) -> list[Job]:
    return [job for job in gateway_jobs(config) if job.name == "audit-checkpoint"]


async def record(n: int) -> None:
    for i in range(n):
        await record_event(
            actor="staff", action="test", object_type="x", object_id=str(i), at=MORNING
        )


@pytest.fixture
async def relay() -> AsyncIterator[Sink]:
    async with sink_relay() as sink:
        yield sink


@pytest.mark.usefixtures("registry")
async def test_the_scheduler_writes_one_checkpoint_per_slot_in_all_processes(
    tmp_path: Path,
) -> None:
    config = gateway_config(tmp_path)
    use_seal(audit_seal(config))
    await record(3)
    now = MORNING
    first = Scheduler(checkpoint_jobs(config), lambda: now)
    second = Scheduler(checkpoint_jobs(config), lambda: now)
    assert sorted(await asyncio.gather(first.tick(), second.tick())) == [[], ["audit-checkpoint"]]
    assert await first.tick() == []  # the same hour: nothing more
    path = tmp_path / "audit-checkpoints.jsonl"
    [line] = path.read_text().splitlines()
    assert parse_checkpoint(line).events == 3
    assert (await JobRun.get()).outcome.startswith("3 events up to event ")

    await record(2)
    now = MORNING + timedelta(minutes=60)
    assert await first.tick() == ["audit-checkpoint"]
    assert [parse_checkpoint(x).events for x in path.read_text().splitlines()] == [3, 5]
    verdict = await verify_trail(audit_seal(config), path)
    assert verdict.ok and verdict.last_checkpoint is not None


def test_no_checkpoint_job_when_its_interval_is_0(tmp_path: Path) -> None:
    config = gateway_config(tmp_path, POR_SECURITY_AUDIT_CHECKPOINT_MINUTES="0")
    assert checkpoint_jobs(config) == []
    assert [j.name for j in checkpoint_jobs(gateway_config(tmp_path))] == ["audit-checkpoint"]


@pytest.mark.usefixtures("registry")
async def test_a_checkpoint_is_mailed_through_the_outbox_with_the_line_of_the_file(
    tmp_path: Path, relay: Sink
) -> None:
    config = gateway_config(
        tmp_path,
        POR_SECURITY_AUDIT_CHECKPOINT_EMAIL="audit-archive@court.example.gov",
        POR_SMTP_RELAY_HOST="127.0.0.1",
        POR_SMTP_RELAY_PORT=str(relay.port),
    )
    use_seal(audit_seal(config))
    await record(2)
    [job] = checkpoint_jobs(config)
    outcome = await job.run(MORNING)
    assert outcome.endswith(", mailed to audit-archive@court.example.gov")
    assert await drain(config, now=MORNING) == 1
    [mail] = relay.messages
    assert mail["To"] == "audit-archive@court.example.gov"
    assert mail["Subject"] == "Audit checkpoint 2026-11-02T13:00:00Z: 2 events"
    [line] = (tmp_path / "audit-checkpoints.jsonl").read_text().splitlines()
    assert line in mail.get_content().splitlines()


async def test_the_gateway_will_not_start_on_a_keyed_trail_without_its_key(
    registry_url: str, tmp_path: Path, aiohttp_client: ClientMaker
) -> None:
    keyed = gateway_config(tmp_path, POR_DATABASE_URL=registry_url)
    unkeyed = gateway_config(
        tmp_path,
        POR_DATABASE_URL=registry_url,
        POR_SECURITY_AUDIT_KEY="",
        POR_DATABASE_LOAD_DEMO_DATA="false",
    )
    client = await aiohttp_client(create_app(keyed, serve_smtp=False, run_worker=False))
    assert (await client.get("/healthz")).status == 200  # its demo accounts were audited
    await client.close()
    runner = web.AppRunner(create_app(unkeyed, serve_smtp=False, run_worker=False))
    with pytest.raises(AuditSealError, match="no audit key is configured"):
        await runner.setup()  # the start-up: opens the registry, checks the trail's head
    await runner.cleanup()
