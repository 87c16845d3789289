"""A stand-in for the state message switch: speaks the tcp framing, validates, answers ACK/NAK.

Used by the tests and by anyone trying the gateway (`por-gateway switch-sim --port N`). It
counts every key it receives, so a test can prove each delivery arrived exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import Counter
from dataclasses import dataclass

from outbound.switch.framing import FramingError, ack, frame, nak, read_frame, split_request

log = logging.getLogger(__name__)

_NAME = r"[A-Z][A-Z '\-]*, [A-Z][A-Z '\-]*"
_DKT = r"[A-Z]{3}-(?:FA|CV)-\d{2}-\d{7}-S"
_ORI = r"CT[A-Z0-9]{7}"
# The default formats of outbound-formats.md, field rules included.
FORMATS = {
    "SVC": re.compile(
        rf"SVC\.{_ORI}\.DKT/{_DKT}\.NAM/{_NAME}\.DOS/\d{{8}}\.TOS/\d{{4}}\.MOS/(?:HAND|ABODE)"
        rf"\.PAR/[YN]\.SRV/[A-Z .'\-]{{1,30}}\.REC/\d{{12}}\.KEY/(?P<key>[0-9a-f\-]{{36}})\."
    ),
    "MPO": re.compile(
        rf"MPO\.{_ORI}\.NAM/{_NAME}\.OCA/{_DKT}(?:\.NIC/[A-Z]\d{{9}})?\.MIS/SERVED \d{{8}} \d{{4}}"
        r" (?:HAND|ABODE) BY [A-Z .'\-]{1,30} PD ASSIST [YN]\."
    ),
}
CODE_FORMAT = "P01"
CODE_REFUSED = "P02"
CODE_BUSY = "T01"


@dataclass
class Behaviour:
    """How badly the switch behaves; change it while it runs."""

    delay: float = 0.0  # seconds before answering
    drop_first: int = 0  # hang up without answering on this many frames
    nak_transient: int = 0  # answer T01 this many times for each key before accepting
    nak_permanent: bool = False  # refuse every message with P02


class SwitchSimulator:
    """Serve the switch protocol on loopback; `received` counts frames per key."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.received: Counter[str] = Counter()
        self.accepted: dict[str, str] = {}
        self.messages: list[str] = []
        self.frame_arrived = asyncio.Event()
        self._dropped = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen and return the port."""
        self._server = await asyncio.start_server(self._serve, host, port)
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                try:
                    payload = await read_frame(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                answer = await self.answer(payload)
                if answer is None:
                    return  # drop the connection without a word
                writer.write(frame(answer))
                await writer.drain()
        except (FramingError, ConnectionError) as exc:
            log.warning("switch-sim: %s", exc)
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def answer(self, payload: str) -> str | None:
        """Return the answer to one request payload, or None to hang up."""
        b = self.behaviour
        try:
            key, message = split_request(payload)
        except FramingError as exc:
            return nak("-", CODE_FORMAT, str(exc))
        self.received[key] += 1
        self.messages.append(message)
        self.frame_arrived.set()
        if b.delay:
            await asyncio.sleep(b.delay)
        if self._dropped < b.drop_first:
            self._dropped += 1
            return None
        if not any(f.fullmatch(message) for f in FORMATS.values()):
            return nak(key, CODE_FORMAT, "message does not match the format")
        if b.nak_permanent:
            return nak(key, CODE_REFUSED, "record not on file")
        if self.received[key] <= b.nak_transient:
            return nak(key, CODE_BUSY, "switch busy, try again")
        # A second message with a key already accepted is a duplicate: same answer, no change.
        reference = self.accepted.setdefault(key, f"SW{len(self.accepted) + 1:08d}")
        return ack(key, reference)
