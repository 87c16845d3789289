"""The profile page gives an officer a one-time Telegram link and its QR code (issue 6)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from registry.models import Case, Role, User
from tests.bot.conftest import Chat, Gateway
from tests.web.conftest import MFA_SECRET, FixedClock, Site, make_account

_LINK = re.compile(r'id="telegram-link">https://t\.me/por_test_bot\?start=([A-Za-z0-9_-]+)<')


@pytest.fixture
async def site(gateway: Gateway) -> AsyncIterator[Site]:
    assert gateway.server is not None
    client = TestClient(gateway.server)
    await client.start_server()
    yield Site(client, FixedClock(datetime.now(UTC)))
    await client.session.close()


async def test_an_officer_links_a_phone_from_the_profile_page(
    gateway: Gateway, site: Site, case: Case
) -> None:
    officer = await make_account("marshal.poe")
    await site.log_in("marshal.poe")
    assert "Link Telegram" in await site.page("/profile")
    response = await site.post("/profile/telegram", {}, form_page="/profile")
    page = await response.text()
    assert response.status == 200
    found = _LINK.search(page)
    assert found, page
    assert "<svg" in page and "15 minutes" in page
    answer = await Chat(gateway, 5550123).say(f"/start {found.group(1)}")
    assert "Linked" in answer.text
    assert (await User.get(id=officer.id)).telegram_chat_id == 5550123
    assert "Telegram: linked" in await site.page("/profile")


async def test_staff_get_no_telegram_link(gateway: Gateway, site: Site) -> None:
    await make_account("clerk.one", role=Role.STAFF)
    await site.log_in("clerk.one", secret=MFA_SECRET)
    assert "Link Telegram" not in await site.page("/profile")
