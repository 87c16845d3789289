"""Render pages from gateway/web/templates with what every page needs (user, CSRF token, zone)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from gateway.appkeys import CLOCK
from gateway.web.keys import SETTINGS, TEMPLATES, USER_KEY
from gateway.web.session import csrf_token
from registry.models import User


def current_user(request: web.Request) -> User:
    """Return the signed-in user a guard put on the request."""
    user: User = request[USER_KEY]
    return user


def now(request: web.Request) -> datetime:
    """Return the site's current time (UTC); tests fix it."""
    return request.app[CLOCK]()


async def page_context(request: web.Request, context: Mapping[str, Any]) -> dict[str, Any]:
    policy = request.app[SETTINGS].policy
    return {
        "user": request.get(USER_KEY),
        "csrf_token": await csrf_token(request),
        "describe": policy.describe,
        **context,
    }


async def render(
    request: web.Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> web.Response:
    """Return an HTML page (autoescaped: every value shown is escaped)."""
    ctx = await page_context(request, context or {})
    return aiohttp_jinja2.render_template(template, request, ctx, app_key=TEMPLATES, status=status)


async def forbidden(request: web.Request, message: str) -> web.HTTPForbidden:
    """Return a 403 error carrying a rendered page, for the caller to raise."""
    ctx = await page_context(request, {"message": message})
    body = aiohttp_jinja2.render_string("forbidden.html", request, ctx, app_key=TEMPLATES)
    return web.HTTPForbidden(text=body, content_type="text/html")
