"""Inbound email: keep every message first, then read it into a review item for staff."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from parsers.email import EmailParse, message_identity, parse_email
from registry.enums import Adapter
from registry.models import Channel, InboundMessage, InboundStatus, ReviewItem
from registry.notices import Notice, owe_notices

log = logging.getLogger(__name__)

NULL_SENDER = "null sender (a bounce or other automatic message)"


@dataclass(frozen=True)
class StoredEmail:
    inbound: InboundMessage
    duplicate: bool


def dedupe_key(raw: bytes) -> str:
    """Name a message so that a resend of it is recognised.

    The same Message-ID from the same From address is the same message (a sending server retries
    with the bytes it has queued); a message without a Message-ID is recognised by its bytes.
    """
    message_id, sender = message_identity(raw)
    if message_id:
        digest = hashlib.sha256(f"{sender or ''}\n{message_id}".encode()).hexdigest()
        return f"email:mid:{digest}"
    return f"email:sha256:{hashlib.sha256(raw).hexdigest()}"


async def store_email(
    raw: bytes, *, mail_from: str, rcpt_tos: list[str], peer: str, received_at: datetime
) -> StoredEmail:
    """Commit a message exactly as received; a message already kept is not stored twice."""
    key = dedupe_key(raw)
    try:
        inbound = await InboundMessage.create(
            channel=Channel.EMAIL,
            payload=raw,
            envelope={"mail_from": mail_from, "rcpt_tos": rcpt_tos, "peer": peer},
            sender=mail_from or None,
            received_at=received_at,
            dedupe_key=key,
        )
    except IntegrityError:
        # The unique key, not a look-up first, decides: that also covers the same message
        # arriving on two connections at once. A resend is rare; one query per message is not.
        return StoredEmail(await InboundMessage.get(dedupe_key=key), duplicate=True)
    return StoredEmail(inbound, duplicate=False)


async def read_email(inbound_id: int, *, tz: ZoneInfo) -> bool:
    """Parse a kept message into a review item, once, and owe its sender the receipt.

    The item and the receipt (an `email` delivery) commit together. Automatic mail
    (auto-replies, bounces, list mail) is marked ignored and gets no receipt, so two
    auto-responders can never answer each other forever. False: nothing was left to read.
    """
    inbound = await InboundMessage.get(id=inbound_id)
    if inbound.status is not InboundStatus.RECEIVED:
        return False
    parse = parse_email(bytes(inbound.payload), received_at=inbound.received_at, tz=tz)
    mail_from = str(inbound.envelope.get("mail_from") or "")
    ignored = not mail_from or parse.is_automatic
    status = InboundStatus.IGNORED if ignored else InboundStatus.NEEDS_REVIEW
    problems = list(parse.problems)
    for number, report in enumerate(parse.reports, start=1):
        problems += [f"report {number}: {problem}" for problem in report.problems]
    if ignored:
        note = NULL_SENDER if not mail_from else "automatic message"
    else:
        note = f"{len(parse.reports)} report(s), {len(problems)} problem(s)"
    async with in_transaction() as conn:
        # Claim the message: when two processes read it at once, only one creates the item.
        claimed = (
            await InboundMessage.filter(id=inbound.id, status=InboundStatus.RECEIVED)
            .using_db(conn)
            .update(status=status, status_note=note)
        )
        if not claimed:
            return False
        if not ignored:
            await ReviewItem.create(
                inbound=inbound,
                parse_result=parse.to_json(),
                problems=problems,
                created_at=inbound.received_at,
                using_db=conn,
            )
            # RFC 3834 section 4: an automatic response goes to the envelope sender.
            receipt = receipt_notice(inbound, parse, to=mail_from, tz=tz)
            await owe_notices([receipt], now=inbound.received_at, connection=conn, inbound=inbound)
    return True


def receipt_notice(inbound: InboundMessage, parse: EmailParse, *, to: str, tz: ZoneInfo) -> Notice:
    """The receipt for one stored message: what was read from it, pending review."""
    reports = []
    for report in parse.reports:
        fields = report.to_json()
        occurred = report.occurred_at
        fields["occurred_local"] = _when(occurred, tz) if occurred else None
        reports.append(fields)
    return Notice(
        Adapter.EMAIL,
        to,
        "receipt",
        {
            "reference": inbound.reference,
            "received": _when(inbound.received_at, tz),
            "reports": reports,
            "problems": list(parse.problems),
        },
        subject=f"Received [{inbound.reference}]: {parse.subject or 'your message'}",
        in_reply_to=parse.message_id or "",
    )


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%b %d, %Y %I:%M %p %Z")


async def unread_emails() -> list[int]:
    """Return the kept messages not yet read (a crash between storing and reading leaves some)."""
    rows = await InboundMessage.filter(
        channel=Channel.EMAIL, status=InboundStatus.RECEIVED
    ).order_by("id")
    return [row.id for row in rows]
