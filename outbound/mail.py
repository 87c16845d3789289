"""The one mail sender: every email the gateway writes itself, and faxes by email.

Receipts, review decisions and reminders are `email` deliveries: rendered here at sending from
`outbound/templates/email/<template>.txt.j2` and the context the registry stored, handed to
the outgoing relay (or, with no relay configured, to the spool). The delivery's key is the
Message-ID, so a resend after a lost answer is recognisably the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parsedate_to_datetime
from typing import Any, Protocol

import aiosmtplib
import jinja2

from outbound.spool import Spool
from outbound.transport import Outcome, Outgoing, Sent, TransportError

# Our own loop header: a message carrying it is never answered (see parsers/email.py).
LOOP_HEADER = "X-POR-Loop"
_env = jinja2.Environment(
    loader=jinja2.PackageLoader("outbound", "templates"),
    autoescape=False,  # noqa: S701 - plain-text email, never HTML
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class Relay:
    """The outgoing SMTP relay (STARTTLS when it offers it)."""

    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    timeout: float = 30

    async def deliver(self, message: EmailMessage, *, sender: str, to: str, key: str) -> str:
        """Hand one message to the relay; return its answer, or raise `TransportError`."""
        try:
            _, answer = await aiosmtplib.send(
                message,
                sender=sender,
                recipients=[to],
                hostname=self.host,
                port=self.port,
                username=self.username or None,
                password=self.password or None,
                start_tls=None,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refused.code for refused in exc.recipients]
            raise TransportError(
                f"relay refused {to}: {codes}", permanent=min(codes) >= 500
            ) from None
        except aiosmtplib.SMTPResponseException as exc:
            # 5xx: the relay will never take it; 4xx: try again later (RFC 5321 4.2.1).
            raise TransportError(
                f"relay refused: {exc.code} {exc.message}", permanent=exc.code >= 500
            ) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TransportError(f"relay unreachable: {type(exc).__name__}") from None
        return f"{message['Message-ID']} {answer}".strip()


@dataclass(frozen=True)
class SpoolMail:
    """Write each message to `spool/email/<yyyymmdd>/<key>.eml` when no relay is configured."""

    spool: Spool

    async def deliver(self, message: EmailMessage, *, sender: str, to: str, key: str) -> str:
        day = key_day(message)
        path = await self.spool.write("email", day, key, "eml", message.as_bytes(), {"to": to})
        return str(path)


def key_day(message: EmailMessage) -> str:
    return f"{parsedate_to_datetime(str(message['Date'])):%Y%m%d}"


class MailTransport(Protocol):
    async def deliver(self, message: EmailMessage, *, sender: str, to: str, key: str) -> str: ...


class MailSender:
    """The `email` adapter."""

    name = "email"

    def __init__(self, transport: MailTransport, *, sender: str) -> None:
        self.transport, self.sender = transport, sender

    async def send(self, item: Outgoing) -> Outcome:
        message = render_mail(item.payload, key=item.key, sender=self.sender)
        to = str(item.payload["to"])
        return Sent(await self.transport.deliver(message, sender=self.sender, to=to, key=item.key))


def render_mail(payload: dict[str, Any], *, key: str, sender: str) -> EmailMessage:
    """Build the email a notice describes; raise a permanent `TransportError` if it cannot be."""
    to = str(payload.get("to") or "")
    if "@" not in to:
        raise TransportError(f"no email address to send to ({to!r})", permanent=True)
    try:
        template = _env.get_template(f"email/{payload['template']}.txt.j2")
        body = template.render(**payload.get("context", {}))
    except (KeyError, jinja2.TemplateError) as exc:
        raise TransportError(f"the message cannot be written: {exc}", permanent=True) from None
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = str(payload.get("subject") or "Protection Order Registry")[:200]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{key}@{sender.rpartition('@')[2] or 'por-gateway'}>"
    if payload.get("in_reply_to"):
        message["In-Reply-To"] = message["References"] = str(payload["in_reply_to"])
    # RFC 3834: an answer is auto-replied, a reminder auto-generated; neither is answered back.
    message["Auto-Submitted"] = "auto-replied" if payload.get("in_reply_to") else "auto-generated"
    message[LOOP_HEADER] = sender
    message.set_content(body)
    return message
