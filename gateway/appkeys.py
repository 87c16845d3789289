"""Typed keys for what the application carries between start-up and every channel's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web

from gateway.config import Config
from registry.sealing import Seal

Clock = Callable[[], datetime]

CONFIG = web.AppKey("config", Config)
CLOCK: web.AppKey[Clock] = web.AppKey("clock")  # the server's clock; tests fix it
MFA_SEAL = web.AppKey("mfa_seal", Seal)  # seals MFA secrets before they reach the database


def utc_now() -> datetime:
    return datetime.now(UTC)
