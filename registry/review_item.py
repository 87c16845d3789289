"""What one review item holds: the parser's reports and staff's edits, as form text.

The queue's views (registry/review.py) and staff decisions (registry/review_decisions.py)
both read an item through these, and never through each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from registry.models import ReviewItem, User
from registry.policy import Policy

# The fields of one report's form, all as the text a form field holds.
FIELDS = (
    "docket_number",
    "activity",
    "method",
    "date",
    "time",
    "police",
    "reason",
    "transferred_to",
    "note",
    "officer",
)
# Staff's edits are kept beside the parser's reading, which stays as the parser left it.
EDITS_KEY = "review_edits"


def parsed_reports(item: ReviewItem) -> list[dict[str, Any]]:
    """Return the parser's reports; a message with none gets one blank report to fill in."""
    reports = list(item.parse_result.get("reports") or [])
    return reports or [{"activity": "service", "problems": []}]


def initial_values(report: dict[str, Any], policy: Policy, officer: User | None) -> dict[str, str]:
    """Return a parsed report as form text: times in the registry zone, yes/no for police."""
    occurred = report.get("occurred_at")
    day = clock = ""
    if occurred:
        local = policy.local(datetime.fromisoformat(occurred))
        day, clock = local.strftime("%Y-%m-%d"), local.strftime("%H:%M")
    police = {True: "yes", False: "no"}.get(bool(report.get("police_assistance")), "")
    if report.get("police_assistance") is None:
        police = ""
    return {
        "docket_number": report.get("docket_number") or "",
        "activity": report.get("activity") or "",
        "method": report.get("method") or "",
        "date": day,
        "time": clock,
        "police": police,
        "reason": report.get("reason") or "",
        "transferred_to": "",
        "note": report.get("note") or "",
        "officer": str(officer.id) if officer else "",
    }


def current_values(
    item: ReviewItem, index: int, policy: Policy, officer: User | None
) -> dict[str, str]:
    """Return what a report's form holds now: the parser's reading with staff's edits on top."""
    values = initial_values(parsed_reports(item)[index], policy, officer)
    edits = (item.parse_result.get(EDITS_KEY) or {}).get(str(index)) or {}
    values.update({k: str(v) for k, v in edits.items() if k in FIELDS})
    return values
