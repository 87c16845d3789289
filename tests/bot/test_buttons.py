"""Every button the bot draws decodes to the press and value it was drawn with."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.telegram import replies
from gateway.telegram.buttons import CALLBACK_DATA_BYTES, Press, decode, encode
from registry.enums import BotState


@given(press=st.sampled_from(list(Press)), value=st.text(max_size=40))
def test_a_press_round_trips_through_its_callback_data(press: Press, value: str) -> None:
    try:
        data = encode(press, value)
    except ValueError:
        assert len(f"{press.value}:{value}".encode()) > CALLBACK_DATA_BYTES
        return
    assert decode(data) == (press, value)


@pytest.mark.parametrize("data", ["", "q:1", "service", ":x"])
def test_data_no_button_of_ours_carries_decodes_to_nothing(data: str) -> None:
    assert decode(data) is None


def test_each_question_button_answers_the_state_that_asks_it() -> None:
    drawn = {
        BotState.ACTIVITY: replies.ACTIVITY_BUTTONS,
        BotState.METHOD: replies.METHOD_BUTTONS,
        BotState.WHEN: replies.WHEN_BUTTONS,
        BotState.POLICE: replies.POLICE_BUTTONS,
    }
    for state, rows in drawn.items():
        for _, data in (button for row in rows for button in row):
            pressed = decode(data)
            assert pressed is not None and pressed[0].answers is state
