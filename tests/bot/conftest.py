"""A running gateway with the bot on, a fake Bot API, and chats that post real-format updates."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from gateway.app import create_app
from gateway.config import Config, load_config
from gateway.telegram import BOT, SECRET_HEADER, WEBHOOK_PATH, TelegramBot, TelegramChatLink
from registry.bot import issue_link_token, owe_follow_ups
from registry.enums import Adapter
from registry.models import Case, Delivery, User
from tests.bot.fake_bot_api import Call, FakeBotAPI
from tests.conftest import free_port
from tests.factories import make_case, make_user
from tests.outbox import drain

DATA = Path(__file__).resolve().parents[1] / "data" / "telegram"
SECRET = "webhook-secret-for-tests"
_update_ids = itertools.count(700_000_001)


def bot_config(registry_url: str, api_url: str, spool: Path) -> Config:
    return load_config(
        None,
        env={
            "POR_DATABASE_URL": registry_url,
            "POR_OUTBOUND_SPOOL_DIR": str(spool),
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN",
            "POR_TELEGRAM_WEBHOOK_SECRET": SECRET,
            "POR_TELEGRAM_BOT_USERNAME": "por_test_bot",
            "POR_TELEGRAM_API_BASE_URL": api_url,
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
        },
    )


def message_update(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    """A private-chat text message as Telegram posts it."""
    update = copy.deepcopy(json.loads((DATA / "message.json").read_text()))
    update["update_id"] = update_id or next(_update_ids)
    message = update["message"]
    message["message_id"] = update["update_id"] % 100_000
    message["chat"]["id"] = message["from"]["id"] = chat_id
    message["text"] = text
    if text.startswith("/"):
        length = len(text.split()[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return update


def button_update(chat_id: int, data: str, message: Call) -> dict[str, Any]:
    """A press of an inline button under a message the bot sent."""
    update = copy.deepcopy(json.loads((DATA / "callback_query.json").read_text()))
    update["update_id"] = next(_update_ids)
    query = update["callback_query"]
    query["id"] = str(update["update_id"])
    query["from"]["id"] = query["message"]["chat"]["id"] = chat_id
    query["data"] = data
    query["message"]["message_id"] = int(message.params.get("message_id", 1001))
    query["message"]["text"] = message.text
    return update


class Gateway:
    """The gateway serving HTTP on loopback, which a test may stop and start again."""

    def __init__(self, config: Config, api: FakeBotAPI) -> None:
        self.config = config
        self.api = api
        self.server: TestServer | None = None
        self.session = aiohttp.ClientSession()

    async def start(self) -> None:
        app = create_app(self.config, serve_smtp=False, run_worker=False)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def app(self) -> web.Application:
        assert self.server is not None
        return self.server.app

    @property
    def bot(self) -> TelegramBot:
        return self.app[BOT]

    async def follow_ups_owed(self, now: datetime) -> int:
        """Owe the follow-ups due, as the bot's own job does every few seconds; count them all.

        The job runs beside the test: whichever of the two owes a follow-up first, it is owed once.
        """
        await owe_follow_ups(now=now)
        return sum(
            d.payload["template"] == "follow_up"
            for d in await Delivery.filter(adapter=Adapter.TELEGRAM)
        )

    async def deliver(self, now: datetime | None = None) -> int:
        """Let the outbox send what is owed: chat messages through the running bot."""
        return await drain(self.config, now=now, chat=TelegramChatLink(self.app))

    async def post(self, update: dict[str, Any] | bytes, *, secret: str | None = SECRET) -> int:
        """Post an update to the webhook as Telegram does; return the HTTP status."""
        assert self.server is not None
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        url = str(self.server.make_url(WEBHOOK_PATH))
        async with self.session.post(url, data=body, headers=headers) as response:
            return response.status


class Chat:
    """One Telegram chat talking to the gateway, as an officer's phone would."""

    def __init__(self, gateway: Gateway, chat_id: int) -> None:
        self.gateway = gateway
        self.chat_id = chat_id
        self.last: Call | None = None

    async def say(self, text: str) -> Call:
        """Send a message; return the bot's answer."""
        assert await self.gateway.post(message_update(self.chat_id, text)) == 200
        return await self.reply()

    async def press(self, label: str, under: Call | None = None) -> Call:
        """Press the button labelled `label` under the bot's last message (or `under`)."""
        message = under or self.last
        assert message is not None, "no message with buttons yet"
        buttons = message.buttons
        assert label in buttons, f"no {label!r} button, only {list(buttons)}: {message.text}"
        update = button_update(self.chat_id, buttons[label], message)
        assert await self.gateway.post(update) == 200
        return await self.reply()

    async def reply(self) -> Call:
        (self.last,) = await self.gateway.api.take(self.chat_id)
        return self.last


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    await api.start(free_port())
    yield api
    await api.close()


@pytest.fixture
async def gateway(
    registry_url: str, fake_api: FakeBotAPI, tmp_path: Path
) -> AsyncIterator[Gateway]:
    running = Gateway(bot_config(registry_url, fake_api.url, tmp_path / "spool"), fake_api)
    await running.start()
    yield running
    await running.stop()
    await running.session.close()


@pytest.fixture
async def case(gateway: Gateway) -> Case:
    return await make_case("HHD-FA-26-6012345-S", hearing=date(2027, 1, 10))


@pytest.fixture
async def officer(gateway: Gateway) -> User:
    return await make_user("marshal.doe", full_name="Jane Doe", officer_number="M-101")


async def linked_chat(gateway: Gateway, officer: User, chat_id: int = 5550001) -> Chat:
    """A chat that opened the officer's one-time link."""
    chat = Chat(gateway, chat_id)
    token = await issue_link_token(officer, now=datetime.now(UTC))
    answer = await chat.say(f"/start {token}")
    assert "Linked" in answer.text
    return chat


@pytest.fixture
async def chat(gateway: Gateway, officer: User) -> Chat:
    return await linked_chat(gateway, officer)
