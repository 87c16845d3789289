"""Each field's source highlighted beside the review form, in Chromium at 1280 px and 390 px.

Issue 13. The item carries the parser's own evidence, as the mailbox stores it; what is checked
is read from the stored evidence. Screenshots go to
$POR_SCREENSHOT_DIR when set, else to the test's own temporary folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from registry.models import ReviewItem, Role
from tests.factories import make_case
from tests.review.conftest import SENDER, emailed_item, make_account, sample
from tests.review.test_review_evidence import TWO_REPORTS, spans_of
from tests.web.test_browser import base_url, log_in

__all__ = ["base_url"]  # a fixture shared with the officer path's browser test

UNMARKED = "rgba(0, 0, 0, 0)"
LIT = re.compile(r"\blit\b")  # the class a span gets while its field has focus or the pointer


@pytest.fixture
def screenshots(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    chosen = os.environ.get("POR_SCREENSHOT_DIR")
    folder = Path(chosen) / request.node.name.replace("[", "-").rstrip("]") if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def two_reports_item() -> ReviewItem:
    await make_case("HHD-FA-26-6012345-S")
    await make_case("HHD-FA-26-6012346-S")
    await make_account(full_name="Jane Doe", emails=[SENDER])
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    return await emailed_item(sample(TWO_REPORTS))


async def open_item(browser: Browser, base_url: str, item: ReviewItem, width: int) -> Page:
    page = await browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
    await log_in(page, base_url, "registry.clerk")
    await page.goto(f"{base_url}/staff/review/{item.id}")
    await expect(page.get_by_role("heading", name="Report 2 of 2")).to_be_visible()
    return page


async def highlighted(page: Page, key: str) -> tuple[str, str, int]:
    """The text under a span's marks, its background and how many lines its first mark takes."""
    marks = page.locator(f'pre.evidence-text mark[data-ev~="{key}"]')
    text = "".join(await marks.all_text_contents())
    background = await marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    lines = await marks.first.evaluate("m => m.getClientRects().length")
    return text, background, lines


async def check_the_evidence(page: Page, item: ReviewItem) -> None:
    """Every span is highlighted with exactly its text; inferred and missing fields are marked."""
    for key, quote in spans_of(item).items():
        text, background, _ = await highlighted(page, key)
        assert (text, background != UNMARKED) == (quote, True), key
    first = await highlighted(page, "r0-docket_number")
    second = await highlighted(page, "r1-docket_number")
    assert first[1] != second[1]  # each report's spans in a colour of its own
    assert first[2] == second[2] == 1  # a docket number never breaks across lines
    inferred = page.locator("#r0-occurred_at-evidence")
    await expect(inferred).to_be_visible()
    await expect(inferred).to_contain_text(f"Inferred from “{spans_of(item)['r0-occurred_at']}”")
    await expect(inferred).to_contain_text("counted from the Date header")
    missing = page.locator("#r1-police_assistance-evidence")
    await expect(missing).to_be_visible()
    await expect(missing).to_have_text("Missing from the email — fill it in.")
    await expect(page.locator("#r1-police")).to_have_class("ev-missing")


async def test_staff_see_each_fields_source_beside_the_form_at_1280_px(
    base_url: str, browser: Browser, screenshots: Path
) -> None:
    item = await two_reports_item()
    page = await open_item(browser, base_url, item, 1280)

    await check_the_evidence(page, item)
    text_box = await page.locator("section.original").bounding_box()
    form_box = await page.locator("#report-1 form.report-form").bounding_box()
    assert text_box and form_box and text_box["x"] + text_box["width"] <= form_box["x"]

    # Focusing a field lights its span; pointing at another field lights that one instead.
    docket = page.locator('pre.evidence-text mark[data-ev~="r0-docket_number"]')
    await page.locator("#r0-docket_number").focus()
    await expect(docket).to_have_class(LIT)
    await page.screenshot(path=screenshots / "review-evidence-1280.png", full_page=True)
    await page.locator("#r1-reason").hover()
    for mark in await page.locator('mark[data-ev~="r1-reason"]').all():
        await expect(mark).to_have_class(LIT)
    await expect(docket).not_to_have_class(LIT)
    await page.locator("#r0-time").focus()
    for mark in await page.locator('mark[data-ev~="r0-occurred_at"]').all():
        await expect(mark).to_have_class(LIT)
    await page.screenshot(path=screenshots / "review-evidence-1280-time-focused.png")
    await page.close()


async def test_on_a_phone_the_highlighted_text_comes_below_the_form_and_nothing_overflows(
    base_url: str, browser: Browser, screenshots: Path
) -> None:
    item = await two_reports_item()
    page = await open_item(browser, base_url, item, 390)

    await check_the_evidence(page, item)
    text_box = await page.locator("section.original").bounding_box()
    form_box = await page.locator("#report-2 form.report-form").bounding_box()
    assert text_box and form_box and text_box["y"] >= form_box["y"] + form_box["height"]
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    for quote in await page.locator(".ev-quote.ident").all():
        assert await quote.evaluate("q => q.getClientRects().length") == 1
    await page.screenshot(path=screenshots / "review-evidence-390.png", full_page=True)
    await page.locator("#report-2").screenshot(path=screenshots / "review-evidence-390-form.png")
    await page.locator("section.original").screenshot(
        path=screenshots / "review-evidence-390-text.png"
    )
    await page.close()
