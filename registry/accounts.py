"""Accounts: creating users, checking passwords (argon2id), lockout, agreement, inactivity."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from registry.audit import record_account_event, record_event
from registry.models import Role, User
from registry.sessions import end_user_sessions

# argon2-cffi's defaults are argon2id (RFC 9106 low-memory profile); one hash costs ~0.1 s of CPU,
# so it runs in a thread to keep the event loop answering other requests.
_hasher = PasswordHasher()


async def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return await asyncio.to_thread(_hasher.hash, password)


async def password_matches(password_hash: str, password: str) -> bool:
    """Tell whether a password matches its stored hash."""
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_user(
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    now: datetime,
    actor: str,
    officer_number: str | None = None,
    emails: list[str] | None = None,
    must_change_password: bool = False,
) -> User:
    """Create an account and audit it."""
    password_hash = await hash_password(password)
    async with in_transaction() as conn:
        user = await User.create(
            username=username,
            full_name=full_name,
            role=role,
            officer_number=officer_number,
            emails=[e.lower() for e in emails or []],
            password_hash=password_hash,
            must_change_password=must_change_password,
            created_at=now,
            using_db=conn,
        )
        await record_event(
            actor=actor,
            action="account.created",
            object_type="user",
            object_id=username,
            at=now,
            details={"role": role.value, "full_name": full_name},
            connection=conn,
        )
    return user


@dataclass(frozen=True)
class AccountRules:
    """The security settings the registry applies to accounts (CJIS Security Policy v6.0)."""

    min_password_length: int = 12
    lockout_threshold: int = 5
    lockout: timedelta = timedelta(minutes=10)
    inactive_after: timedelta = timedelta(days=90)

    def __post_init__(self) -> None:
        if self.min_password_length < 8:
            raise ValueError("CJIS requires passwords of at least 8 characters")


class PasswordRejected(ValueError):
    """A new password breaks a rule; the message says which, in plain words."""


# A hash of a password nobody has: verifying against it when the username is unknown makes a
# failed login take as long as one for a real account (no user enumeration by timing).
_DECOY_HASH = _hasher.hash("decoy password that no account has")


# What anyone can type at /login on any keyboard, and read aloud on the phone without doubt.
_USERNAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
USERNAME_RULE = "use lower-case letters, digits, dots, hyphens or underscores, like jane.doe"


def username_problem(username: str) -> str | None:
    """Say what is wrong with a new username (already lower-cased and trimmed), if anything."""
    if not username:
        return "give a username"
    if _USERNAME.fullmatch(username) is None:
        return USERNAME_RULE
    return None


@cache
def banned_passwords() -> frozenset[str]:
    """Return the common passwords shipped in registry/data/banned-passwords.txt, lower-cased."""
    text = resources.files("registry").joinpath("data", "banned-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, rules: AccountRules, username: str = "") -> str | None:
    """Say why a new password is refused, or None: length and a banned list, no composition."""
    if len(password) < rules.min_password_length:
        return f"use at least {rules.min_password_length} characters"
    lowered = password.lower()
    if lowered in banned_passwords():
        return "that password is on the list of common passwords — choose another"
    if username and username.lower() in lowered:
        return "the password must not contain your username"
    return None


async def authenticate(
    username: str, password: str, *, rules: AccountRules, now: datetime
) -> User | None:
    """Check a password and keep the lockout count; return the user, or None however it failed.

    The caller learns nothing about why (unknown user, wrong password, locked, inactive): the
    login page must not reveal whether an account exists. The audit trail records the reason.
    """
    user = await User.get_or_none(username=username.strip())
    if user is None:
        await password_matches(_DECOY_HASH, password)
        await _audit_login_failure(username.strip()[:64] or "-", "unknown user", now)
        return None
    if user.locked_until is not None and user.locked_until > now:
        await password_matches(_DECOY_HASH, password)
        await _audit_login_failure(user.username, "locked", now)
        return None
    if not await password_matches(user.password_hash, password):
        await record_failed_login(user, reason="wrong password", rules=rules, now=now)
        return None
    if await User.filter(id=user.id, locked_until__gt=now).exists():
        # Locked by tries that ran while this password was being checked.
        await _audit_login_failure(user.username, "locked", now)
        return None
    if not user.active:
        await _audit_login_failure(user.username, "inactive account", now)
        return None
    return user


async def record_failed_login(
    user: User, *, reason: str, rules: AccountRules, now: datetime
) -> None:
    """Count one failed login (password or MFA code) and lock the account at the threshold.

    The count is incremented in the database and read back inside one transaction: the
    UPDATE holds the row until the commit, so tries that arrive together are counted one
    after another and the lock engages at the threshold however many run at once.
    """
    async with in_transaction() as conn:
        mine = User.filter(id=user.id).using_db(conn)
        await mine.update(failed_logins=F("failed_logins") + 1)
        count = (await mine.first().values("failed_logins") or {}).get("failed_logins", 0)
        locked = count >= rules.lockout_threshold
        if locked:
            await mine.update(locked_until=now + rules.lockout, failed_logins=0)
            user.locked_until, count = now + rules.lockout, 0
        user.failed_logins = count
        await record_account_event(
            user,
            "login.failure",
            actor=user.username,
            at=now,
            details={"reason": reason, "locked": locked},
            outcome="failure",
            connection=conn,
        )


async def _audit_login_failure(actor: str, reason: str, now: datetime) -> None:
    await record_event(
        actor=actor,
        action="login.failure",
        object_type="user",
        object_id=actor,
        at=now,
        outcome="failure",
        details={"reason": reason},
    )


async def record_login(user: User, *, now: datetime, mfa: bool) -> None:
    """Note a completed login: reset the failure count, keep the time, audit it."""
    async with in_transaction() as conn:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        await user.save(
            update_fields=["failed_logins", "locked_until", "last_login_at"], using_db=conn
        )
        await record_account_event(
            user,
            "login.success",
            actor=user.username,
            at=now,
            details={"mfa": mfa},
            connection=conn,
        )


async def change_password(
    user: User,
    *,
    current: str,
    new: str,
    rules: AccountRules,
    now: datetime,
    keep_session: int | None = None,
) -> None:
    """Change one's own password; raise PasswordRejected saying what is wrong.

    Every other session of the account ends: one opened with a stolen password must not
    outlive its change. `keep_session` is the session the change was made in.
    """
    if not await password_matches(user.password_hash, current):
        raise PasswordRejected("the current password is not right")
    if problem := password_problem(new, rules, user.username):
        raise PasswordRejected(problem)
    if await password_matches(user.password_hash, new):
        raise PasswordRejected("choose a password different from the current one")
    await _store_password(
        user, new, must_change=False, actor=user.username, now=now, keep_session=keep_session
    )


async def reset_password(user: User, *, temporary: str, actor: str, now: datetime) -> None:
    """Give an account a temporary password that must be changed at the next login.

    Every session of the account ends at once.
    """
    await _store_password(user, temporary, must_change=True, actor=actor, now=now)


async def _store_password(
    user: User,
    password: str,
    *,
    must_change: bool,
    actor: str,
    now: datetime,
    keep_session: int | None = None,
) -> None:
    password_hash = await hash_password(password)
    async with in_transaction() as conn:
        user.password_hash = password_hash
        user.must_change_password = must_change
        user.failed_logins = 0
        user.locked_until = None
        await user.save(
            update_fields=[
                "password_hash",
                "must_change_password",
                "failed_logins",
                "locked_until",
            ],
            using_db=conn,
        )
        action = "password.reset" if must_change else "password.changed"
        await record_account_event(user, action, actor=actor, at=now, connection=conn)
        await end_user_sessions(
            user,
            reason="password reset" if must_change else "password changed",
            actor=actor,
            now=now,
            keep=keep_session,
            connection=conn,
        )


async def accept_agreement(user: User, *, now: datetime) -> None:
    """Record that the user accepted the registry user agreement."""
    async with in_transaction() as conn:
        user.agreement_signed_at = now
        await user.save(update_fields=["agreement_signed_at"], using_db=conn)
        await record_account_event(
            user, "agreement.accepted", actor=user.username, at=now, connection=conn
        )


async def set_active(
    user: User, *, active: bool, reason: str | None, actor: str, now: datetime
) -> None:
    """Deactivate (with the reason staff will see) or reactivate an account.

    Deactivating ends every session of the account at once.
    """
    async with in_transaction() as conn:
        user.active = active
        user.deactivated_reason = None if active else (reason or "deactivated by staff")
        if active:
            # A reactivated account counts as used today, or the inactivity job takes it again.
            user.last_login_at = now
        else:
            user.telegram_chat_id = None  # a deactivated account's chat can record nothing
        await user.save(
            update_fields=["active", "deactivated_reason", "last_login_at", "telegram_chat_id"],
            using_db=conn,
        )
        await record_account_event(
            user,
            "account.reactivated" if active else "account.deactivated",
            actor=actor,
            at=now,
            details={"reason": user.deactivated_reason},
            connection=conn,
        )
        if not active:
            await end_user_sessions(
                user, reason="account deactivated", actor=actor, now=now, connection=conn
            )


async def deactivate_inactive_accounts(*, rules: AccountRules, now: datetime) -> list[str]:
    """Deactivate active accounts with no login for `rules.inactive_after`; return their names."""
    cutoff = now - rules.inactive_after
    days = rules.inactive_after.days
    stale = await User.filter(active=True).filter(
        Q(last_login_at__lt=cutoff) | Q(last_login_at=None, created_at__lt=cutoff)
    )
    for user in stale:
        await set_active(
            user,
            active=False,
            reason=f"no login for {days} days (inactive-account policy)",
            actor="inactive-account job",
            now=now,
        )
    return [user.username for user in stale]
