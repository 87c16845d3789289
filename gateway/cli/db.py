"""`por-gateway db upgrade` and `por-gateway audit verify`: the database and its audit trail."""

from __future__ import annotations

import argparse
from typing import Any

from gateway.config import Config
from gateway.runtime import with_registry
from registry.audit import verify_chain


def register(commands: Any) -> None:
    """Add `db` and `audit` to the command line."""
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply the schema migrations not yet applied")
    upgrade.set_defaults(run=_db_upgrade)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_commands.add_parser(
        "verify", help="check the hash chain: exit 1 when an event was changed or deleted"
    )
    verify.set_defaults(run=_audit_verify)


def _db_upgrade(config: Config, args: argparse.Namespace) -> int:
    async def done() -> int:
        print("database is up to date")
        return 0

    return with_registry(config, done)


def _audit_verify(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        count, breaks = await verify_chain()
        for item in breaks:
            print(f"audit event {item.event_id}: {item.problem}")
        print(f"{count} audit events read, {len(breaks)} problems")
        return 1 if breaks else 0

    return with_registry(config, work)
