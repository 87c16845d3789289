"""The email fax transport: RFC 3192 addresses through a real SMTP relay on loopback."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from pypdf import PdfReader

from outbound.fax.email import EmailFax
from outbound.fax.sender import FaxSender
from outbound.mail import Relay
from outbound.outbox import Retry
from outbound.render import Templates
from outbound.worker import OutboxWorker, WorkerSettings
from registry.models import Adapter, Agency, Delivery, DeliveryStatus
from tests.mail import Sink, sink_relay, smtp_server
from tests.outbound.conftest import CALLBACK, record_service

pytestmark = pytest.mark.usefixtures("registry")


class Refusing:
    """A relay that refuses every message with one reply."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return self.reply


@pytest.fixture
async def relay() -> AsyncIterator[tuple[Sink, int]]:
    async with sink_relay() as sink:
        yield sink, sink.port


def worker(port: int) -> OutboxWorker:
    transport = EmailFax(
        Relay("127.0.0.1", port), domain="fax.example.gov", sender="registry@por.example.gov"
    )
    fax = FaxSender(Templates(), transport, callback=CALLBACK)
    return OutboxWorker({"fax": fax}, WorkerSettings(batch_size=50, retry=Retry(max_attempts=3)))


@pytest.fixture
async def numbered_agencies(registry: str) -> None:
    """Fax numbers for the two agencies (the reference data ships none)."""
    await Agency.filter(name="Hartford Police Department").update(fax_number="+18605550101")
    await Agency.filter(name="Connecticut State Police Troop K").update(fax_number="+18605550102")


@pytest.mark.usefixtures("numbered_agencies")
async def test_each_fax_goes_to_its_agencys_rfc3192_address_with_the_pdf(
    relay: tuple[Sink, int],
) -> None:
    sink, port = relay
    entry = await record_service()
    await worker(port).drain_once()
    faxes = await Delivery.filter(entry_id=entry.id, adapter=Adapter.FAX)
    assert {d.status for d in faxes} == {DeliveryStatus.SENT}
    assert sorted(m["To"] for m in sink.messages) == [
        "FAX=+18605550101@fax.example.gov",
        "FAX=+18605550102@fax.example.gov",
    ]
    [pdf] = [part for part in sink.messages[0].iter_attachments()]
    assert pdf.get_content_type() == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    assert "HHD-FA-26-6012345-S" in text
    assert {d.receipt for d in faxes} == {m["Message-ID"] for m in sink.messages}


@pytest.mark.usefixtures("numbered_agencies")
@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("550 5.1.1 No such fax line", DeliveryStatus.DEAD),
        ("451 4.3.0 Try again later", DeliveryStatus.FAILED),
    ],
)
async def test_a_relay_refusal_is_permanent_on_5xx_and_retried_on_4xx(
    reply: str, status: DeliveryStatus
) -> None:
    async with smtp_server(Refusing(reply)) as port:
        entry = await record_service()
        await worker(port).drain_once()
    faxes = await Delivery.filter(entry_id=entry.id, adapter=Adapter.FAX)
    assert {d.status for d in faxes} == {status}
    assert all(reply[:3] in (d.last_error or "") for d in faxes)


async def test_an_agency_without_a_fax_number_is_dead_with_the_reason(
    relay: tuple[Sink, int],
) -> None:
    entry = await record_service()
    await worker(relay[1]).drain_once()
    faxes = await Delivery.filter(entry_id=entry.id, adapter=Adapter.FAX)
    assert {d.status for d in faxes} == {DeliveryStatus.DEAD}
    assert all("has no fax number on file" in (d.last_error or "") for d in faxes)
    assert relay[0].messages == []
