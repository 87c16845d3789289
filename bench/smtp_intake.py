"""Mailbox throughput: messages/s durably stored over 10 SMTP connections, against a ceiling.

Runs, in one process and one event loop each time (the clients share the loop with the server,
the same way for every variant):
- the ceiling: aiosmtpd with a handler that only answers 250;
- the gateway's mailbox on SQLite (the embedded default) and on PostgreSQL;
and prints messages/second and the ratio to the ceiling; then the parser's emails/second over the
test corpus on one core.

    .venv/bin/python bench/smtp_intake.py [--messages 2000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosmtplib
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gateway.app import create_app  # noqa: E402
from gateway.config import load_config  # noqa: E402
from gateway.smtp import READER  # noqa: E402
from parsers.email import parse_email  # noqa: E402

CONNECTIONS = 10
CORPUS = sorted((ROOT / "tests" / "data" / "emails").glob("*.eml"))
TEMPLATE = (ROOT / "tests" / "data" / "emails" / "plain-key-value.eml").read_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def message(n: int) -> bytes:
    unique = f"<{uuid.uuid4().hex}.{n}@bench.example.com>".encode()
    return TEMPLATE.replace(b"<20261019204211.4471@mail.example.com>", unique).replace(
        b"\n", b"\r\n"
    )


async def load(port: int, total: int) -> float:
    """Send `total` messages over CONNECTIONS connections; return messages per second."""
    per_connection = total // CONNECTIONS

    async def client() -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, timeout=60)
        await smtp.connect()
        for n in range(per_connection):
            errors, reply = await smtp.sendmail(
                "kbrandt.marshal@example.com", ["registry@por.example.gov"], message(n)
            )
            assert not errors and reply.startswith(("2.0.0", "OK")), reply
        await smtp.quit()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONNECTIONS)))
    return per_connection * CONNECTIONS / (time.perf_counter() - started)


class OnlyAnswers250:
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return "250 OK"


async def ceiling(total: int) -> float:
    port = free_port()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(OnlyAnswers250()), "127.0.0.1", port)
    try:
        return await load(port, total)
    finally:
        server.close()
        await server.wait_closed()


async def gateway(url: str, total: int, workdir: Path) -> tuple[float, float]:
    """Return (messages/s stored, seconds until every message was read into a review item)."""
    smtp_port = free_port()
    config = load_config(
        None,
        env={
            "POR_DATABASE_URL": url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SERVER_SMTP_PORT": str(smtp_port),
            "POR_SMTP_RATE_LIMIT_PER_MINUTE": "0",
            "POR_SMTP_RATE_LIMIT_PER_CLIENT_PER_MINUTE": "0",
            "POR_SMTP_SELF_SIGNED_DIR": str(workdir / "tls"),
            "POR_SECURITY_AUDIT_CHECKPOINT_FILE": str(workdir / "audit-checkpoints.jsonl"),
        },
    )
    app = create_app(config)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", free_port())
    await site.start()
    try:
        started = time.perf_counter()
        rate = await load(smtp_port, total)
        await app[READER].drain()
        return rate, time.perf_counter() - started
    finally:
        await runner.cleanup()


def parser_rate(seconds: float = 3.0) -> float:
    corpus = [p.read_bytes() for p in CORPUS]
    received = datetime(2026, 11, 28, 12, tzinfo=UTC)
    zone = ZoneInfo("America/New_York")
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for raw in corpus:
            parse_email(raw, received_at=received, tz=zone)
        count += len(corpus)
    return count / (time.perf_counter() - started)


async def recreate_postgres(url: str) -> str:
    import asyncpg

    name = f"por_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return url.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres(url: str, bench_url: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{bench_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    total = args.messages
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        base = statistics.median([await ceiling(total) for _ in range(3)])
        print(f"ceiling (aiosmtpd, 250 only): {base:8.0f} msg/s")
        sqlite_url = f"sqlite://{workdir}/bench.sqlite3?busy_timeout=5000&synchronous=NORMAL"
        rate, drained = await gateway(sqlite_url, total, workdir)
        print(
            f"gateway on SQLite:            {rate:8.0f} msg/s stored  "
            f"ratio {rate / base:.2f}  (all {total} read in {drained:.1f} s)"
        )
        if args.postgres:
            bench_url = await recreate_postgres(args.postgres)
            try:
                rate, drained = await gateway(bench_url, total, workdir)
            finally:
                await drop_postgres(args.postgres, bench_url)
            print(
                f"gateway on PostgreSQL:        {rate:8.0f} msg/s stored  "
                f"ratio {rate / base:.2f}  (all {total} read in {drained:.1f} s)"
            )
    print(f"parser, one core:             {parser_rate():8.0f} emails/s over {len(CORPUS)} emails")


if __name__ == "__main__":
    asyncio.run(main())
