"""The report pages in a real browser (Debian's Chromium): what staff see, and what prints."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.async_api import Browser, expect

from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Method, Role
from registry.policy import Policy
from tests.browser import OUTPUT
from tests.factories import T0, make_case
from tests.web.conftest import make_account
from tests.web.test_browser import base_url, log_in

__all__ = ["base_url"]  # a fixture shared with the officer path's browser test


async def test_staff_see_due_soon_the_hearing_day_and_the_years_chart(
    base_url: str, browser: Browser, request: pytest.FixtureRequest
) -> None:
    officer = await make_account(full_name="Jane Doe")
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 11, 4), respondent_last_name="Vance")
    await make_case("HHD-FA-26-6000002-S", hearing=date(2026, 11, 4), respondent_last_name="Wolfe")
    await record_entry(
        EntryDraft(
            "HHD-FA-26-6000002-S",
            Activity.ATTEMPT,
            occurred_at=T0 - timedelta(hours=2),
            reason="respondent not at address",
            police_assistance=True,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0,
    )
    await make_case("HHD-FA-26-6000003-S", hearing=date(2026, 11, 20))
    await record_entry(
        EntryDraft(
            "HHD-FA-26-6000003-S",
            Activity.SERVICE,
            occurred_at=T0 - timedelta(hours=1),
            method=Method.HAND,
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0,
    )
    output = OUTPUT / re.sub(r"[^\w.-]+", "-", request.node.name)
    output.mkdir(parents=True, exist_ok=True)
    page = await browser.new_page(viewport={"width": 1100, "height": 900})
    await log_in(page, base_url, "registry.clerk")

    await page.get_by_role("link", name="Due soon").click()
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_contain_text("Vance")
    await expect(rows.first).to_have_class("overdue")
    await page.screenshot(path=output / "due-soon.png", full_page=True)

    await page.goto(f"{base_url}/staff/reports/hearing-day?court=HHD&date=2026-11-04")
    await expect(page.get_by_text("attempted Nov 2, 2026 8:00 AM EST by Jane Doe")).to_be_visible()
    await page.screenshot(path=output / "hearing-day.png", full_page=True)
    await page.emulate_media(media="print")
    assert not await page.locator("header").is_visible()  # printed: the report only
    await page.screenshot(path=output / "hearing-day-print.png", full_page=True)
    await page.emulate_media(media="screen")

    await page.get_by_role("link", name="Statistics").click()
    chart = page.get_by_role("img", name="Served in hand by month")
    await expect(chart).to_be_visible()
    assert await chart.locator("rect").count() == 12
    november = chart.locator("g.bar[data-month='11'] rect")
    box = await november.bounding_box()
    assert box is not None and box["height"] > 50  # the one service drawn as a full bar
    october = await chart.locator("g.bar[data-month='10'] rect").bounding_box()
    assert october is not None and october["height"] == 0
    await page.screenshot(path=output / "annual.png", full_page=True)
    await page.close()
