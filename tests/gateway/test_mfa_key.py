"""Where the MFA sealing key comes from when none is configured (config.toml, security.mfa_key)."""

from __future__ import annotations

import stat
from pathlib import Path

from gateway.config import load_config
from gateway.runtime import mfa_seal
from registry.sealing import Seal, key_from_text


def test_a_configured_key_seals_the_same_in_every_process() -> None:
    env = {"POR_SECURITY_MFA_KEY": "a production MFA key of enough length"}
    seal = mfa_seal(load_config(None, env=env))
    assert seal.durable
    assert seal.key_id == Seal(key_from_text(env["POR_SECURITY_MFA_KEY"])).key_id


def test_without_a_key_an_sqlite_registry_keeps_one_beside_its_file_owner_only(
    tmp_path: Path,
) -> None:
    config = load_config(None, env={"POR_DATABASE_URL": f"sqlite://{tmp_path}/db/reg.sqlite3"})
    first, again = mfa_seal(config), mfa_seal(config)
    kept = tmp_path / "db" / "reg.sqlite3.mfa-key"
    assert first.durable and first.key_id == again.key_id  # the next start reads the same key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]  # no temporary file left


def test_without_a_key_postgresql_gets_a_key_for_this_process_only() -> None:
    config = load_config(None, env={"POR_DATABASE_URL": "postgres://por@127.0.0.1:1/por"})
    first, again = mfa_seal(config), mfa_seal(config)
    assert not first.durable and first.key_id != again.key_id
