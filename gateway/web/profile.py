"""The profile: change one's password, enrol MFA; the user agreement; the access request form."""

from __future__ import annotations

import aiohttp_session
import segno
from aiohttp import web
from markupsafe import Markup

from gateway.appkeys import MFA_SEAL
from gateway.web.guard import public, signed_in
from gateway.web.keys import SESSION_ROW, SETTINGS
from gateway.web.render import current_user, now, render
from gateway.web.session import renew, sign_out
from registry.access_requests import (
    TOO_MANY,
    AccessRequestForm,
    RequestRefused,
    submit_access_request,
)
from registry.accounts import PasswordRejected, accept_agreement, change_password
from registry.mfa import enable_mfa, mfa_uri, new_mfa_secret, open_enrolment, seal_enrolment
from registry.sessions import end_user_sessions, open_sessions

DONE = {"password": "Your password has been changed.", "mfa": "Two-step login is now on."}


@signed_in(setup_pages=True)
async def profile_page(request: web.Request) -> web.StreamResponse:
    notice = DONE.get(request.query.get("done", ""), "")
    sessions = await open_sessions(
        current_user(request), limits=request.app[SETTINGS].session_limits, now=now(request)
    )
    this = request[SESSION_ROW].id
    context = {"notice": notice, "sessions": sessions, "this_session": this}
    return await render(request, "profile.html", context)


@signed_in(setup_pages=True)
async def end_all_sessions(request: web.Request) -> web.StreamResponse:
    """Log out everywhere: every session of the account ends, this one included."""
    user = current_user(request)
    await end_user_sessions(
        user, reason="logged out everywhere", actor=user.username, now=now(request)
    )
    await sign_out(request, reason="logged out everywhere")
    raise web.HTTPSeeOther("/login")


@signed_in(setup_pages=True)
async def password_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "password.html", _password_context(request))


@signed_in(setup_pages=True)
async def password_change(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    user = current_user(request)
    new, confirm = str(form.get("new", "")), str(form.get("confirm", ""))
    errors: dict[str, str] = {}
    if new != confirm:
        errors["confirm"] = "the two new passwords are not the same"
    else:
        try:
            await change_password(
                user,
                current=str(form.get("current", "")),
                new=new,
                rules=request.app[SETTINGS].rules,
                now=now(request),
                keep_session=request[SESSION_ROW].id,
            )
        except PasswordRejected as exc:
            field = "current" if "current" in str(exc) else "new"
            errors[field] = str(exc)
    if errors:
        return await render(request, "password.html", _password_context(request, errors), 400)
    # The change ended every other session of the account: carry on in this one, new key.
    await renew(request)
    raise web.HTTPSeeOther("/profile?done=password")


def _password_context(
    request: web.Request, errors: dict[str, str] | None = None
) -> dict[str, object]:
    return {"errors": errors or {}, "min_length": request.app[SETTINGS].rules.min_password_length}


@signed_in(setup_pages=True)
async def mfa_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "mfa.html", await _enrolment(request))


@signed_in(setup_pages=True)
async def mfa_enable(request: web.Request) -> web.StreamResponse:
    session = await aiohttp_session.get_session(request)
    user, seal = current_user(request), request.app[MFA_SEAL]
    secret = open_enrolment(seal, user, session.get("mfa_enrol"))
    code = str((await request.post()).get("code", ""))
    if secret is not None and await enable_mfa(
        user, secret=secret, code=code, now=now(request), seal=seal
    ):
        del session["mfa_enrol"]
        raise web.HTTPSeeOther("/profile?done=mfa")
    context = await _enrolment(request)
    context["error"] = "That code is not right: scan the code again and enter the 6 digits shown."
    return await render(request, "mfa.html", context, status=400)


async def _enrolment(request: web.Request) -> dict[str, object]:
    """Keep one pending secret in the session until the user proves their app has it.

    The session keeps it sealed, as the account will: wherever sessions are stored, the
    secret is never there in the clear.
    """
    session = await aiohttp_session.get_session(request)
    user, seal = current_user(request), request.app[MFA_SEAL]
    secret = open_enrolment(seal, user, session.get("mfa_enrol"))
    if secret is None:
        secret = new_mfa_secret()
        session["mfa_enrol"] = seal_enrolment(seal, user, secret)
    uri = mfa_uri(secret, user.username)
    # segno writes the SVG itself from the URI: safe to place in the page unescaped.
    qr_svg = Markup(segno.make(uri, error="m").svg_inline(scale=5, title="MFA enrolment code"))  # noqa: S704
    return {"secret": secret, "qr_svg": qr_svg}


@signed_in(setup_pages=True)
async def agreement_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "agreement.html")


@signed_in(setup_pages=True)
async def agreement_accept(request: web.Request) -> web.StreamResponse:
    if (await request.post()).get("accept") != "yes":
        error = "Tick the box to accept the agreement; no entry can be recorded until you do."
        return await render(request, "agreement.html", {"error": error}, status=400)
    await accept_agreement(current_user(request), now=now(request))
    raise web.HTTPSeeOther("/")


FIELDS = ("full_name", "username", "email", "phone", "officer_number", "employer", "reason")


@public
async def access_request_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "access_request.html", {"values": {}, "errors": {}})


@public
async def access_request_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    values = {name: str(form.get(name, "")) for name in FIELDS}
    try:
        await submit_access_request(
            AccessRequestForm(**values, agreed=form.get("agreed") == "yes"),
            now=now(request),
            client=request.remote or "",
        )
    except RequestRefused as exc:
        context = {"values": values, "errors": exc.problems}
        status = 429 if exc.problems.get("form") == TOO_MANY else 400
        return await render(request, "access_request.html", context, status=status)
    return await render(request, "access_request_sent.html", {"values": values})
