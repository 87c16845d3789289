"""`por-gateway check`: report every setting that is unsafe in production, with what to do.

It reads the configuration (and, for an embedded database, its file's permissions) and
nothing else: the database need not be up. Exit status 1 when anything is found, else 0.
"""

from __future__ import annotations

import argparse
import ipaddress
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gateway.config import Config
from gateway.runtime import sqlite_file

MIN_SECRET = 32  # characters: a random secret this long cannot be guessed
RANDOM = f"{MIN_SECRET}+ random characters (openssl rand -base64 32)"


def register(commands: Any) -> None:
    """Add `check` to the command line."""
    check = commands.add_parser(
        "check", help="report insecure settings before production: exit 1 when any is found"
    )
    check.set_defaults(run=_check)


def _check(config: Config, args: argparse.Namespace) -> int:
    findings = list(insecure_settings(config))
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} insecure settings: fix them before production")
        return 1
    print("no insecure settings found")
    return 0


def insecure_settings(config: Config) -> Iterator[str]:
    """Yield one line per unsafe setting: the key, what is wrong, and what to do."""
    security, server, smtp = config.security, config.server, config.smtp
    if config.database.load_demo_data:
        yield (
            "database.load_demo_data is on: demo accounts with known passwords get loaded "
            "— set it to false (POR_DATABASE_LOAD_DEMO_DATA=false)"
        )
    yield from _secret(
        "security.session_secret",
        security.session_secret,
        empty="session cookies are signed with a random key per start, different in every process",
    )
    yield from _secret(
        "security.mfa_key",
        security.mfa_key,
        empty="MFA secrets are sealed with a key kept beside the database file, or one per start",
    )
    yield from _secret(
        "security.audit_key", security.audit_key, empty="the audit trail's hashes have no key"
    )
    yield from _secret("security.metrics_token", security.metrics_token)  # empty: /metrics off
    yield from _secret("security.daybook_token", security.daybook_token)  # empty: API off
    if not server.public_url.startswith("https://"):
        yield (
            f"server.public_url is {server.public_url}: passwords and sessions travel in the "
            "clear — serve https (server.tls_cert_file, or a proxy) and set an https:// URL"
        )
    if not server.tls_cert_file and not server.trusted_proxies and not _loopback(server.http_host):
        yield (
            f"server.http_host is {server.http_host or 'every address'} over plain http: set "
            "server.tls_cert_file and tls_key_file, or listen on 127.0.0.1 behind a proxy "
            "listed in server.trusted_proxies"
        )
    if not _loopback(server.smtp_host) and not smtp.auth_username:
        yield (
            f"server.smtp_host is {server.smtp_host or 'every address'} without AUTH: anyone "
            "who reaches it can post reports — set smtp.auth_username and "
            "POR_SMTP_AUTH_PASSWORD, or listen on 127.0.0.1 behind the mail relay"
        )
    if config.telegram.bot_token and not config.telegram.webhook_secret:
        yield (
            "telegram.webhook_secret is empty while the bot is on: anyone can post updates "
            f"to the webhook — set POR_TELEGRAM_WEBHOOK_SECRET to {RANDOM}"
        )
    yield from _database_permissions(config.database.url)


def _secret(key: str, value: str, *, empty: str = "") -> Iterator[str]:
    """A secret that must be set (`empty` says what goes wrong without it) and is long enough."""
    variable = "POR_" + key.replace(".", "_").upper()
    fix = f"set {variable} (or {variable}_FILE) to {RANDOM}"
    if not value and empty:
        yield f"{key} is empty: {empty} — {fix}"
    elif value and len(value) < MIN_SECRET:
        yield f"{key} is shorter than {MIN_SECRET} characters — {fix}"


def _loopback(host: str) -> bool:
    """Tell whether a listening address is this machine alone (a name other than localhost
    is taken as reachable from elsewhere: the check does not look names up)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _database_permissions(url: str) -> Iterator[str]:
    """The embedded database file and its folder must be closed to group and others."""
    path = sqlite_file(url)
    if path is None:
        return
    for place, what in ((path, "file"), (path.parent, "folder")):
        mode = _mode(place)
        if mode is not None and mode & 0o077:
            yield (
                f"database {what} {place} is open to group or others ({mode:04o}): it holds "
                f"password hashes and MFA secrets — chmod {'600' if what == 'file' else '700'} "
                f"{place}"
            )


def _mode(place: Path) -> int | None:
    try:
        return stat.S_IMODE(place.stat().st_mode)
    except FileNotFoundError:
        return None
