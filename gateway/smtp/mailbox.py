"""The Registry Section mailbox: an SMTP server on the application's own event loop.

It only checks a message, commits it, and then answers 250 with the registry reference; reading
the message, the review item and the receipt happen afterwards in the background, so a slow parse
never holds a sender's connection and a crash never loses a message.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aiohttp import web
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from gateway.appkeys import CONFIG
from gateway.config import Config
from gateway.smtp.limits import ClientPlaces, RateLimit, client_address
from gateway.smtp.server import ConnectionLimits, RegistrySMTP
from gateway.smtp.tls import server_context
from registry.inbound import keep_email
from registry.intake import read_email, unread_emails

log = logging.getLogger(__name__)

REPLY_ACCEPTED = "250 2.0.0 Received by the Protection Order Registry, reference {reference}"
REPLY_DUPLICATE = "250 2.0.0 Already received, reference {reference}"
REPLY_RECIPIENT_OK = "250 2.1.5 OK"
REPLY_UNKNOWN_MAILBOX = "550 5.1.1 No such mailbox here: only the Registry Section's is served"
REPLY_RATE_LIMITED = "451 4.7.1 Too many messages from this sender, please try again later"
REPLY_CLIENT_RATE_LIMITED = "451 4.7.1 Too many messages from your address, please try again later"
REPLY_TRY_LATER = "451 4.3.0 Temporary problem here, please try again later"
REPLY_AUTH_FAILED = "535 5.7.8 Authentication credentials invalid"
# RFC 5321 4.5.3.2.7: a server waits at least 5 minutes for the next command (aiosmtpd restarts
# this clock at every command; the whole transaction has its own, shorter one).
IDLE_TIMEOUT_SECONDS = 300.0


class MailboxHandler:
    """The aiosmtpd hooks: accept mail for the registry's mailboxes and commit it before 250."""

    def __init__(self, config: Config, on_stored: Callable[[int], None]) -> None:
        smtp = config.smtp
        self.mailboxes = frozenset(m.lower() for m in smtp.mailboxes)
        self.store_timeout = smtp.store_timeout_seconds
        self.on_stored = on_stored
        self.per_sender = RateLimit(smtp.rate_limit_per_minute)
        # The sender address is the client's to choose; the address it connects from is not.
        self.per_client = RateLimit(smtp.rate_limit_per_client_per_minute)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        # Counted per transaction: a retry after 451 is a new MAIL and is counted again; a MAIL
        # refused by either limit counts against neither.
        client = client_address(session.peer)
        if not self.per_client.has_room(client):
            log.warning("MAIL from %r refused: client %s is over its rate limit", address, client)
            return REPLY_CLIENT_RATE_LIMITED
        if not self.per_sender.allow(address):
            log.warning("MAIL from %r refused: the sender is over its rate limit", address)
            return REPLY_RATE_LIMITED
        self.per_client.count(client)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() not in self.mailboxes:
            return REPLY_UNKNOWN_MAILBOX
        envelope.rcpt_tos.append(address)
        return REPLY_RECIPIENT_OK

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        assert isinstance(raw, bytes)
        peer = session.peer
        try:
            stored = await asyncio.wait_for(
                keep_email(
                    raw,
                    mail_from=reverse_path(envelope.mail_from),
                    rcpt_tos=list(envelope.rcpt_tos),
                    peer=f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer),
                    received_at=datetime.now(UTC),
                ),
                self.store_timeout,
            )
        except Exception:
            # Invariant 1: no 250 without a commit. The sending server keeps the message and
            # retries; 4xx never bounces it back to the officer.
            log.exception("could not store a message from %s", envelope.mail_from)
            return REPLY_TRY_LATER
        reference = stored.inbound.reference
        if stored.duplicate:
            log.info("message %s received again, kept once", reference)
            return REPLY_DUPLICATE.format(reference=reference)
        self.on_stored(stored.inbound.id)
        return REPLY_ACCEPTED.format(reference=reference)

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd's default reply would echo the exception's text to the client.
        log.error("SMTP session failed", exc_info=error)
        return REPLY_TRY_LATER


def reverse_path(mail_from: str | None) -> str:
    """Return the envelope sender; "" for the null reverse-path of a bounce (RFC 5321 4.5.5)."""
    address = (mail_from or "").strip()
    return "" if address in ("", "<>") else address


def password_check(username: str, password: str) -> Callable[..., AuthResult]:
    """Return an aiosmtpd authenticator accepting one configured login."""

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and hmac.compare_digest(data.login, username.encode())
            and hmac.compare_digest(data.password, password.encode())
        )
        # handled=False: aiosmtpd then sends the 535 itself; handled=True would leave the
        # client waiting for a reply that never comes.
        return AuthResult(success=ok, handled=ok, message=None if ok else REPLY_AUTH_FAILED)

    return authenticate


class Reader:
    """Background reading of stored messages into review items (each owes its receipt)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.tasks: set[asyncio.Task[None]] = set()

    def schedule(self, inbound_id: int) -> None:
        self._spawn(self.read(inbound_id))

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def read(self, inbound_id: int) -> None:
        try:
            await read_email(inbound_id, tz=self.config.zone)  # the receipt is a delivery
        except Exception:
            # The message stays stored (status "received") and is read again at the next start.
            log.exception("could not read stored message %d", inbound_id)

    async def catch_up(self) -> None:
        for inbound_id in await unread_emails():
            await self.read(inbound_id)

    async def drain(self) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)


READER = web.AppKey("mail_reader", Reader)


async def serve_mailbox(app: web.Application) -> AsyncIterator[None]:
    """Serve SMTP for as long as the application runs."""
    config = app[CONFIG]
    smtp = config.smtp
    reader = app[READER] = Reader(config)
    handler = MailboxHandler(config, reader.schedule)
    tls = server_context(smtp.tls_cert_file, smtp.tls_key_file, smtp.self_signed_dir)
    limits = ConnectionLimits(
        places=ClientPlaces(smtp.max_connections_per_client),
        transaction_seconds=smtp.transaction_timeout_seconds,
        data_seconds=smtp.data_timeout_seconds,
    )
    options: dict[str, Any] = {
        "limits": limits,
        "timeout": IDLE_TIMEOUT_SECONDS,
        "data_size_limit": smtp.max_message_bytes,
        "hostname": "por-gateway",
        "ident": "POR Service Gateway",
        "tls_context": tls,
        "enable_SMTPUTF8": True,
    }
    if smtp.auth_username:
        options |= {
            "auth_required": True,
            "auth_require_tls": True,
            "authenticator": password_check(smtp.auth_username, smtp.auth_password),
        }
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        partial(RegistrySMTP, handler, **options), config.server.smtp_host, config.server.smtp_port
    )
    log.info("SMTP listening on %s:%d", config.server.smtp_host, config.server.smtp_port)
    reader._spawn(reader.catch_up())
    yield
    server.close()
    await server.wait_closed()
    await reader.drain()
