"""Two-step login (TOTP, RFC 6238): enrolment, codes accepted once, secrets sealed at rest."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from registry.audit import record_account_event
from registry.models import User
from registry.sealing import Seal, SealError, is_sealed, sealed_key_id
from registry.sessions import end_user_sessions


def new_mfa_secret() -> str:
    """Return a fresh base32 TOTP secret (RFC 6238) for enrolment."""
    return pyotp.random_base32()


def _mfa_purpose(user_id: int) -> str:
    """What an account's sealed secret is bound to: it opens in that account's row alone."""
    return f"user {user_id} mfa secret"


def seal_enrolment(seal: Seal, user: User, secret: str) -> str:
    """Seal a secret offered for enrolment, to keep in the session until the user confirms it."""
    return seal.seal(secret, f"user {user.id} mfa enrolment")


def open_enrolment(seal: Seal, user: User, kept: object) -> str | None:
    """The secret `seal_enrolment` kept; None when there is none or it no longer opens."""
    if not isinstance(kept, str) or not is_sealed(kept):
        return None
    try:
        return seal.open(kept, f"user {user.id} mfa enrolment")
    except SealError:
        return None  # sealed before a restart with a key this process does not have


def mfa_uri(secret: str, username: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=username, issuer_name="Protection Order Registry"
    )


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """Return the TOTP time step a code belongs to, within one step of drift, or None."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), digits):
            return candidate
    return None


async def accept_mfa_code(user: User, code: str, now: datetime, *, seal: Seal) -> bool:
    """Accept a login code once: a code seen before (or an older one) is refused as a replay.

    A secret stored plain (before sealing existed) is sealed in the same update, when the key
    is durable. Raises SealError when the stored secret cannot be opened with this key: the
    code cannot be checked at all, which is not the user's mistake.
    """
    stored = user.mfa_secret
    if not stored:
        return False
    secret = seal.open(stored, _mfa_purpose(user.id))
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    changes: dict[str, object] = {"mfa_last_step": step}
    if seal.durable and not is_sealed(stored):
        changes["mfa_secret"] = seal.seal(secret, _mfa_purpose(user.id))
    # The conditional update is the check: two logins racing with one code, one wins; a secret
    # removed or replaced since it was read accepts nothing.
    fresh = User.filter(id=user.id, mfa_secret=stored).filter(
        Q(mfa_last_step=None) | Q(mfa_last_step__lt=step)
    )
    if await fresh.update(**changes) != 1:
        return False
    user.mfa_secret = str(changes.get("mfa_secret", stored))
    user.mfa_last_step = step
    return True


async def enable_mfa(user: User, *, secret: str, code: str, now: datetime, seal: Seal) -> bool:
    """Turn MFA on once the user proves their app has the secret; False when the code is wrong.

    Only the sealed secret is stored.
    """
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    async with in_transaction() as conn:
        user.mfa_secret = seal.seal(secret, _mfa_purpose(user.id))
        user.mfa_last_step = step  # the enrolment code cannot log in afterwards
        await user.save(update_fields=["mfa_secret", "mfa_last_step"], using_db=conn)
        await record_account_event(
            user, "mfa.enabled", actor=user.username, at=now, connection=conn
        )
    return True


@dataclass(frozen=True)
class SealingReport:
    """What `seal_plain_mfa_secrets` found: secrets it sealed, accounts it cannot read."""

    sealed: int
    other_key: tuple[str, ...]


async def seal_plain_mfa_secrets(seal: Seal) -> SealingReport:
    """Seal every MFA secret still stored plain, and name the accounts sealed with another key.

    Run at start-up: an account that has not logged in since sealing began keeps no plain
    secret either. Each row is updated only if it still holds the plain value read, so several
    processes starting together seal each secret once.
    """
    sealed, other = 0, []
    rows = await User.filter(mfa_secret__isnull=False).values_list("id", "username", "mfa_secret")
    for user_id, username, stored in rows:
        key_id = sealed_key_id(stored)
        if key_id is None and seal.durable:
            sealed_value = seal.seal(stored, _mfa_purpose(user_id))
            sealed += await User.filter(id=user_id, mfa_secret=stored).update(
                mfa_secret=sealed_value
            )
        elif key_id is not None and key_id != seal.key_id:
            other.append(username)
    return SealingReport(sealed=sealed, other_key=tuple(other))


async def clear_mfa(user: User, *, actor: str, now: datetime) -> None:
    """Remove an account's MFA secret (a lost phone); staff and managers must enrol again.

    Every session of the account ends: the lost phone may have opened one.
    """
    async with in_transaction() as conn:
        user.mfa_secret = None
        await user.save(update_fields=["mfa_secret"], using_db=conn)
        await record_account_event(user, "mfa.removed", actor=actor, at=now, connection=conn)
        await end_user_sessions(user, reason="MFA removed", actor=actor, now=now, connection=conn)
