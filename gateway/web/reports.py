"""Registry Section reports: due soon, the hearing day, prompt-entry compliance, the year."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import MAXYEAR, date, datetime

from aiohttp import web

from gateway.csv_out import write_csv
from gateway.web.guard import STAFF_ROLES, signed_in
from gateway.web.keys import SETTINGS
from gateway.web.render import now, render
from parsers.docket import COURT_CODES
from registry.service_clock import CaseClock, due_soon, hearing_day
from registry.statistics import annual_statistics, prompt_entry_compliance

STAFF = tuple(STAFF_ROLES)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ANNUAL_FIGURES = (
    ("orders_entered", "Orders entered"),
    ("served_hand", "Served in hand"),
    ("served_abode", "Served at abode"),
    ("police_requested", "Police presence requested"),
    ("hearing_passed_unserved", "Hearing passed without service"),
)


def _court(request: web.Request) -> str | None:
    court = request.query.get("court", "").strip().upper()
    return court if court in COURT_CODES else None


# Years a report can cover: reports reach into the next year, which must exist too.
REPORT_YEARS = range(1900, MAXYEAR)


def _year(request: web.Request) -> int:
    """Return the year asked for (this year when none is); one no report can cover is a 400."""
    given = request.query.get("year", "").strip()
    if not given:
        return now(request).year
    if not given.isdigit() or int(given) not in REPORT_YEARS:
        raise web.HTTPBadRequest(text="Bad request — year: give a year like 2026.")
    return int(given)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> web.Response:
    """Return rows as a CSV download."""
    out = io.StringIO()
    write_csv(out, header, rows)
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def last_entry_text(clock: CaseClock, describe: Callable[[datetime], str]) -> str:
    """Say in words what the case's last entry was, for the report and its CSV."""
    last = clock.last
    if last is None:
        return "nothing recorded"
    when = describe(last.occurred_at)
    if last.activity.value == "service":
        return f"served ({last.method}) {when} by {last.officer_name}"
    if last.activity.value == "attempt":
        return f"attempted {when} by {last.officer_name}: {last.reason}"
    return f"{last.activity.value} {when} by {last.officer_name}"


@signed_in(*STAFF)
async def due_soon_page(request: web.Request) -> web.StreamResponse:
    policy = request.app[SETTINGS].policy
    moment = now(request)
    court = _court(request)
    cases = await due_soon(now=moment, policy=policy, court=court)
    context = {"rows": cases, "now": moment, "court": court, "courts": COURT_CODES}
    return await render(request, "reports/due_soon.html", context)


@signed_in(*STAFF)
async def hearing_day_page(request: web.Request) -> web.StreamResponse:
    policy = request.app[SETTINGS].policy
    court = _court(request) or "HHD"
    try:
        day = date.fromisoformat(request.query.get("date", ""))
    except ValueError:
        day = policy.local(now(request)).date()
    cases = await hearing_day(court=court, day=day, policy=policy)
    lines = [(c, last_entry_text(c, policy.describe)) for c in cases]
    if request.query.get("format") == "csv":
        return csv_response(
            f"hearing-day-{court}-{day.isoformat()}.csv",
            ("docket", "respondent", "hearing_date", "state", "last_entry"),
            ((c.docket, c.respondent, c.hearing_date, c.state.value, text) for c, text in lines),
        )
    context = {"lines": lines, "court": court, "day": day, "courts": COURT_CODES}
    return await render(request, "reports/hearing_day.html", context)


@signed_in(*STAFF)
async def compliance_page(request: web.Request) -> web.StreamResponse:
    year = _year(request)
    rows = await prompt_entry_compliance(year=year, policy=request.app[SETTINGS].policy)
    if request.query.get("format") == "csv":
        return csv_response(
            f"prompt-entry-{year}.csv",
            ("officer", "month", "within_window", "late", "median_delay_minutes"),
            ((r.officer, r.month, r.on_time, r.late, r.median_delay_minutes) for r in rows),
        )
    return await render(request, "reports/compliance.html", {"rows": rows, "year": year})


@signed_in(*STAFF)
async def annual_page(request: web.Request) -> web.StreamResponse:
    year = _year(request)
    stats = await annual_statistics(
        year=year, policy=request.app[SETTINGS].policy, now=now(request)
    )
    if request.query.get("format") == "csv":
        rows = [
            (court, month, *(getattr(figures, name) for name, _ in ANNUAL_FIGURES))
            for court, months in sorted(stats.courts.items())
            for month, figures in sorted(months.items())
        ]
        header = ("court", "month", *(name for name, _ in ANNUAL_FIGURES))
        return csv_response(f"annual-{year}.csv", header, rows)
    totals = stats.totals_by_month()
    charts = [
        {"title": title, "values": [getattr(totals[m], name) for m in range(1, 13)]}
        for name, title in ANNUAL_FIGURES
    ]
    context = {
        "year": year,
        "stats": stats,
        "charts": charts,
        "months": MONTHS,
        "figures": ANNUAL_FIGURES,
    }
    return await render(request, "reports/annual.html", context)
