"""Over-long values get a 400 naming the field, never a 500 (issue: security under attack, 5)."""

from __future__ import annotations

import re

import pytest

from gateway.web.forms import ACTIONS
from gateway.web.limits import field_limit
from registry.accounts import USERNAME_RULE
from registry.models import AccessRequest, AuditEvent, Role, User, WebSession
from tests.factories import make_case
from tests.review.conftest import emailed_item, sample
from tests.web.conftest import Site, make_account
from tests.web.test_accounts import REQUEST, staff_logged_in


@pytest.mark.parametrize("length", [65, 5000])
async def test_an_over_long_username_at_login_is_refused_by_name(site: Site, length: int) -> None:
    response = await site.post("/login", {"username": "u" * length, "password": "whatever"})
    assert response.status == 400
    assert "username: use at most 64 characters" in await response.text()


async def test_an_over_long_officer_number_on_a_new_account_is_refused_and_nothing_kept(
    site: Site,
) -> None:
    await staff_logged_in(site)
    events = await AuditEvent.all().count()
    response = await site.post(
        "/staff/accounts/new",
        {
            "username": "new.marshal",
            "full_name": "New Marshal",
            "role": "officer",
            "officer_number": "SM-" + "9" * 14,
            "email": "new.marshal@example.com",
        },
    )
    assert response.status == 400
    assert "officer_number: use at most 16 characters" in await response.text()
    assert not await User.filter(username="new.marshal").exists()
    assert await AuditEvent.all().count() == events


@pytest.mark.parametrize("name", ["Jane Doe!", "jane🚓", ".jane", "jane doe", "JANE\u00a0DOE"])
async def test_a_requested_username_nobody_could_type_at_login_is_refused(
    site: Site, name: str
) -> None:
    response = await site.post("/access-request", {**REQUEST, "username": name})
    assert response.status == 400  # the form again, the mistake under its field
    assert USERNAME_RULE in await response.text()
    assert await AccessRequest.all().count() == 0


async def test_staff_cannot_create_an_account_nobody_could_log_in_as(site: Site) -> None:
    await staff_logged_in(site)
    form = {"username": "new marshal", "full_name": "New Marshal", "role": "officer"}
    response = await site.post("/staff/accounts/new", form)
    assert USERNAME_RULE in await response.text()
    assert not await User.filter(full_name="New Marshal").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Jane \u202elahsraM\u202c Q"),  # shows as "Jane Marshal Q"
        ("employer", "Marshal\u2066gnp.exe"),
        ("full_name", "Jane\x1b[2J Doe"),
        ("full_name", "Jane\r\nDoe"),  # one line: a name has no line break
    ],
)
async def test_invisible_direction_overrides_and_controls_are_refused_by_name(
    site: Site, field: str, value: str
) -> None:
    response = await site.post("/access-request", {**REQUEST, field: value})
    assert response.status == 400
    page = await response.text()
    assert f"{field}: remove the control or invisible direction characters" in page
    assert "Protection Order Registry" in page  # the site's own page, with its way back
    assert await AccessRequest.all().count() == 0


async def test_text_with_line_breaks_and_any_script_is_kept_where_it_belongs(site: Site) -> None:
    reason = "Need access for service.\r\nZoë Łódź שלום مرحبا 李"
    response = await site.post("/access-request", {**REQUEST, "reason": reason})
    assert response.status == 200
    [kept] = await AccessRequest.all()
    assert kept.reason.splitlines() == ["Need access for service.", "Zoë Łódź שלום مرحبا 李"]


_TEXT_INPUT = re.compile(
    r'<(?:input(?![^>]*type="(?:hidden|date|time|checkbox|radio|submit)")|textarea)\b[^>]*>'
)


@pytest.mark.parametrize("role", [None, Role.OFFICER, Role.STAFF], ids=str)
async def test_every_text_field_says_the_length_the_gateway_takes(
    site: Site, role: Role | None
) -> None:
    # The browser then stops typing at the limit: the 400 is for what no form sends.
    officer = await make_account("marshal.doe", officer_number="M-101")
    if role is Role.STAFF:
        await staff_logged_in(site)
    elif role is Role.OFFICER:
        await site.log_in("marshal.doe")
    case = await make_case()
    item = await emailed_item(sample("served-in-hand.eml"))
    pages = [
        *("/login", "/access-request", "/profile", "/profile/password", "/profile/mfa", "/"),
        *(f"/cases/{case.docket_number}", f"/staff/accounts/{officer.id}"),
        *("/staff/accounts/new", "/staff/access-requests", f"/staff/review/{item.id}"),
    ]
    pages += [f"/cases/{case.docket_number}/{action}" for action in ACTIONS]
    checked = 0
    for path in pages:
        response = await site.get(path)
        for field in _TEXT_INPUT.findall(await response.text()):
            name = re.search(r'name="([^"]+)"', field)
            if name is None or name.group(1) == "csrf_token":
                continue
            assert f'maxlength="{field_limit(name.group(1))}"' in field, (path, field)
            checked += 1
    assert checked >= (3 if role is None else 6)


async def test_a_refused_value_writes_nothing_not_even_a_visitors_session(site: Site) -> None:
    for _ in range(5):  # a flood of refused requests must not fill the registry
        response = await site.client.post("/login", data={"username": "u" * 65, "password": "x"})
        assert response.status == 400
        assert "username: use at most 64 characters" in await response.text()
    assert await WebSession.all().count() == 0
    assert await AuditEvent.all().count() == 0
