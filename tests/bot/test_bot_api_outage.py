"""A Bot API outage loses no outcome, follow-up or reminder: each is sent when it is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.scheduler import queue_due_reminders
from registry.enums import Adapter
from registry.models import Delivery, DeliveryStatus, Entry, User
from tests.bot.conftest import Chat, Gateway
from tests.bot.test_reminders_by_bot import holding_process_due_tomorrow
from tests.factories import make_case


async def test_chat_messages_owed_while_the_bot_api_is_down_are_sent_when_it_returns(
    gateway: Gateway, chat: Chat, officer: User
) -> None:
    now = datetime.now(UTC)
    hearing = await holding_process_due_tomorrow(officer, now)
    await make_case("HHD-FA-26-6012345-S", hearing=hearing + timedelta(days=30))
    await chat.say("served HHD-FA-26-6012345-S hand now no police")
    await chat.press("Confirm")
    entry = await Entry.get(case__docket_number="HHD-FA-26-6012345-S")
    now = datetime.now(UTC)  # everything owed so far is due

    port = int(gateway.api.url.rsplit(":", 1)[1])
    await gateway.api.close()  # the Bot API goes down
    await gateway.deliver(now)  # the faxes go; "Recorded" cannot
    assert await gateway.follow_ups_owed(now) == 1
    assert await queue_due_reminders(now, config=gateway.config) == (
        "1 reminders queued, 0 could not be sent"
    )
    for minutes in (1, 5, 30):
        await gateway.deliver(now + timedelta(minutes=minutes))
    chats = await Delivery.filter(adapter=Adapter.TELEGRAM).order_by("id")
    assert [d.payload["template"] for d in chats] == ["recorded", "follow_up", "reminder"]
    assert {d.status for d in chats} == {DeliveryStatus.FAILED}
    assert all("Telegram unreachable" in str(d.last_error) for d in chats)

    await gateway.api.start(port)  # back an hour later
    assert await gateway.deliver(now + timedelta(hours=1)) == 3
    assert {d.status for d in await Delivery.filter(adapter=Adapter.TELEGRAM)} == {
        DeliveryStatus.SENT
    }
    texts = sorted(call.text for call in await gateway.api.take(chat.chat_id, count=3))
    assert texts[0].startswith(f"{entry.reference}: sent to Hartford Police Department by fax")
    assert texts[1].startswith(f"Recorded {entry.reference} (service")
    assert texts[2].startswith("Reminder: service of HHD-FA-26-6000001-S")
