"""Who may reach a page: every web handler is wrapped by `public` or `signed_in`."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway.web.keys import SESSION_ENDED, SESSION_ROW, SETTINGS, USER_KEY
from gateway.web.render import forbidden
from gateway.web.session import csrf_ok, live_session, sign_out
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
    """Return the signed-in user of a live session, or send the browser to the login page.

    The storage has already ended a session past its idle or absolute limit (CJIS: lock after
    30 minutes without activity, authenticate again every 12 hours).
    """
    await live_session(request)
    row = request.get(SESSION_ROW)
    if row is None or not row.authenticated:
        ended = request.get(SESSION_ENDED)
        raise web.HTTPSeeOther(f"/login?expired={ended}" if ended else "/login")
    user = await User.get_or_none(id=row.user_id, active=True)
    if user is None:
        await sign_out(request, reason="account deactivated")
        raise web.HTTPSeeOther("/login?expired=inactive")
    return user
