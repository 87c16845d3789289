"""The fax adapter: one notification page per agency, handed to a fax transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from outbound.fax.page import Callback, render_page
from outbound.render import Templates
from outbound.spool import Spool
from outbound.transport import Outcome, Outgoing, Sent, TransportError
from outbound.update import check_update
from registry.switch_fields import fax_digits


@dataclass(frozen=True)
class FaxJob:
    key: str
    agency_name: str
    number: str | None  # E.164 (+1NNNNNNNNNN) when the agency has a fax number on file
    pdf: bytes
    day: str  # CCYYMMDD of the entry, for the spool's folder


class FaxTransport(Protocol):
    """Puts a fax on its way (`submit`) and, for queued transports, finds how it ended."""

    async def submit(self, job: FaxJob) -> Outcome: ...

    async def check(self, receipt: str) -> Outcome: ...


class FaxSender:
    name = "fax"

    def __init__(
        self, templates: Templates, transport: FaxTransport, *, callback: Callback
    ) -> None:
        self.templates, self.transport, self.callback = templates, transport, callback

    async def send(self, item: Outgoing) -> Outcome:
        if item.receipt:
            # Submitted by an earlier attempt: reconcile instead of faxing twice.
            return await self.transport.check(item.receipt)
        update = check_update(item.payload, item.key, self.name)
        agency = item.payload["agency"]
        _, pdf = render_page(
            self.templates, update, agency_name=str(agency["name"]), callback=self.callback
        )
        job = FaxJob(
            key=item.key,
            agency_name=str(agency["name"]),
            number=e164(agency.get("fax")),
            pdf=pdf,
            day=update.recorded[:8],
        )
        return await self.transport.submit(job)


def e164(number: object) -> str | None:
    """Return a North American fax number as +1NNNNNNNNNN, None when none is on file."""
    if not number:
        return None
    digits = fax_digits(number)
    if digits is None:
        raise TransportError(f"fax number {number!r} is not a 10-digit number", permanent=True)
    return f"+1{digits}"


def need_number(job: FaxJob) -> str:
    if job.number is None:
        raise TransportError(f"{job.agency_name} has no fax number on file", permanent=True)
    return job.number


class SpoolFax:
    """Write the PDF to `spool/fax/<yyyymmdd>/<key>.pdf` for a file-drop integration."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    async def submit(self, job: FaxJob) -> Outcome:
        about = {"agency": job.agency_name, "fax": job.number}
        path = await self.spool.write("fax", job.day, job.key, "pdf", job.pdf, about)
        return Sent(str(path))

    async def check(self, receipt: str) -> Outcome:
        return Sent(receipt)
