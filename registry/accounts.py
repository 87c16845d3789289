"""Accounts: creating users and checking passwords (argon2id)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from registry.audit import record_event
from registry.models import Role, User

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
