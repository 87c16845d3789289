"""Sessions in an encrypted cookie, the CSRF token, and the security headers on every response."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets

import aiohttp_session
from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

log = logging.getLogger(__name__)

COOKIE_NAME = "por_session"
CSRF_FIELD = "csrf_token"
# script-src 'self': only script files served by the site itself run (the review queue's
# keyboard shortcuts); no inline code, so an injected <script> cannot run.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; script-src 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def setup_sessions(app: web.Application, *, secret: str, secure: bool) -> None:
    """Keep sessions in an encrypted, HttpOnly, SameSite=Lax cookie.

    `secure` is True when the public URL is https: a Secure cookie is never sent over plain
    http, so a local http://127.0.0.1 site would lose its session on every request.
    """
    if secret:
        # Any length of configured secret becomes the 32 raw bytes Fernet wants.
        key = hashlib.sha256(secret.encode()).digest()
    else:
        key = os.urandom(32)
        log.warning("security.session_secret is empty: random key, sessions end at restart")
    storage = EncryptedCookieStorage(
        Fernet(base64.urlsafe_b64encode(key)),
        cookie_name=COOKIE_NAME,
        secure=secure,
        httponly=True,
        samesite="Lax",
        max_age=None,  # a browser-session cookie; idle and absolute limits live in the session
    )
    aiohttp_session.setup(app, storage)
    app.on_response_prepare.append(_add_security_headers)


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.content_type == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")


async def csrf_token(request: web.Request) -> str:
    """Return the session's CSRF token, making one on first use."""
    session = await aiohttp_session.get_session(request)
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


async def csrf_ok(request: web.Request) -> bool:
    """Tell whether a POST carries the session's CSRF token (synchronizer-token pattern)."""
    session = await aiohttp_session.get_session(request)
    expected = session.get("csrf")
    given = (await request.post()).get(CSRF_FIELD)
    return (
        isinstance(expected, str)
        and isinstance(given, str)
        and hmac.compare_digest(expected.encode(), given.encode())
    )
