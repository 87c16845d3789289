"""The `por-gateway` command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from gateway import intake_commands, outbox_commands, report_commands
from gateway.app import create_app
from gateway.bot import commands as telegram_commands
from gateway.config import Config, ConfigError, load_config
from gateway.runtime import with_registry
from registry.audit import verify_chain
from registry.daybook import DaybookFormatError, import_daybook

DEFAULT_CONFIG = Path("config.toml")


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="por-gateway", description="Service tracking gateway of the protection order registry."
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="configuration file (default: ./config.toml when present)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the web site, the mailbox and the workers")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply the schema migrations not yet applied")
    upgrade.set_defaults(run=_db_upgrade)

    daybook = commands.add_parser("daybook", help="the clerk's daybook")
    daybook_commands = daybook.add_subparsers(
        dest="daybook_command", required=True, metavar="ACTION"
    )
    importer = daybook_commands.add_parser(
        "import", help="import cases from a CSV or JSON-lines file (an idempotent upsert)"
    )
    importer.add_argument("file", type=Path, help="the daybook file (.csv or .jsonl)")
    importer.add_argument(
        "--format", choices=("csv", "jsonl"), help="file format (default: from the file name)"
    )
    importer.set_defaults(run=_daybook_import)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_commands.add_parser(
        "verify", help="check the hash chain: exit 1 when an event was changed or deleted"
    )
    verify.set_defaults(run=_audit_verify)

    intake_commands.register(commands)
    report_commands.register(commands)
    outbox_commands.add_commands(commands)
    telegram_commands.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiosmtpd logs every SMTP command at INFO: far too much for an operator's console.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    try:
        config = load_config(_config_path(args.config))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    run: Callable[[Config, argparse.Namespace], int] = args.run
    return run(config, args)


def _config_path(given: Path | None) -> Path | None:
    if given is not None:
        return given
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def _serve(config: Config, args: argparse.Namespace) -> int:
    app = create_app(config)
    web.run_app(
        app,
        host=config.server.http_host,
        port=config.server.http_port,
        print=lambda _: logging.getLogger("gateway").info(
            "web site on http://%s:%d", config.server.http_host, config.server.http_port
        ),
    )
    return 0


def _db_upgrade(config: Config, args: argparse.Namespace) -> int:
    async def done() -> int:
        print("database is up to date")
        return 0

    return with_registry(config, done)


def _daybook_import(config: Config, args: argparse.Namespace) -> int:
    path: Path = args.file
    fmt = args.format or ("jsonl" if path.suffix in (".jsonl", ".ndjson", ".json") else "csv")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2

    async def work() -> int:
        try:
            report = await import_daybook(text, fmt, now=datetime.now(UTC), actor="daybook-cli")
        except DaybookFormatError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
        for error in report.errors:
            print(f"{path}:{error.line}: {error.reason}", file=sys.stderr)
        print(json.dumps(report.as_dict() | {"errors": len(report.errors)}))
        return 1 if report.errors else 0

    return with_registry(config, work)


def _audit_verify(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        count, breaks = await verify_chain()
        for item in breaks:
            print(f"audit event {item.event_id}: {item.problem}")
        print(f"{count} audit events read, {len(breaks)} problems")
        return 1 if breaks else 0

    return with_registry(config, work)
