"""`por-gateway daybook import`: cases from the clerk's daybook."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateway.config import Config
from gateway.runtime import with_registry
from registry.daybook import DaybookFormatError, import_daybook


def register(commands: Any) -> None:
    """Add `daybook` to the command line."""
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
