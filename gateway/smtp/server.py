"""aiosmtpd's SMTP server with the registry's replies and the limits the library lacks."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, syntax

from gateway.smtp.limits import ClientPlaces, client_address

log = logging.getLogger(__name__)

REPLY_TOO_BIG = "552 5.3.4 Message too big for the Registry Section mailbox"
REPLY_TOO_MANY_CONNECTIONS = "421 4.7.0 Too many connections from your address, try again later"
# RFC 3463 X.4.2: the transaction could not be completed because of a time-out.
REPLY_TRANSACTION_TOO_SLOW = "421 4.4.2 Message took too long to send, closing connection"
REPLY_DATA_TOO_SLOW = "421 4.4.2 Message data took too long to arrive, closing connection"
# aiosmtpd's own texts for an oversized message, replaced by the RFC 3463 enhanced code.
_LIBRARY_TOO_BIG = ("552 Error: Too much mail data", "552 Error: message size exceeds")


@dataclass(frozen=True)
class ConnectionLimits:
    """What one connection may take: a place among its client's, and time per message."""

    places: ClientPlaces
    transaction_seconds: float  # from an accepted MAIL to the end of the message data
    data_seconds: float  # from the 354 reply to the end of the message data


class RegistrySMTP(SMTP):
    """aiosmtpd's server with the registry's replies and limits on places and time.

    aiosmtpd has no hook for a new connection, for the start of DATA, or for a clock on a
    transaction, and its `timeout` restarts at every command, so a sender can keep a transaction
    open for as long as it likes. This subclass therefore takes a place for the client before
    the greeting and gives it back once however the connection ends, and runs two clocks (MAIL
    to end of data, 354 to end of data) that answer 421 and close the connection. Nothing of a
    message cut off this way reaches the handler, so nothing of it is stored. A fast sender
    pays two timers per message, no work per byte.
    """

    # RFC 5321 caps a line at 1,000 bytes, but real mailers (HTML from Outlook, pasted logs)
    # send longer ones and the big MTAs accept them; refusing would bounce an officer's report.
    # Memory stays bounded by the message size limit.
    line_length_limit = 64 * 1024

    def __init__(self, handler: Any, *, limits: ConnectionLimits, **options: Any) -> None:
        super().__init__(handler, **options)
        self.limits = limits
        self._client: str | None = None  # holds a place until the connection is lost
        self._refused = False
        self._transaction_clock: asyncio.TimerHandle | None = None
        self._data_clock: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._client is not None:  # aiosmtpd calls this again once STARTTLS is done
            super().connection_made(transport)
            return
        client = client_address(transport.get_extra_info("peername"))
        if not self.limits.places.take(client):
            # RFC 5321 3.1: a server may refuse a connection with a 421 instead of 220.
            log.warning("refused a connection from %s: it has too many open", client)
            self._refused = True
            say_and_close(transport, REPLY_TOO_MANY_CONNECTIONS)
            return
        self._client = client
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        self._stop_clocks()
        if self._client is not None:
            # At most once, however often this is called (aiosmtpd calls it itself when a
            # TLS handshake fails, and a transport calls it when it closes).
            self.limits.places.give_back(self._client)
            self._client = None
        if self._refused:
            return  # never greeted: aiosmtpd made no session to clean up
        super().connection_lost(error)

    async def push(self, status: Any) -> None:
        if isinstance(status, str) and status.startswith(_LIBRARY_TOO_BIG):
            status = REPLY_TOO_BIG
        await super().push(status)

    @syntax("MAIL FROM: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_MAIL(self, arg: str | None) -> None:
        envelope = self.envelope
        assert envelope is not None
        began = not envelope.mail_from  # a nested MAIL must not restart the clock
        await super().smtp_MAIL(arg)
        if began and envelope is self.envelope and envelope.mail_from:
            self._stop_clocks()
            self._transaction_clock = self._clock(
                self.limits.transaction_seconds, REPLY_TRANSACTION_TOO_SLOW
            )

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        envelope = self.envelope
        clock = self._data_clock = self._clock(self.limits.data_seconds, REPLY_DATA_TOO_SLOW)
        try:
            await super().smtp_DATA(arg)
        finally:
            clock.cancel()
            if self.envelope is not envelope:  # the transaction ended (stored, refused, ...)
                self._stop_clocks()

    @syntax("STARTTLS", when="tls_context")
    async def smtp_STARTTLS(self, arg: str) -> None:
        # RFC 3207 4.2: nothing of a transaction survives STARTTLS. Its clock must stop here
        # too: closing in mid-handshake never reaches connection_lost (asyncio's SSLProtocol
        # skips it), so the place would never be given back. The handshake has its own limit.
        self._stop_clocks()
        await super().smtp_STARTTLS(arg)

    def _clock(self, seconds: float, reply: str) -> asyncio.TimerHandle:
        """Start a clock on the current transaction that cuts it off after `seconds`."""
        return self.loop.call_later(seconds, self._out_of_time, self.envelope, reply)

    def _out_of_time(self, envelope: Envelope | None, reply: str) -> None:
        """Cut off a transaction still waiting for its data; one being stored is let finish."""
        transport = self.transport
        if transport is None or self.envelope is not envelope:
            return  # the connection or the transaction has ended since
        if envelope is not None and envelope.original_content is not None:
            return  # all data is in: the store has its own time limit
        log.warning("cut off a slow transaction from %s: %s", self._client, reply)
        say_and_close(transport, reply)

    def _stop_clocks(self) -> None:
        for clock in (self._transaction_clock, self._data_clock):
            if clock is not None:
                clock.cancel()
        self._transaction_clock = self._data_clock = None


def say_and_close(transport: asyncio.BaseTransport, reply: str) -> None:
    """Send a last reply and close; the transport sends what is buffered before it closes."""
    if isinstance(transport, asyncio.WriteTransport):
        transport.write(reply.encode("ascii") + b"\r\n")
    transport.close()
