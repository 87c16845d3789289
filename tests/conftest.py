"""Shared fixtures: a fresh registry per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import shutil
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.async_api import Browser, async_playwright
from tortoise import connections

from registry.audit import NO_KEY, use_seal
from registry.db import close_registry, open_registry
from registry.reference import load_reference_data
from tests.browser import CHROMIUM, CHROMIUM_INSTALLED, LAUNCH_ARGS

POSTGRES_URL = os.environ.get("POR_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
# Tables a test may fill; the code tables (court, agency, town) are loaded once and kept.
_TEST_TABLES = (
    "web_session",
    "job_run",
    "reminder",
    "bot_summary",
    "bot_conversation",
    "telegram_link",
    "review_decision",
    "access_request",
    "delivery",
    "entry",
    "review_item",
    "inbound_message",
    "audit_event",
    '"case"',
    '"user"',
)


def _run_apart(work: Coroutine[Any, Any, None]) -> None:
    """Run set-up work on a loop of its own, even when a test's loop is already running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


async def _prepare(url: str) -> None:
    await open_registry(url)
    await load_reference_data()
    await close_registry()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite registry with its code tables, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "registry.sqlite3"
    _run_apart(_prepare(f"sqlite://{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database for this test session, migrated once and dropped at the end."""
    parts = urlsplit(POSTGRES_URL)
    name = f"por_test_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    _run_apart(_admin(admin, f'CREATE DATABASE "{name}"'))
    _run_apart(_prepare(url))
    yield url
    _run_apart(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(params=BACKENDS)
async def registry_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty registry (code tables loaded) on each configured database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite://{path}?busy_timeout=5000"
    return await _emptied(request.getfixturevalue("postgres_database"))


def _courts_as_loaded() -> str:
    """SQL that puts every court's ORI back as shipped: tests break one to see what happens."""
    rows = csv.DictReader(
        io.StringIO(resources.files("registry").joinpath("data", "courts.csv").read_text())
    )
    cases = " ".join(f"WHEN '{row['code']}' THEN '{row['ori']}'" for row in rows)
    return f"UPDATE court SET ori = CASE code {cases} END"


async def _emptied(url: str) -> str:
    """Empty the session's PostgreSQL registry (code tables kept) and return its URL."""
    await open_registry(url, migrate=False)
    await connections.get("default").execute_script(
        f"TRUNCATE {', '.join(_TEST_TABLES)} RESTART IDENTITY CASCADE; "
        "UPDATE agency SET fax_number = NULL; "  # as loaded: tests give agencies fax numbers
        + _courts_as_loaded()
    )
    await close_registry()
    return url


@pytest.fixture
async def postgres_registry(postgres_database: str) -> AsyncIterator[str]:
    """An open, empty registry on PostgreSQL only, for tests of several processes at once.

    Such tests carry the `postgres_only` mark: without POR_TEST_POSTGRES_URL they are
    deselected (CI always sets it), never skipped.
    """
    url = await _emptied(postgres_database)
    await open_registry(url, migrate=False)
    yield url
    await close_registry()


@pytest.fixture(scope="session", autouse=True)
def no_audit_checkpoint_in_the_working_folder() -> Iterator[None]:
    """Fail the run when a test let a gateway append checkpoints to its default file, ./data.

    Tests that start the gateway turn the checkpoint job off or point it at their own folder.
    """
    default = Path("data/audit-checkpoints.jsonl")
    there_before = default.exists()
    yield
    assert there_before or not default.exists(), f"a test wrote audit checkpoints to {default}"


@pytest.fixture(autouse=True)
def unkeyed_audit_trail() -> Iterator[None]:
    """Start every test with no audit key, as a registry opened without the gateway is.

    The gateway hands the key to the registry for the whole process when it opens the
    database: a key one test configured must not seal the next test's events.
    """
    use_seal(NO_KEY)
    yield
    use_seal(NO_KEY)


@pytest.fixture(autouse=True)
async def no_database_connection_outlives_its_test() -> AsyncIterator[None]:
    """Let every SQLite connection of the test finish on the test's own loop, or fail the test.

    aiosqlite hands each result back to the loop that asked for it. A connection that failed
    to open (the database was gone) stops its worker thread without waiting; a connection never
    closed keeps it. Either way the thread may answer after this loop has closed and raise
    "Event loop is closed" into whichever test runs next (LIBRARY-NOTES). Torn down after the
    test's own fixtures, this waits for those threads while the loop still runs, and names the
    test whose connection stayed open.
    """
    before = set(_sqlite_threads())
    yield
    leaked = [t for t in _sqlite_threads() if t not in before]
    for thread in leaked:
        await asyncio.to_thread(thread.join, 10)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"database connections left open by this test: {still}"


def _sqlite_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES_URL:
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
async def registry(registry_url: str) -> AsyncIterator[str]:
    """An open registry for the test; yields its URL."""
    await open_registry(registry_url, migrate=False)
    yield registry_url
    await close_registry()


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, driven by Playwright (a browser download cannot work here)."""
    # Fails, never skips: .ci/run installs chromium with apt when it is missing.
    assert CHROMIUM_INSTALLED, f"{CHROMIUM} is missing: apt-get install -y chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        await browser.close()
