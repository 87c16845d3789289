"""`por-gateway serve`: the web site, the mailbox, the bot and the workers in one process."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from aiohttp import web

from gateway.app import create_app
from gateway.config import Config, ConfigError
from gateway.https import web_tls_context


def register(commands: Any) -> None:
    """Add `serve` to the command line."""
    serve = commands.add_parser("serve", help="run the web site, the mailbox and the workers")
    serve.set_defaults(run=_serve)


def _serve(config: Config, args: argparse.Namespace) -> int:
    try:
        tls = web_tls_context(config)  # HTTPS when server.tls_cert_file is set
        app = create_app(config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    scheme = "https" if tls else "http"
    web.run_app(
        app,
        host=config.server.http_host,
        port=config.server.http_port,
        ssl_context=tls,
        print=lambda _: logging.getLogger("gateway").info(
            "web site on %s://%s:%d", scheme, config.server.http_host, config.server.http_port
        ),
    )
    return 0
