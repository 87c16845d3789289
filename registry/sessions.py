"""Web site sessions kept in the registry, so that ending one ends it in every process at once.

A browser holds only a random key; the registry keeps its SHA-256, so whoever reads the table
(a backup, a replica) cannot present a session as their own. A session is anonymous (a visitor
on the login page: its CSRF token), waiting for the MFA code (a user, not yet authenticated)
or signed in. Only the ending of a signed-in session is an event of the audit trail.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from registry.audit import record_account_event
from registry.models import User, WebSession

# Last-seen is written at most this often: a page a second costs one write a minute. So the
# idle limit counts from a moment at most this much before the latest request, never after it:
# a session locks a little early at worst, never late.
TOUCH_EVERY = timedelta(seconds=60)
# Signed-in sessions are deleted this long after their end (the audit trail keeps the events).
KEEP_ENDED = timedelta(days=7)
_KEY = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32): 256 random bits


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lives: idle and absolute limits (CJIS Security Policy 5.5.5, 5.6)."""

    idle: timedelta
    absolute: timedelta

    def expired(self, row: WebSession, now: datetime) -> str | None:
        """Say why an open session is over ("idle", "reauthenticate"), or None while it lives."""
        if now - row.last_seen_at > self.idle:
            return "idle"
        if now - row.created_at > self.absolute:
            return "reauthenticate"
        return None


def key_hash(key: str) -> str:
    """Return what the registry keeps of a session key."""
    return hashlib.sha256(key.encode()).hexdigest()


async def open_session(
    *,
    now: datetime,
    client: str = "",
    user: User | None = None,
    authenticated: bool = False,
    data: dict[str, Any] | None = None,
) -> tuple[str, WebSession]:
    """Start a session; return its key (for the cookie, never stored) and its row."""
    key = secrets.token_urlsafe(32)
    row = await WebSession.create(
        key_hash=key_hash(key),
        user=user,
        authenticated=authenticated and user is not None,
        data=data or {},
        client_address=client[:64],
        created_at=now,
        last_seen_at=now,
    )
    return key, row


async def find_session(key: str) -> WebSession | None:
    """Return the session a key names, open or ended; None for a key never given out."""
    if not _KEY.fullmatch(key):
        return None  # a cookie of another format (an old one, a forged one): no query
    return await WebSession.get_or_none(key_hash=key_hash(key))


async def touch(row: WebSession, now: datetime) -> None:
    """Note activity on an open session, at most once per TOUCH_EVERY."""
    if now - row.last_seen_at < TOUCH_EVERY:
        return
    await WebSession.filter(id=row.id, ended_at=None).update(last_seen_at=now)
    row.last_seen_at = now


async def save_data(row: WebSession, data: dict[str, Any]) -> bool:
    """Keep a session's data; False when the session ended meanwhile (nothing is written)."""
    saved = await WebSession.filter(id=row.id, ended_at=None).update(data=data)
    row.data = data
    return saved == 1


async def renew_session(row: WebSession, now: datetime) -> str | None:
    """Give an open session a new key and a fresh start (the password was just proved).

    Returns the new key, or None when the session ended meanwhile. The data is dropped, so the
    pages get a new CSRF token too.
    """
    key = secrets.token_urlsafe(32)
    renewed = await WebSession.filter(id=row.id, ended_at=None).update(
        key_hash=key_hash(key), created_at=now, last_seen_at=now, data={}
    )
    if renewed != 1:
        return None
    row.key_hash, row.created_at, row.last_seen_at, row.data = key_hash(key), now, now, {}
    return key


async def end_session(
    row: WebSession,
    *,
    reason: str,
    now: datetime,
    actor: str | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> bool:
    """End one session; audit it when it was signed in. False when it had already ended.

    The update only touches an open row, so two processes ending the same session at once
    audit it once.
    """
    if connection is None:
        async with in_transaction() as conn:
            return await end_session(row, reason=reason, now=now, actor=actor, connection=conn)
    ended = (
        await WebSession.filter(id=row.id, ended_at=None)
        .using_db(connection)
        .update(ended_at=now, end_reason=reason[:64])
    )
    if ended != 1:
        return False
    row.ended_at, row.end_reason = now, reason[:64]
    if row.authenticated and row.user_id is not None:
        user = await User.filter(id=row.user_id).using_db(connection).get()
        await record_account_event(
            user,
            "logout",
            actor=actor or user.username,
            at=now,
            details={"reason": reason, "session": row.id},
            connection=connection,
        )
    return True


async def end_user_sessions(
    user: User,
    *,
    reason: str,
    actor: str,
    now: datetime,
    keep: int | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """End every open session of an account (but `keep`, the caller's own); return how many.

    Sessions waiting for the MFA code end too: the password they proved may be the one that
    was just reset. Call inside the transaction of the change that ends them.
    """
    if connection is None:
        async with in_transaction() as conn:
            return await end_user_sessions(
                user, reason=reason, actor=actor, now=now, keep=keep, connection=conn
            )
    rows = WebSession.filter(user_id=user.id, ended_at=None).using_db(connection)
    if keep is not None:
        rows = rows.exclude(id=keep)
    count = 0
    for row in await rows.order_by("id"):
        count += await end_session(row, reason=reason, now=now, actor=actor, connection=connection)
    return count


async def open_sessions(user: User, *, limits: SessionLimits, now: datetime) -> list[WebSession]:
    """Return an account's signed-in sessions that are still alive, the latest used first."""
    return (
        await WebSession.filter(
            user_id=user.id,
            authenticated=True,
            ended_at=None,
            last_seen_at__gte=now - limits.idle,
            created_at__gte=now - limits.absolute,
        )
        .order_by("-last_seen_at", "-id")
        .all()
    )


async def expire_sessions(*, limits: SessionLimits, now: datetime) -> tuple[int, int]:
    """End the signed-in sessions past their limits, delete the rest; return both counts.

    A signed-in session nobody came back to is ended (and audited) here, so the audit trail
    says when every session ended, not only those whose browser returned; its row is kept
    KEEP_ENDED for staff to look into. Anonymous and MFA-step rows carry nothing worth keeping
    once over: they go at once, so visitors who never log in cannot fill the table.
    """
    past = Q(last_seen_at__lt=now - limits.idle) | Q(created_at__lt=now - limits.absolute)
    ended = 0
    for row in await WebSession.filter(past, ended_at=None, authenticated=True).order_by("id"):
        reason = limits.expired(row, now) or "expired"
        ended += await end_session(row, reason=reason, now=now)
    over = past | Q(ended_at__not_isnull=True)
    deleted = await WebSession.filter(over, authenticated=False).delete()
    deleted += await WebSession.filter(ended_at__lt=now - KEEP_ENDED).delete()
    return ended, deleted
