"""The whole officer path in a real browser (Debian's Chromium), and a staff password reset."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pyotp
import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, expect

from gateway.app import create_app
from gateway.appkeys import CLOCK
from gateway.config import load_config
from registry.models import Role
from tests.browser import OUTPUT
from tests.factories import T0, make_case
from tests.web.conftest import MFA_SECRET, PASSWORD, FixedClock, make_account

ServerMaker = Callable[..., Awaitable[TestServer]]


@pytest.fixture
async def base_url(registry_url: str, aiohttp_server: ServerMaker) -> str:
    config = load_config(
        None,
        env={
            "POR_DATABASE_URL": registry_url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
        },
    )
    app = create_app(config, serve_smtp=False, run_worker=False)
    app[CLOCK] = FixedClock(T0)  # Nov 2, 2026 10:00 AM EST
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/")


async def log_in(page: Page, base_url: str, username: str) -> None:
    await page.goto(f"{base_url}/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_label("The 6-digit code").fill(pyotp.TOTP(MFA_SECRET).at(T0))
    await page.get_by_role("button", name="Continue").click()


async def test_an_officer_records_a_hand_service_and_staff_reset_a_password(
    base_url: str, browser: Browser, request: pytest.FixtureRequest
) -> None:
    await make_case("HHD-FA-26-6012345-S")
    await make_account(full_name="Jane Doe", agreement_signed_at=None, mfa_secret=MFA_SECRET)
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    output = OUTPUT / re.sub(r"[^\w.-]+", "-", request.node.name)
    output.mkdir(parents=True, exist_ok=True)
    page = await browser.new_page()

    await log_in(page, base_url, "marshal.doe")
    await expect(page.get_by_role("heading", name="Registry user agreement")).to_be_visible()
    await page.get_by_label("I have read and accept this agreement").check()
    await page.get_by_role("button", name="Accept").click()

    await page.get_by_label("Docket number").fill("hhdfa266012345s")
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_role("heading", name="HHD-FA-26-6012345-S")).to_be_visible()
    await expect(page.locator(".respondent")).to_have_text("Robert Jones")
    await page.screenshot(path=output / "case-screen.png", full_page=True)

    await page.get_by_role("link", name="Service", exact=True).click()
    await page.get_by_label("Hand").check()
    await page.get_by_label("Date").fill("2026-11-02")
    await page.get_by_label("Time").fill("09:15")
    await page.get_by_label("No").check()
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Check before recording")).to_be_visible()
    await expect(page.get_by_text("Nov 2, 2026 9:15 AM EST")).to_be_visible()
    await page.get_by_role("button", name="Submit").click()

    await expect(page.get_by_role("heading", name="Recorded")).to_be_visible()
    await expect(page.locator(".reference")).to_have_text("E-0000001")
    deliveries = page.locator("table.deliveries")
    for destination in ("Hartford Police Department", "West Hartford Police Department", "NCIC"):
        await expect(deliveries).to_contain_text(destination)
    await expect(deliveries).to_contain_text("state protection order file")
    await page.screenshot(path=output / "receipt.png", full_page=True)
    await page.get_by_role("button", name="Log out").click()

    await log_in(page, base_url, "registry.clerk")
    await page.get_by_role("link", name="Accounts").click()
    await page.get_by_role("link", name="Jane Doe").click()
    await page.get_by_role("button", name="Reset password").click()
    await expect(
        page.get_by_role("heading", name="Temporary password for Jane Doe")
    ).to_be_visible()
    temporary = (await page.locator("#temporary-password").inner_text()).strip()
    assert len(temporary) >= 12
    await page.close()
