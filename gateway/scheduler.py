"""A small scheduler for the gateway's periodic jobs, safe with several gateway processes.

Each job names the time slot a moment falls in (a day, a reminder time, a minute); the first
process to insert the job's row for a slot runs it, every other process skips it. A gateway that
was down at a slot's time runs that slot when it comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from gateway.appkeys import CLOCK
from gateway.config import Config
from gateway.runtime import account_rules, audit_seal, checkpoint_file, policy_from
from registry.accounts import deactivate_inactive_accounts
from registry.audit_checkpoint import write_checkpoint
from registry.jobs import claim_run, finish_run
from registry.reminders import owe_reminder, reminder_notice, reminders_due
from registry.sessions import SessionLimits, expire_sessions

log = logging.getLogger(__name__)

Slot = Callable[[datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    slot: Slot
    run: Callable[[datetime], Awaitable[str]]  # returns what it did, in a few words


def daily(zone: ZoneInfo) -> Slot:
    """One slot per local day."""
    return lambda now: now.astimezone(zone).date().isoformat()


def at_times(times: Sequence[time], zone: ZoneInfo) -> Slot:
    """One slot per listed local time: the latest passed (before the first: yesterday's last)."""
    ordered = sorted(times)

    def slot(now: datetime) -> str:
        local = now.astimezone(zone)
        passed = [t for t in ordered if t <= local.time()]
        if passed:
            return f"{local.date().isoformat()}T{passed[-1]:%H:%M}"
        return f"{(local.date() - timedelta(days=1)).isoformat()}T{ordered[-1]:%H:%M}"

    return slot


def every(seconds: int) -> Slot:
    """One slot per `seconds` of wall-clock time."""
    return lambda now: str(int(now.timestamp()) // seconds)


class Scheduler:
    def __init__(self, jobs: Sequence[Job], clock: Callable[[], datetime]) -> None:
        self.jobs = list(jobs)
        self.clock = clock

    async def tick(self) -> list[str]:
        """Run every job whose current slot nobody has taken; return the names run."""
        ran = []
        for job in self.jobs:
            now = self.clock()
            claimed = await claim_run(job.name, job.slot(now), now=now)
            if claimed is None:
                continue
            try:
                outcome = await job.run(now)
            except Exception as exc:
                # One bad run must not stop the next slot's: log it, keep the outcome.
                log.exception("scheduled job %s failed", job.name)
                outcome = f"failed: {type(exc).__name__}"
            await finish_run(claimed, outcome=outcome, now=self.clock())
            ran.append(job.name)
        return ran

    @contextlib.asynccontextmanager
    async def running(self, tick_seconds: float) -> AsyncIterator[None]:
        """Tick in the background until the context closes."""

        async def loop() -> None:
            while True:
                try:
                    await self.tick()
                except Exception:
                    log.exception("scheduler tick failed; trying again")
                await asyncio.sleep(tick_seconds)

        task = asyncio.create_task(loop(), name="scheduler")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


TICK_SECONDS = 30.0
SESSIONS_EVERY_SECONDS = 600  # end expired web sessions (the audit says when), purge old rows
JOBS_SCHEDULER = web.AppKey("scheduler", Scheduler)


def gateway_jobs(config: Config) -> list[Job]:
    """The gateway's periodic jobs."""
    zone = config.zone
    rules = account_rules(config)

    async def inactive_accounts(now: datetime) -> str:
        names = await deactivate_inactive_accounts(rules=rules, now=now)
        if names:
            log.info("deactivated %d inactive accounts: %s", len(names), ", ".join(names))
        return f"{len(names)} accounts deactivated"

    async def reminders(now: datetime) -> str:
        return await queue_due_reminders(now, config=config)

    limits = SessionLimits(
        idle=timedelta(minutes=config.security.idle_timeout_minutes),
        absolute=timedelta(hours=config.security.reauthenticate_hours),
    )

    async def web_sessions(now: datetime) -> str:
        ended, deleted = await expire_sessions(limits=limits, now=now)
        return f"{ended} expired sessions ended, {deleted} sessions deleted"

    times = [time.fromisoformat(t) for t in config.policy.reminder_times]
    jobs = [
        Job("inactive-accounts", daily(zone), inactive_accounts),
        Job("service-reminders", at_times(times, zone), reminders),
        Job("web-sessions", every(SESSIONS_EVERY_SECONDS), web_sessions),
    ]
    minutes = config.security.audit_checkpoint_minutes
    if minutes > 0:
        jobs.append(Job("audit-checkpoint", every(minutes * 60), checkpoint_job(config)))
    return jobs


def checkpoint_job(config: Config) -> Callable[[datetime], Awaitable[str]]:
    """Write the audit trail's head outside the database (and mail it when configured)."""
    path, seal = checkpoint_file(config), audit_seal(config)
    email = config.security.audit_checkpoint_email

    async def run(now: datetime) -> str:
        written = await write_checkpoint(path, seal=seal, now=now, email=email)
        mailed = f", mailed to {email}" if written.mail is not None else ""
        checkpoint = written.checkpoint
        return f"{checkpoint.events} events up to event {checkpoint.last_id}{mailed}"

    return run


def setup(app: web.Application, config: Config) -> None:
    """Run the gateway's jobs while the application runs."""

    async def run(app: web.Application) -> AsyncIterator[None]:
        scheduler = app[JOBS_SCHEDULER] = Scheduler(gateway_jobs(config), app[CLOCK])
        async with scheduler.running(TICK_SECONDS):
            yield

    app.cleanup_ctx.append(run)


async def queue_due_reminders(now: datetime, *, config: Config) -> str:
    """Owe every reminder due now, once: by the bot when the officer linked a chat, else email."""
    policy = policy_from(config)
    chat = bool(config.telegram.bot_token)
    queued = failed = 0
    for due in await reminders_due(now=now, policy=policy):
        notice = reminder_notice(due, now=now, policy=policy, chat=chat)
        if await owe_reminder(due, notice, now=now):
            queued += 1
        elif notice is None:
            failed += 1
    return f"{queued} reminders queued, {failed} could not be sent"
