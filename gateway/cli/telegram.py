"""`por-gateway telegram set-webhook`: tell the Bot API where to post updates."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from gateway.config import Config


def register(commands: Any) -> None:
    """Add the `telegram` command and its actions to the command line."""
    telegram = commands.add_parser("telegram", help="the Telegram bot")
    actions = telegram.add_subparsers(dest="telegram_command", required=True, metavar="ACTION")
    hook = actions.add_parser(
        "set-webhook", help="register the webhook URL and secret with the Telegram Bot API"
    )
    hook.add_argument(
        "--url", help="the public webhook URL (default: server.public_url + /telegram/webhook)"
    )
    hook.set_defaults(run=_set_webhook)


def _set_webhook(config: Config, args: argparse.Namespace) -> int:
    from gateway.telegram import ALLOWED_UPDATES, WEBHOOK_PATH, make_bot

    settings = config.telegram
    if not settings.bot_token or not settings.webhook_secret:
        print("telegram.bot_token and telegram.webhook_secret must both be set")
        return 2
    url = args.url or config.server.public_url.rstrip("/") + WEBHOOK_PATH

    async def run() -> bool:
        async with make_bot(config) as bot:
            done: bool = await bot.set_webhook(
                url, secret_token=settings.webhook_secret, allowed_updates=list(ALLOWED_UPDATES)
            )
            return done

    if not asyncio.run(run()):
        print(f"the Bot API refused the webhook {url}")
        return 1
    print(f"webhook set: {url}")
    return 0
