"""Read config.toml and the environment into frozen settings, rejecting anything unknown or bad."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "POR"
AUDIT_KEY_MIN_LENGTH = 32


class ConfigError(ValueError):
    """A configuration value is missing, unknown or invalid; the message names the key."""


def secret(default: str = "") -> Any:
    """Declare a key that may also come from `POR_<SECTION>_<KEY>_FILE`."""
    return field(default=default, metadata={"secret": True}, repr=False)


@dataclass(frozen=True)
class ServerConfig:
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    public_url: str = "http://127.0.0.1:8080"
    tls_cert_file: str = ""
    tls_key_file: str = ""
    trusted_proxies: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite://data/registry.sqlite3?busy_timeout=5000&synchronous=NORMAL"
    load_demo_data: bool = True


@dataclass(frozen=True)
class PolicyConfig:
    timezone: str = "America/New_York"
    prompt_entry_hours: float = 2.0
    service_due_days_before_hearing: int = 3
    future_tolerance_minutes: int = 5
    reminder_times: tuple[str, ...] = ("08:00", "16:00")


@dataclass(frozen=True)
class SmtpConfig:
    mailboxes: tuple[str, ...] = ("registry@por.example.gov",)
    max_message_bytes: int = 10 * 1024 * 1024
    tls_cert_file: str = ""
    tls_key_file: str = ""
    relay_host: str = ""
    relay_port: int = 25
    relay_username: str = ""
    relay_password: str = secret()
    reply_from: str = "registry@por.example.gov"
    self_signed_dir: str = "data/tls"
    auth_username: str = ""
    auth_password: str = secret()
    rate_limit_per_minute: int = 60
    rate_limit_per_client_per_minute: int = 120
    max_connections_per_client: int = 10
    transaction_timeout_seconds: float = 180.0
    data_timeout_seconds: float = 120.0
    store_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class TelegramConfig:
    bot_token: str = secret()
    webhook_secret: str = secret()
    bot_username: str = ""
    api_base_url: str = ""


@dataclass(frozen=True)
class OutboundConfig:
    spool_dir: str = "spool"
    fax_transport: str = "spool"
    collect_transport: str = "spool"
    ncic_transport: str = "spool"
    worker_concurrency: int = 4
    poll_interval_seconds: float = 0.5
    max_attempts: int = 8
    batch_size: int = 10
    lease_seconds: float = 60.0
    retry_cap_seconds: float = 3600.0
    templates_dir: str = ""
    registry_contact: str = "Protection Order Registry"
    registry_phone: str = ""
    registry_fax: str = ""
    collect_address: str = "127.0.0.1:7020"
    ncic_address: str = "127.0.0.1:7020"
    tcp_timeout_seconds: float = 10.0
    tcp_tls: bool = False
    tcp_ca_file: str = ""
    fax_email_domain: str = "fax.example.gov"
    hylafax_address: str = "127.0.0.1:4559"
    hylafax_user: str = "por"
    hylafax_check_seconds: float = 30.0


@dataclass(frozen=True)
class SecurityConfig:
    session_secret: str = secret()
    daybook_token: str = secret()
    mfa_key: str = secret()
    metrics_token: str = secret()
    min_password_length: int = 12
    lockout_threshold: int = 5
    lockout_minutes: int = 10
    idle_timeout_minutes: int = 30
    reauthenticate_hours: int = 12
    require_mfa_for_officers: bool = False
    inactive_days: int = 90
    audit_key: str = secret()
    audit_checkpoint_file: str = "data/audit-checkpoints.jsonl"
    audit_checkpoint_minutes: int = 60
    audit_checkpoint_email: str = ""


@dataclass(frozen=True)
class Config:
    server: ServerConfig = field(default_factory=ServerConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    outbound: OutboundConfig = field(default_factory=OutboundConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.policy.timezone)


TRANSPORTS = {
    "fax_transport": ("spool", "email", "hylafax"),
    "collect_transport": ("spool", "tcp"),
    "ncic_transport": ("spool", "tcp"),
}


def load_config(path: Path | None, env: Mapping[str, str] | None = None) -> Config:
    """Build the settings from a TOML file (optional) overlaid with `POR_*` variables."""
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"configuration file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    sections = {f.name: f.type for f in dataclasses.fields(Config)}
    for name in raw:
        if name not in sections:
            raise ConfigError(f"unknown section [{name}] (known: {', '.join(sections)})")
    hints = typing.get_type_hints(Config)
    built = {name: _build_section(name, hints[name], raw.get(name, {}), env) for name in sections}
    config = Config(**built)
    _validate(config)
    return config


def _build_section(name: str, cls: type, values: Any, env: Mapping[str, str]) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"[{name}] must be a table")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    for key in values:
        if key not in known:
            raise ConfigError(f"unknown key {name}.{key} (known: {', '.join(known)})")
    kwargs: dict[str, Any] = {}
    for key, fld in known.items():
        where = f"{name}.{key}"
        var = f"{ENV_PREFIX}_{name}_{key}".upper()
        if var in env:
            kwargs[key] = _from_text(where, hints[key], env[var])
        elif fld.metadata.get("secret") and f"{var}_FILE" in env:
            kwargs[key] = _read_secret_file(where, env[f"{var}_FILE"])
        elif key in values:
            kwargs[key] = _coerce(where, hints[key], values[key])
    return cls(**kwargs)


def _read_secret_file(where: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read secret file {path}: {exc.strerror}") from None


def _from_text(where: str, kind: Any, text: str) -> Any:
    """Turn an environment variable's text into the key's type."""
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{where}: expected true or false, got {text!r}")
    if typing.get_origin(kind) is tuple:
        return tuple(item.strip() for item in text.split(",") if item.strip())
    if kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            raise ConfigError(f"{where}: expected a number, got {text!r}") from None
    return text


def _coerce(where: str, kind: Any, value: Any) -> Any:
    """Check a TOML value against the key's type."""
    if typing.get_origin(kind) is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings")
        return tuple(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(kind, type) and not isinstance(kind, types.GenericAlias):
        if isinstance(value, bool) and kind is not bool:
            raise ConfigError(f"{where}: expected {kind.__name__}, got {value!r}")
        if not isinstance(value, kind):
            raise ConfigError(f"{where}: expected {kind.__name__}, got {value!r}")
    return value


def _validate_smtp_limits(smtp: SmtpConfig) -> None:
    """Reject mailbox limits that would refuse everything or never end a transaction."""
    for key in ("rate_limit_per_minute", "rate_limit_per_client_per_minute"):
        if getattr(smtp, key) < 0:
            raise ConfigError(f"smtp.{key}: must be 0 (no limit) or more")
    if smtp.max_connections_per_client < 0:
        raise ConfigError("smtp.max_connections_per_client: must be 0 (no limit) or more")
    for key in ("transaction_timeout_seconds", "data_timeout_seconds", "store_timeout_seconds"):
        if getattr(smtp, key) <= 0:
            raise ConfigError(f"smtp.{key}: must be more than 0")


def _validate(config: Config) -> None:
    """Reject values of the right type that still cannot work."""
    for port_key in ("http_port", "smtp_port"):
        port = getattr(config.server, port_key)
        if not 0 <= port <= 65535:
            raise ConfigError(f"server.{port_key}: {port} is not a TCP port")
    if config.server.tls_key_file and not config.server.tls_cert_file:
        raise ConfigError("server.tls_key_file: set server.tls_cert_file too (the certificate)")
    for proxy in config.server.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(
                f"server.trusted_proxies: {proxy!r} is not an IP address or network"
            ) from None
    if not config.database.url.startswith(("sqlite://", "postgres://", "asyncpg://")):
        raise ConfigError("database.url: must start with sqlite://, postgres:// or asyncpg://")
    try:
        ZoneInfo(config.policy.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"policy.timezone: unknown time zone {config.policy.timezone!r}"
        ) from None
    if config.policy.prompt_entry_hours <= 0:
        raise ConfigError("policy.prompt_entry_hours: must be more than 0")
    for moment in config.policy.reminder_times:
        try:
            time.fromisoformat(moment)
        except ValueError:
            raise ConfigError(f"policy.reminder_times: {moment!r} is not HH:MM") from None
    if config.policy.service_due_days_before_hearing < 0:
        raise ConfigError("policy.service_due_days_before_hearing: must be 0 or more")
    if not config.smtp.mailboxes:
        raise ConfigError("smtp.mailboxes: at least one mailbox address is needed")
    _validate_smtp_limits(config.smtp)
    for key, allowed in TRANSPORTS.items():
        value = getattr(config.outbound, key)
        if value not in allowed:
            raise ConfigError(f"outbound.{key}: {value!r} is not one of {', '.join(allowed)}")
    if config.outbound.worker_concurrency < 1 or config.outbound.max_attempts < 1:
        raise ConfigError("outbound.worker_concurrency and max_attempts: must be at least 1")
    if config.outbound.batch_size < 1 or config.outbound.lease_seconds <= 0:
        raise ConfigError("outbound.batch_size and lease_seconds: must be more than 0")
    for key in ("collect_address", "ncic_address", "hylafax_address"):
        host, _, port = getattr(config.outbound, key).rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) <= 65535:
            raise ConfigError(f"outbound.{key}: expected host:port")
    if config.security.min_password_length < 8:
        raise ConfigError("security.min_password_length: the policy floor is 8 characters")
    _validate_audit(config.security)


def _validate_audit(security: SecurityConfig) -> None:
    """Reject an audit key too short to be one, and checkpoints that cannot be written."""
    if security.audit_key and len(security.audit_key) < AUDIT_KEY_MIN_LENGTH:
        raise ConfigError(
            f"security.audit_key: use at least {AUDIT_KEY_MIN_LENGTH} random characters"
        )
    if not security.audit_checkpoint_file.strip():
        raise ConfigError("security.audit_checkpoint_file: a file path is needed")
    if security.audit_checkpoint_minutes < 0:
        raise ConfigError("security.audit_checkpoint_minutes: must be 0 (off) or more")
    email = security.audit_checkpoint_email
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise ConfigError(f"security.audit_checkpoint_email: {email!r} is not an email address")
