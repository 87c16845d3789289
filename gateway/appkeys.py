"""Typed keys for what the application carries between start-up and handlers."""

from __future__ import annotations

from aiohttp import web

from gateway.config import Config

CONFIG = web.AppKey("config", Config)
