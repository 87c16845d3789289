"""The lockout holds when wrong passwords arrive together (issue: security under attack, 1)."""

from __future__ import annotations

import asyncio

import pytest

from registry.accounts import AccountRules, authenticate, hash_password, record_failed_login
from registry.models import AuditEvent, User
from tests.factories import T0, make_user

pytestmark = pytest.mark.usefixtures("registry")
RULES = AccountRules()
PASSWORD = "correct horse battery staple"


async def test_forty_wrong_passwords_at_once_lock_the_account_and_the_right_one_then_fails() -> (
    None
):
    officer = await make_user("marshal.doe")
    await User.filter(id=officer.id).update(password_hash=await hash_password(PASSWORD))
    tries = [authenticate("marshal.doe", "wrong guess", rules=RULES, now=T0) for _ in range(40)]
    assert await asyncio.gather(*tries) == [None] * 40
    user = await User.get(username="marshal.doe")
    assert user.locked_until == T0 + RULES.lockout
    assert await authenticate("marshal.doe", PASSWORD, rules=RULES, now=T0) is None
    # Every try was counted: each failure is in the audit trail, and the lock was recorded.
    failures = await AuditEvent.filter(action="login.failure").count()
    assert failures == 41
    locked = [e for e in await AuditEvent.filter(action="login.failure") if e.details.get("locked")]
    assert len(locked) >= 1
    assert (
        await authenticate("marshal.doe", PASSWORD, rules=RULES, now=T0 + RULES.lockout) is not None
    )


async def test_wrong_codes_counted_at_once_engage_the_lock_at_the_threshold() -> None:
    user = await make_user("marshal.roe")
    await asyncio.gather(
        *(
            record_failed_login(user, reason="wrong MFA code", rules=RULES, now=T0)
            for _ in range(RULES.lockout_threshold)
        )
    )
    stored = await User.get(id=user.id)
    assert stored.locked_until == T0 + RULES.lockout and stored.failed_logins == 0
