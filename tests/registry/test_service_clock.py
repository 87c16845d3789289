"""The service clock, the due-soon list and the hearing-day report, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Entry, Method, User
from registry.policy import Policy
from registry.service_clock import ServiceState, due_at, due_soon, hearing_day
from tests.factories import make_case, make_user

POLICY = Policy()
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # Monday Nov 2, 10:00 EST
pytestmark = pytest.mark.usefixtures("registry")


async def record(
    docket: str, activity: Activity, officer: User, *, hours_ago: float = 1, **fields: object
) -> None:
    draft = EntryDraft(
        docket,
        activity,
        occurred_at=NOW - timedelta(hours=hours_ago),
        **fields,  # type: ignore[arg-type]
    )
    await record_entry(draft, officer=officer, channel=Channel.WEB, policy=POLICY, now=NOW)


def test_service_is_due_three_days_before_the_hearing_at_local_midnight() -> None:
    assert due_at(date(2026, 11, 6), POLICY).isoformat() == "2026-11-03T00:00:00-05:00"


async def test_each_case_shows_its_state_and_last_entry() -> None:
    officer = await make_user()
    colleague = await make_user("marshal.roe", full_name="Sam Roe")
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 11, 9))
    await make_case("HHD-FA-26-6000002-S", hearing=date(2026, 11, 9))
    await make_case("HHD-FA-26-6000003-S", hearing=date(2026, 11, 9))
    await make_case("HHD-FA-26-6000004-S", hearing=date(2026, 11, 9))
    await make_case("NNH-CV-26-6000005-S", hearing=date(2026, 11, 9))
    await record("HHD-FA-26-6000001-S", Activity.RECEIVED, officer, hours_ago=30)
    await record(
        "HHD-FA-26-6000001-S", Activity.SERVICE, officer, method=Method.ABODE,
        police_assistance=False,
    )  # fmt: skip
    await record("HHD-FA-26-6000002-S", Activity.RECEIVED, officer, hours_ago=5)
    await record(
        "HHD-FA-26-6000002-S", Activity.ATTEMPT, officer, reason="respondent moved",
        police_assistance=True,
    )  # fmt: skip
    await record("HHD-FA-26-6000003-S", Activity.RECEIVED, officer, hours_ago=5)
    await record(
        "HHD-FA-26-6000003-S", Activity.TRANSFERRED, officer, transferred_to_id=colleague.id
    )
    report = await hearing_day(court="HHD", day=date(2026, 11, 9), policy=POLICY)
    assert [(c.docket[-9:], c.state) for c in report] == [
        ("6000001-S", ServiceState.SERVED),
        ("6000002-S", ServiceState.ATTEMPTED),
        ("6000003-S", ServiceState.RECEIVED_NOT_SERVED),
        ("6000004-S", ServiceState.NO_ACTIVITY),
    ]
    served, attempted, transferred, nothing = report
    assert served.last is not None and served.last.method == "abode"
    assert attempted.last is not None and attempted.last.reason == "respondent moved"
    assert transferred.holder_id == colleague.id
    assert nothing.last is None and nothing.holder_id is None


async def test_a_corrected_service_counts_by_its_correction() -> None:
    officer = await make_user()
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 11, 9))
    await record(
        "HHD-FA-26-6000001-S", Activity.SERVICE, officer, method=Method.HAND,
        police_assistance=False,
    )  # fmt: skip
    first = await Entry.get()
    await record_entry(
        EntryDraft(
            "HHD-FA-26-6000001-S",
            Activity.SERVICE,
            occurred_at=NOW - timedelta(hours=1),
            method=Method.ABODE,
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=POLICY,
        now=NOW,
        supersedes_id=first.id,
    )
    [case] = await hearing_day(court="HHD", day=date(2026, 11, 9), policy=POLICY)
    assert case.last is not None and case.last.method == "abode"


async def test_due_soon_lists_unserved_cases_due_within_two_days_or_overdue_by_hearing() -> None:
    officer = await make_user()
    await make_case("HHD-FA-26-6000010-S", hearing=date(2026, 11, 3))  # overdue, hearing tomorrow
    await make_case("HHD-FA-26-6000011-S", hearing=date(2026, 11, 7))  # due Nov 4: in 2 days
    await make_case("HHD-FA-26-6000012-S", hearing=date(2026, 11, 9))  # due Nov 6: not yet
    await make_case("HHD-FA-26-6000013-S", hearing=date(2026, 11, 5))  # served
    await make_case("HHD-FA-26-6000014-S", hearing=date(2026, 11, 1))  # hearing passed
    await make_case("NNH-CV-26-6000015-S", hearing=date(2026, 11, 4))  # another court
    await record(
        "HHD-FA-26-6000013-S", Activity.SERVICE, officer, method=Method.HAND,
        police_assistance=False,
    )  # fmt: skip
    listed = await due_soon(now=NOW, policy=POLICY)
    assert [c.docket for c in listed] == [
        "HHD-FA-26-6000010-S",
        "NNH-CV-26-6000015-S",
        "HHD-FA-26-6000011-S",
    ]
    assert listed[0].time_left(NOW) < timedelta(0)
    assert listed[0].time_left_text(NOW) == "overdue by 2 d 11 h"  # due Oct 31, 00:00 EDT
    assert listed[2].time_left_text(NOW) == "1 d 14 h left"  # due Nov 4, 00:00 EST
    hartford = await due_soon(now=NOW, policy=POLICY, court="HHD")
    assert [c.docket for c in hartford] == ["HHD-FA-26-6000010-S", "HHD-FA-26-6000011-S"]
