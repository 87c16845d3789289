"""Raw input from every channel, kept exactly as received before anyone is answered.

The web form's uploads, the daybook feed, each email and each Telegram update are committed
here first (DESIGN invariant 1); a channel then marks what became of it. A dedupe key makes a
resend of the same input land on the row already kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from parsers.email import message_identity
from registry.models import Channel, InboundMessage, InboundStatus


@dataclass(frozen=True)
class Kept:
    inbound: InboundMessage
    duplicate: bool  # the same input was kept before: this is that row


async def keep(
    channel: Channel,
    payload: bytes,
    *,
    received_at: datetime,
    envelope: dict[str, Any] | None = None,
    sender: str | None = None,
    dedupe_key: str | None = None,
    message_id: str | None = None,
) -> Kept:
    """Commit raw input as received; input already kept under its dedupe key is not kept twice."""
    try:
        inbound = await InboundMessage.create(
            channel=channel,
            payload=payload,
            envelope=envelope or {},
            sender=sender,
            received_at=received_at,
            dedupe_key=dedupe_key,
            message_id=message_id,
        )
    except IntegrityError:
        if dedupe_key is None:
            raise
        # The unique key, not a look-up first, decides: that also covers the same input
        # arriving on two connections at once. A resend is rare; one query per input is not.
        return Kept(await InboundMessage.get(dedupe_key=dedupe_key), duplicate=True)
    return Kept(inbound, duplicate=False)


async def mark(which: int | str, status: InboundStatus, note: str | None = None) -> None:
    """Record what became of kept input, named by its id or its dedupe key."""
    by = {"id": which} if isinstance(which, int) else {"dedupe_key": which}
    await InboundMessage.filter(**by).update(status=status, status_note=note)


# Header fields that relays and the receiving side add on the way: a resend of the same message
# may differ in them (RFC 5321 4.4 trace fields, RFC 8601, RFC 8617, spam filters' stamps).
_TRACE = frozenset(
    {
        "received",
        "return-path",
        "delivered-to",
        "x-original-to",
        "x-received",
        "authentication-results",
        "received-spf",
        "arc-seal",
        "arc-message-signature",
        "arc-authentication-results",
        "x-envelope-from",
        "x-envelope-to",
    }
)
_TRACE_PREFIXES = (b"x-spam", b"x-virus", b"x-ms-exchange-organization", b"x-forefront")


def content_digest(raw: bytes) -> str:
    """Digest what the sender wrote: the body and the sender's headers, not the trace a relay adds.

    Line endings are read as one (CRLF or LF) and folded header lines unfolded, so the same
    message passed on by another server digests the same.
    """
    text = raw.replace(b"\r\n", b"\n")
    if text.startswith(b"From "):  # an mbox separator line, not part of the message
        text = text.partition(b"\n")[2]
    head, blank, body = text.partition(b"\n\n")
    if not blank:
        head, body = text, b""
    fields: list[bytes] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b" " + line.strip()
        else:
            fields.append(line.rstrip())
    kept = [f for f in fields if not _is_trace(f.partition(b":")[0].strip().lower())]
    return hashlib.sha256(b"\n".join(kept) + b"\n\n" + body.rstrip(b"\n")).hexdigest()


def _is_trace(name: bytes) -> bool:
    return name.decode("latin-1") in _TRACE or name.startswith(_TRACE_PREFIXES)


@dataclass(frozen=True)
class EmailIdentity:
    """What names an email: read once per message (the headers, then the content)."""

    message_id: str | None
    sender: str | None
    digest: str  # content_digest: what the sender wrote

    @classmethod
    def of(cls, raw: bytes) -> EmailIdentity:
        message_id, sender = message_identity(raw)
        return cls(message_id, sender, content_digest(raw))

    @property
    def key(self) -> str:
        """The dedupe key: a resend is the same Message-ID from the same From with the same
        content (DESIGN). Two messages that share a Message-ID — a client that reuses them, a
        template — are two messages, both kept."""
        seen = f"{self.sender or ''}\n{self.message_id or ''}\n{self.digest}"
        return f"email:v2:{hashlib.sha256(seen.encode()).hexdigest()}"

    def legacy_keys(self, raw: bytes) -> list[str]:
        """The keys messages were kept under before the content was part of the key."""
        keys = [f"email:sha256:{hashlib.sha256(raw).hexdigest()}"]
        if self.message_id:
            named = f"{self.sender or ''}\n{self.message_id}".encode()
            keys.append(f"email:mid:{hashlib.sha256(named).hexdigest()}")
        return keys


def telegram_key(update_id: int) -> str:
    return f"telegram:update:{update_id}"


async def keep_email(
    raw: bytes, *, mail_from: str, rcpt_tos: list[str], peer: str, received_at: datetime
) -> Kept:
    """Commit an email exactly as received, with its envelope; a resend is kept once."""
    identity = EmailIdentity.of(raw)
    earlier = await InboundMessage.filter(dedupe_key__in=identity.legacy_keys(raw)).first()
    if earlier is not None and content_digest(bytes(earlier.payload)) == identity.digest:
        return Kept(earlier, duplicate=True)  # kept before the key named the content
    message_id = identity.message_id
    return await keep(
        Channel.EMAIL,
        raw,
        received_at=received_at,
        envelope={"mail_from": mail_from, "rcpt_tos": rcpt_tos, "peer": peer},
        sender=mail_from or None,
        dedupe_key=identity.key,
        message_id=message_id[:255] if message_id else None,
    )


async def namesakes(inbound: InboundMessage) -> list[InboundMessage]:
    """Other emails kept with the same Message-ID: different messages (a resend is kept once)."""
    if not inbound.message_id:
        return []
    return (
        await InboundMessage.filter(channel=Channel.EMAIL, message_id=inbound.message_id)
        .exclude(id=inbound.id)
        .order_by("id")
    )


async def keep_telegram_update(payload: bytes, *, update_id: int, now: datetime) -> Kept:
    """Commit a Telegram update exactly as received, once per update_id."""
    return await keep(
        Channel.TELEGRAM, payload, received_at=now, dedupe_key=telegram_key(update_id)
    )


async def unprocessed(channel: Channel, *, limit: int = 1000) -> list[InboundMessage]:
    """Input kept but not yet handled (the gateway stopped first), oldest first."""
    return (
        await InboundMessage.filter(channel=channel, status=InboundStatus.RECEIVED)
        .order_by("id")
        .limit(limit)
    )
