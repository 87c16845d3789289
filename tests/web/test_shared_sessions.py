"""Two `serve` processes on one PostgreSQL share the web sessions: the table is the store."""

from __future__ import annotations

import re
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar

from gateway.web.session import COOKIE_NAME
from registry.models import WebSession
from tests.outbound.gateways import start_serve, stop, wait_until_healthy
from tests.web.conftest import PASSWORD, make_account

pytestmark = pytest.mark.postgres_only  # several processes share one PostgreSQL
# Every process signs the session cookie with the same secret.
SHARED_SECRET = {"POR_SECURITY_SESSION_SECRET": "the secret every process signs cookies with"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
async def two_sites(postgres_registry: str, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """Two gateway processes on the test's database; yields their base URLs."""
    started: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        for name in ("a", "b"):
            process, port = start_serve(tmp_path / name, postgres_registry, SHARED_SECRET)
            started.append(process)
            await wait_until_healthy(process, port, tmp_path / name)
            urls.append(f"http://127.0.0.1:{port}")
        yield urls[0], urls[1]
    finally:
        for process in started:
            stop(process)
        assert all(process.returncode == 0 for process in started)


async def token(browser: ClientSession, url: str) -> str:
    """Return the CSRF token of the form on a page."""
    async with browser.get(url) as response:
        found = _CSRF.search(await response.text())
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def cookie_of(browser: ClientSession) -> str:
    """Return the session cookie a browser holds (one jar: the same for both processes)."""
    [value] = [c.value for c in browser.cookie_jar if c.key == COOKIE_NAME]
    return value


async def status_and_place(browser: ClientSession, url: str) -> tuple[int, str]:
    async with browser.get(url, allow_redirects=False) as response:
        return response.status, response.headers.get("Location", "")


async def test_a_login_and_a_logout_on_one_process_are_honoured_by_the_other(
    two_sites: tuple[str, str],
) -> None:
    a, b = two_sites
    # The processes run on the real clock: an account that logged in yesterday stays active.
    await make_account(last_login_at=datetime.now(UTC) - timedelta(days=1))
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
        form = {"username": "marshal.doe", "password": PASSWORD}
        form["csrf_token"] = await token(browser, f"{b}/login")  # a page from B...
        async with browser.post(f"{a}/login", data=form, allow_redirects=False) as response:
            assert response.status == 303, await response.text()  # ...posted to A
            assert response.headers["Location"] == "/"
        assert await status_and_place(browser, f"{b}/my-entries") == (200, "")
        saved = cookie_of(browser)
        logout = {"csrf_token": await token(browser, f"{a}/")}
        async with browser.post(f"{b}/logout", data=logout, allow_redirects=False) as response:
            assert response.headers["Location"] == "/login"
        assert await status_and_place(browser, f"{a}/my-entries") == (303, "/login")
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as thief:
        thief.cookie_jar.update_cookies({COOKIE_NAME: saved})
        assert await status_and_place(thief, f"{a}/my-entries") == (303, "/login?expired=inactive")
    row = await WebSession.get(authenticated=True)
    assert row.end_reason == "logout"
