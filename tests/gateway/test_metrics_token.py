"""/metrics answers only the holder of security.metrics_token (issue: security under attack, 8)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from gateway.app import create_app
from tests.gateway.test_http_api import ClientMaker, gateway_config

TOKEN = "a metrics token long enough to be unguessable"


async def metrics_site(registry_url: str, aiohttp_client: ClientMaker, token: str) -> TestClient:  # type: ignore[type-arg]
    config = gateway_config(registry_url, POR_SECURITY_METRICS_TOKEN=token)
    return await aiohttp_client(create_app(config, serve_smtp=False, run_worker=False))


async def test_metrics_are_off_without_a_configured_token(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    client = await metrics_site(registry_url, aiohttp_client, "")
    assert (await client.get("/metrics")).status == 404
    assert (await client.get("/metrics", headers={"Authorization": "Bearer "})).status == 404


async def test_metrics_need_the_bearer_token(
    registry_url: str, aiohttp_client: ClientMaker
) -> None:
    client = await metrics_site(registry_url, aiohttp_client, TOKEN)
    missing = await client.get("/metrics")
    assert missing.status == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    for wrong in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}"):
        assert (await client.get("/metrics", headers={"Authorization": wrong})).status == 401
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200
    assert "por_outbox_deliveries" in await response.text()
