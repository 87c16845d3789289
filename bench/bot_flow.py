"""Bot throughput: complete service recordings per second through the webhook, and latency.

Runs the whole gateway (aiohttp, python-telegram-bot, the registry) against the fake Bot API the
tests use, all on loopback in one process. Each chat records service the guided way: docket,
Service, Hand, Now, No, Confirm — six updates posted to the webhook, each timed from the POST to
the reply the fake Bot API receives. Prints recordings/second and p50/p99 latency per update.

    .venv/bin/python bench/bot_flow.py [--chats 10] [--recordings 20] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.models import Entry  # noqa: E402
from tests.bot.conftest import Chat, Gateway, bot_config, linked_chat  # noqa: E402
from tests.bot.fake_bot_api import Call, FakeBotAPI  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.factories import make_case, make_user  # noqa: E402

DOCKET = "HHD-FA-26-6012345-S"


async def timed(latencies: list[float], step: Callable[[], Awaitable[Call]]) -> Call:
    start = time.perf_counter()
    reply = await step()
    latencies.append(time.perf_counter() - start)
    return reply


async def record_service(chat: Chat, latencies: list[float]) -> None:
    """One complete recording: six updates, each answered before the next is sent."""
    await timed(latencies, lambda: chat.say(DOCKET))
    for label in ("Service", "Hand", "Now", "No"):
        await timed(latencies, lambda label=label: chat.press(label))  # type: ignore[misc]
    recorded = await timed(latencies, lambda: chat.press("Confirm"))
    assert "Recorded E-" in recorded.text, recorded.text


async def run(url: str, chats: int, recordings: int) -> None:
    api = FakeBotAPI()
    await api.start(free_port())
    gateway = Gateway(bot_config(url, api.url), api)
    try:
        await gateway.start()
        await make_case(DOCKET)
        phones = []
        for n in range(chats):
            officer = await make_user(f"bench.{n}", full_name=f"Officer {n}")
            phones.append(await linked_chat(gateway, officer, chat_id=9_000_000 + n))
        latencies: list[float] = []

        async def officer_day(chat: Chat) -> None:
            for _ in range(recordings):
                await record_service(chat, latencies)

        start = time.perf_counter()
        await asyncio.gather(*(officer_day(chat) for chat in phones))
        elapsed = time.perf_counter() - start
        total = chats * recordings
        assert await Entry.all().count() == total
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"{total} service recordings ({len(latencies)} updates) by {chats} chats")
        rate, updates = total / elapsed, len(latencies) / elapsed
        print(f"  {rate:.1f} complete recordings/s, {updates:.0f} updates/s")
        print(
            f"  latency per update: p50 {statistics.median(ordered) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms"
        )
    finally:
        await gateway.stop()
        await gateway.session.close()
        await api.close()


async def on_postgres(server_url: str, chats: int, recordings: int) -> None:
    """Run in a database of its own on the server, dropped afterwards."""
    import asyncpg

    parts = urlsplit(server_url)
    name = f"por_bench_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            await run(urlunsplit(parts._replace(path=f"/{name}")), chats, recordings)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10, help="officers recording at once")
    parser.add_argument("--recordings", type=int, default=20, help="recordings per officer")
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL: runs in a fresh database (default: SQLite)"
    )
    args = parser.parse_args()
    if args.postgres:
        print("PostgreSQL:")
        asyncio.run(on_postgres(args.postgres, args.chats, args.recordings))
        return
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite (synchronous=NORMAL):")
        url = f"sqlite://{folder}/registry.sqlite3?busy_timeout=5000&synchronous=NORMAL"
        asyncio.run(run(url, args.chats, args.recordings))


if __name__ == "__main__":
    main()
