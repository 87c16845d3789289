"""Demo data for a first start: a few cases, one officer, one staff user, fictional fax numbers."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from registry.accounts import create_user
from registry.daybook import COLUMNS, import_daybook
from registry.models import Agency, Role, User
from registry.policy import Policy


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


async def load_demo_data(*, now: datetime, policy: Policy) -> list[DemoAccount]:
    """Load demo data unless any account exists; return the accounts made, with passwords."""
    if await User.all().exists():
        return []
    await _give_agencies_fax_numbers()
    today = policy.local(now).date()
    demo = resources.files("registry").joinpath("data", "demo-cases.csv").read_text("utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in csv.DictReader(io.StringIO(demo)):
        hearing = today + timedelta(days=int(row["hearing_in_days"]))
        writer.writerow(row | {"hearing_date": hearing.isoformat()})
    await import_daybook(out.getvalue(), "csv", now=now, actor="demo")
    accounts = [
        DemoAccount("officer", Role.OFFICER.value, secrets.token_urlsafe(12)),
        DemoAccount("staff", Role.STAFF.value, secrets.token_urlsafe(12)),
    ]
    await create_user(
        username="officer",
        full_name="Dana Whitfield",
        role=Role.OFFICER,
        password=accounts[0].password,
        officer_number="SM-0417",
        emails=["dana.whitfield@marshal.example.com"],
        now=now,
        actor="demo",
    )
    await create_user(
        username="staff",
        full_name="Registry Section Staff",
        role=Role.STAFF,
        password=accounts[1].password,
        emails=["registry.staff@por.example.gov"],
        now=now,
        actor="demo",
    )
    return accounts


async def _give_agencies_fax_numbers() -> None:
    """Fill fictional fax numbers (555-01xx is reserved for fiction) where none is set."""
    area_codes = ("860", "203", "475", "959")
    for index, agency in enumerate(await Agency.filter(fax_number=None).order_by("id")):
        area = area_codes[(index // 100) % len(area_codes)]
        agency.fax_number = f"+1{area}5550{100 + index % 100}"
        await agency.save(update_fields=["fax_number"])
