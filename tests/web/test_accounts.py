"""Staff pages: who may reach them, password resets, access requests, inactive accounts."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from gateway.appkeys import CONFIG
from gateway.scheduler import gateway_jobs
from registry.access_requests import PER_CLIENT_PER_HOUR
from registry.accounts import AccountRules, password_problem, reset_password
from registry.models import AccessRequest, AccessRequestStatus, AuditEvent, Role, User
from tests.factories import T0
from tests.web.conftest import MFA_SECRET, PASSWORD, Site, make_account, press_reset_password

STAFF_PAGES = (
    "/staff/accounts",
    "/staff/accounts/new",
    "/staff/accounts/1",
    "/staff/access-requests",
)


async def staff_logged_in(site: Site) -> User:
    clerk = await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    await site.log_in("registry.clerk", secret=MFA_SECRET)
    return clerk


async def test_an_officer_cannot_reach_staff_pages(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    for path in STAFF_PAGES:
        response = await site.get(path)
        assert response.status == 403, path
        assert "for Registry Section staff only" in await response.text()
    forged = await site.post("/staff/accounts/1/reset-password", {}, form_page="/")
    assert forged.status == 403


async def test_a_reset_sent_again_by_a_reload_does_not_void_the_password_given(
    site: Site,
) -> None:
    officer = await make_account()
    await staff_logged_in(site)
    page = f"/staff/accounts/{officer.id}"
    version = re.search(r'name="password_version" value="([^"]+)"', await site.page(page))
    assert version
    form = {"password_version": version.group(1)}
    first = await site.post(f"{page}/reset-password", form, form_page=page)
    given = re.search(r'id="temporary-password">([^<]+)<', await first.text())
    assert given
    again = await site.post(f"{page}/reset-password", form, form_page=page)  # the reload
    assert again.status == 409 and "already reset" in await again.text()
    assert await AuditEvent.filter(action="password.reset").count() == 1
    await site.post("/logout", {}, form_page="/")
    response = await site.log_in("marshal.doe", given.group(1))
    assert str(response.url).endswith("/profile/password")  # the password given still works


async def test_a_staff_reset_forces_a_new_password_at_next_login(site: Site) -> None:
    officer = await make_account()
    await staff_logged_in(site)
    response = await press_reset_password(site, officer.id)
    found = re.search(r'id="temporary-password">([^<]+)<', await response.text())
    assert found
    temporary = found.group(1)
    await site.post("/logout", {}, form_page="/")
    assert str((await site.log_in("marshal.doe", PASSWORD)).url).endswith("/login")
    response = await site.log_in("marshal.doe", temporary)
    assert str(response.url).endswith("/profile/password")
    assert (await site.get("/", follow=False)).headers["Location"] == "/profile/password"
    new = "a long and memorable sentence"
    changed = await site.post(
        "/profile/password", {"current": temporary, "new": new, "confirm": new}
    )
    assert "Your password has been changed." in await changed.text()
    assert (await site.get("/", follow=False)).status == 200
    actions = await AuditEvent.filter(object_id="marshal.doe").values_list("action", flat=True)
    assert "password.reset" in actions and "password.changed" in actions


async def test_a_short_or_common_password_is_refused_without_composition_rules() -> None:
    rules = AccountRules(min_password_length=12)
    assert password_problem("short one", rules) == "use at least 12 characters"
    assert "common passwords" in (password_problem("Password1234", rules) or "")
    assert "username" in (password_problem("marshal.doe is me", rules, "marshal.doe") or "")
    assert password_problem("plain lowercase words here", rules) is None


async def test_the_profile_refuses_a_common_new_password(site: Site) -> None:
    await make_account()
    await site.log_in("marshal.doe")
    response = await site.post(
        "/profile/password",
        {"current": PASSWORD, "new": "qwertyuiop123", "confirm": "qwertyuiop123"},
    )
    assert response.status == 400 and "list of common passwords" in await response.text()


async def test_an_approved_access_request_becomes_an_officer_account(site: Site) -> None:
    request = {
        "full_name": "Pat <b>Lee</b>",
        "username": "pat.lee",
        "email": "pat.lee@marshal.example.com",
        "officer_number": "SM-0999",
        "agreed": "yes",
    }
    unsigned = await site.post("/access-request", {**request, "agreed": ""})
    assert unsigned.status == 400 and "tick the box" in await unsigned.text()
    sent = await site.post("/access-request", request)
    assert "Request sent" in await sent.text()
    await staff_logged_in(site)
    listing = await site.page("/staff/access-requests")
    assert "Pat &lt;b&gt;Lee&lt;/b&gt;" in listing
    stored = await AccessRequest.get()
    approved = await site.post(
        f"/staff/access-requests/{stored.id}",
        {"decision": "approve"},
        form_page="/staff/access-requests",
    )
    assert "temporary-password" in await approved.text()
    account = await User.get(username="pat.lee")
    assert account.role is Role.OFFICER and account.must_change_password
    assert account.agreement_signed_at is None  # accepted again at first login
    await stored.refresh_from_db()
    assert stored.status is AccessRequestStatus.APPROVED


async def test_staff_create_and_deactivate_accounts_and_the_list_says_why(site: Site) -> None:
    await staff_logged_in(site)
    created = await site.post(
        "/staff/accounts/new",
        {"username": "new.marshal", "full_name": "New Marshal", "role": "officer"},
    )
    assert "temporary-password" in await created.text()
    account = await User.get(username="new.marshal")
    await site.post(
        f"/staff/accounts/{account.id}/active",
        {"active": "no", "reason": "retired"},
        form_page=f"/staff/accounts/{account.id}",
    )
    assert "deactivated: retired" in await site.page("/staff/accounts")


async def test_accounts_without_login_for_90_days_are_deactivated(site: Site) -> None:
    await make_account("recent", last_login_at=T0 - timedelta(days=89))
    await make_account("stale", last_login_at=T0 - timedelta(days=91))
    jobs = {job.name: job for job in gateway_jobs(site.client.app[CONFIG])}  # type: ignore[union-attr]
    assert await jobs["inactive-accounts"].run(site.clock()) == "1 accounts deactivated"
    stale = await User.get(username="stale")
    assert not stale.active and stale.deactivated_reason == (
        "no login for 90 days (inactive-account policy)"
    )
    assert (await User.get(username="recent")).active
    assert (await site.log_in("stale")).status == 401


async def test_staff_cannot_reset_a_managers_password(site: Site) -> None:
    manager = await make_account("the.manager", role=Role.MANAGER)
    await staff_logged_in(site)
    response = await site.post(
        f"/staff/accounts/{manager.id}/reset-password", {}, form_page="/staff/accounts"
    )
    assert response.status == 403
    assert not (await User.get(id=manager.id)).must_change_password


async def test_a_password_reset_ends_the_sessions_opened_before_it(site: Site) -> None:
    officer = await make_account()
    await site.log_in("marshal.doe")
    site.clock.advance(minutes=1)
    await reset_password(
        officer, temporary="a temporary password", actor="staff", now=site.clock.now
    )
    response = await site.get("/", follow=False)
    assert response.headers["Location"] == "/login?expired=inactive"


REQUEST = {
    "full_name": "Pat Lee",
    "username": "pat.lee",
    "email": "pat.lee@marshal.example.com",
    "officer_number": "SM-0999",
    "agreed": "yes",
}


async def test_thirty_access_requests_at_once_from_one_address_are_refused_after_three(
    site: Site,
) -> None:
    # Issue: security under attack, 7. The CSRF token is fetched once, as a script would.
    token = await site.token("/access-request")
    sent = await asyncio.gather(
        *(
            site.client.post("/access-request", data={**REQUEST, "csrf_token": token})
            for _ in range(30)
        )
    )
    statuses = sorted(response.status for response in sent)
    assert statuses == [200] * PER_CLIENT_PER_HOUR + [429] * (30 - PER_CLIENT_PER_HOUR)
    refused = next(r for r in sent if r.status == 429)
    assert "too many access requests from your network" in await refused.text()
    assert await AccessRequest.all().count() == PER_CLIENT_PER_HOUR
    site.clock.advance(hours=1, seconds=1)
    assert (await site.post("/access-request", REQUEST)).status == 200  # an hour later


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("full_name", 100),
        ("username", 64),
        ("email", 320),
        ("officer_number", 16),
        ("reason", 2000),
    ],
)
async def test_an_over_long_access_request_field_is_named_not_a_500(
    site: Site, field: str, limit: int
) -> None:
    # Issue: security under attack, 5 (for this form).
    value = ("x" * (limit + 1)) if field != "email" else "x" * limit + "@example.com"
    response = await site.post("/access-request", {**REQUEST, field: value})
    assert response.status == 400
    assert f"use at most {limit} characters" in await response.text()
    assert await AccessRequest.all().count() == 0
