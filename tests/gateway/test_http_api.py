"""The health page and the daybook API over real HTTP."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.config import Config, load_config
from registry.models import Case, Channel, InboundMessage, InboundStatus

DAYBOOK = Path(__file__).parent.parent / "data" / "daybook"
TOKEN = "daybook-test-token"
ClientMaker = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]


def gateway_config(url: str, **env: str) -> Config:
    return load_config(
        None,
        env={
            "POR_DATABASE_URL": url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SECURITY_DAYBOOK_TOKEN": TOKEN,
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
            **env,
        },
    )


@pytest.fixture
async def client(registry_url: str, aiohttp_client: ClientMaker) -> TestClient:  # type: ignore[type-arg]
    return await aiohttp_client(create_app(gateway_config(registry_url), serve_smtp=False))


async def test_the_health_page_reports_the_database_and_version(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["version"]


async def test_the_daybook_api_imports_csv_and_keeps_the_raw_upload(client: TestClient) -> None:  # type: ignore[type-arg]
    upload = (DAYBOOK / "mixed.csv").read_bytes()
    response = await client.post(
        "/api/daybook",
        data=upload,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/csv"},
    )
    assert response.status == 200
    body = await response.json()
    assert body["created"] == 2 and len(body["errors"]) == 8
    assert {"line": 10, "reason": "firearms: 'maybe' is not yes or no"} in body["errors"]
    stored = await InboundMessage.get(id=int(body["reference"][2:]))
    assert stored.channel is Channel.DAYBOOK and stored.payload == upload
    assert stored.status is InboundStatus.PARSED
    assert await Case.all().count() == 2


async def test_the_daybook_api_refuses_a_wrong_token_and_stores_nothing(client: TestClient) -> None:  # type: ignore[type-arg]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = await client.post(
            "/api/daybook", data=b"x", headers={**headers, "Content-Type": "text/csv"}
        )
        assert response.status == 401
    assert await InboundMessage.all().count() == 0


async def test_the_daybook_api_says_what_format_it_wants(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.post(
        "/api/daybook",
        data=b"<xml/>",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/xml"},
    )
    assert response.status == 415
    assert "text/csv" in (await response.json())["error"]


async def test_a_daybook_that_is_not_utf8_is_refused_and_kept(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.post(
        "/api/daybook",
        data=b"court,docket\n\xff\xfe",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/csv"},
    )
    assert response.status == 400
    body = await response.json()
    stored = await InboundMessage.get(id=int(body["reference"][2:]))
    assert stored.status is InboundStatus.FAILED and stored.payload.endswith(b"\xff\xfe")


async def test_the_daybook_api_is_off_without_a_configured_token(
    registry_url: str,
    aiohttp_client: ClientMaker,
) -> None:
    app = create_app(gateway_config(registry_url, POR_SECURITY_DAYBOOK_TOKEN=""), serve_smtp=False)
    client = await aiohttp_client(app)
    response = await client.post("/api/daybook", headers={"Authorization": "Bearer "})
    assert response.status == 503


async def test_the_health_page_answers_503_when_the_database_is_gone(
    tmp_path: Path, sqlite_template: Path, aiohttp_client: ClientMaker
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    shutil.copyfile(sqlite_template, folder / "registry.sqlite3")
    client = await aiohttp_client(
        create_app(gateway_config(f"sqlite://{folder}/registry.sqlite3"), serve_smtp=False)
    )
    from tortoise import connections

    await connections.get("default").close()
    folder.rename(tmp_path / "moved")
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["database"] == "unavailable"
    assert urlsplit(str(client.make_url("/"))).hostname == "127.0.0.1"
