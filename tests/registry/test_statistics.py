"""Annual statistics and prompt-entry compliance match a fixture counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Method, User
from registry.policy import Policy
from registry.statistics import annual_statistics, prompt_entry_compliance
from tests.factories import make_case, make_user

POLICY = Policy()
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("registry")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=POLICY.zone)


async def record(
    docket: str, activity: Activity, officer: User, occurred: datetime, recorded: datetime,
    **fields: object,
) -> None:  # fmt: skip
    draft = EntryDraft(docket, activity, occurred_at=occurred, **fields)  # type: ignore[arg-type]
    await record_entry(draft, officer=officer, channel=Channel.WEB, policy=POLICY, now=recorded)


@pytest.fixture
async def year_2026(registry: str) -> tuple[User, User]:
    """Four cases, counted by hand in the tests below."""
    doe = await make_user()
    roe = await make_user("marshal.roe", full_name="Sam Roe")
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 1, 20),
                    created_at=local(2026, 1, 5, 9).astimezone(UTC))  # fmt: skip
    await make_case(
        "HHD-FA-26-6000002-S",
        hearing=date(2026, 2, 10),
        created_at=local(2026, 1, 31, 23, 30).astimezone(UTC),
    )  # Jan local, Feb UTC
    await make_case("NNH-CV-26-6000003-S", hearing=date(2026, 3, 1),
                    created_at=local(2026, 2, 14, 9).astimezone(UTC))  # fmt: skip
    await make_case("NNH-CV-25-6000004-S", hearing=date(2026, 2, 2),
                    created_at=local(2025, 12, 20, 9).astimezone(UTC))  # fmt: skip
    # case 1: served in hand in January, police requested, recorded 30 min later (on time)
    await record("HHD-FA-26-6000001-S", Activity.SERVICE, doe, local(2026, 1, 10, 14),
                 local(2026, 1, 10, 14, 30).astimezone(UTC), method=Method.HAND,
                 police_assistance=True)  # fmt: skip
    # case 2: an attempt with police in February, then abode service after the hearing (late)
    await record("HHD-FA-26-6000002-S", Activity.ATTEMPT, roe, local(2026, 2, 3, 8),
                 local(2026, 2, 3, 9).astimezone(UTC), reason="respondent moved",
                 police_assistance=True)  # fmt: skip
    await record("HHD-FA-26-6000002-S", Activity.SERVICE, roe, local(2026, 2, 11, 18),
                 local(2026, 2, 11, 23).astimezone(UTC), method=Method.ABODE,
                 police_assistance=False)  # fmt: skip
    # case 3: never served, hearing on March 1 has passed
    # case 4: served in hand in January, recorded 3 hours later (late)
    await record("NNH-CV-25-6000004-S", Activity.SERVICE, doe, local(2026, 1, 28, 9),
                 local(2026, 1, 28, 12).astimezone(UTC), method=Method.HAND,
                 police_assistance=False)  # fmt: skip
    return doe, roe


@pytest.mark.usefixtures("year_2026")
async def test_the_annual_counts_match_the_fixture() -> None:
    stats = await annual_statistics(year=2026, policy=POLICY, now=NOW)
    hhd, nnh = stats.courts["HHD"], stats.courts["NNH"]
    assert hhd[1].orders_entered == 2 and nnh[2].orders_entered == 1
    assert sum(m.orders_entered for m in nnh.values()) == 1  # the Dec 2025 case is not 2026's
    assert (hhd[1].served_hand, nnh[1].served_hand, hhd[2].served_abode) == (1, 1, 1)
    assert (hhd[1].police_requested, hhd[2].police_requested) == (1, 1)
    assert hhd[2].hearing_passed_unserved == 1  # case 2: served the day after its hearing
    assert nnh[3].hearing_passed_unserved == 1  # case 3: never served
    assert sum(m.hearing_passed_unserved for m in hhd.values()) == 1
    totals = stats.totals_by_month()
    assert sorted(totals) == list(range(1, 13))
    assert (totals[1].served_hand, totals[1].orders_entered, totals[12].orders_entered) == (2, 2, 0)


@pytest.mark.usefixtures("year_2026")
async def test_prompt_entry_compliance_by_officer_and_month() -> None:
    rows = await prompt_entry_compliance(year=2026, policy=POLICY)
    assert [(r.officer, r.month, r.on_time, r.late, r.median_delay_minutes) for r in rows] == [
        ("Jane Doe", "2026-01", 1, 1, 105.0),
        ("Sam Roe", "2026-02", 0, 1, 300.0),
    ]


async def test_a_year_with_nothing_recorded_has_empty_figures() -> None:
    stats = await annual_statistics(year=2024, policy=POLICY, now=NOW)
    assert stats.courts == {}
    assert all(vars(m) == vars(type(m)()) for m in stats.totals_by_month().values())
    assert await prompt_entry_compliance(year=2024, policy=POLICY) == []
