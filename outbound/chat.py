"""The one chat sender: every Telegram message that reports an outcome, a follow-up or a reminder.

Such messages are `telegram` deliveries, rendered here at sending from
`outbound/templates/chat/<template>.txt` and the context the registry stored. The link that
speaks the Bot API is the gateway's (`ChatLink`): only `gateway/` knows python-telegram-bot.
"""

from __future__ import annotations

from typing import Any, Protocol

import jinja2

from outbound.transport import Outcome, Outgoing, Sent, TransportError


def chat_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """The settings of every chat text, the bot's questions as its outcomes."""
    return jinja2.Environment(
        loader=loader,
        autoescape=False,  # noqa: S701 - plain text, sent without parse_mode: no HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_env = chat_environment(jinja2.PackageLoader("outbound", "templates/chat"))


class ChatLink(Protocol):
    """Sends one text to one chat; returns the message's id, or raises `TransportError`."""

    async def send_text(self, chat_id: int, text: str) -> str: ...


class ChatSender:
    """The `telegram` adapter."""

    name = "telegram"

    def __init__(self, link: ChatLink) -> None:
        self.link = link

    async def send(self, item: Outgoing) -> Outcome:
        text = render_chat(item.payload)
        try:
            chat_id = int(item.payload["to"])
        except (KeyError, TypeError, ValueError):
            raise TransportError("no chat to send to", permanent=True) from None
        return Sent(await self.link.send_text(chat_id, text))


def render_chat(payload: dict[str, Any]) -> str:
    """The message's text; a permanent `TransportError` when it cannot be written."""
    try:
        template = _env.get_template(f"{payload['template']}.txt")
        return template.render(**payload.get("context", {})).strip()
    except (KeyError, jinja2.TemplateError) as exc:
        raise TransportError(f"the message cannot be written: {exc}", permanent=True) from None
