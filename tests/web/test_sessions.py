"""Sessions live in the registry: whatever ends one, a cookie saved before opens nothing after.

Security review, finding 2: logout did not end the session (it lived only in the cookie), nor
did a password change, a reset or a deactivation end the sessions already open.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest
from cryptography.fernet import Fernet

from gateway.appkeys import CONFIG
from gateway.scheduler import gateway_jobs
from registry.accounts import reset_password
from registry.models import AuditEvent, Entry, Role, User, WebSession
from tests.factories import T0, make_case
from tests.web.conftest import (
    MFA_SECRET,
    PASSWORD,
    ClientMaker,
    Site,
    another_browser,
    make_account,
    press_reset_password,
)

DOCKET = "HHD-FA-26-6012345-S"
FORM = f"/cases/{DOCKET}/service"
HAND_SERVICE = {"method": "hand", "date": "2026-11-02", "time": "09:15", "police": "no"}
NEW_PASSWORD = "a long and memorable sentence"


@dataclass
class Saved:
    """What someone copied from an officer's browser: the cookie and a form's CSRF token."""

    cookie: str
    token: str


async def officer_signed_in(
    site: Site, aiohttp_client: ClientMaker, **account: object
) -> tuple[User, Saved]:
    """Sign an officer in on a case's form, and copy the session as a thief would.

    The copy works while the session lives, so the tests below can fail.
    """
    await make_case(DOCKET)
    officer = await make_account(**account)  # type: ignore[arg-type]
    secret = MFA_SECRET if account.get("mfa_secret") else None
    response = await site.log_in("marshal.doe", secret=secret)
    assert str(response.url).endswith("/"), response.url
    token = await site.token(FORM)
    cookie = site.cookie()
    assert cookie is not None
    thief = await another_browser(site, aiohttp_client, cookie=cookie)
    assert (await thief.get("/my-entries", follow=False)).status == 200
    return officer, Saved(cookie, token)


async def assert_shut_out(site: Site, aiohttp_client: ClientMaker, saved: Saved) -> None:
    """The copied cookie neither opens /my-entries nor records an entry: it goes to /login."""
    thief = await another_browser(site, aiohttp_client, cookie=saved.cookie)
    page = await thief.get("/my-entries", follow=False)
    assert page.status == 303 and page.headers["Location"].startswith("/login"), page.headers
    posted = await thief.client.post(
        f"{FORM}/submit", data={**HAND_SERVICE, "csrf_token": saved.token}, allow_redirects=False
    )
    assert posted.status == 303 and posted.headers["Location"].startswith("/login")
    assert await Entry.all().count() == 0


async def staff_browser(site: Site, aiohttp_client: ClientMaker) -> Site:
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    staff = await another_browser(site, aiohttp_client)
    assert str((await staff.log_in("registry.clerk", secret=MFA_SECRET)).url).endswith("/")
    return staff


async def logouts(username: str) -> list[AuditEvent]:
    return await AuditEvent.filter(action="logout", object_id=username).order_by("id")


async def test_a_cookie_saved_before_logout_opens_nothing_after_it(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, saved = await officer_signed_in(site, aiohttp_client)
    await site.post("/logout", {}, form_page="/")
    assert site.cookie() != saved.cookie  # the login page it lands on starts a new one
    await assert_shut_out(site, aiohttp_client, saved)
    row = await WebSession.get(key_hash=key_hash(saved.cookie))
    assert row.ended_at == site.clock.now and row.end_reason == "logout"
    [logout] = await logouts("marshal.doe")
    assert logout.actor == "marshal.doe"
    assert logout.details == {"reason": "logout", "session": row.id}


async def test_the_registry_keeps_only_a_hash_of_the_cookie(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, saved = await officer_signed_in(site, aiohttp_client)
    row = await WebSession.get(authenticated=True)
    assert row.key_hash == key_hash(saved.cookie)
    stored = json.dumps(await WebSession.all().values(), default=str)
    assert session_key(saved.cookie) not in stored


def session_key(cookie: str) -> str:
    """The random key a cookie carries before its signature."""
    key, dot, signature = cookie.rpartition(".")
    assert dot and key and signature, cookie
    return key


def key_hash(cookie: str) -> str:
    return hashlib.sha256(session_key(cookie).encode()).hexdigest()


async def test_a_live_key_under_a_wrong_signature_is_not_signed_in(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, saved = await officer_signed_in(site, aiohttp_client)
    key = session_key(saved.cookie)
    for forged in (key, f"{key}.", f"{key}.{'A' * 24}", f"{key}.{saved.cookie[-24:-1]}B"):
        stranger = await another_browser(site, aiohttp_client, cookie=forged)
        response = await stranger.get("/my-entries", follow=False)
        assert response.headers["Location"] == "/login", forged
    mine = await another_browser(site, aiohttp_client, cookie=saved.cookie)
    assert (await mine.get("/my-entries", follow=False)).status == 200  # the real one still does


async def test_a_password_change_ends_the_other_sessions_and_renews_this_one(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, elsewhere = await officer_signed_in(site, aiohttp_client)  # say, a computer left signed in
    here = await another_browser(site, aiohttp_client)
    await here.log_in("marshal.doe")
    before = here.cookie()
    assert before is not None
    changed = await here.post(
        "/profile/password", {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert "Your password has been changed." in await changed.text()
    await assert_shut_out(site, aiohttp_client, elsewhere)
    assert (await here.get("/my-entries", follow=False)).status == 200  # carries on here
    assert here.cookie() not in (None, before)  # under a new key: the old one opens nothing
    await assert_shut_out(site, aiohttp_client, Saved(before, elsewhere.token))
    [logout] = await logouts("marshal.doe")
    assert logout.details["reason"] == "password changed"


async def test_a_staff_password_reset_ends_every_session_of_the_account(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    officer, saved = await officer_signed_in(site, aiohttp_client)
    staff = await staff_browser(site, aiohttp_client)
    given = await press_reset_password(staff, officer.id)
    assert "temporary-password" in await given.text()
    await assert_shut_out(site, aiohttp_client, saved)
    response = await site.get("/", follow=False)  # the officer's own browser
    assert response.headers["Location"] == "/login?expired=inactive"
    assert "Your session ended." in await site.page("/login?expired=inactive")
    [logout] = await logouts("marshal.doe")
    assert logout.actor == "registry.clerk" and logout.details["reason"] == "password reset"


async def test_a_reset_also_ends_a_login_waiting_for_its_code(site: Site) -> None:
    officer = await make_account(mfa_secret=MFA_SECRET)
    await site.post("/login", {"username": "marshal.doe", "password": PASSWORD})
    assert "code" in await site.page("/login/mfa")
    await reset_password(officer, temporary="a temporary password", actor="staff", now=T0)
    assert (await site.get("/login/mfa", follow=False)).headers["Location"] == "/login"
    assert await logouts("marshal.doe") == []  # nobody was signed in yet


async def test_deactivating_an_account_ends_its_sessions(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    officer, saved = await officer_signed_in(site, aiohttp_client)
    staff = await staff_browser(site, aiohttp_client)
    page = f"/staff/accounts/{officer.id}"
    await staff.post(f"{page}/active", {"active": "no", "reason": "retired"}, form_page=page)
    await assert_shut_out(site, aiohttp_client, saved)
    [logout] = await logouts("marshal.doe")
    assert logout.actor == "registry.clerk" and logout.details["reason"] == "account deactivated"


async def test_the_inactive_account_job_ends_the_sessions_of_what_it_deactivates(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    officer, saved = await officer_signed_in(site, aiohttp_client)
    await User.filter(id=officer.id).update(last_login_at=T0 - timedelta(days=91))
    jobs = {job.name: job for job in gateway_jobs(site.client.app[CONFIG])}  # type: ignore[union-attr]
    assert await jobs["inactive-accounts"].run(site.clock()) == "1 accounts deactivated"
    await assert_shut_out(site, aiohttp_client, saved)
    [logout] = await logouts("marshal.doe")
    assert logout.actor == "inactive-account job"


async def test_removing_two_step_login_ends_the_sessions_it_opened(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    officer, saved = await officer_signed_in(site, aiohttp_client, mfa_secret=MFA_SECRET)
    site.clock.advance(seconds=30)  # the clerk's code is the next one
    staff = await staff_browser(site, aiohttp_client)
    page = f"/staff/accounts/{officer.id}"
    await staff.post(f"{page}/clear-mfa", {}, form_page=page)
    await assert_shut_out(site, aiohttp_client, saved)
    [logout] = await logouts("marshal.doe")
    assert logout.details["reason"] == "MFA removed"


async def test_log_out_everywhere_ends_every_session_of_the_account(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, elsewhere = await officer_signed_in(site, aiohttp_client)
    here = await another_browser(site, aiohttp_client)
    await here.log_in("marshal.doe")
    table = re.search(r'<table id="sessions">.*?</table>', await here.page("/profile"), re.S)
    assert table, "no table of sessions on the profile"
    assert table.group(0).count("127.0.0.1") == 2 and "(this browser)" in table.group(0)
    done = await here.post("/profile/sessions/end", {}, form_page="/profile")
    assert str(done.url).endswith("/login")
    assert (await here.get("/", follow=False)).headers["Location"] == "/login"
    await assert_shut_out(site, aiohttp_client, elsewhere)
    reasons = [e.details["reason"] for e in await logouts("marshal.doe")]
    assert reasons == ["logged out everywhere"] * 2


async def test_staff_see_an_accounts_open_sessions_and_end_them(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    officer, saved = await officer_signed_in(site, aiohttp_client)
    site.clock.advance(minutes=5)
    assert (await site.get("/my-entries", follow=False)).status == 200
    staff = await staff_browser(site, aiohttp_client)
    page = f"/staff/accounts/{officer.id}"
    listing = await staff.page(page)
    row = re.search(r'<table id="sessions">.*?</table>', listing, re.S)
    assert row, listing
    # Signed in at 10:00, last used at 10:05 (Eastern), from the test client's address.
    assert "10:00 AM" in row.group(0) and "10:05 AM" in row.group(0)
    assert "127.0.0.1" in row.group(0)
    ended = await staff.post(f"{page}/end-sessions", {}, form_page=page)
    assert 'id="no-sessions"' in await ended.text()
    await assert_shut_out(site, aiohttp_client, saved)
    [logout] = await logouts("marshal.doe")
    assert logout.actor == "registry.clerk" and logout.details["reason"] == "ended by staff"


async def test_an_officer_cannot_end_someone_elses_sessions(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    clerk = await make_account("registry.clerk", role=Role.STAFF)
    await officer_signed_in(site, aiohttp_client)
    refused = await site.post(f"/staff/accounts/{clerk.id}/end-sessions", {}, form_page="/")
    assert refused.status == 403


async def test_idle_and_absolute_limits_are_kept_on_the_row(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    await officer_signed_in(site, aiohttp_client)
    for _ in range(30):  # a page every 10 s: last-seen is written once a minute, not each time
        site.clock.advance(seconds=10)
        assert (await site.get("/", follow=False)).status == 200
    row = await WebSession.get(authenticated=True)
    assert site.clock.now - row.last_seen_at < timedelta(minutes=1)
    site.clock.advance(minutes=30, seconds=1)  # idle since the last page: never locked late
    response = await site.get("/", follow=False)
    assert response.headers["Location"] == "/login?expired=idle"
    await row.refresh_from_db()
    assert row.end_reason == "idle"


async def test_a_session_past_twelve_hours_is_ended_on_its_row(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    await officer_signed_in(site, aiohttp_client)
    for _ in range(25):  # never idle, 12 h 5 min in all
        site.clock.advance(minutes=29)
        await site.get("/", follow=False)
    row = await WebSession.get(authenticated=True)
    assert row.end_reason == "reauthenticate"
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"


async def test_the_sessions_job_ends_abandoned_sessions_and_deletes_old_ones(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    _, saved = await officer_signed_in(site, aiohttp_client)
    visitor = await another_browser(site, aiohttp_client)
    await visitor.page("/login")  # a visitor who never logs in
    anonymous = await WebSession.filter(authenticated=False).count()
    assert anonymous == 2  # the officer's before login, the visitor's
    site.clock.advance(minutes=31)  # the officer walked away without logging out
    jobs = {job.name: job for job in gateway_jobs(site.client.app[CONFIG])}  # type: ignore[union-attr]
    outcome = await jobs["web-sessions"].run(site.clock())
    assert outcome == f"1 expired sessions ended, {anonymous} sessions deleted"
    [logout] = await logouts("marshal.doe")
    assert logout.details["reason"] == "idle" and logout.at == site.clock.now
    await assert_shut_out(site, aiohttp_client, saved)
    assert await WebSession.all().count() == 1  # kept for a week after its end
    site.clock.advance(days=6)
    assert (
        await jobs["web-sessions"].run(site.clock())
        == "0 expired sessions ended, 0 sessions deleted"
    )
    site.clock.advance(days=2)
    assert (
        await jobs["web-sessions"].run(site.clock())
        == "0 expired sessions ended, 1 sessions deleted"
    )
    assert await WebSession.all().count() == 0


async def test_logging_in_gives_a_new_key_at_each_step(
    site: Site, aiohttp_client: ClientMaker
) -> None:
    await make_account(mfa_secret=MFA_SECRET)
    await site.page("/login")
    anonymous = site.cookie()
    await site.post("/login", {"username": "marshal.doe", "password": PASSWORD})
    waiting = site.cookie()
    response = await site.post(
        "/login/mfa", {"code": _code(site)}, form_page="/login/mfa", follow=False
    )
    assert response.headers["Location"] == "/"
    signed_in = site.cookie()
    assert None not in (anonymous, waiting, signed_in)
    assert len({anonymous, waiting, signed_in}) == 3
    for planted in (anonymous, waiting):  # a key planted before login never becomes signed in
        other = await another_browser(site, aiohttp_client, cookie=planted)
        assert (await other.get("/", follow=False)).headers["Location"] == "/login"
    assert (await site.get("/", follow=False)).status == 200


def _code(site: Site) -> str:
    return pyotp.TOTP(MFA_SECRET).at(site.clock.now)


def _old_cookie() -> str:
    """A signed-in cookie as the previous storage (Fernet over the session secret) made it."""
    key = hashlib.sha256(b"a test secret that is long enough").digest()
    body = {"created": int(T0.timestamp()), "session": {"uid": 1, "auth_at": T0.timestamp()}}
    return Fernet(base64.urlsafe_b64encode(key)).encrypt(json.dumps(body).encode()).decode()


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        secrets.token_urlsafe(32),  # the right shape, never given out
        "A" * 43,
        "x" * 4000,
        "'; DROP TABLE web_session; --",
        _old_cookie(),
    ],
    ids=["garbage", "unknown", "forged", "huge", "sql", "old-format"],
)
async def test_a_forged_unknown_or_old_cookie_is_not_signed_in(
    site: Site, aiohttp_client: ClientMaker, cookie: str
) -> None:
    await officer_signed_in(
        site, aiohttp_client
    )  # someone is signed in: the cookie must not reach them
    stranger = await another_browser(site, aiohttp_client, cookie=cookie)
    for path in ("/", "/my-entries", "/profile"):
        response = await stranger.get(path, follow=False)
        assert response.status == 303 and response.headers["Location"] == "/login", path
    posted = await stranger.client.post("/logout", data={}, allow_redirects=False)
    assert posted.status == 303 and posted.headers["Location"] == "/login"
    login = await stranger.get("/login")
    assert login.status == 200 and stranger.cookie() not in (None, cookie)  # a fresh session
