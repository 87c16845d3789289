"""The daybook import is an idempotent upsert that reports each bad row and keeps the good ones."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from registry.daybook import DaybookFormatError, import_daybook
from registry.models import AuditEvent, Case, OrderType
from tests.factories import T0

DATA = Path(__file__).parent.parent / "data" / "daybook"
pytestmark = pytest.mark.usefixtures("registry")


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


async def test_a_csv_daybook_creates_its_cases_with_canonical_dockets_and_towns() -> None:
    report = await import_daybook(text("good.csv"), "csv", now=T0, actor="clerk")
    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    case = await Case.get(docket_number="NNH-CV-26-5067890-S").prefetch_related(
        "court", "respondent_town", "protected_home_town", "protected_work_town"
    )
    assert case.court.code == "NNH"
    assert case.order_type is OrderType.CIVIL_PROTECTION
    assert case.hearing_date == date(2026, 11, 12)
    assert case.firearms is True
    assert case.respondent_town is not None and case.respondent_town.name == "New Haven"
    assert case.protected_home_town is not None and case.protected_home_town.name == "Hamden"
    assert case.protected_work_town is None


async def test_a_second_import_of_the_same_daybook_changes_nothing() -> None:
    await import_daybook(text("good.csv"), "csv", now=T0, actor="clerk")
    events = await AuditEvent.all().count()
    report = await import_daybook(
        text("good.csv"), "csv", now=T0 + timedelta(hours=1), actor="clerk"
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert await AuditEvent.all().count() == events
    assert all(c.updated_at == T0 for c in await Case.all())


async def test_a_changed_row_updates_the_case_and_audits_what_changed() -> None:
    await import_daybook(text("good.csv"), "csv", now=T0, actor="clerk")
    moved = text("good.csv").replace("2026-11-10", "2026-11-17")
    report = await import_daybook(moved, "csv", now=T0 + timedelta(hours=1), actor="clerk")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    case = await Case.get(docket_number="HHD-FA-26-6012345-S")
    assert case.hearing_date == date(2026, 11, 17)
    event = await AuditEvent.filter(action="case.updated").get()
    assert event.details["changes"] == {"hearing_date": ["2026-11-10", "2026-11-17"]}


async def test_bad_rows_are_reported_by_line_and_good_rows_still_import() -> None:
    report = await import_daybook(text("mixed.csv"), "csv", now=T0, actor="clerk")
    assert report.created == 2
    reasons = {e.line: e.reason for e in report.errors}
    assert "7 digits" in reasons[3]
    assert reasons[4].startswith("docket: unknown court location code 'HHX'")
    assert reasons[5] == "docket NNH-FA-26-6012347-S does not belong to court HHD"
    assert reasons[6] == "docket HHD-CV-26-6012348-S is not a FA docket"
    assert reasons[7] == "hearing_date: '11/10/2026x' is not YYYY-MM-DD"
    assert reasons[8] == "respondent_town: 'Gotham' is not a Connecticut town"
    assert reasons[9] == "respondent_last_name and respondent_first_name are both empty"
    assert reasons[10] == "firearms: 'maybe' is not yes or no"
    assert sorted(c.docket_number for c in await Case.all()) == [
        "HHD-FA-26-6012345-S",
        "HHD-FA-26-6012353-S",
    ]


async def test_json_lines_import_reports_unreadable_lines_by_number() -> None:
    report = await import_daybook(text("cases.jsonl"), "jsonl", now=T0, actor="clerk")
    assert report.created == 2
    reasons = {e.line: e.reason for e in report.errors}
    assert reasons[3].startswith("not valid JSON")
    assert reasons[4] == "each line must be a JSON object"
    assert (await Case.get(docket_number="UWY-FA-26-6031150-S")).firearms is True


async def test_a_csv_without_the_documented_header_is_refused_whole() -> None:
    with pytest.raises(DaybookFormatError, match="hearing_date"):
        await import_daybook("court,docket\nHHD,x\n", "csv", now=T0, actor="clerk")
    assert await Case.all().count() == 0
