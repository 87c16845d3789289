"""Turn the configuration into the plain values the registry takes, and open the database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tortoise.context import TortoiseContext

from gateway.config import Config
from registry.accounts import AccountRules
from registry.db import close_registry, open_registry
from registry.policy import Policy
from registry.reference import load_reference_data


def policy_from(config: Config) -> Policy:
    """Return the registry policy the configuration describes."""
    return Policy(
        zone=config.zone,
        prompt_entry=timedelta(hours=config.policy.prompt_entry_hours),
        service_due_days=config.policy.service_due_days_before_hearing,
        future_tolerance=timedelta(minutes=config.policy.future_tolerance_minutes),
    )


def account_rules(config: Config) -> AccountRules:
    """Return the account rules (passwords, lockout, inactivity) the configuration sets."""
    security = config.security
    return AccountRules(
        min_password_length=security.min_password_length,
        lockout_threshold=security.lockout_threshold,
        lockout=timedelta(minutes=security.lockout_minutes),
        inactive_after=timedelta(days=security.inactive_days),
    )


async def open_database(config: Config, *, process_wide: bool = False) -> TortoiseContext:
    """Open the registry (creating an embedded database's folder) and apply migrations."""
    url = config.database.url
    if url.startswith("sqlite://"):
        path = urlsplit(url).netloc + urlsplit(url).path
        if path and path != ":memory:":
            _owner_only_file(Path(path))
    return await open_registry(url, process_wide=process_wide)


def _owner_only_file(path: Path) -> None:
    """Create the embedded database's folder and file, readable by their owner alone.

    The file holds password hashes and MFA secrets. SQLite gives its -wal and -shm files the
    database file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def with_registry(config: Config, work: Callable[[], Awaitable[int]]) -> int:
    """Run a command's work with the registry open (code tables loaded); return its status."""

    async def run() -> int:
        await open_database(config)
        try:
            await load_reference_data()
            return await work()
        finally:
            await close_registry()

    return asyncio.run(run())
