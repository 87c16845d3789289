"""`por-gateway report hearing-day` and `por-gateway report annual`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from typing import Any

from gateway.config import Config
from gateway.csv_out import write_csv
from gateway.runtime import policy_from, with_registry
from gateway.web.reports import ANNUAL_FIGURES, last_entry_text
from parsers.docket import COURT_CODES
from registry.service_clock import hearing_day
from registry.statistics import annual_statistics


def register(commands: Any) -> None:
    """Add the report commands to the command line."""
    report = commands.add_parser("report", help="the registry's reports, as CSV on stdout")
    kinds = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")

    day = kinds.add_parser(
        "hearing-day", help="every case heard at a court on a day, with its last entry"
    )
    day.add_argument("--court", required=True, type=str.upper, choices=sorted(COURT_CODES))
    day.add_argument("--date", required=True, type=date.fromisoformat, help="YYYY-MM-DD")

    def run_day(config: Config, args: argparse.Namespace) -> int:
        return with_registry(config, lambda: _hearing_day(config, args.court, args.date))

    day.set_defaults(run=run_day)

    annual = kinds.add_parser(
        "annual", help="orders entered, served by method, police requested, unserved hearings"
    )
    annual.add_argument("--year", required=True, type=int)

    def run_annual(config: Config, args: argparse.Namespace) -> int:
        return with_registry(config, lambda: _annual(config, args.year))

    annual.set_defaults(run=run_annual)


async def _hearing_day(config: Config, court: str, day: date) -> int:
    policy = policy_from(config)
    rows = [
        (c.docket, c.respondent, c.hearing_date, c.state, last_entry_text(c, policy.describe))
        for c in await hearing_day(court=court, day=day, policy=policy)
    ]
    write_csv(sys.stdout, ("docket", "respondent", "hearing_date", "state", "last_entry"), rows)
    return 0


async def _annual(config: Config, year: int) -> int:
    stats = await annual_statistics(year=year, policy=policy_from(config), now=datetime.now(UTC))
    rows = [
        (court, month, *(getattr(figures, n) for n, _ in ANNUAL_FIGURES))
        for court, months in sorted(stats.courts.items())
        for month, figures in sorted(months.items())
    ]
    write_csv(sys.stdout, ("court", "month", *(name for name, _ in ANNUAL_FIGURES)), rows)
    return 0
