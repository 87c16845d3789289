"""The service clock: where each case stands against its deadline, and the hearing-day report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from registry.models import Activity, Case, Entry
from registry.policy import Policy

_ENTRY_FIELDS = (
    "id",
    "case_id",
    "activity",
    "method",
    "occurred_at",
    "police_assistance",
    "reason",
    "officer_id",
    "officer__full_name",
    "transferred_to_id",
    "supersedes_id",
)


class ServiceState(StrEnum):
    SERVED = "served"
    ATTEMPTED = "attempted"
    RECEIVED_NOT_SERVED = "received-not-served"
    NO_ACTIVITY = "no activity"


@dataclass(frozen=True)
class EntryLine:
    """One current (not superseded) entry, as the reports need it."""

    id: int
    activity: Activity
    method: str | None
    occurred_at: datetime
    police_assistance: bool | None
    reason: str | None
    officer_id: int
    officer_name: str
    transferred_to_id: int | None


@dataclass(frozen=True)
class CaseClock:
    case_id: int
    docket: str
    court: str
    respondent: str
    hearing_date: date
    due_at: datetime
    state: ServiceState
    last: EntryLine | None  # the service, else the last attempt, else the last entry
    holder_id: int | None  # the officer holding process: last received or transferred to

    def time_left(self, now: datetime) -> timedelta:
        return self.due_at - now

    def time_left_text(self, now: datetime) -> str:
        """Say how long is left until service is due, or how overdue it is."""
        left = self.due_at - now
        hours = int(abs(left).total_seconds() // 3600)
        span = f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"
        return f"{span} left" if left.total_seconds() >= 0 else f"overdue by {span}"


def due_at(hearing: date, policy: Policy) -> datetime:
    """Service is due `service_due_days` before the hearing: the start of that day, local time."""
    day = hearing - timedelta(days=policy.service_due_days)
    return datetime.combine(day, time(0, 0), tzinfo=policy.zone)


def clock_for(case: dict[str, Any], entries: Sequence[EntryLine], policy: Policy) -> CaseClock:
    """Work out a case's state from its current entries."""
    ordered = sorted(entries, key=lambda e: (e.occurred_at, e.id))
    services = [e for e in ordered if e.activity is Activity.SERVICE]
    attempts = [e for e in ordered if e.activity is Activity.ATTEMPT]
    custody = [e for e in ordered if e.activity in (Activity.RECEIVED, Activity.TRANSFERRED)]
    last: EntryLine | None
    if services:
        state, last = ServiceState.SERVED, services[-1]
    elif attempts:
        state, last = ServiceState.ATTEMPTED, attempts[-1]
    elif custody:
        state, last = ServiceState.RECEIVED_NOT_SERVED, custody[-1]
    else:
        state, last = ServiceState.NO_ACTIVITY, (ordered[-1] if ordered else None)
    holder = None
    if custody:
        handed = custody[-1]
        holder = (
            handed.transferred_to_id
            if handed.activity is Activity.TRANSFERRED
            else handed.officer_id
        )
    return CaseClock(
        case_id=case["id"],
        docket=case["docket_number"],
        court=case["court__code"],
        respondent=f"{case['respondent_first_name']} {case['respondent_last_name']}",
        hearing_date=case["hearing_date"],
        due_at=due_at(case["hearing_date"], policy),
        state=state,
        last=last,
        holder_id=holder,
    )


async def clocks(cases: Iterable[dict[str, Any]], policy: Policy) -> list[CaseClock]:
    """Return the clock of each case (given as value dicts), in the order given."""
    cases = list(cases)
    by_case = await current_entries([c["id"] for c in cases])
    return [clock_for(c, by_case.get(c["id"], []), policy) for c in cases]


async def current_entries(case_ids: Sequence[int]) -> dict[int, list[EntryLine]]:
    """Return the entries of these cases that no correction has replaced, grouped by case."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(case_ids), 5000):  # keep each IN (...) list a sane size
        chunk = list(case_ids[start : start + 5000])
        if chunk:
            rows += await Entry.filter(case_id__in=chunk).values(*_ENTRY_FIELDS)
    replaced = {row["supersedes_id"] for row in rows if row["supersedes_id"]}
    grouped: defaultdict[int, list[EntryLine]] = defaultdict(list)
    for row in rows:
        if row["id"] in replaced or row["occurred_at"] is None:
            continue
        grouped[row["case_id"]].append(
            EntryLine(
                id=row["id"],
                activity=Activity(row["activity"]),
                method=row["method"],
                occurred_at=row["occurred_at"],
                police_assistance=row["police_assistance"],
                reason=row["reason"],
                officer_id=row["officer_id"],
                officer_name=row["officer__full_name"],
                transferred_to_id=row["transferred_to_id"],
            )
        )
    return grouped


CASE_FIELDS = (
    "id",
    "docket_number",
    "court__code",
    "respondent_first_name",
    "respondent_last_name",
    "hearing_date",
)


async def case_clock(case: Case, policy: Policy) -> CaseClock:
    """Return one case's clock."""
    values = await Case.filter(id=case.id).values(*CASE_FIELDS)
    [clock] = await clocks(values, policy)
    return clock


async def due_soon(
    *, now: datetime, policy: Policy, within_days: int = 2, court: str | None = None
) -> list[CaseClock]:
    """Return unserved cases whose service is due within `within_days` or overdue.

    Only cases whose hearing is today or later: after the hearing the question is the court's.
    Sorted by hearing date, then docket.
    """
    today = policy.local(now).date()
    last_hearing = today + timedelta(days=policy.service_due_days + within_days)
    query = Case.filter(hearing_date__gte=today, hearing_date__lte=last_hearing)
    if court:
        query = query.filter(court__code=court)
    cases = await query.order_by("hearing_date", "docket_number").values(*CASE_FIELDS)
    return [c for c in await clocks(cases, policy) if c.state is not ServiceState.SERVED]


async def hearing_day(*, court: str, day: date, policy: Policy) -> list[CaseClock]:
    """Return every case heard at a court on a day with its last entry, by docket."""
    cases = (
        await Case.filter(court__code=court, hearing_date=day)
        .order_by("docket_number")
        .values(*CASE_FIELDS)
    )
    return await clocks(cases, policy)
