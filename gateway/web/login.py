"""Logging in (password, then the MFA code when the account has one) and out."""

from __future__ import annotations

import logging
from datetime import datetime

from aiohttp import web

from gateway.appkeys import MFA_SEAL
from gateway.web.guard import public, signed_in
from gateway.web.keys import SESSION_ROW, SETTINGS
from gateway.web.render import now, render
from gateway.web.session import live_session, sign_in, sign_out
from registry.accounts import authenticate, record_failed_login, record_login
from registry.mfa import accept_mfa_code
from registry.models import User
from registry.sealing import SealError

log = logging.getLogger(__name__)

# One message whatever went wrong, so the page never tells whether an account exists.
LOGIN_FAILED = (
    "The username or password is not right, or the account is locked. After {threshold} failed "
    "tries an account locks for {minutes} minutes; staff can reset a forgotten password."
)
EXPIRED = {
    "idle": "Your session was locked after {idle} minutes without activity. Log in again.",
    "reauthenticate": "Sessions last {hours} hours at most. Log in again.",
    "inactive": "Your session ended. Log in again.",
}
MFA_WINDOW_SECONDS = 300  # the code must follow the password within 5 minutes
MFA_UNREADABLE = (
    "Your code cannot be checked: the registry cannot read your two-step login key. "
    "Call the Registry Section; staff can remove your two-step login so you can enrol again."
)


def _login_failed(request: web.Request) -> str:
    rules = request.app[SETTINGS].rules
    return LOGIN_FAILED.format(
        threshold=rules.lockout_threshold, minutes=int(rules.lockout.total_seconds() // 60)
    )


@public
async def login_page(request: web.Request) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    notice = EXPIRED.get(request.query.get("expired", ""), "").format(
        idle=int(settings.idle_timeout.total_seconds() // 60),
        hours=int(settings.reauthenticate.total_seconds() // 3600),
    )
    return await render(request, "login.html", {"notice": notice})


@public
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    moment = now(request)
    user = await authenticate(username, password, rules=request.app[SETTINGS].rules, now=moment)
    if user is None:
        context = {"error": _login_failed(request), "username": username}
        return await render(request, "login.html", context, status=401)
    if user.mfa_secret:
        # The password is right: a new session waits for the code (not yet signed in).
        await sign_in(request, user, authenticated=False)
        raise web.HTTPSeeOther("/login/mfa")
    return await _complete(request, user, moment, mfa=False)


@public
async def mfa_page(request: web.Request) -> web.StreamResponse:
    if await _pending_user(request) is None:
        raise web.HTTPSeeOther("/login")
    return await render(request, "login_mfa.html")


@public
async def mfa_code(request: web.Request) -> web.StreamResponse:
    user = await _pending_user(request)
    if user is None or not user.mfa_secret:
        raise web.HTTPSeeOther("/login")
    moment = now(request)
    code = str((await request.post()).get("code", ""))
    try:
        accepted = await accept_mfa_code(user, code, moment, seal=request.app[MFA_SEAL])
    except SealError as exc:
        # Not the user's mistake (a changed security.mfa_key): no failed try is counted.
        log.error("the MFA secret of %s cannot be opened: %s", user.username, exc)
        return await render(request, "login_mfa.html", {"error": MFA_UNREADABLE}, status=503)
    if not accepted:
        rules = request.app[SETTINGS].rules
        await record_failed_login(user, reason="wrong MFA code", rules=rules, now=moment)
        await user.refresh_from_db(fields=["locked_until"])
        if user.locked_until is not None and user.locked_until > moment:
            await sign_out(request, reason="locked")
            return await render(request, "login.html", {"error": _login_failed(request)}, 401)
        error = "That code is not right. Enter the 6 digits your authenticator app shows now."
        return await render(request, "login_mfa.html", {"error": error}, status=401)
    return await _complete(request, user, moment, mfa=True)


async def _pending_user(request: web.Request) -> User | None:
    """Return the user whose password this session proved, while the code may still follow."""
    await live_session(request)
    row = request.get(SESSION_ROW)
    if row is None or row.authenticated or row.user_id is None:
        return None
    if (now(request) - row.created_at).total_seconds() > MFA_WINDOW_SECONDS:
        return None
    user = await User.get_or_none(id=row.user_id, active=True)
    if user is None or (user.locked_until is not None and user.locked_until > now(request)):
        return None
    return user


async def _complete(
    request: web.Request, user: User, moment: datetime, *, mfa: bool
) -> web.StreamResponse:
    await record_login(user, now=moment, mfa=mfa)
    await sign_in(request, user, authenticated=True)
    raise web.HTTPSeeOther("/")


@signed_in(setup_pages=True)
async def logout(request: web.Request) -> web.StreamResponse:
    await sign_out(request, reason="logout")
    raise web.HTTPSeeOther("/login")
