"""`por-gateway check` names every unsafe setting before production (issue: security, 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.cli import main

ROOT = Path(__file__).parent.parent.parent
GOOD_SECRET = "x" * 24 + "-long-enough"  # 36 characters
DEMO_FINDINGS = {
    "database.load_demo_data",
    "security.session_secret",
    "security.mfa_key",
    "security.audit_key",
    "server.public_url",
}


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what a test sets counts: no POR_ variable of the machine, relative paths in tmp."""
    for name in list(os.environ):
        if name.startswith("POR_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def check(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["--config", str(config), "check"])
    return status, capsys.readouterr().out.splitlines()


def keys(lines: list[str]) -> set[str]:
    """The setting each finding names (its first word), without the closing summary."""
    return {line.split()[0] for line in lines[:-1]}


def test_the_shipped_configuration_is_reported_as_a_demo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, lines = check(ROOT / "config.toml", capsys)
    assert status == 1
    assert keys(lines) == DEMO_FINDINGS
    assert lines[-1] == f"{len(DEMO_FINDINGS)} insecure settings: fix them before production"
    assert all(" — " in line for line in lines[:-1])  # each says what to do


def test_a_hardened_configuration_passes_without_its_database_being_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(
        "[server]\n"
        'http_host = "127.0.0.1"\n'
        'smtp_host = "0.0.0.0"\n'
        'public_url = "https://por.example.gov"\n'
        'trusted_proxies = ["127.0.0.1"]\n'
        "[database]\n"
        'url = "postgres://por@127.0.0.1:1/registry"\n'  # nothing listens on port 1
        "load_demo_data = false\n"
        "[smtp]\n"
        'auth_username = "intake"\n'
    )
    mfa_key = tmp_path / "mfa.key"
    mfa_key.write_text(GOOD_SECRET + "\n")
    for name in (
        "SECURITY_SESSION_SECRET",
        "SECURITY_AUDIT_KEY",
        "SECURITY_METRICS_TOKEN",
        "SECURITY_DAYBOOK_TOKEN",
        "SMTP_AUTH_PASSWORD",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
    ):
        monkeypatch.setenv(f"POR_{name}", GOOD_SECRET)
    monkeypatch.setenv("POR_SECURITY_MFA_KEY_FILE", str(mfa_key))
    assert check(config, capsys) == (0, ["no insecure settings found"])


def test_short_secrets_open_listeners_a_bare_bot_and_a_readable_database_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    database = folder / "registry.sqlite3"
    database.touch()
    database.chmod(0o644)
    config = tmp_path / "gateway.toml"
    config.write_text(
        "[server]\n"
        'http_host = "0.0.0.0"\n'
        'smtp_host = "0.0.0.0"\n'
        'public_url = "https://por.example.gov"\n'
        "[database]\n"
        f'url = "sqlite://{database}"\n'
        "load_demo_data = false\n"
    )
    for name in ("MFA_KEY", "AUDIT_KEY"):
        monkeypatch.setenv(f"POR_SECURITY_{name}", GOOD_SECRET)
    monkeypatch.setenv("POR_SECURITY_SESSION_SECRET", "too short to sign with")
    monkeypatch.setenv("POR_SECURITY_METRICS_TOKEN", "short")
    monkeypatch.setenv("POR_SECURITY_DAYBOOK_TOKEN", "short too")
    monkeypatch.setenv("POR_TELEGRAM_BOT_TOKEN", "123:bot")

    status, lines = check(config, capsys)
    assert status == 1
    assert keys(lines) == {
        "security.session_secret",
        "security.metrics_token",
        "security.daybook_token",
        "server.http_host",
        "server.smtp_host",
        "telegram.webhook_secret",
        "database",
    }
    assert f"database file {database} is open to group or others (0644)" in "\n".join(lines)
    assert f"database folder {folder} is open to group or others (0755)" in "\n".join(lines)

    database.chmod(0o600)
    folder.chmod(0o700)
    assert "database" not in keys(check(config, capsys)[1])
