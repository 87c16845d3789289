"""Send one message to the switch over tcp (TLS optional) and read its ACK or NAK."""

from __future__ import annotations

import asyncio
import ssl

from outbound.switch.framing import FramingError, frame, parse_answer, read_frame, request
from outbound.transport import TransportError


class TcpLink:
    """A connection per message: simple to reason about, and the switch sees a clean close."""

    def __init__(
        self, host: str, port: int, *, timeout: float, tls: ssl.SSLContext | None = None
    ) -> None:
        self.host, self.port, self.timeout, self.tls = host, port, timeout, tls

    async def deliver(self, key: str, message: str, day: str = "") -> str:
        """Send the message; return the switch's reference or raise `TransportError`."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._exchange(key, message)
        except TimeoutError:
            # No answer within the timeout is transient (outbound-formats.md, Transports).
            raise TransportError(f"no answer from the switch within {self.timeout:g} s") from None
        except (OSError, asyncio.IncompleteReadError) as exc:
            raise TransportError(f"switch connection failed: {exc!r}") from None
        except FramingError as exc:
            raise TransportError(f"switch answered out of protocol: {exc}") from None

    async def _exchange(self, key: str, message: str) -> str:
        reader, writer = await asyncio.open_connection(
            self.host, self.port, ssl=self.tls, server_hostname=self.host if self.tls else None
        )
        try:
            writer.write(frame(request(key, message)))
            await writer.drain()
            answer = parse_answer(await read_frame(reader))
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass
        if answer.key != key:
            raise TransportError(f"switch answered for key {answer.key}, not {key}")
        if not answer.accepted:
            raise TransportError(
                f"switch refused: {answer.code} {answer.text}".strip(),
                permanent=answer.permanent,
            )
        return answer.reference
