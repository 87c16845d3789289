"""A fake Telegram Bot API on loopback: answers getMe/setWebhook, records what the bot sends."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "POR Registry",
    "username": "por_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
REPLY_METHODS = ("sendMessage", "editMessageText")


@dataclass(frozen=True)
class Call:
    """One Bot API request: its method and its parameters, JSON values decoded."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def buttons(self) -> dict[str, str]:
        """The inline buttons offered, label → callback data."""
        markup = self.params.get("reply_markup") or {}
        return {
            button["text"]: button["callback_data"]
            for row in markup.get("inline_keyboard", [])
            for button in row
        }


class FakeBotAPI:
    """Serve `/bot<token>/<method>` like api.telegram.org and keep every call in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._replies: dict[int, list[Call]] = {}
        self._taken: dict[int, int] = {}
        self._changed = asyncio.Condition()
        self._next_message_id = 1000
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {key: _decode(str(value)) for key, value in (await request.post()).items()}
        call = Call(method, params)
        result: Any = True
        if method == "getMe":
            result = BOT_USER
        elif method in REPLY_METHODS:
            result = self._message(call)
        async with self._changed:
            self.calls.append(call)
            if method in REPLY_METHODS:
                self._replies.setdefault(call.chat_id, []).append(call)
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _message(self, call: Call) -> dict[str, Any]:
        if "message_id" in call.params:
            message_id = int(call.params["message_id"])
        else:
            self._next_message_id += 1
            message_id = self._next_message_id
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": call.chat_id, "type": "private"},
            "from": BOT_USER,
            "text": call.text,
        }

    async def take(self, chat_id: int, count: int = 1) -> list[Call]:
        """Wait (10 s at most) for the chat's next `count` messages sent or edited."""
        async with asyncio.timeout(10), self._changed:
            start = self._taken.get(chat_id, 0)
            await self._changed.wait_for(
                lambda: len(self._replies.get(chat_id, [])) >= start + count
            )
            self._taken[chat_id] = start + count
            return self._replies[chat_id][start : start + count]

    def sent_to(self, chat_id: int) -> list[Call]:
        """Everything sent or edited in a chat so far."""
        return list(self._replies.get(chat_id, []))

    def count(self, method: str) -> int:
        return sum(1 for call in self.calls if call.method == method)


def _decode(value: str) -> Any:
    """Bot API form values are JSON for objects and arrays, plain text otherwise."""
    if value[:1] in ("{", "["):
        return json.loads(value)
    return value
