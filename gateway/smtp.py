"""The Registry Section mailbox: an SMTP server on the application's own event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session

from gateway.appkeys import CONFIG

log = logging.getLogger(__name__)

REPLY_UNKNOWN_MAILBOX = "550 5.1.1 No such mailbox here: only the Registry Section's is served"
REPLY_INTAKE_NOT_READY = "502 5.5.1 Email intake is not enabled on this gateway yet"
REPLY_TRY_LATER = "451 4.3.0 Temporary problem here, please try again later"


class MailboxHandler:
    """Accept mail only for the registry's mailboxes."""

    def __init__(self, mailboxes: tuple[str, ...]) -> None:
        self.mailboxes = frozenset(m.lower() for m in mailboxes)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() not in self.mailboxes:
            return REPLY_UNKNOWN_MAILBOX
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return REPLY_INTAKE_NOT_READY

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd's default reply would echo the exception's text to the client.
        log.exception("SMTP session failed", exc_info=error)
        return REPLY_TRY_LATER


async def serve_mailbox(app: web.Application) -> AsyncIterator[None]:
    """Serve SMTP for as long as the application runs."""
    config = app[CONFIG]
    handler = MailboxHandler(config.smtp.mailboxes)
    factory: Any = partial(
        SMTP, handler, data_size_limit=config.smtp.max_message_bytes, hostname="por-gateway"
    )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, config.server.smtp_host, config.server.smtp_port)
    log.info("SMTP listening on %s:%d", config.server.smtp_host, config.server.smtp_port)
    yield
    server.close()
    await server.wait_closed()
