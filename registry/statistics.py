"""The registry's statistics: prompt-entry compliance and the annual figures of §46b-15e(b)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from registry.models import Activity, Case, Entry
from registry.policy import Policy


@dataclass(frozen=True)
class ComplianceRow:
    """One officer's service entries in one month: recorded within the window or late."""

    officer: str
    month: str  # YYYY-MM, registry zone
    on_time: int
    late: int
    median_delay_minutes: float


@dataclass
class MonthFigures:
    orders_entered: int = 0
    served_hand: int = 0
    served_abode: int = 0
    police_requested: int = 0
    hearing_passed_unserved: int = 0


@dataclass
class AnnualStatistics:
    year: int
    # court code -> month (1..12) -> figures
    courts: dict[str, dict[int, MonthFigures]] = field(default_factory=dict)

    def figures(self, court: str, month: int) -> MonthFigures:
        return self.courts.setdefault(court, {}).setdefault(month, MonthFigures())

    def totals_by_month(self) -> dict[int, MonthFigures]:
        """Add up every court, month by month (1..12, all present)."""
        totals = {month: MonthFigures() for month in range(1, 13)}
        for months in self.courts.values():
            for month, figures in months.items():
                total = totals[month]
                for name in vars(total):
                    setattr(total, name, getattr(total, name) + getattr(figures, name))
        return totals


def _year_bounds(year: int, policy: Policy) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, 1, 1), time(0, 0), tzinfo=policy.zone)
    end = datetime.combine(date(year + 1, 1, 1), time(0, 0), tzinfo=policy.zone)
    return start, end


async def _current(query: Any, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows of entries no correction has replaced."""
    rows: list[dict[str, Any]] = await query.values("id", *fields)
    replaced = (
        set(
            await Entry.filter(supersedes_id__in=[r["id"] for r in rows]).values_list(
                "supersedes_id", flat=True
            )
        )
        if rows
        else set()
    )
    return [r for r in rows if r["id"] not in replaced]


async def prompt_entry_compliance(*, year: int, policy: Policy) -> list[ComplianceRow]:
    """Per officer and month: service entries recorded within the window, late, median delay."""
    start, end = _year_bounds(year, policy)
    rows = await _current(
        Entry.filter(activity=Activity.SERVICE, occurred_at__gte=start, occurred_at__lt=end),
        ("officer__full_name", "occurred_at", "recorded_at"),
    )
    delays: defaultdict[tuple[str, str], list[timedelta]] = defaultdict(list)
    for row in rows:
        month = policy.local(row["occurred_at"]).strftime("%Y-%m")
        delays[(row["officer__full_name"], month)].append(row["recorded_at"] - row["occurred_at"])
    result = []
    for (officer, month), spans in sorted(delays.items()):
        late = sum(1 for span in spans if span > policy.prompt_entry)
        median = statistics.median(span.total_seconds() / 60 for span in spans)
        result.append(ComplianceRow(officer, month, len(spans) - late, late, round(median, 1)))
    return result


async def annual_statistics(*, year: int, policy: Policy, now: datetime) -> AnnualStatistics:
    """Orders entered, served by method, police presence requested, hearings passed unserved."""
    start, end = _year_bounds(year, policy)
    stats = AnnualStatistics(year)
    for case in await Case.filter(created_at__gte=start, created_at__lt=end).values(
        "court__code", "created_at"
    ):
        stats.figures(
            case["court__code"], policy.local(case["created_at"]).month
        ).orders_entered += 1

    activities = (Activity.SERVICE, Activity.ATTEMPT)
    entries = await _current(
        Entry.filter(activity__in=activities, occurred_at__gte=start, occurred_at__lt=end),
        ("case_id", "case__court__code", "activity", "method", "occurred_at", "police_assistance"),
    )
    served_cases: set[int] = set()
    for row in sorted(entries, key=lambda r: r["occurred_at"]):
        figures = stats.figures(row["case__court__code"], policy.local(row["occurred_at"]).month)
        if row["police_assistance"]:
            figures.police_requested += 1
        if row["activity"] == Activity.SERVICE.value and row["case_id"] not in served_cases:
            served_cases.add(row["case_id"])  # a case counts once, by its first service
            if row["method"] == "hand":
                figures.served_hand += 1
            else:
                figures.served_abode += 1

    today = policy.local(now).date()
    heard = await Case.filter(
        hearing_date__gte=date(year, 1, 1), hearing_date__lt=min(date(year + 1, 1, 1), today)
    ).values("id", "court__code", "hearing_date")
    services = (
        await _current(
            Entry.filter(activity=Activity.SERVICE, case_id__in=[c["id"] for c in heard]),
            ("case_id", "occurred_at"),
        )
        if heard
        else []
    )
    served_by: dict[int, date] = {}
    for row in services:
        day = policy.local(row["occurred_at"]).date()
        served_by[row["case_id"]] = min(day, served_by.get(row["case_id"], day))
    for case in heard:
        served = served_by.get(case["id"])
        if served is None or served > case["hearing_date"]:
            stats.figures(
                case["court__code"], case["hearing_date"].month
            ).hearing_passed_unserved += 1
    return stats
