"""A running web site on a fixed clock, and a client that fills in forms like a browser."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from gateway.app import create_app
from gateway.appkeys import CLOCK
from gateway.config import load_config
from gateway.web.session import COOKIE_NAME
from registry.models import Role, User
from tests.factories import T0, make_user

ClientMaker = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]
PASSWORD = "correct horse battery staple"
MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Cheap argon2id parameters: the stored hash carries them, so login verifies it as usual.
_cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
CHEAP_HASH = _cheap.hash(PASSWORD)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FixedClock:
    """The site's clock: stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Site:
    client: TestClient  # type: ignore[type-arg]
    clock: FixedClock

    async def get(self, path: str, **kwargs: Any) -> ClientResponse:
        return await self.client.get(path, allow_redirects=kwargs.pop("follow", True), **kwargs)

    async def page(self, path: str) -> str:
        response = await self.get(path)
        return await response.text()

    async def token(self, path: str = "/login") -> str:
        """Return the CSRF token a form on `path` carries."""
        found = _CSRF.search(await self.page(path))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    async def post(
        self,
        path: str,
        data: Mapping[str, str],
        *,
        form_page: str | None = None,
        follow: bool = True,
    ) -> ClientResponse:
        """Fill in and send a form, with the CSRF token from the page that shows it."""
        token = await self.token(form_page or path)
        return await self.client.post(
            path, data={**data, "csrf_token": token}, allow_redirects=follow
        )

    def cookie(self) -> str | None:
        """Return the session cookie this browser holds, if any."""
        found = self.client.session.cookie_jar.filter_cookies(self.client.make_url("/"))
        morsel = found.get(COOKIE_NAME)
        return morsel.value if morsel is not None else None

    async def log_in(
        self, username: str, password: str = PASSWORD, secret: str | None = None
    ) -> ClientResponse:
        response = await self.post("/login", {"username": username, "password": password})
        if secret is not None:
            code = pyotp.TOTP(secret).at(self.clock.now)
            response = await self.post("/login/mfa", {"code": code}, form_page="/login/mfa")
        return response


@pytest.fixture
async def site(registry_url: str, aiohttp_client: ClientMaker) -> Site:
    return await open_site(registry_url, aiohttp_client)


async def open_site(registry_url: str, aiohttp_client: ClientMaker, **env: str) -> Site:
    """Start the web site on a fixed clock; `env` adds or overrides POR_* settings."""
    config = load_config(
        None,
        env={
            "POR_DATABASE_URL": registry_url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
            **env,
        },
    )
    app = create_app(config, serve_smtp=False, run_worker=False)
    clock = FixedClock(T0)
    app[CLOCK] = clock
    return Site(await aiohttp_client(app), clock)


async def another_browser(
    site: Site, aiohttp_client: ClientMaker, *, cookie: str | None = None
) -> Site:
    """Return a second browser on the same site, holding `cookie` (a saved one) if given."""
    other = Site(await aiohttp_client(site.client.server), site.clock)
    if cookie is not None:
        other.client.session.cookie_jar.update_cookies(
            {COOKIE_NAME: cookie}, response_url=site.client.make_url("/")
        )
    return other


async def make_account(
    username: str = "marshal.doe", *, role: Role = Role.OFFICER, ready: bool = True, **fields: Any
) -> User:
    """Create an account whose password is PASSWORD; `ready` means agreement and MFA are done."""
    if ready:
        fields.setdefault("agreement_signed_at", T0 - timedelta(days=1))
        if role is not Role.OFFICER:
            fields.setdefault("mfa_secret", MFA_SECRET)
    fields.setdefault("last_login_at", T0 - timedelta(days=1))
    user = await make_user(username, role=role, **fields)
    user.password_hash = CHEAP_HASH
    await user.save(update_fields=["password_hash"])
    return user


_PASSWORD_VERSION = re.compile(r'name="password_version" value="([^"]+)"')


async def press_reset_password(site: Site, user_id: int) -> ClientResponse:
    """Open an account's page as staff and press Reset password, as a browser would."""
    page = f"/staff/accounts/{user_id}"
    found = _PASSWORD_VERSION.search(await site.page(page))
    assert found, f"no Reset password form on {page}"
    return await site.post(
        f"{page}/reset-password", {"password_version": found.group(1)}, form_page=page
    )
