"""STAND-IN for the parser's own evidence, until parsers/ gives each field's span and state.

The review page shows, for each parsed field, the span of the text read it came from and
whether it was stated, inferred or missing (`parse_result["text"]` and each report's
`"evidence"`). Until the parser writes those itself, the tests here add them to a stored item
by finding each parsed value in the text the parser read, as a person checking it would:
the docket in the report's block, "in hand" for the method, the clock time and any date words
on its line, and so on. A value found with a relative date ("yesterday evening") or not found
at all is "inferred"; no value is "missing".

When the parser gives evidence, `evidenced_item` loses its one stand-in line (marked below)
and every test using it runs on the parser's real evidence unchanged.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from parsers.email import parse_email
from registry.models import ReviewItem
from registry.policy import REGISTRY_ZONE
from tests.review.conftest import SENDER, emailed_item

ACTIVITY_WORDS = {
    "service": r"\bserved\b|\bservice\b",
    "attempt": r"\battempt\w*",
    "received": r"\breceived\b",
    "transferred": r"\btransferr\w*|\bhanded\b|\bpassed\b",
}
METHOD_WORDS = {"hand": r"\bin hand\b|\bhand\b", "abode": r"\babode\b"}
RELATIVE_DAY = re.compile(
    r"\b(?:yesterday(?: (?:morning|afternoon|evening|night))?|today|tonight|last night|"
    r"this (?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
POLICE = re.compile(r"(?:[^.\s][^.\n]*)?\b(?:police|PD)\b[^.\n]*", re.IGNORECASE)
Span = tuple[int, int]


async def evidenced_item(raw: bytes, *, sender: str = SENDER) -> ReviewItem:
    """Store and read one email as the mailbox does; its parse carries each field's evidence."""
    item = await emailed_item(raw, sender=sender)
    item = await with_stand_in_evidence(item)  # STAND-IN: delete once parsers/ gives evidence
    return item


async def with_stand_in_evidence(item: ReviewItem) -> ReviewItem:
    """Add the text read and each report's evidence, found by locating each value in the text."""
    await item.fetch_related("inbound")
    parse = parse_email(
        bytes(item.inbound.payload), received_at=item.inbound.received_at, tz=REGISTRY_ZONE
    )
    text = parse.text
    reports = item.parse_result["reports"]
    for report, (start, end) in zip(reports, _blocks(text, reports), strict=True):
        report["evidence"] = _evidence(report, text, start, end)
    item.parse_result = {**item.parse_result, "text": text}
    await item.save(update_fields=["parse_result"])
    return item


def _blocks(text: str, reports: list[dict[str, Any]]) -> list[Span]:
    """Each report's part of the text: from its docket to the next report's docket."""
    starts, at = [], 0
    for report in reports:
        found = text.find(report.get("docket_number") or "\0", at)
        starts.append(found if found >= 0 else 0)
        at = max(found, at)
    ends = [*starts[1:], len(text)]
    return [(s, e if e > s else len(text)) for s, e in zip(starts, ends, strict=True)]


def _find(pattern: str, text: str, start: int, end: int) -> Span | None:
    found = re.compile(pattern, re.IGNORECASE).search(text, start, end)
    return found.span() if found else None


def _entry(state: str, span: Span | None = None) -> dict[str, Any]:
    return {"state": state, "span": list(span) if span else None}


def _literal(value: Any, text: str, start: int, end: int) -> dict[str, Any]:
    if not value:
        return _entry("missing")
    span = _find(re.escape(str(value)), text, start, end) or _find(
        re.escape(str(value)), text, 0, len(text)
    )
    return _entry("stated", span) if span else _entry("inferred")


def _evidence(report: dict[str, Any], text: str, start: int, end: int) -> dict[str, Any]:
    activity = report["activity"]
    words = ACTIVITY_WORDS.get(activity)
    activity_span = _find(words, text, start, end) if words else None
    method = report.get("method")
    method_span = _find(METHOD_WORDS[method], text, start, end) if method else None
    reason = _literal(report.get("reason"), text, start, end)
    officer = report.get("officer_name")
    signed = text.rfind(officer) if officer else -1
    return {
        "docket_number": _literal(report.get("docket_number"), text, start, end),
        "activity": _entry("stated", activity_span) if activity_span else _entry("inferred"),
        "method": _entry("stated", method_span) if method_span else _entry("missing"),
        "occurred_at": _occurred(report.get("occurred_at"), text, start, end),
        "police_assistance": _police(report.get("police_assistance"), text, start, end),
        # The code is the registry's term for the words stated: inferred from the same span.
        "reason_code": {**reason, "state": "inferred"} if reason["span"] else _entry("missing"),
        "reason": reason,
        "transferred_to": _literal(report.get("transferred_to"), text, start, end),
        "officer_name": (
            _entry("stated", (signed, signed + len(officer)))
            if officer and signed >= 0
            else _entry("inferred" if officer else "missing")
        ),
        "respondent_first_name": _literal(report.get("respondent_first_name"), text, start, end),
        "respondent_last_name": _literal(report.get("respondent_last_name"), text, start, end),
    }


def _occurred(value: str | None, text: str, start: int, end: int) -> dict[str, Any]:
    """The clock time and the day words on its line; a relative day makes it inferred."""
    if not value:
        return _entry("missing")
    local = datetime.fromisoformat(value).astimezone(REGISTRY_ZONE)
    clock = rf"\b{local.hour % 12 or 12}:{local.minute:02d}\s*{local.strftime('%p')}"
    time_span = _find(clock, text, start, end)
    if time_span is None:
        return _entry("inferred")
    line_start = text.rfind("\n", 0, time_span[0]) + 1
    line_end = text.find("\n", time_span[1])
    line_end = len(text) if line_end < 0 else line_end
    explicit = rf"\b{local.month}/{local.day}/{local.year}\b"
    day = _find(explicit, text, line_start, line_end)
    relative = RELATIVE_DAY.search(text, line_start, line_end)
    mention = day or (relative.span() if relative else None)
    span = (min(time_span[0], mention[0]), max(time_span[1], mention[1])) if mention else time_span
    return _entry("stated" if day else "inferred", span)


def _police(value: bool | None, text: str, start: int, end: int) -> dict[str, Any]:
    """The sentence about police in the report's part, else in the words before all reports."""
    if value is None:
        return _entry("missing")
    found = POLICE.search(text, start, end) or POLICE.search(text, 0, len(text))
    return _entry("stated", found.span()) if found else _entry("inferred")
