"""Open and close the registry database, applying migrations on the way in."""

from __future__ import annotations

import logging
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor

log = logging.getLogger(__name__)

MODELS = ["registry.models"]
MIGRATIONS = "registry.migrations"


def tortoise_config(url: str) -> dict[str, Any]:
    """Return the ORM configuration for a database URL."""
    return {
        "connections": {"default": url},
        "apps": {
            "registry": {
                "models": MODELS,
                "migrations": MIGRATIONS,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Used only by the ORM's own `tortoise -c registry.db.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config("sqlite://data/registry.sqlite3")


def is_postgres() -> bool:
    """Tell whether the open registry is on PostgreSQL."""
    return connections.get("default").capabilities.dialect == "postgres"


async def open_registry(
    url: str, *, migrate: bool = True, process_wide: bool = False
) -> TortoiseContext:
    """Connect to the registry and bring its schema up to date; return the ORM context.

    The ORM keeps its state in a context variable: tasks started later from this one see it.
    `process_wide` also makes it the fallback for tasks that were not (a server's request
    handlers), which only one open registry per process may be.
    """
    config = tortoise_config(url)
    # The ORM caches generated SQL by connection name, not by dialect: a process that opens
    # SQLite and then PostgreSQL (the test suite does) would reuse "?" placeholders.
    EXECUTOR_CACHE.clear()
    context = await Tortoise.init(config=config, _enable_global_fallback=process_wide)
    if migrate:
        await apply_migrations(config)
    return context


async def apply_migrations(config: dict[str, Any]) -> None:
    """Apply every migration not yet applied."""
    executor = MigrationExecutor(connections.get("default"), config["apps"])
    await executor.migrate(progress=_log_progress)


def _log_progress(event: str, app_label: str, name: str) -> None:
    log.info("migration %s %s.%s", event, app_label, name)


async def close_registry(context: TortoiseContext | None = None) -> None:
    """Close the registry's connections (of the given context, else the current one)."""
    if context is not None:
        await context.close_connections()
    else:
        await Tortoise.close_connections()
