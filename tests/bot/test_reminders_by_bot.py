"""A reminder goes to the officer's linked chat through the bot, not by email."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from gateway.scheduler import queue_due_reminders
from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Reminder, User
from registry.policy import Policy
from tests.bot.conftest import Chat, Gateway
from tests.factories import make_case


async def holding_process_due_tomorrow(officer: User, now: datetime) -> date:
    """The officer received process for HHD-FA-26-6000001-S, whose service is due within a day."""
    hearing = (now + timedelta(days=3)).astimezone(Policy().zone).date()
    await make_case("HHD-FA-26-6000001-S", hearing=hearing)
    await record_entry(
        EntryDraft("HHD-FA-26-6000001-S", Activity.RECEIVED, occurred_at=now - timedelta(hours=1)),
        officer=await User.get(id=officer.id),
        channel=Channel.WEB,
        policy=Policy(),
        now=now,
    )
    return hearing


async def test_a_linked_officer_is_reminded_in_the_chat(
    gateway: Gateway, officer: User, chat: Chat
) -> None:
    now = datetime.now(UTC)
    await holding_process_due_tomorrow(officer, now)
    result = await queue_due_reminders(now, config=gateway.config)
    assert result == "1 reminders queued, 0 could not be sent"
    assert await gateway.deliver() == 1
    message = await chat.reply()
    assert message.text.startswith("Reminder: service of HHD-FA-26-6000001-S (Robert Jones)")
    assert (await Reminder.get()).channel == "telegram"
