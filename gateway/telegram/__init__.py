"""The Telegram bot: the webhook, the conversation, its replies, and the outbox's Bot API link."""

from __future__ import annotations

from gateway.telegram.webhook import (
    ALLOWED_UPDATES,
    BOT,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramBot,
    TelegramChatLink,
    make_bot,
    setup,
)

__all__ = [
    "ALLOWED_UPDATES",
    "BOT",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "TelegramBot",
    "TelegramChatLink",
    "make_bot",
    "setup",
]
