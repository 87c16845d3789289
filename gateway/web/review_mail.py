"""Tell an emailed report's sender what staff decided, through the same relay as the receipt."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib
import jinja2

from gateway.config import SmtpConfig
from gateway.receipts import LOOP_HEADER, send_through_relay
from registry.models import DecisionKind
from registry.review_decisions import Decided

log = logging.getLogger(__name__)
_env = jinja2.Environment(
    loader=jinja2.PackageLoader("outbound", "templates"),
    autoescape=False,  # noqa: S701 - plain-text email, never HTML
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
TEMPLATE = {
    DecisionKind.CONFIRMED: "email/review-confirmed.txt.j2",
    DecisionKind.LINKED: "email/review-confirmed.txt.j2",
    DecisionKind.REJECTED: "email/review-rejected.txt.j2",
}


def render_decision(decided: Decided, *, sender: str, to: str, docket: str) -> EmailMessage:
    """Build the email telling the sender one report was confirmed or rejected."""
    inbound = decided.inbound
    kind = decided.decision.kind
    body = _env.get_template(TEMPLATE[kind]).render(
        reference=inbound.reference,
        report=decided.decision.report_index + 1,
        docket=docket or "(no docket)",
        entry=decided.entry.reference if decided.entry else None,
        reason=decided.decision.note or "",
    )
    verdict = "Rejected" if kind is DecisionKind.REJECTED else "Confirmed"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"{verdict} [{inbound.reference}]: {docket or 'your report'}"[:200]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834: never answered automatically
    message[LOOP_HEADER] = sender
    message.set_content(body)
    return message


async def send_decision(decided: Decided, *, config: SmtpConfig, docket: str) -> bool:
    """Send the decision email; False when there is no relay or nobody to tell.

    A failure is logged, not raised: the decision is already committed and stands.
    """
    # RFC 3834 section 4: an automatic response goes to the envelope sender.
    to = str(decided.inbound.envelope.get("mail_from") or "")
    if not config.relay_host or not to:
        return False
    message = render_decision(decided, sender=config.reply_from, to=to, docket=docket)
    try:
        await send_through_relay(message, to=to, config=config)
    except (aiosmtplib.SMTPException, OSError):
        log.exception("could not tell %s about %s", to, decided.inbound.reference)
        return False
    return True
