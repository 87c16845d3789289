"""The bot's replies: text from its templates, buttons whose data is a short code or summary key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2

from gateway.telegram.buttons import Press, encode
from outbound.chat import chat_environment
from registry.enums import BotState
from registry.models import Case, User
from registry.policy import Policy

_env = chat_environment(jinja2.PackageLoader("gateway.telegram", "templates"))

Button = tuple[str, str]  # label, callback data (at most 64 bytes, Telegram's limit)


def _row(press: Press, *choices: tuple[str, object]) -> tuple[Button, ...]:
    return tuple((label, encode(press, value)) for label, value in choices)


ACTIVITY_BUTTONS: tuple[tuple[Button, ...], ...] = (
    _row(Press.ACTIVITY, ("Service", "service"), ("Attempt", "attempt"), ("Received", "received")),
    _row(Press.ACTIVITY, ("Transferred", "transferred"), ("Other", "other")),
)
METHOD_BUTTONS = (_row(Press.METHOD, ("Hand", "hand"), ("Abode", "abode")),)
WHEN_BUTTONS = (_row(Press.WHEN, ("Now", 0), ("30 min ago", 30), ("1 h ago", 60)),)
POLICE_BUTTONS = (_row(Press.POLICE, ("Yes", "y"), ("No", "n")),)
# States whose question is answered with a button: typed text there is asked again.
BUTTON_STATES = (
    BotState.ACTIVITY,
    BotState.METHOD,
    BotState.POLICE,
    BotState.TRANSFER,
    BotState.SUMMARY,
)


@dataclass(frozen=True)
class Reply:
    """One message to send; `edit` replaces the message whose button was pressed."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False


def text(name: str, **context: Any) -> str:
    """Render gateway/telegram/templates/<name>.txt."""
    return _env.get_template(f"{name}.txt").render(**context).strip()


def say(name: str, *, edit: bool = False, **context: Any) -> Reply:
    buttons = {"ask_method": METHOD_BUTTONS, "ask_police": POLICE_BUTTONS}.get(name, ())
    return Reply(text(name, **context), buttons, edit)


def linked(user: User) -> Reply:
    return Reply(text("linked", officer=user))


def case_card(case: Case) -> Reply:
    return Reply(text("case", case=case), ACTIVITY_BUTTONS)


def ask_when(data: dict[str, Any], *, problem: str | None = None, edit: bool = False) -> Reply:
    return Reply(text("ask_when", activity=data["activity"], problem=problem), WHEN_BUTTONS, edit)


def ask_transfer(officers: list[User], *, edit: bool = False) -> Reply:
    rows = tuple(((o.full_name, encode(Press.TRANSFER, o.id)),) for o in officers[:20])
    return Reply(text("ask_transfer", officers=officers), rows, edit)


def use_buttons(state: BotState, data: dict[str, Any], officers: list[User]) -> Reply:
    """Re-ask a button question when the officer typed instead."""
    buttons = {
        BotState.ACTIVITY: ACTIVITY_BUTTONS,
        BotState.METHOD: METHOD_BUTTONS,
        BotState.POLICE: POLICE_BUTTONS,
        BotState.TRANSFER: ask_transfer(officers).buttons,
    }.get(state, ())
    return Reply(text("use_buttons", state=state), buttons)


def summary(
    key: str,
    case: Case,
    data: dict[str, Any],
    policy: Policy,
    target: User | None,
    *,
    edit: bool = False,
) -> Reply:
    occurred = data.get("occurred_at")
    when = policy.describe(datetime.fromisoformat(occurred)) if occurred else "now"
    body = text("summary", case=case, data=data, when=when, target=target)
    presses = (("Confirm", Press.CONFIRM), ("Edit", Press.EDIT), ("Cancel", Press.CANCEL))
    buttons = (tuple((label, encode(press, key)) for label, press in presses),)
    return Reply(body, buttons, edit)
