"""Behind a reverse proxy: X-Forwarded-Proto and -For count from trusted proxies alone.

The aiohttp test client connects from 127.0.0.1: one site here lists that address in
server.trusted_proxies, the other lists nothing.
"""

from __future__ import annotations

from gateway.https import HSTS
from registry.access_requests import PER_CLIENT_PER_HOUR
from registry.models import AccessRequest
from tests.web.conftest import ClientMaker, Site, open_site
from tests.web.test_accounts import REQUEST

BEHIND_A_PROXY = {"POR_SERVER_TRUSTED_PROXIES": "127.0.0.1"}


async def ask_for_access(site: Site, forwarded_for: str) -> int:
    token = await site.token("/access-request")
    response = await site.client.post(
        "/access-request",
        data={**REQUEST, "csrf_token": token},
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
    )
    return response.status


async def test_a_trusted_proxy_saying_https_gets_hsts(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    site = await open_site(registry_url, aiohttp_client, **BEHIND_A_PROXY)
    over_https = await site.client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert over_https.status == 200
    assert over_https.headers["Strict-Transport-Security"] == HSTS
    over_http = await site.client.get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in over_http.headers


async def test_proxy_headers_from_any_other_peer_are_ignored(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    site = await open_site(registry_url, aiohttp_client)
    response = await site.client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "Strict-Transport-Security" not in response.headers
    # Each request claims another client: all of them come from 127.0.0.1 all the same.
    statuses = [
        await ask_for_access(site, f"203.0.113.{n}") for n in range(PER_CLIENT_PER_HOUR + 1)
    ]
    assert statuses == [200] * PER_CLIENT_PER_HOUR + [429]
    assert {r.client_address for r in await AccessRequest.all()} == {"127.0.0.1"}


async def test_access_requests_are_limited_per_client_behind_a_trusted_proxy(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    site = await open_site(registry_url, aiohttp_client, **BEHIND_A_PROXY)
    # The left of the header is whatever the client wrote; the proxy appended the real address.
    statuses = [
        await ask_for_access(site, f"198.51.100.{n}, 203.0.113.7")
        for n in range(PER_CLIENT_PER_HOUR + 1)
    ]
    assert statuses == [200] * PER_CLIENT_PER_HOUR + [429]
    assert await ask_for_access(site, "203.0.113.8") == 200  # another client is not held up
    addresses = sorted(r.client_address for r in await AccessRequest.all())
    assert addresses == ["203.0.113.7"] * PER_CLIENT_PER_HOUR + ["203.0.113.8"]
