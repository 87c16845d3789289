"""Several gateway processes on one PostgreSQL share the outbox: each delivery is sent once."""

from __future__ import annotations

import asyncio
import re
import urllib.request
import uuid
from pathlib import Path

import pytest

from outbound.switch.simulator import SwitchSimulator
from registry.models import Adapter, Delivery, DeliveryStatus
from tests.outbound.conftest import record_service
from tests.outbound.gateways import (
    METRICS_TOKEN,
    eventually,
    start_gateway,
    stop,
    wait_until_healthy,
)

pytestmark = pytest.mark.postgres_only  # several processes share one PostgreSQL
DELIVERIES = 2000


def sent_by(port: int) -> float:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        text = response.read().decode()
    return sum(float(n) for n in re.findall(r"^por_outbox_sent_total\{[^}]*\} (\S+)$", text, re.M))


async def test_two_serve_processes_on_postgresql_send_2000_deliveries_each_exactly_once(
    postgres_registry: str, switch: tuple[SwitchSimulator, int], tmp_path: Path
) -> None:
    simulator, port = switch
    gateways = [
        start_gateway(tmp_path / f"gateway{n}", postgres_registry, port, worker_concurrency="8")
        for n in (1, 2)
    ]
    try:
        for n, (process, http_port) in enumerate(gateways, start=1):
            await wait_until_healthy(process, http_port, tmp_path / f"gateway{n}")
        entry = await record_service()
        template = await Delivery.get(entry_id=entry.id, adapter=Adapter.COLLECT)
        await Delivery.bulk_create(
            [
                Delivery(
                    entry_id=entry.id,
                    adapter=(Adapter.COLLECT, Adapter.NCIC)[n % 2],
                    destination=template.destination,
                    payload=template.payload,
                    idempotency_key=uuid.uuid4(),
                    next_attempt_at=template.next_attempt_at,
                    created_at=template.created_at,
                )
                for n in range(DELIVERIES - 2)
            ]
        )

        async def all_sent() -> bool:
            return await Delivery.filter(status=DeliveryStatus.SENT).count() == DELIVERIES + 2

        await eventually(all_sent, seconds=60)
        shares = [await asyncio.to_thread(sent_by, http_port) for _, http_port in gateways]
    finally:
        for process, _ in gateways:
            stop(process)

    assert len(simulator.received) == DELIVERIES
    assert set(simulator.received.values()) == {1}
    assert sum(shares) == DELIVERIES + 2  # the two faxes went to the spool
    assert all(share > 0 for share in shares), shares
    assert all(process.returncode == 0 for process, _ in gateways)
