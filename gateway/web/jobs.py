"""The daily job (see gateway/scheduler.py) that deactivates accounts unused for too long."""

from __future__ import annotations

import logging

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
