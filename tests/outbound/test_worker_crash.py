"""A worker killed mid-send loses nothing: its lease expires and the delivery is sent again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from outbound.switch.simulator import SwitchSimulator
from registry.models import Adapter, Delivery, DeliveryStatus
from tests.outbound.conftest import make_worker, record_service
from tests.outbound.gateways import eventually, start_gateway, stop, wait_until_healthy

pytestmark = pytest.mark.usefixtures("registry")


async def faxes_sent() -> bool:
    return (
        not await Delivery.filter(adapter=Adapter.FAX).exclude(status=DeliveryStatus.SENT).count()
    )


async def test_a_worker_killed_mid_send_leaves_a_lease_that_expires_and_the_delivery_is_sent(
    registry_url: str, switch: tuple[SwitchSimulator, int], tmp_path: Path
) -> None:
    simulator, port = switch
    simulator.behaviour.delay = 600  # the switch takes the message and never answers in time
    process, http_port = start_gateway(
        tmp_path / "gateway", registry_url, port, lease_seconds="5", tcp_timeout_seconds="600"
    )
    try:
        await wait_until_healthy(process, http_port, tmp_path / "gateway")
        await record_service()
        await eventually(lambda: len(simulator.received) == 2)
        await eventually(faxes_sent)  # only the switch messages are left mid-send
        process.kill()  # SIGKILL: no clean-up, no outcome recorded
        process.wait()
    finally:
        stop(process)

    owed = await Delivery.filter(adapter__in=(Adapter.COLLECT, Adapter.NCIC)).order_by("id")
    assert [row.status for row in owed] == [DeliveryStatus.SENDING] * 2
    lease_until = max(row.lease_until for row in owed if row.lease_until)
    simulator.behaviour.delay = 0
    worker = make_worker(tmp_path, port)
    assert await worker.drain_once(now=datetime.now(UTC)) == 0  # the lease still holds

    assert await worker.drain_once(now=lease_until + timedelta(seconds=1)) == 2
    sent = await Delivery.filter(adapter__in=(Adapter.COLLECT, Adapter.NCIC)).order_by("id")
    assert [(row.status, row.attempts) for row in sent] == [(DeliveryStatus.SENT, 2)] * 2
    # At least once: the switch saw each key twice and drops the second by its key.
    assert sorted(simulator.received.values()) == [2, 2]
    assert len(simulator.accepted) == 2
