"""An emailed report from SMTP receipt to a confirmed entry, in a real browser (Chromium)."""

from __future__ import annotations

import asyncio
import re
import smtplib
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from aiosmtpd.smtp import SMTP
from playwright.async_api import Browser, expect

from gateway.app import create_app
from gateway.appkeys import CLOCK, CONFIG
from gateway.config import load_config
from gateway.smtp import READER
from registry.models import Channel, Entry, Role
from tests.browser import OUTPUT
from tests.conftest import free_port
from tests.factories import T0, make_case
from tests.mail import Sink
from tests.outbox import drain
from tests.review.conftest import SENDER, make_account, sample
from tests.web.conftest import FixedClock
from tests.web.test_browser import log_in

MAILBOX = "registry@por.example.gov"


@pytest.fixture
async def gateway(
    registry_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[str, int, TestServer, Sink]]:
    """The whole gateway (mailbox, web site) on loopback, its relay a local SMTP sink."""
    sink = Sink(free_port())
    relay = await asyncio.get_running_loop().create_server(
        lambda: SMTP(sink), "127.0.0.1", sink.port
    )
    smtp_port = free_port()
    config = load_config(
        None,
        env={
            "POR_DATABASE_URL": registry_url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SERVER_SMTP_PORT": str(smtp_port),
            "POR_SMTP_RELAY_HOST": "127.0.0.1",
            "POR_SMTP_RELAY_PORT": str(sink.port),
            "POR_SMTP_SELF_SIGNED_DIR": str(tmp_path_factory.mktemp("tls")),
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
        },
    )
    app = create_app(config, run_worker=False)
    app[CLOCK] = FixedClock(T0)  # Nov 2, 2026 10:00 AM EST
    server = TestServer(app, port=free_port())
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), smtp_port, server, sink
    await server.close()
    relay.close()
    await relay.wait_closed()


def send_mail(port: int, raw: bytes) -> str:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(SENDER, [MAILBOX], raw)
        return "sent"


async def test_staff_fix_the_missing_time_and_misspelt_method_and_confirm_an_emailed_report(
    gateway: tuple[str, int, TestServer, Sink], browser: Browser, request: pytest.FixtureRequest
) -> None:
    base_url, smtp_port, server, sink = gateway
    await make_case("HHD-FA-26-6012345-S")
    await make_account(full_name="Jane Doe", emails=[SENDER])
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    output = OUTPUT / re.sub(r"[^\w.-]+", "-", request.node.name)
    output.mkdir(parents=True, exist_ok=True)

    await asyncio.to_thread(send_mail, smtp_port, sample("missing-time-misspelt-method.eml"))
    await server.app[READER].drain()
    spool = output / "spool"
    assert await drain(server.app[CONFIG], spool=spool) == 1  # the receipt, by the outbox
    [receipt] = sink.messages
    assert receipt["Subject"].startswith("Received [R-0000001]")

    page = await browser.new_page()
    await log_in(page, base_url, "registry.clerk")
    await page.get_by_role("link", name="Review queue").click()
    await expect(page.locator(".pending-count")).to_have_text("1")
    await page.screenshot(path=output / "review-queue.png", full_page=True)
    await page.keyboard.press("j")  # the keyboard shortcuts: j selects the first item
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Review R-0000001")).to_be_visible()
    await expect(page.get_by_text("Parser: missing method of service")).to_be_visible()
    await expect(page.get_by_text("Parser: missing time of service")).to_be_visible()
    await expect(page.locator(".respondent")).to_have_text("Robert Jones")
    await expect(page.locator("pre.body")).to_contain_text("served by hnad on 11/2/2026")
    await page.screenshot(path=output / "review-item.png", full_page=True)

    await page.get_by_label("Method").select_option("hand")
    await page.get_by_label("Date").fill("2026-11-02")
    await page.get_by_label("Time", exact=True).fill("09:15")
    await page.get_by_role("heading", name="Report 1 of 1").click()
    await page.keyboard.press("c")  # the shortcut for Confirm on the selected report

    await expect(page.locator(".decision")).to_contain_text("Confirmed as E-0000001")
    await page.screenshot(path=output / "review-item-confirmed.png", full_page=True)
    entry = await Entry.get().prefetch_related("deliveries")
    assert entry.channel is Channel.EMAIL
    assert sorted(d.destination for d in entry.deliveries) == [
        "Hartford Police Department",
        "NCIC",
        "West Hartford Police Department",
        "state protection order file",
    ]
    assert await drain(server.app[CONFIG], spool=spool) == 5  # the fan-out and the decision
    confirmation = sink.messages[-1]
    assert confirmation["To"] == SENDER
    assert confirmation["Subject"].startswith("Confirmed [R-0000001]")
    assert "Entry:        E-0000001" in confirmation.get_content()
    await page.close()
