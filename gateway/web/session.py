"""Sessions kept in the registry, the CSRF token, and the security headers on every response.

The cookie carries only a random key, signed with the session secret; the session (who is
signed in, since when, its CSRF token) is a row of the registry, so logging out, a password
change or a deactivation ends it at once in every process, and a cookie saved before that opens
nothing. The signature lets a forged or guessed cookie be refused before any database work.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets

import aiohttp_session
from aiohttp import web

from gateway.appkeys import CLOCK
from gateway.web.keys import SESSION_ENDED, SESSION_ROW
from registry.models import User
from registry.sessions import (
    SessionLimits,
    end_session,
    find_session,
    open_session,
    renew_session,
    save_data,
    touch,
)

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
# The login page says why a session ended (see login.EXPIRED); other endings say "inactive".
_NOTICES = frozenset({"idle", "reauthenticate"})


class RegistryStorage(aiohttp_session.AbstractStorage):
    """aiohttp_session's storage, backed by the registry's web_session table.

    A session's identity is its cookie key. A request without a live session gets a new,
    empty one, which becomes a row only when a page writes to it (the CSRF token of a form).
    """

    def __init__(self, limits: SessionLimits, *, secret: bytes, secure: bool) -> None:
        super().__init__(
            cookie_name=COOKIE_NAME,
            secure=secure,
            httponly=True,
            samesite="Lax",
            max_age=None,  # a browser-session cookie: the row says how long the session lives
        )
        self.limits = limits
        self._secret = secret

    def _signature(self, key: str) -> str:
        digest = hmac.new(self._secret, key.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()

    def signed(self, key: str) -> str:
        """Return the cookie value for a session key: the key and its signature."""
        return f"{key}.{self._signature(key)}" if key else ""

    def key_of(self, cookie: str | None) -> str | None:
        """Return the session key a cookie carries when its signature is good, else None."""
        key, _, signature = (cookie or "").rpartition(".")
        if not key or not hmac.compare_digest(signature.encode(), self._signature(key).encode()):
            return None
        return key

    async def load_session(self, request: web.Request) -> aiohttp_session.Session:
        """Return the live session the cookie names, ending it here when past its limits."""
        cookie = self.load_cookie(request)
        if cookie is None:
            return await self.new_session()
        key = self.key_of(cookie)
        row = await find_session(key) if key is not None else None
        if row is None:  # an unknown, forged or old-format cookie: not signed in
            return await _forgotten(self)
        moment = request.app[CLOCK]()
        if row.ended_at is None and (reason := self.limits.expired(row, moment)):
            await end_session(row, reason=reason, now=moment)
        if row.ended_at is not None:
            if row.authenticated:
                request[SESSION_ENDED] = (
                    row.end_reason if row.end_reason in _NOTICES else "inactive"
                )
            return await _forgotten(self)
        await touch(row, moment)
        request[SESSION_ROW] = row
        data: aiohttp_session.SessionData = {
            "created": int(row.created_at.timestamp()),
            "session": dict(row.data),
        }
        return aiohttp_session.Session(key, data=data, new=False, max_age=None)

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: aiohttp_session.Session
    ) -> None:
        """Write what a page changed: a new row for a first write, else the row's data."""
        row = request.get(SESSION_ROW)
        if row is None or session.identity is None:  # a new session (new_session, no row yet)
            if session.empty:
                self.save_cookie(response, "")  # drop a cookie that names no live session
                return
            moment = request.app[CLOCK]()
            key, row = await open_session(now=moment, client=_client(request), data=dict(session))
            request[SESSION_ROW] = row
            self.save_cookie(response, self.signed(key))
        elif await save_data(row, dict(session)):
            self.save_cookie(response, self.signed(str(session.identity)))
        else:
            self.save_cookie(response, "")  # it ended while the request ran


async def _forgotten(storage: RegistryStorage) -> aiohttp_session.Session:
    """Return an empty new session marked changed, so the response deletes the cookie."""
    session = await storage.new_session()
    session.changed()
    return session


def _client(request: web.Request) -> str:
    return request.remote or ""


def setup_sessions(
    app: web.Application, *, limits: SessionLimits, secret: str, secure: bool
) -> None:
    """Keep sessions in the registry behind a signed, HttpOnly, SameSite=Lax cookie.

    `secret` signs the cookie: every process must share it, or a process refuses the cookies
    another signed. Empty, a random one is made (sessions then end at restart). `secure` is
    True when the public URL is https: a Secure cookie is never sent over plain http, so a
    local http://127.0.0.1 site would lose its session on every request.
    """
    if not secret:
        log.warning("security.session_secret is empty: random key, sessions end at restart")
    key = secret.encode() if secret else secrets.token_bytes(32)
    aiohttp_session.setup(app, RegistryStorage(limits, secret=key, secure=secure))
    app.on_response_prepare.append(_add_security_headers)


async def live_session(request: web.Request) -> None:
    """Load the request's session (its row, when it has one, is then at SESSION_ROW)."""
    await aiohttp_session.get_session(request)


async def sign_in(request: web.Request, user: User, *, authenticated: bool) -> None:
    """Begin a new session for a user (a new key: no fixation), ending the one before.

    `authenticated` is False between the password and the MFA code.
    """
    moment = request.app[CLOCK]()
    await live_session(request)
    if (before := request.pop(SESSION_ROW, None)) is not None:
        reason = "signed in again" if before.authenticated else "signed in"
        await end_session(before, reason=reason, now=moment)
    key, row = await open_session(
        now=moment, client=_client(request), user=user, authenticated=authenticated
    )
    session = await aiohttp_session.new_session(request)
    session.set_new_identity(key)
    session.changed()
    request[SESSION_ROW] = row


async def renew(request: web.Request) -> None:
    """Carry on in the same session under a new key, its limits counted from now."""
    await live_session(request)
    row = request.get(SESSION_ROW)
    key = await renew_session(row, request.app[CLOCK]()) if row is not None else None
    session = await aiohttp_session.new_session(request)
    if key is None:
        request.pop(SESSION_ROW, None)
    else:
        session.set_new_identity(key)
    session.changed()


async def sign_out(request: web.Request, *, reason: str) -> None:
    """End the request's session and delete its cookie."""
    await live_session(request)
    if (row := request.pop(SESSION_ROW, None)) is not None:
        await end_session(row, reason=reason, now=request.app[CLOCK]())
    (await aiohttp_session.new_session(request)).changed()


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
