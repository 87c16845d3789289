"""The bot's replies: text from its templates, buttons whose data is a short code or summary key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2

from registry.models import Case, User
from registry.policy import Policy

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("gateway.telegram", "templates"),
    autoescape=False,  # noqa: S701 - plain text messages, sent without parse_mode: no HTML
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)

Button = tuple[str, str]  # label, callback data (at most 64 bytes, Telegram's limit)
ACTIVITY_BUTTONS: tuple[tuple[Button, ...], ...] = (
    (("Service", "a:service"), ("Attempt", "a:attempt"), ("Received", "a:received")),
    (("Transferred", "a:transferred"), ("Other", "a:other")),
)
METHOD_BUTTONS = ((("Hand", "m:hand"), ("Abode", "m:abode")),)
WHEN_BUTTONS = ((("Now", "w:0"), ("30 min ago", "w:30"), ("1 h ago", "w:60")),)
POLICE_BUTTONS = ((("Yes", "p:y"), ("No", "p:n")),)
BUTTON_STATES = ("activity", "method", "police", "transfer", "summary")


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
    rows = tuple(((o.full_name, f"t:{o.id}"),) for o in officers[:20])
    return Reply(text("ask_transfer", officers=officers), rows, edit)


def use_buttons(state: str, data: dict[str, Any], officers: list[User]) -> Reply:
    """Re-ask a button question when the officer typed instead."""
    buttons = {
        "activity": ACTIVITY_BUTTONS,
        "method": METHOD_BUTTONS,
        "police": POLICE_BUTTONS,
        "transfer": ask_transfer(officers).buttons,
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
    buttons = ((("Confirm", f"c:{key}"), ("Edit", f"e:{key}"), ("Cancel", f"x:{key}")),)
    return Reply(body, buttons, edit)
