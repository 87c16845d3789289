"""The sender of an emailed report is told what staff decided: an email delivery, never lost."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from gateway.config import load_config
from registry.enums import Adapter
from registry.models import Delivery, DeliveryStatus, Role
from registry.review_decisions import reject_report
from tests.conftest import free_port
from tests.factories import T0, make_case, make_user
from tests.mail import Sink, smtp_server
from tests.outbox import drain
from tests.review.conftest import SENDER, emailed_item, sample


async def test_the_sender_of_a_rejected_report_is_told_the_reason(
    registry: str, tmp_path: Path
) -> None:
    await make_case()
    staff = await make_user("registry.clerk", role=Role.STAFF)
    item = await emailed_item(sample("missing-time-misspelt-method.eml"))
    await reject_report(
        item.id, 0, "no such service: the respondent was in custody", staff=staff, now=T0
    )
    receipt, decision = await Delivery.filter(adapter=Adapter.EMAIL).order_by("id")
    assert receipt.payload["template"] == "receipt" and decision.destination == SENDER
    assert decision.inbound_id == item.inbound_id  # type: ignore[attr-defined]

    sink = Sink(free_port())
    config = load_config(
        None, env={"POR_SMTP_RELAY_HOST": "127.0.0.1", "POR_SMTP_RELAY_PORT": str(sink.port)}
    )
    async with smtp_server(sink, sink.port):
        assert await drain(config, spool=tmp_path, now=T0) == 2
    [message] = [m for m in sink.messages if m["Subject"].startswith("Rejected")]
    assert message["To"] == SENDER
    assert message["Subject"] == "Rejected [R-0000001]: HHD-FA-26-6012345-S"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Message-ID"] == f"<{decision.idempotency_key}@por.example.gov>"
    body = message.get_content()
    assert "NOT recorded" in body
    assert "Reason:       no such service: the respondent was in custody" in body


async def test_a_relay_that_is_down_delays_the_decision_email_and_loses_nothing(
    registry: str, tmp_path: Path
) -> None:
    await make_case()
    staff = await make_user("registry.clerk", role=Role.STAFF)
    item = await emailed_item(sample("missing-time-misspelt-method.eml"))
    await reject_report(item.id, 0, "duplicate", staff=staff, now=T0)
    sink = Sink(free_port())  # nobody listens there yet: the relay is down
    config = load_config(
        None, env={"POR_SMTP_RELAY_HOST": "127.0.0.1", "POR_SMTP_RELAY_PORT": str(sink.port)}
    )
    assert await drain(config, spool=tmp_path, now=T0) == 2
    waiting = await Delivery.filter(adapter=Adapter.EMAIL).order_by("id")
    assert [d.status for d in waiting] == [DeliveryStatus.FAILED] * 2
    assert all("relay unreachable" in str(d.last_error) for d in waiting)

    async with smtp_server(sink, sink.port):  # an hour later the relay is back
        assert await drain(config, spool=tmp_path, now=T0 + timedelta(hours=1)) == 2
    statuses = {d.status for d in await Delivery.filter(adapter=Adapter.EMAIL)}
    assert statuses == {DeliveryStatus.SENT}
    by_subject = {str(m["Subject"]).split(" ")[0]: m for m in sink.messages}
    assert set(by_subject) == {"Received", "Rejected"}  # sent at once: in either order
    assert "duplicate" in by_subject["Rejected"].get_content()
