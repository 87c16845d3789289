"""MFA (TOTP) secrets are sealed at rest (issue: security under attack, 8)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pyotp
import pytest
from tortoise import connections

from registry.db import close_registry, is_postgres, open_registry
from registry.mfa import enable_mfa
from registry.models import User
from registry.sealing import Seal, key_from_text
from tests.factories import T0
from tests.web.conftest import MFA_SECRET, ClientMaker, Site, make_account, open_site

KEY = "a test MFA key that is long enough for production"


async def sealed_site(registry_url: str, aiohttp_client: ClientMaker) -> Site:
    return await open_site(registry_url, aiohttp_client, POR_SECURITY_MFA_KEY=KEY)


async def stored_secret(username: str = "marshal.doe") -> str:
    """The account's mfa_secret column exactly as the database holds it."""
    rows = await connections.get("default").execute_query_dict(
        f"SELECT mfa_secret FROM \"user\" WHERE username = '{username}'"
    )
    value: str = rows[0]["mfa_secret"]
    return value


async def everything_stored() -> str:
    """Every row of every table as text: what a copy of the database shows its reader."""
    conn = connections.get("default")
    if is_postgres():
        query = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    tables = [row["name"] for row in await conn.execute_query_dict(query)]
    return repr([await conn.execute_query_dict(f'SELECT * FROM "{t}"') for t in tables])


async def test_a_secret_enrolled_on_the_profile_is_stored_sealed_and_logs_in(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    site = await sealed_site(registry_url, aiohttp_client)
    await make_account()
    await site.log_in("marshal.doe")
    found = re.search(r'id="mfa-secret">([A-Z2-7]+)<', await site.page("/profile/mfa"))
    assert found
    secret = found.group(1)
    assert secret not in await everything_stored()  # the pending secret is not kept in the clear
    done = await site.post("/profile/mfa", {"code": pyotp.TOTP(secret).at(site.clock.now)})
    assert "Two-step login is now on." in await done.text()

    stored = await stored_secret()
    assert stored != secret and secret not in stored
    assert secret not in await everything_stored()
    await site.post("/logout", {}, form_page="/")
    site.clock.advance(seconds=30)
    assert str((await site.log_in("marshal.doe", secret=secret)).url).endswith("/")


async def test_a_secret_stored_plain_before_sealing_still_logs_in_and_is_then_sealed(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    site = await sealed_site(registry_url, aiohttp_client)
    await make_account(mfa_secret=MFA_SECRET)  # as written before sealing existed
    assert await stored_secret() == MFA_SECRET

    assert str((await site.log_in("marshal.doe", secret=MFA_SECRET)).url).endswith("/")
    stored = await stored_secret()
    assert stored != MFA_SECRET and MFA_SECRET not in stored
    await site.post("/logout", {}, form_page="/")
    site.clock.advance(seconds=30)
    assert str((await site.log_in("marshal.doe", secret=MFA_SECRET)).url).endswith("/")


async def test_secrets_stored_plain_are_sealed_when_the_gateway_starts(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    await open_registry(registry_url, migrate=False)
    await make_account(mfa_secret=MFA_SECRET)
    await close_registry()

    site = await sealed_site(registry_url, aiohttp_client)
    assert MFA_SECRET not in await stored_secret()
    assert str((await site.log_in("marshal.doe", secret=MFA_SECRET)).url).endswith("/")


async def test_a_secret_sealed_with_another_key_says_the_code_cannot_be_checked(
    registry_url: str, aiohttp_client: ClientMaker, caplog: pytest.LogCaptureFixture
) -> None:
    site = await sealed_site(registry_url, aiohttp_client)
    user = await make_account()
    earlier = T0 - timedelta(minutes=5)
    other = Seal(key_from_text("the key of another installation, also long"))
    code = pyotp.TOTP(MFA_SECRET).at(earlier)
    assert await enable_mfa(user, secret=MFA_SECRET, code=code, now=earlier, seal=other)

    with caplog.at_level(logging.ERROR, logger="gateway.web.login"):
        response = await site.log_in("marshal.doe", secret=MFA_SECRET)
    assert response.status == 503
    assert "Your code cannot be checked" in await response.text()
    assert any(
        r.levelno == logging.ERROR and "marshal.doe" in r.getMessage() for r in caplog.records
    )
    assert (await User.get(username="marshal.doe")).failed_logins == 0  # not the user's fault
    assert (await site.get("/", follow=False)).headers["Location"] == "/login"
