"""The review item shows where each field was read, and marks inferred and missing fields.

Issue 13. The items carry the parser's own evidence, as the mailbox stores it; every assertion
reads the evidence as stored.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from typing import Any

from registry.models import ReviewItem, Role
from tests.factories import make_case
from tests.review.conftest import SENDER, Site, emailed_item, make_account, sample
from tests.web.conftest import MFA_SECRET

TWO_REPORTS = "two-reports-last-night.eml"
SCRIPT = '<script>alert("stolen")</script>'


class TextRead(HTMLParser):
    """The highlighted text of a review page: all of it, and the text under each span's key."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.by_key: dict[str, str] = defaultdict(str)
        self.classes: dict[str, set[str]] = defaultdict(set)
        self.notes: dict[str, tuple[str, str]] = {}  # key: (classes, text)
        self._in_pre = False
        self._keys: list[str] = []
        self._note: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "pre" and "evidence-text" in (found.get("class") or ""):
            self._in_pre = True
        elif tag == "mark" and self._in_pre:
            self._keys = (found.get("data-ev") or "").split()
            for key in self._keys:
                self.classes[key] |= set((found.get("class") or "").split())
        elif tag == "p" and "ev-note" in (found.get("class") or ""):
            self._note = (str(found.get("data-ev-for")), str(found.get("class")))
            self.notes[self._note[0]] = (self._note[1], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_pre = False
        elif tag == "mark":
            self._keys = []
        elif tag == "p":
            self._note = None

    def handle_data(self, data: str) -> None:
        if self._in_pre:
            self.text += data
            for key in self._keys:
                self.by_key[key] += data
        if self._note:
            key, classes = self._note
            self.notes[key] = (classes, self.notes[key][1] + data)


def read_page(html: str) -> TextRead:
    page = TextRead()
    page.feed(html)
    page.close()
    return page


async def staff_on_the_item(site: Site, item: ReviewItem) -> str:
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    await site.log_in("registry.clerk", secret=MFA_SECRET)
    response = await site.get(f"/staff/review/{item.id}")
    assert response.status == 200
    return await response.text()


def spans_of(item: ReviewItem) -> dict[str, str]:
    """Each stored span's text, by the key the page gives it (r<report>-<field>)."""
    text = item.parse_result["text"]
    return {
        f"r{index}-{field}": text[entry["span"][0] : entry["span"][1]]
        for index, report in enumerate(item.parse_result["reports"])
        for field, entry in report["evidence"].items()
        if entry["span"]
    }


async def test_each_fields_source_is_highlighted_in_the_text_read_for_both_reports(
    site: Site,
) -> None:
    await make_case("HHD-FA-26-6012345-S")
    await make_case("HHD-FA-26-6012346-S")
    await make_account(full_name="Jane Doe", emails=[SENDER])
    item = await emailed_item(sample(TWO_REPORTS))

    page = read_page(await staff_on_the_item(site, item))

    assert page.text == item.parse_result["text"]  # highlighting adds and drops nothing
    expected = spans_of(item)
    assert {"r0-docket_number", "r1-docket_number", "r0-occurred_at"} <= set(expected)
    for key, quote in expected.items():
        assert page.by_key[key] == quote, key
    # One colour per report: report 1's marks and report 2's are told apart.
    assert "ev-c0" in page.classes["r0-docket_number"]
    assert "ev-c1" in page.classes["r1-docket_number"]
    assert "ident" in page.classes["r1-docket_number"]  # a docket never wraps mid-way


async def test_inferred_and_missing_fields_are_marked_beside_the_form(site: Site) -> None:
    await make_case("HHD-FA-26-6012345-S")
    await make_case("HHD-FA-26-6012346-S")
    await make_account(full_name="Jane Doe", emails=[SENDER])
    item = await emailed_item(sample(TWO_REPORTS))

    html = await staff_on_the_item(site, item)
    page = read_page(html)

    # "yesterday evening at 7:10 PM": the day comes from the Date header, and the page says so.
    classes, note = page.notes["r0-occurred_at"]
    assert "ev-inferred" in classes
    assert "yesterday evening" in spans_of(item)["r0-occurred_at"]
    assert f"Inferred from “{spans_of(item)['r0-occurred_at']}”" in note
    assert "Date header (Mon, 2 Nov 2026 09:40:00 -0500)" in note
    # Report 2 does not say whether police were asked for: staff must fill it in.
    classes, note = page.notes["r1-police_assistance"]
    assert "ev-missing" in classes and "ev-not-needed" not in classes
    assert "Missing from the email — fill it in." in note
    assert 'id="r1-police" name="police" data-ev-for="r1-police_assistance"' in html
    assert 'aria-describedby="r1-police_assistance-evidence" class="ev-missing"' in html
    # A service takes no reason: its absence is said quietly, not as something to fill in.
    classes, note = page.notes["r0-reason"]
    assert "ev-not-needed" in classes and "not needed" in note
    classes, note = page.notes["r0-docket_number"]
    assert classes == "ev-note ev-stated"
    assert note == f"Stated as “{spans_of(item)['r0-docket_number']}”."
    assert '<script src="/static/web/evidence.js" defer></script>' in html


async def test_a_span_inside_another_and_one_across_two_highlight_each_exactly(
    site: Site,
) -> None:
    await make_case()
    item = await emailed_item(sample(TWO_REPORTS))
    text = item.parse_result["text"]
    line = text.index("1. HHD")
    line_end = text.index("\n", line)
    across = text.index("Jones")
    evidence = item.parse_result["reports"][0]["evidence"]
    # The whole line holds the docket and both names; the second span runs over two lines.
    evidence["activity"] = {"state": "stated", "span": [line, line_end]}
    evidence["method"] = {"state": "stated", "span": [across, text.index("in hand") + 7]}
    await item.save(update_fields=["parse_result"])

    page = read_page(await staff_on_the_item(site, item))

    assert page.text == text
    assert page.by_key["r0-activity"] == "1. HHD-FA-26-6012345-S  Respondent: Robert Jones"
    assert page.by_key["r0-docket_number"] == "HHD-FA-26-6012345-S"
    assert page.by_key["r0-respondent_last_name"] == "Jones"
    assert page.by_key["r0-method"] == "Jones\n   Served in hand"
    assert "ev-depth3" in page.classes["r0-respondent_last_name"]  # under three spans at once


async def test_an_item_stored_without_evidence_shows_the_text_as_before(site: Site) -> None:
    await make_case()
    item = await emailed_item(sample("served-in-hand.eml"))
    # As an item was stored before the parser gave evidence: no text read, no evidence.
    stored = {key: value for key, value in item.parse_result.items() if key != "text"}
    stored["reports"] = [
        {key: value for key, value in report.items() if key != "evidence"}
        for report in stored["reports"]
    ]
    item.parse_result = stored
    await item.save(update_fields=["parse_result"])

    html = await staff_on_the_item(site, item)

    assert '<pre class="body">Docket: HHD-FA-26-6012345-S\nRespondent Robert Jones' in html
    for absent in ("<mark", "ev-note", "evidence.js", "data-ev-for", "with-evidence"):
        assert absent not in html, absent


async def test_bad_evidence_is_ignored_and_the_text_still_escaped(site: Site) -> None:
    await make_case()
    item = await emailed_item(sample("script-in-body.eml"))
    text = item.parse_result["text"]
    script = text.index(SCRIPT)
    report: dict[str, Any] = item.parse_result["reports"][0]
    report["evidence"]["activity"] = {"state": "stated", "span": [script, script + len(SCRIPT)]}
    report["evidence"]["method"] = {"state": "stated", "span": [5, len(text) + 40]}
    report["evidence"]["police_assistance"] = {"state": "stated", "span": [9, 2]}
    report["evidence"]["officer_name"] = {"state": "sure", "span": [0, 4]}
    report["evidence"]["reason"] = ["not", "an", "object"]
    report["evidence"]["respondent_first_name"] = {"state": "stated", "span": "0-4"}
    await item.save(update_fields=["parse_result"])

    html = await staff_on_the_item(site, item)
    page = read_page(html)

    assert page.text == text
    assert page.by_key["r0-activity"] == SCRIPT
    assert "&lt;script&gt;alert(&#34;stolen&#34;)&lt;/script&gt;</mark>" in html
    assert "<script>alert" not in html
    assert page.by_key["r0-docket_number"] == "HHD-FA-26-6012345-S"
    for ignored in ("r0-method", "r0-police_assistance", "r0-officer_name", "r0-reason"):
        assert ignored not in page.by_key, ignored
    assert "r0-officer_name" not in page.notes  # an unknown state says nothing


async def test_a_text_that_is_not_text_shows_the_original_as_before(site: Site) -> None:
    await make_case()
    item = await emailed_item(sample("served-in-hand.eml"))
    item.parse_result = {**item.parse_result, "text": ["not", "text"]}
    await item.save(update_fields=["parse_result"])

    html = await staff_on_the_item(site, item)

    assert '<pre class="body">Docket: HHD-FA-26-6012345-S' in html and "<mark" not in html
