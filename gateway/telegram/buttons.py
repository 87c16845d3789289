"""The bot's inline buttons: what each press means, written into Telegram's callback data.

A button carries `<press>:<value>` (at most 64 bytes, Telegram's limit): one encoder, one
decoder, so the replies that draw buttons and the flow that reads presses cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum

from registry.enums import BotState

CALLBACK_DATA_BYTES = 64  # Bot API: callback_data is 1-64 bytes


class Press(StrEnum):
    ACTIVITY = "a"
    METHOD = "m"
    WHEN = "w"  # minutes ago
    POLICE = "p"  # y or n
    TRANSFER = "t"  # the officer's id
    CONFIRM = "c"  # the summary's key
    EDIT = "e"
    CANCEL = "x"

    @property
    def answers(self) -> BotState:
        """The question this press answers (a summary's buttons answer the summary)."""
        return _ANSWERS.get(self, BotState.SUMMARY)


_ANSWERS = {
    Press.ACTIVITY: BotState.ACTIVITY,
    Press.METHOD: BotState.METHOD,
    Press.WHEN: BotState.WHEN,
    Press.POLICE: BotState.POLICE,
    Press.TRANSFER: BotState.TRANSFER,
}


def encode(press: Press, value: object) -> str:
    data = f"{press.value}:{value}"
    if len(data.encode()) > CALLBACK_DATA_BYTES:
        raise ValueError(f"callback data over {CALLBACK_DATA_BYTES} bytes: {data!r}")
    return data


def decode(data: str) -> tuple[Press, str] | None:
    """The press and its value; None for data no button of ours carries."""
    code, colon, value = data.partition(":")
    if not colon or code not in Press.__members__.values():
        return None
    return Press(code), value
