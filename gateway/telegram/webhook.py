"""The Telegram bot's adapter: the webhook route, python-telegram-bot, replies and follow-ups.

Telegram posts each update to `POST /telegram/webhook`. The route checks the secret header,
commits the update as received (once per update_id), answers 200 and queues it; the handler
turns it into `flow.Incoming` and the replies into Bot API calls. Only this module and
the rest of `gateway/telegram/` know python-telegram-bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import telegram.error
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from gateway.config import Config, ConfigError
from gateway.runtime import policy_from
from gateway.telegram import flow, follow_up, replies
from gateway.telegram.buttons import Press, decode
from outbound.transport import TransportError
from registry import inbound
from registry.models import Channel, InboundMessage, InboundStatus
from registry.policy import Policy

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
ALLOWED_UPDATES = ("message", "callback_query")

PTBApplication = Application[Any, Any, Any, Any, Any, Any]
UNREADABLE = "not a readable Telegram update"


@dataclass
class TelegramBot:
    """The running bot: python-telegram-bot's application and what its handler needs."""

    application: PTBApplication
    policy: Policy
    secret: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)


BOT = web.AppKey("telegram_bot", TelegramBot)


def setup(app: web.Application, config: Config) -> None:
    """Serve the webhook when a token is configured; otherwise say once that the bot is off."""
    settings = config.telegram
    if not settings.bot_token:
        log.info("telegram bot disabled: telegram.bot_token is not set")
        return
    if not settings.webhook_secret:
        raise ConfigError("telegram.webhook_secret: required when telegram.bot_token is set")
    app.router.add_post(WEBHOOK_PATH, webhook)

    async def run(app: web.Application) -> AsyncIterator[None]:
        async with running_bot(config) as telegram_bot:
            app[BOT] = telegram_bot
            yield

    app.cleanup_ctx.append(run)


def build_application(config: Config) -> PTBApplication:
    """Return python-telegram-bot's application, fed by our webhook (no updater of its own)."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder().token(config.telegram.bot_token).updater(None)
    )
    if config.telegram.api_base_url:
        base = config.telegram.api_base_url
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    # Updates of different chats run at once; one chat's updates wait their turn (see _handle).
    return builder.concurrent_updates(True).build()


@contextlib.asynccontextmanager
async def running_bot(config: Config) -> AsyncIterator[TelegramBot]:
    """Start the bot (getMe first), run the follow-up job, and stop both on the way out."""
    application = build_application(config)
    telegram_bot = TelegramBot(application, policy_from(config), config.telegram.webhook_secret)
    application.add_handler(TypeHandler(Update, _Handler(telegram_bot)))
    await application.initialize()
    await application.start()
    await _replay_unprocessed(application)
    log.info("telegram bot @%s answering on %s", application.bot.username, WEBHOOK_PATH)
    job = asyncio.create_task(follow_up.run_job(telegram_bot.clock))
    try:
        yield telegram_bot
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job
        await application.stop()
        await application.shutdown()


async def _replay_unprocessed(application: PTBApplication) -> None:
    """Handle updates kept before the last stop but not handled then: nothing is dropped."""
    for kept in await inbound.unprocessed(Channel.TELEGRAM):
        try:
            update = Update.de_json(json.loads(kept.payload), application.bot)
        except Exception:
            log.warning("kept telegram update %s is not readable", kept.reference)
            await inbound.mark(kept.id, InboundStatus.FAILED, UNREADABLE)
            continue
        await application.update_queue.put(update)


async def webhook(request: web.Request) -> web.Response:
    """Check the secret, commit the update once, answer 200 and queue it for the handler."""
    telegram_bot = request.app[BOT]
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), telegram_bot.secret.encode()):
        return web.Response(status=403, text="forbidden")
    payload = await request.read()
    try:
        data = json.loads(payload)
        update_id = int(data["update_id"])
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested too deep
        return web.Response(status=400, text="not a Telegram update")
    try:
        kept = await inbound.keep_telegram_update(
            payload, update_id=update_id, now=telegram_bot.clock()
        )
    except Exception:
        # Telegram retries an update it could not deliver: nothing is lost by refusing it now.
        log.exception("could not store telegram update %d", update_id)
        return web.Response(status=503, text="try again later")
    if kept.duplicate:  # a resend of an update already kept: processed once
        return web.Response(text="ok")
    application = telegram_bot.application
    try:
        update = Update.de_json(data, application.bot)
    except Exception as exc:
        # Kept as received for staff to see; answering 200 stops Telegram resending it.
        log.warning("telegram update %d is not readable: %s", update_id, exc)
        await inbound.mark(kept.inbound.id, InboundStatus.FAILED, UNREADABLE)
        return web.Response(text="ok")
    await application.update_queue.put(update)
    return web.Response(text="ok")


class _Handler:
    """The one handler: every update goes through `flow.respond`, one at a time per chat."""

    def __init__(self, telegram_bot: TelegramBot) -> None:
        self.telegram_bot = telegram_bot

    async def __call__(self, update: Update, context: object) -> None:
        chat = update.effective_chat
        if chat is None or (update.message is None and update.callback_query is None):
            await _mark(update, InboundStatus.IGNORED, "not a message or button press")
            return
        lock = self.telegram_bot.locks.setdefault(chat.id, asyncio.Lock())
        async with lock:
            try:
                await self._answer(update, chat.id)
            except Exception as exc:
                # Never show the exception to the chat: log it, keep the update, say so plainly.
                log.exception("telegram update %d failed", update.update_id)
                await _mark(update, InboundStatus.FAILED, type(exc).__name__)
                await update.get_bot().send_message(chat.id, replies.text("failed"))

    async def _answer(self, update: Update, chat_id: int) -> None:
        query = update.callback_query
        telegram_bot = self.telegram_bot
        source = None
        if query is not None:
            await query.answer()
            pressed = decode(query.data or "")
            if pressed and pressed[0] is Press.CONFIRM:  # a Confirm: the entry names its source
                key = inbound.telegram_key(update.update_id)
                source = await InboundMessage.get_or_none(dedupe_key=key)
        incoming = flow.Incoming(
            chat_id,
            text=(update.message.text or "") if update.message else "",
            button=query.data if query is not None else None,
        )
        answers = await flow.respond(
            incoming, policy=telegram_bot.policy, now=telegram_bot.clock(), source=source
        )
        # Handled once its effect is stored: a lost reply is no reason to handle it again.
        await _mark(update, InboundStatus.PARSED, None)
        bot = update.get_bot()
        for i, reply in enumerate(answers):
            markup = _keyboard(reply)
            if reply.edit and i == 0 and query is not None and query.message is not None:
                await query.edit_message_text(reply.text, reply_markup=markup)
            else:
                await bot.send_message(chat_id, reply.text, reply_markup=markup)


def _keyboard(reply: replies.Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row]
         for row in reply.buttons]
    )  # fmt: skip


async def _mark(update: Update, status: InboundStatus, note: str | None) -> None:
    await inbound.mark(inbound.telegram_key(update.update_id), status, note)


def make_bot(config: Config) -> Bot:
    """Return a bare Bot API client for the command line."""
    base = config.telegram.api_base_url
    if base:
        return Bot(config.telegram.bot_token, base_url=f"{base}/bot")
    return Bot(config.telegram.bot_token)


class TelegramChatLink:
    """The outbox's way into the Bot API: the running bot's client, errors sorted for retry."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    async def send_text(self, chat_id: int, text: str) -> str:
        telegram_bot = self.app.get(BOT)
        if telegram_bot is None:
            raise TransportError("the bot is not running yet")
        try:
            sent = await telegram_bot.application.bot.send_message(chat_id, text)
        except (telegram.error.Forbidden, telegram.error.BadRequest) as exc:
            # The officer blocked the bot, or the chat is gone: sending again cannot help.
            raise TransportError(f"Telegram refused: {exc.message}", permanent=True) from None
        except telegram.error.InvalidToken:
            raise TransportError("Telegram refused the bot token", permanent=True) from None
        except telegram.error.TelegramError as exc:
            # Network errors, time-outs, RetryAfter: the Bot API will take it later.
            raise TransportError(f"Telegram unreachable: {type(exc).__name__}") from None
        return str(sent.message_id)
