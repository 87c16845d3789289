"""Raw email is kept once per message: a resend is the same content, never just the same ID."""

from __future__ import annotations

import hashlib

import pytest

from registry.inbound import keep_email, namesakes
from registry.models import Channel, InboundMessage
from tests.factories import T0

pytestmark = pytest.mark.usefixtures("registry")
MESSAGE = (
    b"From: Kim Brandt <kbrandt@example.com>\r\n"
    b"To: registry@por.example.gov\r\n"
    b"Message-ID: <1234@mail.example.com>\r\n"
    b"Subject: served HHD-FA-26-6012345-S\r\n"
    b"\r\n"
    b"Served in hand at 9:30, no police.\r\n"
)


async def keep(raw: bytes) -> tuple[str, bool]:
    kept = await keep_email(
        raw, mail_from="kbrandt@example.com", rcpt_tos=["registry@por.example.gov"],
        peer="127.0.0.1", received_at=T0,
    )  # fmt: skip
    return kept.inbound.reference, kept.duplicate


async def test_a_byte_identical_resend_is_kept_once() -> None:
    assert await keep(MESSAGE) == ("R-0000001", False)
    assert await keep(MESSAGE) == ("R-0000001", True)


async def test_the_same_message_passed_on_by_another_relay_is_kept_once() -> None:
    await keep(MESSAGE)
    relayed = b"Received: from mx2.example.net by por; Mon, 2 Nov 2026 10:00:00 -0500\r\n"
    relayed += b"Return-Path: <kbrandt@example.com>\r\n" + MESSAGE.replace(b"\r\n", b"\n")
    assert await keep(relayed) == ("R-0000001", True)


async def test_a_different_message_with_the_same_message_id_is_kept_and_named() -> None:
    await keep(MESSAGE)
    other = MESSAGE.replace(b"9:30, no police", b"10:15, police assisted")
    assert await keep(other) == ("R-0000002", False)
    first, second = await InboundMessage.all().order_by("id")
    assert [m.reference for m in await namesakes(second)] == ["R-0000001"]
    assert [m.reference for m in await namesakes(first)] == ["R-0000002"]


async def test_a_message_kept_under_the_old_key_is_still_recognised_when_resent() -> None:
    # Before the content was part of the key, it was the sender and Message-ID alone.
    old_key = hashlib.sha256(b"kbrandt@example.com\n<1234@mail.example.com>").hexdigest()
    await InboundMessage.create(
        channel=Channel.EMAIL, payload=MESSAGE, received_at=T0, dedupe_key=f"email:mid:{old_key}"
    )
    assert await keep(MESSAGE) == ("R-0000001", True)
    changed = MESSAGE.replace(b"no police", b"police assisted")
    assert await keep(changed) == ("R-0000002", False)  # the old key no longer swallows it
