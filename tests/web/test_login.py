"""Logging in: MFA, lockout, CSRF, session limits, cookies and headers."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pyotp

from gateway.config import load_config
from gateway.web import settings_from
from registry.mfa import accept_mfa_code
from registry.models import AuditEvent, Role, User, WebSession
from registry.sealing import Seal, key_from_text
from tests.factories import T0
from tests.web.conftest import MFA_SECRET, Site, make_account

LOGIN_FAILED = "The username or password is not right, or the account is locked."


async def test_an_officer_with_mfa_logs_in_with_password_and_code(site: Site) -> None:
    await make_account(mfa_secret=MFA_SECRET)
    response = await site.log_in("marshal.doe", secret=MFA_SECRET)
    assert response.status == 200 and str(response.url).endswith("/")
    assert "Find a case" in await response.text()
    actions = [e.action for e in await AuditEvent.filter(object_id="marshal.doe").order_by("id")]
    assert actions[-1] == "login.success"


async def test_a_wrong_mfa_code_does_not_log_in(site: Site) -> None:
    await make_account(mfa_secret=MFA_SECRET)
    await site.post(
        "/login", {"username": "marshal.doe", "password": "correct horse battery staple"}
    )
    response = await site.post("/login/mfa", {"code": "000000"}, form_page="/login/mfa")
    assert response.status == 401
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"


async def test_a_code_already_used_cannot_log_in_again(site: Site) -> None:
    await make_account(mfa_secret=MFA_SECRET)
    assert (await site.log_in("marshal.doe", secret=MFA_SECRET)).status == 200
    await site.post("/logout", {}, form_page="/")
    # Someone who saw the code (over a shoulder, in a proxy log) replays it within its 30 s.
    replay = await site.log_in("marshal.doe", secret=MFA_SECRET)
    assert replay.status == 401
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"
    site.clock.advance(seconds=30)  # the next code works
    assert (await site.log_in("marshal.doe", secret=MFA_SECRET)).status == 200


async def test_two_logins_racing_with_one_code_let_only_one_in(registry: str) -> None:
    user = await make_account(mfa_secret=MFA_SECRET)
    code = pyotp.TOTP(MFA_SECRET).at(T0)
    seal = Seal(key_from_text("a test MFA key that is long enough"))
    results = await asyncio.gather(
        accept_mfa_code(user, code, T0, seal=seal), accept_mfa_code(user, code, T0, seal=seal)
    )
    assert sorted(results) == [False, True]


async def test_five_wrong_passwords_lock_the_account_for_ten_minutes(site: Site) -> None:
    await make_account()
    for _ in range(5):
        response = await site.log_in("marshal.doe", "wrong password")
        assert response.status == 401
    refused = await site.log_in("marshal.doe")
    assert refused.status == 401 and LOGIN_FAILED in await refused.text()
    user = await User.get(username="marshal.doe")
    assert user.locked_until == site.clock.now + timedelta(minutes=10)
    site.clock.advance(minutes=10, seconds=1)
    assert (await site.log_in("marshal.doe")).status == 200


async def test_the_login_failure_does_not_reveal_whether_the_user_exists(site: Site) -> None:
    await make_account()
    unknown = await (await site.log_in("nobody.here", "whatever password")).text()
    wrong = await (await site.log_in("marshal.doe", "wrong password")).text()
    assert LOGIN_FAILED in unknown and LOGIN_FAILED in wrong
    failures = await AuditEvent.filter(action="login.failure").order_by("id")
    assert [e.details["reason"] for e in failures] == ["unknown user", "wrong password"]


async def test_a_post_without_the_csrf_token_is_refused(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    response = await site.client.post("/logout", data={}, allow_redirects=False)
    assert response.status == 403
    forged = await site.client.post(
        "/login", data={"username": "a", "password": "b", "csrf_token": "forged"}
    )
    assert forged.status == 403
    assert (await site.get("/", follow=False)).status == 200  # still logged in


async def test_an_idle_session_locks_after_30_minutes(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    site.clock.advance(minutes=29)
    assert (await site.get("/", follow=False)).status == 200
    site.clock.advance(minutes=30, seconds=1)
    response = await site.get("/", follow=False)
    assert response.status == 303 and response.headers["Location"] == "/login?expired=idle"
    assert "without activity" in await site.page("/login?expired=idle")
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"
    logout = await AuditEvent.get(action="logout", actor="marshal.doe")
    session = await WebSession.get(authenticated=True)
    assert logout.details == {"reason": "idle", "session": session.id}


async def test_a_busy_session_must_log_in_again_after_12_hours(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    for _ in range(24):  # a page every 29 minutes: never idle, 11 h 36 min in all
        site.clock.advance(minutes=29)
        assert (await site.get("/", follow=False)).status == 200
    site.clock.advance(minutes=25)
    response = await site.get("/", follow=False)
    assert response.headers["Location"] == "/login?expired=reauthenticate"


async def test_pages_carry_security_headers_and_a_protected_session_cookie(site: Site) -> None:
    response = await site.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # public_url is http here: a Secure cookie would never return


async def test_staff_must_enrol_mfa_before_reaching_any_page(site: Site) -> None:
    await make_account("registry.clerk", role=Role.STAFF, mfa_secret=None)
    response = await site.log_in("registry.clerk")
    assert str(response.url).endswith("/profile/mfa")
    assert (await site.get("/staff/accounts", follow=False)).headers["Location"] == "/profile/mfa"


async def test_logging_out_ends_the_session_and_is_audited(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    response = await site.post("/logout", {}, form_page="/")
    assert str(response.url).endswith("/login")
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"
    assert await AuditEvent.filter(action="logout", actor="marshal.doe").exists()


async def test_an_officer_turns_on_mfa_from_the_profile_and_then_needs_the_code(
    site: Site,
) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    enrolment = await site.page("/profile/mfa")
    assert "<svg" in enrolment
    found = re.search(r'id="mfa-secret">([A-Z2-7]+)<', enrolment)
    assert found
    secret = found.group(1)
    wrong = await site.post("/profile/mfa", {"code": "123456"})
    assert wrong.status == 400
    done = await site.post("/profile/mfa", {"code": pyotp.TOTP(secret).at(site.clock.now)})
    assert "Two-step login is now on." in await done.text()
    assert await AuditEvent.filter(action="mfa.enabled", actor="marshal.doe").exists()
    await site.post("/logout", {}, form_page="/")
    assert str((await site.log_in("marshal.doe")).url).endswith("/login/mfa")
    # The enrolment code is spent: the login takes the app's next one.
    assert (await site.log_in("marshal.doe", secret=secret)).status == 401
    site.clock.advance(seconds=30)
    assert (await site.log_in("marshal.doe", secret=secret)).status == 200


def test_the_session_cookie_is_secure_when_the_site_is_public_over_https() -> None:
    https = load_config(None, env={"POR_SERVER_PUBLIC_URL": "https://por.example.gov"})
    assert settings_from(https).secure_cookies
    assert not settings_from(load_config(None, env={})).secure_cookies
