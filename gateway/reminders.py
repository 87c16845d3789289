"""Owe the reminders due now: by the bot when the officer linked a chat, else by email."""

from __future__ import annotations

from datetime import datetime

from gateway.config import Config
from gateway.runtime import policy_from
from registry.reminders import owe_reminder, reminder_notice, reminders_due


async def queue_due_reminders(now: datetime, *, config: Config) -> str:
    """Owe every reminder due now, once; return what happened in a few words."""
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
