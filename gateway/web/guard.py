"""Who may reach a page: every web handler is wrapped by `public` or `signed_in`."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime

import aiohttp_session
from aiohttp import web

from gateway.web.keys import SETTINGS, USER_KEY
from gateway.web.render import forbidden, now
from gateway.web.session import csrf_ok
from registry.accounts import record_logout
from registry.models import Role, User

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STAFF_ROLES = frozenset({Role.STAFF, Role.MANAGER})
CSRF_REFUSED = (
    "This form has expired or did not come from this site. Go back, reload and try again."
)


def public(handler: Handler) -> Handler:
    """Let anyone in; a POST must still carry the CSRF token."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        if request.method == "POST" and not await csrf_ok(request):
            raise await forbidden(request, CSRF_REFUSED)
        return await handler(request)

    return wrapped


def signed_in(*roles: Role, setup_pages: bool = False) -> Callable[[Handler], Handler]:
    """Require a live session (idle and absolute limits), the CSRF token on POST, and a role.

    Until an account has changed a reset password, enrolled MFA where required and (officers)
    accepted the user agreement, only the pages that do those (`setup_pages=True`) open.
    """

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await _session_user(request)
            if request.method == "POST" and not await csrf_ok(request):
                raise await forbidden(request, CSRF_REFUSED)
            request[USER_KEY] = user
            if not setup_pages and (step := unfinished_step(request, user)):
                raise web.HTTPSeeOther(step)
            if roles and user.role not in roles:
                raise await forbidden(request, "This page is for Registry Section staff only.")
            return await handler(request)

        return wrapped

    return decorate


def unfinished_step(request: web.Request, user: User) -> str | None:
    """Return the page an account must visit before any other, if any."""
    settings = request.app[SETTINGS]
    if user.must_change_password:
        return "/profile/password"
    if settings.needs_mfa(user) and not user.mfa_secret:
        return "/profile/mfa"
    if user.role is Role.OFFICER and user.agreement_signed_at is None:
        return "/agreement"
    return None


async def _session_user(request: web.Request) -> User:
    settings = request.app[SETTINGS]
    session = await aiohttp_session.get_session(request)
    moment = now(request)
    user_id, auth_at, seen_at = session.get("uid"), session.get("auth_at"), session.get("seen_at")
    if not isinstance(user_id, int) or not isinstance(auth_at, float | int):
        raise web.HTTPSeeOther("/login")
    user = await User.get_or_none(id=user_id)
    expired = None
    if moment - datetime.fromtimestamp(float(seen_at or 0), moment.tzinfo) > settings.idle_timeout:
        expired = "idle"  # CJIS: lock the session after 30 minutes without activity
    elif moment - datetime.fromtimestamp(float(auth_at), moment.tzinfo) > settings.reauthenticate:
        expired = "reauthenticate"  # CJIS: authenticate again every 12 hours
    elif user is not None and user.sessions_valid_after is not None:
        if float(auth_at) < user.sessions_valid_after.timestamp():
            expired = "inactive"  # the password was reset or MFA removed since this login
    if expired or user is None or not user.active:
        session.clear()
        if user is not None:
            await record_logout(user, now=moment, reason=expired or "account deactivated")
        raise web.HTTPSeeOther(f"/login?expired={expired or 'inactive'}")
    session["seen_at"] = moment.timestamp()
    return user


def start_session(session: aiohttp_session.Session, user: User, moment: datetime) -> None:
    """Begin a fresh signed-in session (a new CSRF token: no fixation from before login)."""
    session.clear()
    session["uid"] = user.id
    session["auth_at"] = moment.timestamp()
    session["seen_at"] = moment.timestamp()
