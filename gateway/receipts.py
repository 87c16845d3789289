"""Automatic replies to officers' emails, sent through the configured relay."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from zoneinfo import ZoneInfo

import aiosmtplib
import jinja2

from gateway.config import SmtpConfig
from registry.intake import Receipt

log = logging.getLogger(__name__)

# Our own loop header: a message carrying it is never answered (see parsers/email.py).
LOOP_HEADER = "X-POR-Loop"
_env = jinja2.Environment(
    loader=jinja2.PackageLoader("outbound", "templates"),
    autoescape=False,  # noqa: S701 - plain-text email, never HTML
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


def render_receipt(receipt: Receipt, *, sender: str, tz: ZoneInfo) -> EmailMessage:
    """Build the receipt for one stored message."""
    parse = receipt.parse
    reports = []
    for report in parse.reports:
        fields = report.to_json()
        occurred = report.occurred_at
        fields["occurred_local"] = (
            occurred.astimezone(tz).strftime("%b %d, %Y %I:%M %p %Z") if occurred else None
        )
        reports.append(fields)
    body = _env.get_template("email/receipt.txt.j2").render(
        reference=receipt.inbound.reference,
        received=receipt.inbound.received_at.astimezone(tz).strftime("%b %d, %Y %I:%M %p %Z"),
        reports=reports,
        problems=parse.problems,
    )
    message = EmailMessage()
    message["From"] = sender
    message["To"] = receipt.to
    subject = parse.subject or "your message"
    message["Subject"] = f"Received [{receipt.inbound.reference}]: {subject}"[:200]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if parse.message_id:
        message["In-Reply-To"] = parse.message_id
        message["References"] = parse.message_id
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834
    message[LOOP_HEADER] = sender
    message.set_content(body)
    return message


async def send_receipt(receipt: Receipt, *, config: SmtpConfig, tz: ZoneInfo) -> bool:
    """Send a receipt through the relay; return False when no relay is configured."""
    if not config.relay_host:
        log.info("no relay configured: no receipt for %s", receipt.inbound.reference)
        return False
    message = render_receipt(receipt, sender=config.reply_from, tz=tz)
    await send_through_relay(message, to=receipt.to, config=config)
    return True


async def send_through_relay(message: EmailMessage, *, to: str, config: SmtpConfig) -> None:
    """Send one message through the configured outgoing relay (STARTTLS when offered)."""
    await aiosmtplib.send(
        message,
        sender=config.reply_from,
        recipients=[to],
        hostname=config.relay_host,
        port=config.relay_port,
        username=config.relay_username or None,
        password=config.relay_password or None,
        start_tls=None,  # STARTTLS when the relay offers it
        timeout=30,
    )
