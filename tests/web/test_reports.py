"""The Registry Section's report pages: due soon, hearing day, prompt entry, the year."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Method, Role, User
from registry.policy import Policy
from tests.factories import T0, make_case
from tests.web.conftest import MFA_SECRET, Site, make_account

pytestmark = pytest.mark.usefixtures("registry")


@pytest.fixture
async def staff_site(site: Site) -> Site:
    await make_account("registry.clerk", role=Role.STAFF, full_name="Registry Clerk")
    await site.log_in("registry.clerk", secret=MFA_SECRET)
    return site


@pytest.fixture
async def officer(registry: str) -> User:
    return await make_account("marshal.doe")


async def record(officer: User, docket: str, activity: Activity, **fields: object) -> None:
    occurred = T0 - timedelta(hours=1)
    draft = EntryDraft(docket, activity, occurred_at=occurred, **fields)  # type: ignore[arg-type]
    await record_entry(draft, officer=officer, channel=Channel.WEB, policy=Policy(), now=T0)


async def test_an_officer_cannot_open_the_reports(site: Site, officer: User) -> None:
    await site.log_in("marshal.doe")
    for path in ("/staff/due-soon", "/staff/reports/hearing-day", "/staff/reports/annual"):
        assert (await site.get(path)).status == 403, path


async def test_due_soon_shows_the_overdue_case_first_and_hides_the_served_one(
    staff_site: Site, officer: User
) -> None:
    await make_case("HHD-FA-26-6000010-S", hearing=date(2026, 11, 3), respondent_last_name="Vance")
    await make_case("HHD-FA-26-6000011-S", hearing=date(2026, 11, 6), respondent_last_name="Wolfe")
    await make_case("HHD-FA-26-6000012-S", hearing=date(2026, 11, 4), respondent_last_name="Xu")
    await record(
        officer,
        "HHD-FA-26-6000012-S",
        Activity.SERVICE,
        method=Method.HAND,
        police_assistance=False,
    )
    page = await staff_site.page("/staff/due-soon?court=HHD")
    assert page.index("Vance") < page.index("Wolfe")
    assert "Xu" not in page
    assert re.search(r'class="overdue">\s*<td>Nov 03, 2026', page)
    assert "overdue by 2 d 11 h" in page


async def test_the_case_screen_shows_the_service_clock(staff_site: Site, officer: User) -> None:
    await make_case("HHD-FA-26-6000019-S", hearing=date(2026, 11, 9))
    page = await staff_site.page("/cases/HHD-FA-26-6000019-S")
    assert "no activity — due Nov 6, 2026 12:00 AM EST, 3 d 14 h left" in page


async def test_the_hearing_day_report_lists_attempts_with_reasons_and_exports_csv(
    staff_site: Site, officer: User
) -> None:
    await make_case("HHD-FA-26-6000020-S", hearing=date(2026, 11, 9))
    await make_case("HHD-FA-26-6000021-S", hearing=date(2026, 11, 9), respondent_first_name="Ann")
    await record(
        officer,
        "HHD-FA-26-6000020-S",
        Activity.ATTEMPT,
        reason="respondent not at address",
        police_assistance=False,
    )
    path = "/staff/reports/hearing-day?court=HHD&date=2026-11-09"
    page = await staff_site.page(path)
    assert "attempted Nov 2, 2026 9:00 AM EST by Jane Doe: respondent not at address" in page
    assert "nothing recorded" in page
    response = await staff_site.get(path + "&format=csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [(r["docket"], r["state"]) for r in rows] == [
        ("HHD-FA-26-6000020-S", "attempted"),
        ("HHD-FA-26-6000021-S", "no activity"),
    ]


async def test_a_daybook_name_that_looks_like_a_formula_is_text_in_the_csv(
    staff_site: Site,
) -> None:
    # Issue: security under attack, 6 (CSV formula injection, OWASP).
    for number, first in enumerate(("=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTab")):
        await make_case(
            f"HHD-FA-26-600003{number}-S", hearing=date(2026, 11, 9), respondent_first_name=first
        )
    response = await staff_site.get(
        "/staff/reports/hearing-day?court=HHD&date=2026-11-09&format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    shown = {r["respondent"] for r in rows}
    assert shown == {"'=1+2 Jones", "'+SUM(A1) Jones", "'-2+3 Jones", "'@cmd Jones", "'\tTab Jones"}


async def test_the_annual_page_draws_one_svg_bar_per_month_and_exports_csv(
    staff_site: Site, officer: User
) -> None:
    await make_case("HHD-FA-26-6000030-S", hearing=date(2026, 11, 9))
    await record(
        officer,
        "HHD-FA-26-6000030-S",
        Activity.SERVICE,
        method=Method.ABODE,
        police_assistance=True,
    )
    page = await staff_site.page("/staff/reports/annual?year=2026")
    charts = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(charts) == 5
    assert all(len(re.findall(r"<rect ", chart)) == 12 for chart in charts)
    assert "<title>Nov: 1</title>" in charts[2]  # served at abode
    response = await staff_site.get("/staff/reports/annual?year=2026&format=csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    [november] = [r for r in rows if r["month"] == "11"]
    assert (november["court"], november["served_abode"], november["police_requested"]) == (
        "HHD",
        "1",
        "1",
    )


async def test_the_compliance_report_exports_one_row_per_officer_and_month(
    staff_site: Site, officer: User
) -> None:
    await make_case("HHD-FA-26-6000040-S", hearing=date(2026, 11, 9))
    await record(
        officer,
        "HHD-FA-26-6000040-S",
        Activity.SERVICE,
        method=Method.HAND,
        police_assistance=False,
    )
    response = await staff_site.get("/staff/reports/compliance?year=2026&format=csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert rows == [
        {
            "officer": "Jane Doe",
            "month": "2026-11",
            "within_window": "1",
            "late": "0",
            "median_delay_minutes": "60.0",
        }
    ]
