"""Registry Section pages: accounts (create, reset, deactivate) and access requests."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web

from gateway.web.guard import STAFF_ROLES, signed_in
from gateway.web.keys import SETTINGS
from gateway.web.render import current_user, forbidden, now, render
from registry.access_requests import (
    RequestRefused,
    approve_access_request,
    pending_access_requests,
    reject_access_request,
)
from registry.accounts import create_user, reset_password, set_active, username_problem
from registry.casefile import all_accounts
from registry.mfa import clear_mfa
from registry.models import Role, User
from registry.sessions import end_user_sessions, open_sessions

STAFF = tuple(STAFF_ROLES)


def temporary_password() -> str:
    """Return a one-time password for a new or reset account (96 random bits)."""
    return secrets.token_urlsafe(12)


@signed_in(*STAFF)
async def accounts(request: web.Request) -> web.StreamResponse:
    return await render(request, "staff/accounts.html", {"accounts": await all_accounts()})


@signed_in(*STAFF)
async def new_account_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "staff/new_account.html", {"values": {}, "errors": {}})


@signed_in(*STAFF)
async def new_account(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    values = {
        k: str(form.get(k, "")).strip()
        for k in ("username", "full_name", "role", "officer_number", "email")
    }
    errors = {}
    if wrong := username_problem(values["username"].lower()):
        errors["username"] = wrong
    elif await User.filter(username=values["username"].lower()).exists():
        errors["username"] = "that username is taken"
    if not values["full_name"]:
        errors["full_name"] = "give the holder's full name"
    if values["role"] not in {r.value for r in Role}:
        errors["role"] = "choose a role"
    elif values["role"] == Role.MANAGER and current_user(request).role is not Role.MANAGER:
        errors["role"] = "only a manager can create a manager account"
    if errors:
        context = {"values": values, "errors": errors}
        return await render(request, "staff/new_account.html", context, status=400)
    password = temporary_password()
    user = await create_user(
        username=values["username"].lower(),
        full_name=values["full_name"],
        role=Role(values["role"]),
        password=password,
        officer_number=values["officer_number"] or None,
        emails=[values["email"]] if values["email"] else [],
        must_change_password=True,
        now=now(request),
        actor=current_user(request).username,
    )
    return await render(
        request, "staff/password_given.html", {"account": user, "password": password}
    )


async def _account(request: web.Request) -> User:
    user = await User.get_or_none(id=int(request.match_info["user_id"]))
    if user is None:
        raise web.HTTPNotFound()
    if request.method == "POST" and user.role is Role.MANAGER:
        # Staff resetting a manager's password (or MFA) could take the manager's powers.
        if current_user(request).role is not Role.MANAGER:
            raise await forbidden(request, "Only a manager can change a manager's account.")
    return user


def password_version(user: User) -> str:
    """Name the account's password as it is now, without revealing anything of it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@signed_in(*STAFF)
async def account_page(request: web.Request) -> web.StreamResponse:
    account = await _account(request)
    sessions = await open_sessions(
        account, limits=request.app[SETTINGS].session_limits, now=now(request)
    )
    context = {
        "account": account,
        "sessions": sessions,
        "password_version": password_version(account),
    }
    return await render(request, "staff/account.html", context)


@signed_in(*STAFF)
async def account_reset(request: web.Request) -> web.StreamResponse:
    """Give the account a temporary password, once per press of the button.

    The form carries the password it replaces (as `password_version`): a reload that sends it
    again after the reset would otherwise reset once more and void the password just given.
    """
    user = await _account(request)
    given = str((await request.post()).get("password_version", ""))
    if not hmac.compare_digest(given.encode(), password_version(user).encode()):
        return await render(
            request, "staff/password_given.html", {"account": user, "password": None}, status=409
        )
    password = temporary_password()
    await reset_password(
        user, temporary=password, actor=current_user(request).username, now=now(request)
    )
    return await render(
        request, "staff/password_given.html", {"account": user, "password": password}
    )


@signed_in(*STAFF)
async def account_active(request: web.Request) -> web.StreamResponse:
    user = await _account(request)
    form = await request.post()
    active = form.get("active") == "yes"
    if not active and user.id == current_user(request).id:
        raise web.HTTPBadRequest(text="You cannot deactivate your own account.")
    reason = str(form.get("reason", "")).strip() or None
    await set_active(
        user, active=active, reason=reason, actor=current_user(request).username, now=now(request)
    )
    raise web.HTTPSeeOther(f"/staff/accounts/{user.id}")


@signed_in(*STAFF)
async def account_clear_mfa(request: web.Request) -> web.StreamResponse:
    user = await _account(request)
    await clear_mfa(user, actor=current_user(request).username, now=now(request))
    raise web.HTTPSeeOther(f"/staff/accounts/{user.id}")


@signed_in(*STAFF)
async def account_end_sessions(request: web.Request) -> web.StreamResponse:
    """End every open session of an account (a lost or shared device, a suspected theft)."""
    user = await _account(request)
    await end_user_sessions(
        user, reason="ended by staff", actor=current_user(request).username, now=now(request)
    )
    raise web.HTTPSeeOther(f"/staff/accounts/{user.id}")


@signed_in(*STAFF)
async def access_requests(request: web.Request) -> web.StreamResponse:
    context = {"requests": await pending_access_requests(), "errors": {}}
    return await render(request, "staff/access_requests.html", context)


@signed_in(*STAFF)
async def access_request_decide(request: web.Request) -> web.StreamResponse:
    request_id = int(request.match_info["request_id"])
    form = await request.post()
    staff, moment = current_user(request), now(request)
    try:
        if form.get("decision") == "approve":
            password = temporary_password()
            user = await approve_access_request(
                request_id, temporary_password=password, staff=staff, now=moment
            )
            context = {"account": user, "password": password}
            return await render(request, "staff/password_given.html", context)
        await reject_access_request(
            request_id, note=str(form.get("note", "")), staff=staff, now=moment
        )
    except RequestRefused as exc:
        context = {"requests": await pending_access_requests(), "errors": exc.problems}
        return await render(request, "staff/access_requests.html", context, status=400)
    raise web.HTTPSeeOther("/staff/access-requests")
