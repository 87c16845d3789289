"""Staff see where every delivery is (`outbox status`, /metrics) and replay dead ones."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outbound.metrics import OutboxMetrics
from outbound.outbox import dead_deliveries
from outbound.switch.simulator import SwitchSimulator
from registry.models import Adapter, AuditEvent, Delivery, DeliveryStatus
from tests.factories import T0
from tests.outbound.conftest import make_worker, record_service
from tests.outbound.gateways import ROOT

pytestmark = pytest.mark.usefixtures("registry")


async def por_gateway(registry_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POR_DATABASE_URL": registry_url}
    command = [sys.executable, "-m", "gateway", "--config", str(ROOT / "config.toml"), *args]
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=60
    )


async def test_status_counts_by_adapter_and_status_and_retry_replays_a_dead_delivery(
    registry_url: str, switch: tuple[SwitchSimulator, int], tmp_path: Path
) -> None:
    simulator, port = switch
    simulator.behaviour.nak_permanent = True
    await record_service()
    await make_worker(tmp_path, port).drain_once(now=T0)
    dead = await dead_deliveries()
    assert [row.adapter for row in dead] == [Adapter.NCIC, Adapter.COLLECT]

    status = await por_gateway(registry_url, "outbox", "status")
    assert status.returncode == 0, status.stderr
    lines = [line.split() for line in status.stdout.splitlines()]
    assert ["collect", "dead", "1"] in lines
    assert ["fax", "sent", "2"] in lines
    assert ["ncic", "dead", "1"] in lines
    assert "oldest not yet sent: none" in status.stdout

    replayed = await por_gateway(registry_url, "outbox", "retry", str(dead[0].id))
    assert replayed.returncode == 0, replayed.stderr
    assert "will be sent again" in replayed.stdout
    row = await Delivery.get(id=dead[0].id)
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert await AuditEvent.filter(action="delivery.replayed").count() == 1

    simulator.behaviour.nak_permanent = False
    await make_worker(tmp_path, port).drain_once()
    assert (await Delivery.get(id=dead[0].id)).status is DeliveryStatus.SENT


async def test_retry_refuses_a_delivery_that_is_not_dead_or_failed(
    registry_url: str, tmp_path: Path
) -> None:
    await record_service()
    await make_worker(tmp_path).drain_once(now=T0)
    sent = await Delivery.first()
    assert sent is not None
    refused = await por_gateway(registry_url, "outbox", "retry", str(sent.id))
    assert refused.returncode == 1
    assert f"delivery {sent.id} not replayed: it is sent" in refused.stderr


async def test_metrics_show_counts_the_oldest_pending_age_and_send_latencies(
    tmp_path: Path,
) -> None:
    await record_service()
    metrics = OutboxMetrics()
    before = (await metrics.render(T0.replace(minute=5))).decode()
    assert 'por_outbox_deliveries{adapter="fax",status="pending"} 2.0' in before
    assert "por_outbox_oldest_pending_seconds 300.0" in before

    worker = make_worker(tmp_path)
    worker.metrics = metrics
    await worker.drain_once(now=T0)
    after = (await metrics.render(T0)).decode()
    assert 'por_outbox_deliveries{adapter="ncic",status="sent"} 1.0' in after
    assert "por_outbox_oldest_pending_seconds 0.0" in after
    assert 'por_outbox_sent_total{adapter="fax"} 2.0' in after
    assert 'por_outbox_send_seconds_count{adapter="collect"} 1.0' in after
    assert 'por_outbox_commit_to_sent_seconds_count{adapter="ncic"} 1.0' in after
