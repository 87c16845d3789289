"""Inbound email: keep every message first, then read it into a review item for staff."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from parsers.email import EmailParse, parse_email
from registry.enums import Adapter
from registry.inbound import unprocessed
from registry.models import Channel, InboundMessage, InboundStatus, ReviewItem
from registry.notices import Notice, owe_notices

log = logging.getLogger(__name__)

NULL_SENDER = "null sender (a bounce or other automatic message)"


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
    return [row.id for row in await unprocessed(Channel.EMAIL, limit=100_000)]
