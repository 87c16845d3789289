"""Local SMTP servers for tests: a relay that keeps what it is given, or one that refuses."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default

from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.conftest import free_port


@dataclass
class Sink:
    """A local SMTP server standing in for the relay: it keeps what it is given."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(BytesParser(policy=default).parsebytes(content))  # type: ignore[arg-type]
        return "250 OK"


@contextlib.asynccontextmanager
async def smtp_server(handler: object, port: int | None = None) -> AsyncIterator[int]:
    """Serve aiosmtpd with a handler on a loopback port; yield the port."""
    port = port or free_port()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler), "127.0.0.1", port
    )
    try:
        yield port
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def sink_relay() -> AsyncIterator[Sink]:
    """A running relay sink."""
    sink = Sink(free_port())
    async with smtp_server(sink, sink.port):
        yield sink
