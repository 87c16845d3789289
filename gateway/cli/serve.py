"""`por-gateway serve`: the web site, the mailbox, the bot and the workers in one process."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from aiohttp import web

from gateway.app import create_app
from gateway.config import Config


def register(commands: Any) -> None:
    """Add `serve` to the command line."""
    serve = commands.add_parser("serve", help="run the web site, the mailbox and the workers")
    serve.set_defaults(run=_serve)


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
