"""The follow-up message: once a confirmed service's deliveries finish, say where it went."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from registry import bot as registry_bot

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0


async def run_job(clock: Callable[[], datetime]) -> None:
    """Owe the follow-ups that became due every few seconds (the outbox sends them)."""
    while True:
        try:
            await registry_bot.owe_follow_ups(now=clock())
        except Exception:
            log.exception("telegram follow-up messages could not be queued; trying again")
        await asyncio.sleep(INTERVAL_SECONDS)
