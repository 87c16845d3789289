"""The profile's "Link Telegram": a one-time `t.me` link and its QR code, valid 15 minutes."""

from __future__ import annotations

import segno
from aiohttp import web
from markupsafe import Markup

from gateway.appkeys import CONFIG
from gateway.web.guard import signed_in
from gateway.web.render import current_user, now, render
from registry.bot import LINK_VALID_FOR, issue_link_token
from registry.models import Role


@signed_in(setup_pages=True)
async def telegram_link(request: web.Request) -> web.StreamResponse:
    """Issue a fresh link (a POST: each one is a new credential) and show it with its QR code."""
    user = current_user(request)
    settings = request.app[CONFIG].telegram
    if user.role is not Role.OFFICER or not (settings.bot_token and settings.bot_username):
        return await render(request, "telegram_link.html", {"link": None}, status=404)
    token = await issue_link_token(user, now=now(request))
    link = f"https://t.me/{settings.bot_username}?start={token}"
    # segno writes the SVG itself from the link: safe to place in the page unescaped.
    qr_svg = Markup(segno.make(link, error="m").svg_inline(scale=5, title="Telegram link"))  # noqa: S704
    minutes = int(LINK_VALID_FOR.total_seconds() // 60)
    return await render(
        request, "telegram_link.html", {"link": link, "qr_svg": qr_svg, "minutes": minutes}
    )
