"""Outbox throughput and latency on SQLite and PostgreSQL, with a no-op transport.

    .venv/bin/python -m bench.outbox [--deliveries 4000] [--seconds 10] [--postgres URL]

Prints, per database: a baseline (single-row UPDATE transactions per second on the same
database, measured in this run), deliveries per second drained by one worker process and its
ratio to the baseline, and the commit-to-sent latency p50/p99 with entries arriving at a steady
200 per second (each owing four deliveries).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise.queryset import QuerySet

from outbound.outbox import Retry
from outbound.transport import Outcome, Outgoing, Sent
from outbound.worker import OutboxWorker, WorkerSettings
from registry.db import close_registry, open_registry
from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Delivery, DeliveryStatus, Entry, Method, User
from registry.policy import Policy
from registry.reference import load_reference_data
from tests.factories import make_case, make_user

ADAPTERS = ("fax", "collect", "ncic")
DOCKET = "HHD-FA-26-6000001-S"
RATE = 200.0  # entries per second


class NoopSender:
    def __init__(self, name: str) -> None:
        self.name = name

    async def send(self, item: Outgoing) -> Outcome:
        return Sent("noop")


def worker(concurrency: int) -> OutboxWorker:
    settings = WorkerSettings(
        concurrency=concurrency, poll_interval=0.05, batch_size=50, retry=Retry()
    )
    return OutboxWorker({name: NoopSender(name) for name in ADAPTERS}, settings)


async def until_sent(unsent: QuerySet[Delivery]) -> None:
    # The database is the only state the worker and this check share: poll it.
    while await unsent.count():  # noqa: ASYNC110
        await asyncio.sleep(0.02)


async def baseline(entry: Entry, rounds: int = 500) -> float:
    """Single-row UPDATE transactions per second: the database's own pace."""
    row = await Delivery.filter(entry_id=entry.id).first()
    assert row is not None
    started = time.perf_counter()
    for n in range(rounds):
        await Delivery.filter(id=row.id).update(attempts=n)
    return rounds / (time.perf_counter() - started)


async def drain_rate(entry: Entry, deliveries: int, concurrency: int) -> float:
    template = await Delivery.filter(entry_id=entry.id).first()
    assert template is not None
    await Delivery.filter(entry_id=entry.id).update(status=DeliveryStatus.SENT)
    await Delivery.bulk_create(
        [
            Delivery(
                entry_id=entry.id,
                adapter=template.adapter,
                destination=template.destination,
                payload=template.payload,
                idempotency_key=uuid.uuid4(),
                next_attempt_at=template.next_attempt_at,
                created_at=template.created_at,
            )
            for _ in range(deliveries)
        ],
        batch_size=500,
    )
    task = asyncio.create_task(worker(concurrency).run())
    started = time.perf_counter()
    await until_sent(Delivery.exclude(status=DeliveryStatus.SENT))
    elapsed = time.perf_counter() - started
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return deliveries / elapsed


async def produce(url: str, seconds: float, rate: float) -> None:
    """Record entries at a steady rate (open loop); print each entry's id and commit time."""
    await open_registry(url, migrate=False)
    try:
        officer = await User.get(username="bench.officer")
        policy = Policy()
        committed: dict[int, datetime] = {}

        async def commit(now: datetime) -> None:
            draft = EntryDraft(
                docket_number=DOCKET,
                activity=Activity.SERVICE,
                occurred_at=now - timedelta(minutes=1),
                method=Method.HAND,
                police_assistance=False,
            )
            entry = await record_entry(
                draft, officer=officer, channel=Channel.WEB, policy=policy, now=now
            )
            committed[entry.id] = datetime.now(UTC)

        pending = set()
        started = time.perf_counter()
        n = 0
        # Open loop: entries arrive on schedule whether or not earlier ones are done.
        while (elapsed := time.perf_counter() - started) < seconds:
            while n < int(elapsed * rate) + 1:
                pending.add(asyncio.create_task(commit(datetime.now(UTC))))
                n += 1
            await asyncio.sleep(1 / rate / 2)
        await asyncio.gather(*pending)
        for entry_id, at in committed.items():
            print(entry_id, at.isoformat())
    finally:
        await close_registry()


async def latency(
    url: str, seconds: float, rate: float, concurrency: int
) -> tuple[float, float, int]:
    """Entries recorded by another process (as the web site would) while this one sends."""
    await make_user("bench.officer", full_name="Bench Officer")
    task = asyncio.create_task(worker(concurrency).run())
    producer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.outbox",
        "--produce",
        url,
        "--seconds",
        str(seconds),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await producer.communicate()
    committed = {
        int(entry_id): datetime.fromisoformat(at)
        for entry_id, at in (line.split() for line in out.decode().splitlines())
    }
    await until_sent(
        Delivery.filter(entry_id__in=list(committed)).exclude(status=DeliveryStatus.SENT)
    )
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    rows = await Delivery.filter(entry_id__in=list(committed))
    waits = sorted(
        (row.sent_at - committed[row.entry_id]).total_seconds() * 1000  # type: ignore[attr-defined]
        for row in rows
        if row.sent_at is not None
    )
    p99 = statistics.quantiles(waits, n=100)[98]
    return statistics.median(waits), p99, len(waits)


async def run_one(label: str, url: str, args: argparse.Namespace) -> None:
    await open_registry(url)
    try:
        await load_reference_data()
        await make_case(DOCKET)
        officer = await make_user()
        draft = EntryDraft(
            docket_number=DOCKET,
            activity=Activity.SERVICE,
            occurred_at=datetime.now(UTC) - timedelta(minutes=5),
            method=Method.HAND,
            police_assistance=True,
        )
        now = datetime.now(UTC)
        entry = await record_entry(
            draft, officer=officer, channel=Channel.WEB, policy=Policy(), now=now
        )
        base = await baseline(entry)
        drained = await drain_rate(entry, args.deliveries, args.concurrency)
        p50, p99, count = await latency(url, args.seconds, RATE, args.concurrency)
        print(
            f"{label:<10} baseline {base:7.0f} updates/s | drained {drained:7.0f} deliveries/s "
            f"({drained / base:4.2f}x baseline) | commit-to-sent at 200 entries/s: "
            f"p50 {p50:6.1f} ms, p99 {p99:7.1f} ms ({count} deliveries)"
        )
    finally:
        await close_registry()


async def postgres_database(admin_url: str) -> tuple[str, str]:
    import asyncpg

    name = f"por_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name, admin_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        await run_one("sqlite", f"sqlite://{path}?busy_timeout=5000&synchronous=NORMAL", args)
    if args.postgres:
        name, url = await postgres_database(args.postgres)
        try:
            await run_one("postgres", url, args)
        finally:
            await drop_database(args.postgres, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=4000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--produce", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("POR_TEST_POSTGRES_URL", ""),
        help="an admin URL (database postgres) to create a scratch database on",
    )
    arguments = parser.parse_args()
    if arguments.produce:
        asyncio.run(produce(arguments.produce, arguments.seconds, RATE))
    else:
        asyncio.run(main(arguments))
