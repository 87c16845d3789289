"""Messages reach the switch over tcp; its ACK, NAK, silence or hang-up decides the outcome."""

from __future__ import annotations

import asyncio
import struct
from datetime import timedelta
from pathlib import Path

import pytest

from outbound.outbox import Retry
from outbound.switch.framing import frame, parse_answer, read_frame, request
from outbound.switch.simulator import SwitchSimulator
from registry.models import Adapter, Delivery, DeliveryStatus
from tests.factories import T0
from tests.outbound.conftest import make_worker, record_service

pytestmark = pytest.mark.usefixtures("registry")
Switch = tuple[SwitchSimulator, int]


async def switch_deliveries() -> list[Delivery]:
    return await Delivery.filter(adapter__in=(Adapter.COLLECT, Adapter.NCIC)).order_by("id")


async def test_a_frame_is_a_four_byte_big_endian_length_and_an_ascii_payload(
    switch: Switch,
) -> None:
    _, port = switch
    payload = request("k-1", "NOT A MESSAGE.")
    assert frame(payload) == struct.pack(">I", len(payload)) + payload.encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(frame(payload))
    answer = parse_answer(await read_frame(reader))
    writer.close()
    await writer.wait_closed()
    assert (answer.accepted, answer.key, answer.code) == (False, "k-1", "P01")


async def test_the_switch_acks_each_message_and_its_reference_is_the_receipt(
    switch: Switch, tmp_path: Path
) -> None:
    simulator, port = switch
    await record_service()
    assert await make_worker(tmp_path, port).drain_once(now=T0) == 4
    rows = await switch_deliveries()
    assert [row.status for row in rows] == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    assert {row.receipt for row in rows} == {"SW00000001", "SW00000002"}
    assert sorted(simulator.received) == sorted(str(row.idempotency_key) for row in rows)
    assert [m[:4] for m in simulator.messages] == ["SVC.", "MPO."]


async def test_a_switch_that_naks_transiently_gets_retries_with_backoff_and_then_succeeds(
    switch: Switch, tmp_path: Path
) -> None:
    simulator, port = switch
    simulator.behaviour.nak_transient = 2
    await record_service()
    worker = make_worker(tmp_path, port)

    await worker.drain_once(now=T0)
    first = await switch_deliveries()
    assert {row.status for row in first} == {DeliveryStatus.FAILED}
    assert all("T01 switch busy" in str(row.last_error) for row in first)
    # attempt⁴ seconds, ±10 %: the first retry waits about 1 s, the second about 16 s.
    for row in first:
        assert timedelta(seconds=0.9) <= row.next_attempt_at - T0 <= timedelta(seconds=1.1)
    assert await worker.drain_once(now=T0 + timedelta(seconds=0.5)) == 0

    await worker.drain_once(now=T0 + timedelta(seconds=2))
    second = await switch_deliveries()
    for row in second:
        wait = row.next_attempt_at - (T0 + timedelta(seconds=2))
        assert timedelta(seconds=14.4) <= wait <= timedelta(seconds=17.6)

    await worker.drain_once(now=T0 + timedelta(seconds=20))
    done = await switch_deliveries()
    assert [(row.status, row.attempts) for row in done] == [(DeliveryStatus.SENT, 3)] * 2
    assert all(count == 3 for count in simulator.received.values())


async def test_a_permanent_nak_makes_the_delivery_dead_with_the_reason(
    switch: Switch, tmp_path: Path
) -> None:
    simulator, port = switch
    simulator.behaviour.nak_permanent = True
    await record_service()
    await make_worker(tmp_path, port).drain_once(now=T0)
    rows = await switch_deliveries()
    assert [row.status for row in rows] == [DeliveryStatus.DEAD] * 2
    assert [row.last_error for row in rows] == ["switch refused: P02 record not on file"] * 2
    assert [row.attempts for row in rows] == [1, 1]


async def test_a_silent_or_hanging_up_switch_is_retried_until_attempts_run_out(
    switch: Switch, tmp_path: Path
) -> None:
    simulator, port = switch
    simulator.behaviour.drop_first = 2
    await record_service()
    worker = make_worker(tmp_path, port, max_attempts=2, timeout=0.2)
    await worker.drain_once(now=T0)
    assert {row.status for row in await switch_deliveries()} == {DeliveryStatus.FAILED}

    simulator.behaviour.delay = 5  # slower than the worker's 0.2 s timeout
    await worker.drain_once(now=T0 + timedelta(seconds=60))
    rows = await switch_deliveries()
    assert [row.status for row in rows] == [DeliveryStatus.DEAD] * 2
    assert all("no answer from the switch within 0.2 s" in str(row.last_error) for row in rows)
    assert all("gave up after 2 attempts" in str(row.last_error) for row in rows)


async def test_retry_backoff_is_capped_and_jittered_by_at_most_ten_percent() -> None:
    retry = Retry(cap=timedelta(minutes=30))
    assert retry.delay(3).total_seconds() == pytest.approx(81, rel=0.1)
    assert retry.delay(8).total_seconds() == pytest.approx(1800, rel=0.1)
