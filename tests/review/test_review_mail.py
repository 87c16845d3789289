"""The sender of an emailed report is told what staff decided, through the relay."""

from __future__ import annotations

import asyncio

from aiosmtpd.smtp import SMTP

from gateway.config import SmtpConfig
from gateway.web.review_mail import send_decision
from registry.models import Role
from registry.review_decisions import reject_report
from tests.conftest import free_port
from tests.factories import T0, make_case, make_user
from tests.gateway.test_smtp import Sink
from tests.review.conftest import SENDER, emailed_item, sample


async def test_the_sender_of_a_rejected_report_is_told_the_reason(registry: str) -> None:
    await make_case()
    staff = await make_user("registry.clerk", role=Role.STAFF)
    item = await emailed_item(sample("missing-time-misspelt-method.eml"))
    decided = await reject_report(
        item.id, 0, "no such service: the respondent was in custody", staff=staff, now=T0
    )
    sink = Sink(free_port())
    relay = await asyncio.get_running_loop().create_server(
        lambda: SMTP(sink), "127.0.0.1", sink.port
    )
    try:
        config = SmtpConfig(relay_host="127.0.0.1", relay_port=sink.port)
        assert await send_decision(decided, config=config, docket="HHD-FA-26-6012345-S")
    finally:
        relay.close()
        await relay.wait_closed()

    [message] = sink.messages
    assert message["To"] == SENDER
    assert message["Subject"] == "Rejected [R-0000001]: HHD-FA-26-6012345-S"
    assert message["Auto-Submitted"] == "auto-replied"
    body = message.get_content()
    assert "NOT recorded" in body
    assert "Reason:       no such service: the respondent was in custody" in body


async def test_no_relay_means_no_email_and_the_decision_still_stands(registry: str) -> None:
    await make_case()
    staff = await make_user("registry.clerk", role=Role.STAFF)
    item = await emailed_item(sample("missing-time-misspelt-method.eml"))
    decided = await reject_report(item.id, 0, "duplicate", staff=staff, now=T0)

    assert not await send_decision(decided, config=SmtpConfig(relay_host=""), docket="")
