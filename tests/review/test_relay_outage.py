"""A relay down for an hour loses no receipt, decision email or reminder; dead ones get Retry."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from gateway.config import Config, load_config
from gateway.scheduler import queue_due_reminders
from registry.entries import EntryDraft, record_entry
from registry.enums import Adapter
from registry.models import Activity, Channel, Delivery, DeliveryStatus, Role
from registry.policy import Policy
from registry.review_decisions import reject_report
from tests.conftest import free_port
from tests.factories import T0, make_case, make_user
from tests.mail import Sink, smtp_server
from tests.outbox import drain
from tests.review.conftest import emailed_item, sample
from tests.review.test_review_queue import staff_signed_in
from tests.web.conftest import Site

MORNING = T0 - timedelta(hours=2)  # Nov 2, 2026 08:00 EST, a reminder time


def relay_config(port: int, spool: Path, *, attempts: int = 8) -> Config:
    return load_config(
        None,
        env={
            "POR_SMTP_RELAY_HOST": "127.0.0.1",
            "POR_SMTP_RELAY_PORT": str(port),
            "POR_OUTBOUND_SPOOL_DIR": str(spool),
            "POR_OUTBOUND_MAX_ATTEMPTS": str(attempts),
        },
    )


async def owe_one_of_each() -> None:
    """A receipt, a decision email and an emailed reminder, owed while the relay is down."""
    await make_case()  # due Nov 7 for the Nov 10 hearing
    await make_case("HHD-FA-26-6000001-S", hearing=date(2026, 11, 6))  # due tomorrow
    staff = await make_user("registry.clerk", role=Role.STAFF)
    holder = await make_user("marshal.roe", full_name="Sam Roe", emails=["sroe@example.com"])
    item = await emailed_item(sample("missing-time-misspelt-method.eml"))  # the receipt
    await reject_report(item.id, 0, "duplicate of E-0000001", staff=staff, now=T0)  # a decision
    await record_entry(
        EntryDraft("HHD-FA-26-6000001-S", Activity.RECEIVED, occurred_at=MORNING),
        officer=holder,
        channel=Channel.WEB,
        policy=Policy(),
        now=MORNING,
    )


async def test_every_message_owed_during_an_hour_long_relay_outage_is_sent_after_it(
    registry: str, tmp_path: Path
) -> None:
    sink = Sink(free_port())  # reserved, but nobody listens: the relay is down
    config = relay_config(sink.port, tmp_path)
    await owe_one_of_each()
    assert (
        await queue_due_reminders(MORNING, config=config)
        == "1 reminders queued, 0 could not be sent"
    )

    for minutes in (0, 1, 10):  # the worker keeps trying through the outage
        await drain(config, now=T0 + timedelta(minutes=minutes))
    waiting = await Delivery.filter(adapter=Adapter.EMAIL)
    assert len(waiting) == 3
    assert {d.status for d in waiting} == {DeliveryStatus.FAILED}

    async with smtp_server(sink, sink.port):  # an hour later the relay is back
        assert await drain(config, now=T0 + timedelta(hours=1)) == 3
    assert {d.status for d in await Delivery.filter(adapter=Adapter.EMAIL)} == {DeliveryStatus.SENT}
    subjects = sorted(str(m["Subject"]).split(" [")[0].split(":")[0] for m in sink.messages)
    assert subjects == ["Received", "Rejected", "Service due"]
    assert sorted(str(m["To"]) for m in sink.messages) == [
        "jdoe.marshal@example.com",
        "jdoe.marshal@example.com",
        "sroe@example.com",
    ]


async def test_mail_that_could_not_be_sent_is_shown_to_staff_and_retry_sends_it(
    site: Site, tmp_path: Path
) -> None:
    sink = Sink(free_port())
    config = relay_config(sink.port, tmp_path, attempts=3)
    await owe_one_of_each()
    await queue_due_reminders(MORNING, config=config)
    for hours in (0, 1, 2):  # three attempts, then dead
        await drain(config, now=T0 + timedelta(hours=hours))
    dead = await Delivery.filter(adapter=Adapter.EMAIL).order_by("id")
    assert {d.status for d in dead} == {DeliveryStatus.DEAD}

    await staff_signed_in(site, "registry.lead")
    page = await site.page("/staff/review")
    for delivery in dead:
        assert f"/staff/review/deliveries/{delivery.id}/retry" in page
    assert "receipt R-0000001" in page and "reminder" in page
    for delivery in dead:
        response = await site.post(
            f"/staff/review/deliveries/{delivery.id}/retry", {}, form_page="/staff/review",
            follow=False,
        )  # fmt: skip
        assert response.status == 303

    async with smtp_server(sink, sink.port):
        assert await drain(config, now=T0 + timedelta(hours=3)) == 3
    assert len(sink.messages) == 3
