"""Send the reminders owed: by the bot when the officer linked a chat, else by email."""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from telegram import Bot

from gateway.bot.replies import text
from gateway.config import Config
from gateway.receipts import LOOP_HEADER, send_through_relay
from gateway.runtime import policy_from
from registry.reminders import ReminderDue, claim_reminder, finish_reminder, reminders_due

log = logging.getLogger(__name__)


def reminder_text(due: ReminderDue, *, now: datetime, config: Config) -> str:
    policy = policy_from(config)
    clock = due.clock
    return text(
        "reminder",
        docket=clock.docket,
        respondent=clock.respondent,
        overdue=clock.due_at <= now,
        due=policy.describe(clock.due_at),
        hearing=clock.hearing_date.strftime("%A %b %d, %Y"),
    )


async def send_due_reminders(now: datetime, *, config: Config, bot: Bot | None) -> str:
    """Send every reminder owed now, once; return what happened in a few words."""
    sent = failed = 0
    for due in await reminders_due(now=now, policy=policy_from(config)):
        chat_id = due.officer.telegram_chat_id
        channel = "telegram" if bot is not None and chat_id else "email"
        reminder = await claim_reminder(due, channel=channel, now=now)
        if reminder is None:
            continue  # another gateway process is sending it
        body = reminder_text(due, now=now, config=config)
        error = None
        try:
            if channel == "telegram":
                assert bot is not None and chat_id is not None
                await bot.send_message(chat_id=chat_id, text=body)
            else:
                error = await _email(due, body, config)
        except Exception as exc:
            log.exception("reminder for %s to %s failed", due.clock.docket, due.officer.username)
            error = f"{type(exc).__name__}: sending failed"
        await finish_reminder(reminder, error=error, now=now)
        sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    return f"{sent} reminders sent, {failed} failed"


async def _email(due: ReminderDue, body: str, config: Config) -> str | None:
    """Email a reminder through the relay; return why it cannot be sent, if it cannot."""
    smtp = config.smtp
    if not due.officer.emails:
        return "the officer has no linked chat and no email address"
    if not smtp.relay_host:
        return "no outgoing relay is configured (smtp.relay_host)"
    message = EmailMessage()
    message["From"] = smtp.reply_from
    message["To"] = due.officer.emails[0]
    message["Subject"] = f"Service due: {due.clock.docket}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=smtp.reply_from.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: not a reply, never answered
    message[LOOP_HEADER] = smtp.reply_from
    message.set_content(body + "\n")
    await send_through_relay(message, to=due.officer.emails[0], config=smtp)
    return None
