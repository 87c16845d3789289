"""The `por-gateway` command: one module per command group, each with `register(commands)`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from gateway.cli import check, daybook, db, inbound, outbox, report, serve, telegram
from gateway.config import Config, ConfigError, load_config

GROUPS = (serve, check, db, daybook, inbound, report, outbox, telegram)
DEFAULT_CONFIG = Path("config.toml")
CONFIG_ENV = "POR_CONFIG"
CONFIG_HELP = f"configuration file (default: ${CONFIG_ENV}, else ./config.toml when present)"


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="por-gateway", description="Service tracking gateway of the protection order registry."
    )
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    # Every command takes --config, before or after its name (`por-gateway serve --config F`).
    for sub in _subparsers(parser):
        sub.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases map to one parser
                yield sub
                yield from _subparsers(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiosmtpd logs every SMTP command at INFO: far too much for an operator's console.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    try:
        config = load_config(config_path(args.config, os.environ))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    run: Callable[[Config, argparse.Namespace], int] = args.run
    return run(config, args)


def config_path(given: Path | None, env: Mapping[str, str]) -> Path | None:
    """The configuration file: --config, else $POR_CONFIG, else ./config.toml when present.

    None means the built-in defaults (an installed package run from any folder).
    """
    if given is not None:
        return given
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None
