"""The daily job that deactivates accounts nobody has logged in to for too long."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from gateway.web.keys import Clock
from registry.accounts import AccountRules, deactivate_inactive_accounts

log = logging.getLogger(__name__)
DAY_SECONDS = 24 * 60 * 60


async def run_inactive_account_check(rules: AccountRules, clock: Clock) -> list[str]:
    """Deactivate inactive accounts once; log and return who was deactivated."""
    names = await deactivate_inactive_accounts(rules=rules, now=clock())
    if names:
        log.info("deactivated %d inactive accounts: %s", len(names), ", ".join(names))
    return names


@contextlib.asynccontextmanager
async def daily_inactive_account_job(rules: AccountRules, clock: Clock) -> AsyncIterator[None]:
    """Run the check at start and then once a day, until the site stops."""

    async def loop() -> None:
        while True:
            try:
                await run_inactive_account_check(rules, clock)
            except Exception:
                # One bad run must not stop tomorrow's: log it and try again then.
                log.exception("inactive-account check failed")
            await asyncio.sleep(DAY_SECONDS)

    task = asyncio.create_task(loop(), name="inactive-account job")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
