"""Typed keys for what the application carries between start-up and every channel's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web

from gateway.config import Config

Clock = Callable[[], datetime]

CONFIG = web.AppKey("config", Config)
CLOCK: web.AppKey[Clock] = web.AppKey("clock")  # the server's clock; tests fix it


def utc_now() -> datetime:
    return datetime.now(UTC)
