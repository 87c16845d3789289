"""Reminders that service is due, and the scheduler that sends them once in all processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from gateway.config import Config, load_config
from gateway.scheduler import Job, Scheduler, at_times, daily, queue_due_reminders
from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, JobRun, Method, Reminder, User
from registry.policy import Policy
from tests.factories import make_case, make_user
from tests.mail import Sink, sink_relay
from tests.outbox import drain

POLICY = Policy()
# Monday Nov 2, 2026, 08:00 EST: a reminder time.
MORNING = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("registry")


@pytest.fixture
async def relay() -> AsyncIterator[Sink]:
    async with sink_relay() as sink:
        yield sink


@pytest.fixture
def config(relay: Sink, tmp_path: Path) -> Config:
    return load_config(
        None,
        env={
            "POR_SMTP_RELAY_HOST": "127.0.0.1",
            "POR_SMTP_RELAY_PORT": str(relay.port),
            "POR_OUTBOUND_SPOOL_DIR": str(tmp_path / "spool"),
        },
    )


async def remind(now: datetime, config: Config) -> str:
    """Owe the reminders due at `now`, then let the outbox send them through the relay."""
    said = await queue_due_reminders(now, config=config)
    await drain(config, now=now)
    return said


async def officer(username: str, name: str) -> User:
    return await make_user(username, full_name=name, emails=[f"{username}@marshal.example.com"])


async def record(docket: str, activity: Activity, who: User, **fields: object) -> None:
    draft = EntryDraft(docket, activity, occurred_at=MORNING - timedelta(hours=20), **fields)  # type: ignore[arg-type]
    await record_entry(draft, officer=who, channel=Channel.WEB, policy=POLICY, now=MORNING)


async def test_a_case_due_tomorrow_held_by_an_officer_gets_one_reminder_not_two(
    config: Config, relay: Sink
) -> None:
    doe = await officer("marshal.doe", "Jane Doe")
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 11, 6))  # due Tue Nov 3
    await record("HHD-FA-26-6000001-S", Activity.RECEIVED, doe)
    assert await remind(MORNING, config) == "1 reminders queued, 0 could not be sent"
    later = MORNING + timedelta(hours=8)
    assert await remind(later, config) == "0 reminders queued, 0 could not be sent"
    [mail] = relay.messages
    assert mail["To"] == "marshal.doe@marshal.example.com"
    assert mail["Subject"] == "Service due: HHD-FA-26-6000001-S"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "is due Nov 3, 2026 12:00 AM EST" in mail.get_content()


async def test_a_transferred_case_reminds_the_new_holder(config: Config, relay: Sink) -> None:
    doe = await officer("marshal.doe", "Jane Doe")
    roe = await officer("marshal.roe", "Sam Roe")
    await make_case("HHD-FA-26-6000002-S", hearing=date(2026, 11, 5))  # overdue since Nov 2
    await record("HHD-FA-26-6000002-S", Activity.RECEIVED, doe)
    await record("HHD-FA-26-6000002-S", Activity.TRANSFERRED, doe, transferred_to_id=roe.id)
    await remind(MORNING, config)
    assert [m["To"] for m in relay.messages] == ["marshal.roe@marshal.example.com"]
    assert "was due Nov 2, 2026 12:00 AM EST and is overdue" in relay.messages[0].get_content()


async def test_a_served_or_attempted_case_reminds_nobody(config: Config, relay: Sink) -> None:
    doe = await officer("marshal.doe", "Jane Doe")
    await make_case("HHD-FA-26-6000003-S", hearing=date(2026, 11, 6))
    await make_case("HHD-FA-26-6000004-S", hearing=date(2026, 11, 6))
    for docket in ("HHD-FA-26-6000003-S", "HHD-FA-26-6000004-S"):
        await record(docket, Activity.RECEIVED, doe)
    await record(
        "HHD-FA-26-6000003-S", Activity.SERVICE, doe, method=Method.HAND, police_assistance=False
    )
    await record(
        "HHD-FA-26-6000004-S",
        Activity.ATTEMPT,
        doe,
        reason="respondent not at address",
        police_assistance=False,
    )
    assert await remind(MORNING, config) == "0 reminders queued, 0 could not be sent"
    assert relay.messages == []


async def test_a_case_not_yet_due_within_a_day_is_not_reminded(config: Config, relay: Sink) -> None:
    doe = await officer("marshal.doe", "Jane Doe")
    await make_case("HHD-FA-26-6000005-S", hearing=date(2026, 11, 9))  # due Nov 6
    await record("HHD-FA-26-6000005-S", Activity.RECEIVED, doe)
    await remind(MORNING, config)
    assert relay.messages == []


async def test_a_reminder_that_could_not_be_sent_is_tried_at_the_next_time() -> None:
    doe = await make_user("marshal.doe", emails=[])
    await make_case("HHD-FA-26-6000006-S", hearing=date(2026, 11, 6))
    await record("HHD-FA-26-6000006-S", Activity.RECEIVED, doe)
    no_relay = load_config(None, env={})
    assert await remind(MORNING, no_relay) == ("0 reminders queued, 1 could not be sent")
    failed = await Reminder.get()
    assert failed.last_error == "the officer has no linked chat and no email address"
    assert await remind(MORNING, no_relay) == ("0 reminders queued, 1 could not be sent")
    assert await Reminder.all().count() == 1


def test_reminder_slots_are_the_latest_reminder_time_passed() -> None:
    slot = at_times([time(8, 0), time(16, 0)], POLICY.zone)
    assert slot(MORNING) == "2026-11-02T08:00"
    assert slot(MORNING - timedelta(minutes=1)) == "2026-11-01T16:00"
    assert slot(MORNING + timedelta(hours=9)) == "2026-11-02T16:00"


async def test_two_gateway_processes_run_a_slot_once() -> None:
    runs: list[datetime] = []

    async def job(now: datetime) -> str:
        runs.append(now)
        return "done"

    clock = lambda: MORNING  # noqa: E731 - a fixed clock
    first = Scheduler([Job("count", daily(POLICY.zone), job)], clock)
    second = Scheduler([Job("count", daily(POLICY.zone), job)], clock)
    assert await asyncio.gather(first.tick(), second.tick()) in (
        [["count"], []],
        [[], ["count"]],
    )
    assert len(runs) == 1
    assert (await JobRun.get()).outcome == "done"


async def test_a_failing_job_is_recorded_and_does_not_stop_the_others() -> None:
    async def broken(now: datetime) -> str:
        raise RuntimeError("relay down")

    async def fine(now: datetime) -> str:
        return "ok"

    scheduler = Scheduler(
        [Job("broken", daily(POLICY.zone), broken), Job("fine", daily(POLICY.zone), fine)],
        lambda: MORNING,
    )
    assert await scheduler.tick() == ["broken", "fine"]
    outcomes = {run.job: run.outcome for run in await JobRun.all()}
    assert outcomes == {"broken": "failed: RuntimeError", "fine": "ok"}
