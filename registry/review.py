"""The review queue: what staff see of emailed reports before anything is recorded.

Listing, the values a report's form shows (the parser's reading with staff's edits laid over
it), the live case look-up and the duplicate guard. Decisions live in `registry.review_decisions`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from parsers.names import same_person
from registry.casefile import CaseNotFound, find_case
from registry.models import (
    Activity,
    AuditEvent,
    Case,
    Channel,
    Entry,
    ReviewDecision,
    ReviewItem,
    ReviewStatus,
    Role,
    User,
)
from registry.policy import Policy
from registry.review_item import current_values, parsed_reports

# The same case, activity and a time this close: most likely the same report by another channel.
DUPLICATE_WINDOW = timedelta(hours=1)
# Words in a parser problem that tie it to a form field (the rest are shown above the form).
_PROBLEM_FIELDS = (
    ("docket", "docket_number"),
    ("method", "method"),
    ("time", "time"),
    ("date", "date"),
    ("police", "police"),
    ("reason", "reason"),
    ("transferred", "transferred_to"),
    ("officer", "officer"),
)


@dataclass(frozen=True)
class QueueRow:
    item: ReviewItem
    age: timedelta
    channel: Channel
    sender: str | None
    officer: User | None
    report_count: int
    overdue: bool


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    pending: int
    oldest_pending_age: timedelta | None


@dataclass
class ReportView:
    """One parsed report as its form shows it."""

    index: int
    values: dict[str, str]
    problems: dict[str, list[str]]
    case: Case | None = None
    name_warning: str | None = None
    duplicates: list[Entry] = field(default_factory=list)
    decision: ReviewDecision | None = None


async def officers_by_address() -> dict[str, User]:
    """Return the active officers by each email address on their accounts (lower-cased)."""
    found: dict[str, User] = {}
    for officer in await User.filter(role=Role.OFFICER, active=True):
        for address in officer.emails or []:
            found.setdefault(str(address).strip().lower(), officer)
    return found


async def sender_officer(sender: str | None) -> User | None:
    """Return the active officer whose account lists the sender's address, if any."""
    if not sender:
        return None
    return (await officers_by_address()).get(sender.strip().lower())


async def review_queue(
    *, status: ReviewStatus, channel: Channel | None, now: datetime, policy: Policy
) -> Queue:
    """List review items with one status, oldest first, with the counts shown above the list."""
    query = ReviewItem.filter(status=status)
    if channel is not None:
        query = query.filter(inbound__channel=channel)
    items = await query.order_by("created_at", "id").limit(500).prefetch_related("inbound")
    officers = await officers_by_address()
    rows = []
    for item in items:
        sender = item.inbound.sender
        age = now - item.created_at
        rows.append(
            QueueRow(
                item=item,
                age=age,
                channel=item.inbound.channel,
                sender=sender,
                officer=officers.get((sender or "").lower()),
                report_count=len(item.parse_result.get("reports") or []),
                overdue=status is ReviewStatus.PENDING and age > policy.prompt_entry,
            )
        )
    pending = ReviewItem.filter(status=ReviewStatus.PENDING)
    oldest = await pending.order_by("created_at").first()
    return Queue(
        rows=rows,
        pending=await pending.count(),
        oldest_pending_age=now - oldest.created_at if oldest else None,
    )


def problems_by_field(problems: list[str]) -> dict[str, list[str]]:
    """Place the parser's problems next to the fields they concern."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        lowered = problem.lower()
        name = next((f for word, f in _PROBLEM_FIELDS if word in lowered), "form")
        placed.setdefault(name, []).append(problem)
    return placed


async def duplicates(case: Case, activity: str, occurred_at: datetime | None) -> list[Entry]:
    """Return entries of the same case and activity recorded within an hour of the time given."""
    if occurred_at is None or activity not in {a.value for a in Activity}:
        return []
    occurred_at = occurred_at.astimezone(UTC)  # SQLite compares stored times as UTC text
    return (
        await Entry.filter(
            case_id=case.id,
            activity=Activity(activity),
            occurred_at__gte=occurred_at - DUPLICATE_WINDOW,
            occurred_at__lte=occurred_at + DUPLICATE_WINDOW,
        )
        .order_by("occurred_at")
        .prefetch_related("officer")
    )


async def report_views(item: ReviewItem, policy: Policy, officer: User | None) -> list[ReportView]:
    """Return each report's form values, problems, case, name warning, duplicates, decision."""
    decisions = {
        d.report_index: d
        for d in await ReviewDecision.filter(item_id=item.id).prefetch_related(
            "entry", "decided_by"
        )
    }
    views = []
    for index, report in enumerate(parsed_reports(item)):
        values = current_values(item, index, policy, officer)
        view = ReportView(
            index=index,
            values=values,
            problems=problems_by_field(list(report.get("problems") or [])),
            decision=decisions.get(index),
        )
        with contextlib.suppress(CaseNotFound):
            view.case = await find_case(values["docket_number"])
        if view.case is not None:
            view.name_warning = name_warning(report, view.case)
            view.duplicates = await duplicates(
                view.case, values["activity"], policy.read_local(values["date"], values["time"])
            )
        views.append(view)
    return views


def name_warning(report: dict[str, Any], case: Case) -> str | None:
    """Say so when the respondent named in the email is not the case's respondent."""
    first, last = report.get("respondent_first_name"), report.get("respondent_last_name")
    if not first and not last:
        return None
    emailed = " ".join(p for p in (first, last) if p)
    registered = f"{case.respondent_first_name} {case.respondent_last_name}"
    if same_person(emailed, registered):
        return None
    return f"The email names the respondent {emailed}; the case's respondent is {registered}."


async def review_history(item: ReviewItem) -> list[AuditEvent]:
    """Return the audit events about one review item, oldest first."""
    return await AuditEvent.filter(object_type="review_item", object_id=str(item.id)).order_by("id")
