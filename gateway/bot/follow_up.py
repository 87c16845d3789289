"""The follow-up message: once a confirmed service's deliveries finish, say where it went."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot

from gateway.bot import replies
from registry import bot as registry_bot
from registry.models import Adapter, DeliveryStatus

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0


async def send_follow_ups(bot: Bot, *, now: datetime) -> int:
    """Tell each officer where a confirmed service went once its deliveries finished."""
    sent = 0
    for follow_up in await registry_bot.due_follow_ups():
        if not await registry_bot.mark_followed_up(follow_up, now=now):
            continue  # another gateway process took it
        message = replies.text(
            "follow_up",
            reference=follow_up.entry_reference,
            sent=_where(follow_up, DeliveryStatus.SENT),
            failed=_where(follow_up, DeliveryStatus.DEAD),
        )
        await bot.send_message(follow_up.chat_id, message)
        sent += 1
    return sent


def _where(follow_up: registry_bot.FollowUp, status: DeliveryStatus) -> str:
    """Say "Hartford PD by fax, the state file and NCIC" for the deliveries in `status`."""
    names = []
    for delivery in follow_up.deliveries:
        if delivery.status is not status:
            continue
        if delivery.adapter is Adapter.FAX:
            names.append(f"{delivery.destination} by fax")
        elif delivery.adapter is Adapter.COLLECT:
            names.append("the state file")
        else:
            names.append("NCIC")
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


async def run_job(bot: Bot, clock: Callable[[], datetime]) -> None:
    """Send due follow-ups every few seconds until cancelled."""
    while True:
        try:
            await send_follow_ups(bot, now=clock())
        except Exception:
            log.exception("telegram follow-up messages failed; trying again")
        await asyncio.sleep(INTERVAL_SECONDS)
