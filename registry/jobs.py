"""Scheduled jobs' runs: one row per job and time slot, so each slot runs once in all processes."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from registry.models import JobRun


async def claim_run(job: str, slot: str, *, now: datetime) -> JobRun | None:
    """Take a job's slot; None when it has already been taken (here or by another process)."""
    try:
        return await JobRun.create(job=job, slot=slot, started_at=now)
    except IntegrityError:
        return None


async def finish_run(run: JobRun, *, outcome: str, now: datetime) -> None:
    """Record how a run ended."""
    run.finished_at = now
    run.outcome = outcome[:2000]
    await run.save(update_fields=["finished_at", "outcome"])
