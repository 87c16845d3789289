"""Fax by email: RFC 3192 address `FAX=+1NNNNNNNNNN@<gateway>`, the PDF attached."""

from __future__ import annotations

from email.message import EmailMessage

from outbound.fax.sender import FaxJob, need_number
from outbound.mail import Relay
from outbound.transport import Outcome, Sent


class EmailFax:
    """Hand each fax to an email-to-fax gateway through the one outgoing relay."""

    def __init__(self, relay: Relay, *, domain: str, sender: str) -> None:
        self.relay, self.domain, self.sender = relay, domain, sender

    async def submit(self, job: FaxJob) -> Outcome:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to = f"FAX={need_number(job)}@{self.domain}"  # RFC 3192 section 2
        message["Subject"] = "Protection order service notification"
        # The key rides in the Message-ID: a gateway that keeps them drops a duplicate.
        message["Message-ID"] = f"<{job.key}@por-gateway>"
        message.set_content("Protection order service notification attached.")
        message.add_attachment(
            job.pdf, maintype="application", subtype="pdf", filename=f"{job.key}.pdf"
        )
        await self.relay.deliver(message, sender=self.sender, to=to, key=job.key)
        return Sent(str(message["Message-ID"]))

    async def check(self, receipt: str) -> Outcome:
        return Sent(receipt)
