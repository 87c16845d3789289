"""Fax by email: RFC 3192 address `FAX=+1NNNNNNNNNN@<gateway>`, the PDF attached."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from outbound.fax.sender import FaxJob, need_number
from outbound.transport import Outcome, Sent, TransportError


class EmailFax:
    def __init__(
        self,
        *,
        relay_host: str,
        relay_port: int,
        domain: str,
        sender: str,
        username: str = "",
        password: str = "",
    ) -> None:
        self.relay_host, self.relay_port, self.domain = relay_host, relay_port, domain
        self.sender, self.username, self.password = sender, username, password

    async def submit(self, job: FaxJob) -> Outcome:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = f"FAX={need_number(job)}@{self.domain}"  # RFC 3192 section 2
        message["Subject"] = "Protection order service notification"
        # The key rides in the Message-ID: a gateway that keeps them drops a duplicate.
        message["Message-ID"] = f"<{job.key}@por-gateway>"
        message.set_content("Protection order service notification attached.")
        message.add_attachment(
            job.pdf, maintype="application", subtype="pdf", filename=f"{job.key}.pdf"
        )
        try:
            await aiosmtplib.send(
                message,
                hostname=self.relay_host,
                port=self.relay_port,
                username=self.username or None,
                password=self.password or None,
                timeout=30,
            )
        except aiosmtplib.SMTPResponseException as exc:
            # 5xx: the relay will never take it; 4xx: try again later (RFC 5321 4.2.1).
            raise TransportError(
                f"relay refused: {exc.code} {exc.message}", permanent=exc.code >= 500
            ) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TransportError(f"relay unreachable: {exc!r}") from None
        return Sent(str(message["Message-ID"]))

    async def check(self, receipt: str) -> Outcome:
        return Sent(receipt)
