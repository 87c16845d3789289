"""Report speed on a full registry: 100,000 cases and 300,000 entries on PostgreSQL.

Loads the data with COPY into a database of its own, then times, over real HTTP with a staff
session, the due-soon page and the hearing-day report (median of repeated requests) against
/healthz (one HTTP request and one database round trip: the baseline measured in the same run),
and prints the query plans of their queries so one can see the indexes used.

    .venv/bin/python bench/reports.py [--postgres URL] [--cases 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import pyotp
from aiohttp import ClientSession, CookieJar, web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gateway.app import create_app  # noqa: E402
from gateway.config import load_config  # noqa: E402
from registry.accounts import hash_password  # noqa: E402
from registry.db import close_registry, open_registry  # noqa: E402
from registry.reference import load_reference_data  # noqa: E402

PASSWORD = "bench password that is long"
SECRET = pyotp.random_base32()
COURTS = ("HHD", "NNH", "FBT", "KNL", "UWY", "HHB", "MMX", "DBD")


async def load(url: str, cases: int) -> date:
    """Fill the registry; return the local date the reports are asked about."""
    await open_registry(url)
    await load_reference_data()
    await close_registry()
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        court_ids = dict(await conn.fetch("SELECT code, id FROM court"))
        town_ids = [r["id"] for r in await conn.fetch("SELECT id FROM town")]
        now = datetime.now(UTC)
        today = now.date()
        hashed = await hash_password(PASSWORD)
        users = [
            (f"officer{i}", f"Officer {i}", "officer", f"SM-{i:05d}", None) for i in range(200)
        ]
        users.append(("bench.staff", "Bench Staff", "staff", None, SECRET))
        await conn.copy_records_to_table(
            "user",
            records=[(*u, "[]", hashed, False, True, 0, now, now, now) for u in users],
            columns=["username", "full_name", "role", "officer_number", "mfa_secret", "emails",
                     "password_hash", "must_change_password", "active", "failed_logins",
                     "agreement_signed_at", "last_login_at", "created_at"],
        )  # fmt: skip
        officer_ids = [
            r["id"] for r in await conn.fetch("SELECT id FROM \"user\" WHERE role = 'officer'")
        ]
        rng = random.Random(7)
        case_rows = []
        for n in range(cases):
            court = COURTS[n % len(COURTS)]
            kind = "FA" if n % 3 else "CV"
            docket = f"{court}-{kind}-26-{n:07d}-S"
            hearing = today + timedelta(days=rng.randint(-300, 60))
            created = datetime.combine(hearing - timedelta(days=14), datetime.min.time(), UTC)
            case_rows.append((
                docket, court_ids[court], "restraining" if kind == "FA" else "civil_protection",
                "Resp", f"Ondent{n}", hearing, False, rng.choice(town_ids), rng.choice(town_ids),
                None, created, created,
            ))  # fmt: skip
        await conn.copy_records_to_table(
            "case",
            records=case_rows,
            columns=["docket_number", "court_id", "order_type", "respondent_first_name",
                     "respondent_last_name", "hearing_date", "firearms", "respondent_town_id",
                     "protected_home_town_id", "protected_work_town_id", "created_at",
                     "updated_at"],
        )  # fmt: skip
        case_ids = await conn.fetch('SELECT id, hearing_date, created_at FROM "case"')
        entry_rows = []
        for row in case_ids:
            officer = rng.choice(officer_ids)
            start = row["created_at"] + timedelta(hours=6)
            entry_rows.append((row["id"], officer, "received", None, start, None, None))
            entry_rows.append((row["id"], officer, "attempt", None, start + timedelta(days=1),
                               False, "respondent not at address"))  # fmt: skip
            served = rng.random() < 0.7
            entry_rows.append((row["id"], officer, "service" if served else "other",
                               "hand" if served else None, start + timedelta(days=2),
                               False if served else None, None))  # fmt: skip
        await conn.copy_records_to_table(
            "entry",
            records=[
                (*r, r[4] + timedelta(minutes=30), "web", False, False, _note(r[2]))
                for r in entry_rows
            ],
            columns=["case_id", "officer_id", "activity", "method", "occurred_at",
                     "police_assistance", "reason", "recorded_at", "channel", "late",
                     "occurred_before_case", "note"],
        )  # fmt: skip
        await conn.execute("ANALYZE")
        print(f"loaded {len(case_rows):,} cases and {len(entry_rows):,} entries")
        return today
    finally:
        await conn.close()


def _note(activity: str) -> str | None:
    return "address on the papers looks wrong" if activity == "other" else None


async def timed(session: ClientSession, url: str, repeat: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        async with session.get(url) as response:
            assert response.status == 200, (url, response.status)
            size = len(await response.read())
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, size


async def log_in(session: ClientSession, base: str) -> None:
    token = re.compile(r'name="csrf_token" value="([^"]+)"')

    async def form(path: str) -> str:
        async with session.get(base + path) as response:
            found = token.search(await response.text())
            assert found, path
            return found.group(1)

    data = {"username": "bench.staff", "password": PASSWORD, "csrf_token": await form("/login")}
    async with session.post(base + "/login", data=data) as response:
        assert response.status == 200
    code = pyotp.TOTP(SECRET).now()
    data = {"code": code, "csrf_token": await form("/login/mfa")}
    async with session.post(base + "/login/mfa", data=data) as response:
        assert response.status == 200 and "Find a case" in await response.text()


async def plans(url: str, day: date) -> None:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        hhd = await conn.fetchval("SELECT id FROM court WHERE code = 'HHD'")
        queries = {
            "due soon: cases by hearing date": (
                'SELECT id FROM "case" WHERE hearing_date >= $1 AND hearing_date <= $2',
                [day, day + timedelta(days=5)],
            ),
            "hearing day: cases of a court on a day": (
                'SELECT id FROM "case" WHERE court_id = $1 AND hearing_date = $2', [hhd, day]
            ),
            "entries of those cases": (
                "SELECT id FROM entry WHERE case_id = ANY($1::int[])",
                [[r["id"] for r in await conn.fetch(
                    'SELECT id FROM "case" WHERE hearing_date = $1', day)]],
            ),
        }  # fmt: skip
        for name, (sql, args) in queries.items():
            plan = await conn.fetch(f"EXPLAIN {sql}", *args)
            print(f"plan, {name}:")
            for line in plan:
                print(f"    {line[0][:150]}")
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    name = f"por_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.postgres.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    try:
        day = await load(url, args.cases)
        config = load_config(
            None,
            env={
                "POR_DATABASE_URL": url,
                "POR_DATABASE_LOAD_DEMO_DATA": "false",
                "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
            },
        )
        app = create_app(config, serve_smtp=False, run_worker=False)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        try:
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
                await log_in(session, base)
                baseline, _ = await timed(session, base + "/healthz", args.repeat)
                print(f"baseline /healthz:        {baseline:7.1f} ms")
                for label, path in (
                    ("due-soon page", "/staff/due-soon"),
                    ("due-soon page, one court", "/staff/due-soon?court=HHD"),
                    ("hearing-day report", f"/staff/reports/hearing-day?court=HHD&date={day}"),
                    (
                        "hearing-day CSV",
                        f"/staff/reports/hearing-day?court=HHD&date={day}&format=csv",
                    ),
                ):
                    ms, size = await timed(session, base + path, args.repeat)
                    verdict = "under 200 ms" if ms < 200 else "OVER 200 ms"
                    print(f"{label:<26}{ms:7.1f} ms  ({ms / baseline:4.1f}x baseline, "
                          f"{size:,} bytes) {verdict}")  # fmt: skip
        finally:
            await runner.cleanup()
        await plans(url, day)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
