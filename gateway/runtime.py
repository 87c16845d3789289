"""Turn the configuration into the plain values the registry takes, and open the database."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tortoise.context import TortoiseContext

from gateway.config import Config, ConfigError
from registry.accounts import AccountRules
from registry.audit import AuditSeal, AuditSealError, use_seal
from registry.db import close_registry, open_registry
from registry.policy import Policy
from registry.reference import load_reference_data
from registry.sealing import Seal, key_from_text

log = logging.getLogger(__name__)
MFA_KEY_SUFFIX = ".mfa-key"  # the generated MFA key beside an SQLite file (no mfa_key set)


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


def audit_seal(config: Config) -> AuditSeal:
    """Return the seal of the audit trail: the configured key, or none (a demo)."""
    return AuditSeal(config.security.audit_key.encode())


def checkpoint_file(config: Config) -> Path:
    """Return the file audit checkpoints are appended to."""
    return Path(config.security.audit_checkpoint_file)


async def open_database(config: Config, *, process_wide: bool = False) -> TortoiseContext:
    """Open the registry (creating an embedded database's folder) and apply migrations.

    It also hands the registry the audit key: every event this process records is sealed with it.
    """
    use_seal(audit_seal(config))
    path = sqlite_file(config.database.url)
    if path is not None:
        _owner_only_file(path)
    return await open_registry(config.database.url, process_wide=process_wide)


def sqlite_file(url: str) -> Path | None:
    """The file an embedded database URL names; None for PostgreSQL or an in-memory one."""
    if not url.startswith("sqlite://"):
        return None
    path = urlsplit(url).netloc + urlsplit(url).path
    return Path(path) if path and path != ":memory:" else None


def _owner_only_file(path: Path) -> None:
    """Create the embedded database's folder and file, readable by their owner alone.

    The file holds password hashes and MFA secrets. SQLite gives its -wal and -shm files the
    database file's permissions. A folder made here is owner-only too; an existing one is left
    as it is (`por-gateway check` reports one others can read).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def with_registry(config: Config, work: Callable[[], Awaitable[int]]) -> int:
    """Run a command's work with the registry open (code tables loaded); return its status."""

    async def run() -> int:
        await open_database(config)
        try:
            await load_reference_data()
            return await work()
        except AuditSealError as exc:
            # The trail is keyed and this command has no key, or another: nothing was written.
            print(f"audit trail: {exc}", file=sys.stderr)
            return 2
        finally:
            await close_registry()

    return asyncio.run(run())


def mfa_seal(config: Config) -> Seal:
    """The seal for MFA secrets at rest, from `security.mfa_key`.

    Without one (a demo): an SQLite database gets a key generated once and kept beside its file,
    readable by the owner alone; any other database a random key for this process only, so MFA
    enrolled while it runs stops working at the next start. config.toml documents both, and
    `por-gateway check` reports the missing key.
    """
    if config.security.mfa_key:
        return Seal(key_from_text(config.security.mfa_key))
    path = sqlite_file(config.database.url)
    if path is not None:
        kept = path.with_name(path.name + MFA_KEY_SUFFIX)
        log.warning("security.mfa_key is empty: MFA secrets are sealed with the key in %s", kept)
        return Seal(key_from_text(_kept_key(kept)))
    log.error(
        "security.mfa_key is empty: MFA secrets are sealed with a random key for this process; "
        "MFA enrolled now stops working at the next start. Set security.mfa_key."
    )
    return Seal(os.urandom(32), durable=False)


def _kept_key(path: Path) -> str:
    """Read the generated MFA key, making it (owner-only) when there is none yet.

    The new key is written to a file of its own and then linked into place: of several
    processes starting together, the first link wins and every one reads the same key.
    """
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fresh = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            fresh.unlink()
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"security.mfa_key: cannot read {path}: {exc.strerror}") from None
    if not text:
        raise ConfigError(f"security.mfa_key: {path} holds no key")
    return text
