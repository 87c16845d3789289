"""Over-long values get a 400 naming the field, never a 500 (issue: security under attack, 5)."""

from __future__ import annotations

import pytest

from registry.models import AuditEvent, User
from tests.web.conftest import Site
from tests.web.test_accounts import staff_logged_in


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
