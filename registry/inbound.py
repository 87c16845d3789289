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


def email_key(raw: bytes) -> str:
    """Name an email so that a resend of it is recognised.

    The same Message-ID from the same From address is the same message (a sending server retries
    with the bytes it has queued); a message without a Message-ID is recognised by its bytes.
    """
    message_id, sender = message_identity(raw)
    if message_id:
        digest = hashlib.sha256(f"{sender or ''}\n{message_id}".encode()).hexdigest()
        return f"email:mid:{digest}"
    return f"email:sha256:{hashlib.sha256(raw).hexdigest()}"


def telegram_key(update_id: int) -> str:
    return f"telegram:update:{update_id}"


async def keep_email(
    raw: bytes, *, mail_from: str, rcpt_tos: list[str], peer: str, received_at: datetime
) -> Kept:
    """Commit an email exactly as received, with its envelope."""
    return await keep(
        Channel.EMAIL,
        raw,
        received_at=received_at,
        envelope={"mail_from": mail_from, "rcpt_tos": rcpt_tos, "peer": peer},
        sender=mail_from or None,
        dedupe_key=email_key(raw),
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
