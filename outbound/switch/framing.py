"""The message switch's tcp framing: 4-byte big-endian length, then an ASCII payload.

Each request frame is `KEY/<idempotency key>` on the first line and the message on the second
(the NCIC format has no key field of its own, and the switch answers with the key). The switch
answers one frame: `ACK <key> <switch-ref>` or `NAK <key> <code> <text>`, a code starting `P`
being permanent (the message breaks the format), `T` transient.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024
ACK = "ACK"
NAK = "NAK"
KEY_PREFIX = "KEY/"


class FramingError(Exception):
    """The peer sent something that is not a frame of this protocol."""


def frame(payload: str) -> bytes:
    """Return the bytes of one frame."""
    data = payload.encode("ascii")
    return HEADER.pack(len(data)) + data


async def read_frame(reader: asyncio.StreamReader) -> str:
    """Read one frame's payload; raise `asyncio.IncompleteReadError` when the peer hangs up."""
    (length,) = HEADER.unpack(await reader.readexactly(HEADER.size))
    if length > MAX_FRAME:
        raise FramingError(f"frame of {length} bytes is over the {MAX_FRAME}-byte limit")
    data = await reader.readexactly(length)
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise FramingError("frame is not ASCII") from None


def request(key: str, message: str) -> str:
    """Return the payload that carries a message and its key."""
    return f"{KEY_PREFIX}{key}\n{message}"


def split_request(payload: str) -> tuple[str, str]:
    """Return (key, message) from a request payload."""
    head, _, message = payload.partition("\n")
    if not head.startswith(KEY_PREFIX) or not message:
        raise FramingError("a request is KEY/<key> on one line and the message on the next")
    return head.removeprefix(KEY_PREFIX), message


@dataclass(frozen=True)
class Answer:
    key: str
    accepted: bool
    reference: str = ""  # the switch's reference when accepted
    code: str = ""  # P… permanent, T… transient when refused
    text: str = ""

    @property
    def permanent(self) -> bool:
        return self.code.startswith("P")


def parse_answer(payload: str) -> Answer:
    """Read an ACK or NAK payload."""
    parts = payload.split(" ", 3)
    if parts[0] == ACK and len(parts) == 3:
        return Answer(key=parts[1], accepted=True, reference=parts[2])
    if parts[0] == NAK and len(parts) >= 3:
        return Answer(
            key=parts[1], accepted=False, code=parts[2], text=parts[3] if len(parts) > 3 else ""
        )
    raise FramingError(f"not an ACK or NAK: {payload[:80]!r}")


def ack(key: str, reference: str) -> str:
    return f"{ACK} {key} {reference}"


def nak(key: str, code: str, text: str) -> str:
    return f"{NAK} {key} {code} {text}"
