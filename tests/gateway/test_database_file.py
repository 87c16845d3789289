"""The embedded database is readable by its owner alone (issue: security under attack, 8)."""

from __future__ import annotations

import stat
from pathlib import Path

from gateway.config import load_config
from gateway.runtime import open_database
from registry.db import close_registry
from registry.reference import load_reference_data


async def test_the_sqlite_file_and_its_wal_are_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "registry.sqlite3"
    config = load_config(None, env={"POR_DATABASE_URL": f"sqlite://{path}"})
    await open_database(config)
    try:
        await load_reference_data()  # writes: the WAL exists now
        modes = {f.name: mode(f) for f in sorted(path.parent.iterdir())}
    finally:
        await close_registry()
    assert modes == {name: 0o600 for name in ("registry.sqlite3", "registry.sqlite3-shm",
                                                "registry.sqlite3-wal")}  # fmt: skip
    assert mode(path.parent) == 0o700  # the folder made for it too: no one else lists it


def mode(file: Path) -> int:
    return stat.S_IMODE(file.stat().st_mode)


async def test_an_existing_world_readable_file_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    await open_database(load_config(None, env={"POR_DATABASE_URL": f"sqlite://{path}"}))
    await close_registry()
    assert mode(path) == 0o600
