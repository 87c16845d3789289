"""The configuration: config.toml, environment overrides and secrets, refused mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config import ConfigError, load_config

SHIPPED = Path(__file__).parent.parent / "config.toml"


def test_the_shipped_file_gives_the_embedded_defaults() -> None:
    config = load_config(SHIPPED, env={})
    assert config.database.url.startswith("sqlite://data/registry.sqlite3")
    assert (config.server.http_port, config.server.smtp_port) == (8080, 2525)
    assert config.policy.timezone == "America/New_York"
    assert config.policy.prompt_entry_hours == 2.0
    assert config.policy.service_due_days_before_hearing == 3
    assert config.smtp.mailboxes == ("registry@por.example.gov",)


def test_every_key_in_the_shipped_file_has_a_comment() -> None:
    for number, line in enumerate(SHIPPED.read_text().splitlines(), start=1):
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line.split("=", 1)[1] or _commented_above(number), line


def _commented_above(number: int) -> bool:
    lines = SHIPPED.read_text().splitlines()
    return lines[number - 2].lstrip().startswith("#")


def test_an_environment_variable_overrides_a_key_with_its_type() -> None:
    env = {
        "POR_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/registry",
        "POR_SERVER_SMTP_PORT": "2626",
        "POR_SECURITY_REQUIRE_MFA_FOR_OFFICERS": "yes",
        "POR_SMTP_MAILBOXES": "registry@por.example.gov, section@por.example.gov",
    }
    config = load_config(SHIPPED, env=env)
    assert config.database.url == "postgres://postgres@127.0.0.1:5432/registry"
    assert config.server.smtp_port == 2626
    assert config.security.require_mfa_for_officers is True
    assert config.smtp.mailboxes == ("registry@por.example.gov", "section@por.example.gov")


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("s3cret-token\n")
    config = load_config(SHIPPED, env={"POR_SECURITY_DAYBOOK_TOKEN_FILE": str(secret)})
    assert config.security.daybook_token == "s3cret-token"
    assert "s3cret" not in repr(config)


def test_the_audit_key_is_a_secret_off_by_default_and_can_come_from_a_file(
    tmp_path: Path,
) -> None:
    shipped = load_config(SHIPPED, env={})
    assert shipped.security.audit_key == ""
    assert shipped.security.audit_checkpoint_file == "data/audit-checkpoints.jsonl"
    assert shipped.security.audit_checkpoint_minutes == 60
    key = tmp_path / "audit-key"
    key.write_text("k" * 40 + "\n")
    config = load_config(SHIPPED, env={"POR_SECURITY_AUDIT_KEY_FILE": str(key)})
    assert config.security.audit_key == "k" * 40
    assert "k" * 40 not in repr(config)


def test_a_missing_secret_file_is_named() -> None:
    with pytest.raises(ConfigError, match=r"security\.daybook_token: cannot read secret file"):
        load_config(SHIPPED, env={"POR_SECURITY_DAYBOOK_TOKEN_FILE": "/nonexistent/token"})


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[server]\nhttp_prot = 80\n", "unknown key server.http_prot"),
        ("[serverz]\n", r"unknown section \[serverz\]"),
        ("[server]\nhttp_port = 'eighty'\n", "server.http_port: expected int"),
        ("[server]\nhttp_port = 70000\n", "server.http_port: 70000 is not a TCP port"),
        ("[policy]\ntimezone = 'Mars/Olympus'\n", "policy.timezone: unknown time zone"),
        ("[outbound]\nfax_transport = 'pigeon'\n", "outbound.fax_transport: 'pigeon'"),
        ("[security]\nmin_password_length = 6\n", "security.min_password_length"),
        ("[smtp]\nmailboxes = 'one'\n", "smtp.mailboxes: expected a list"),
        ("[smtp]\ndata_timeout_seconds = 0\n", "smtp.data_timeout_seconds: must be more than 0"),
        ("[smtp]\nmax_connections_per_client = -1\n", "smtp.max_connections_per_client"),
        ("[smtp]\nrate_limit_per_client_per_minute = -5\n", "smtp.rate_limit_per_client"),
        ("[database]\nurl = 'mysql://x'\n", "database.url"),
        ("[security]\naudit_key = 'short'\n", "security.audit_key: use at least 32"),
        ("[security]\naudit_checkpoint_file = ''\n", "security.audit_checkpoint_file"),
        ("[security]\naudit_checkpoint_minutes = -1\n", "security.audit_checkpoint_minutes"),
        ("[security]\naudit_checkpoint_email = 'nobody'\n", "security.audit_checkpoint_email"),
        ("[server\n", "config.toml"),
    ],
)
def test_a_bad_file_is_refused_naming_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={})


def test_a_bad_environment_value_is_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"server\.http_port: expected a number"):
        load_config(SHIPPED, env={"POR_SERVER_HTTP_PORT": "eighty"})


def test_trusted_proxies_are_addresses_or_networks() -> None:
    env = {"POR_SERVER_TRUSTED_PROXIES": "10.0.0.5, 192.0.2.0/24, ::1"}
    proxies = load_config(SHIPPED, env=env).server.trusted_proxies
    assert proxies == ("10.0.0.5", "192.0.2.0/24", "::1")
    with pytest.raises(ConfigError, match=r"server\.trusted_proxies: 'proxy\.example' is not"):
        load_config(SHIPPED, env={"POR_SERVER_TRUSTED_PROXIES": "proxy.example"})


def test_a_web_site_key_without_its_certificate_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"server\.tls_key_file: set server\.tls_cert_file"):
        load_config(SHIPPED, env={"POR_SERVER_TLS_KEY_FILE": "/etc/por/site.key"})
