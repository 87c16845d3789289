"""Over-long and malformed values in a Telegram update: a clear answer, never a 500.

(Issue: security under attack, 5.)
"""

from __future__ import annotations

import pytest

from registry.models import Case, Entry, InboundMessage
from tests.bot.conftest import Chat, Gateway, message_update

BAD_TEXTS = {
    "a NUL inside a report": "served HHD-FA-26-6012345-S hand \x00 now no police",
    "only NULs": "\x00" * 50,
    "a report 100,000 long": "served HHD-FA-26-6012345-S hand now no police " + "x" * 100_000,
    "controls and escapes": "served \x1b[31mHHD-FA-26-6012345-S\r\n hand \u202e now \ufeff no",
    "a docket 10,000 long": "served HHD-FA-26-" + "6" * 10_000 + "-S hand now no police",
}


@pytest.mark.parametrize("name", BAD_TEXTS)
async def test_a_malformed_message_is_kept_and_answered(
    gateway: Gateway, chat: Chat, case: Case, name: str
) -> None:
    before = await InboundMessage.all().count()
    answer = await chat.say(BAD_TEXTS[name])
    assert answer.text  # the officer is told something, whatever they sent
    assert await InboundMessage.all().count() == before + 1  # and the update is kept
    assert await Entry.all().count() == 0  # nothing recorded without the officer's Confirm
    if "Confirm" in answer.buttons:
        recorded = await chat.press("Confirm", under=answer)
        assert recorded.text
        for entry in await Entry.all():
            assert "\x00" not in (entry.note or "") + (entry.reason or "")


async def test_over_long_names_in_the_update_itself_are_refused_or_kept(
    gateway: Gateway, chat: Chat
) -> None:
    update = message_update(chat.chat_id, "/help")
    update["message"]["from"]["first_name"] = "N" * 100_000
    update["message"]["from"]["username"] = "u\x00" * 5000
    update["message"]["chat"]["first_name"] = "\x00"
    assert await gateway.post(update) in (200, 400)
