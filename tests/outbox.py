"""Wait for the outbox in tests: every delivery sent, or parked for a retry or for staff."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import datetime
from pathlib import Path

from gateway.config import Config
from gateway.outbox import build_senders, worker_settings
from outbound.chat import ChatLink
from outbound.worker import OutboxWorker
from registry.models import Delivery, DeliveryStatus

UNDER_WAY = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


async def outbox_settled(seconds: float = 15) -> None:
    """Return once no delivery is pending or being sent (the running worker did its work)."""
    deadline = time.monotonic() + seconds
    while await Delivery.filter(status__in=UNDER_WAY).exists():
        assert time.monotonic() < deadline, "the outbox did not send its deliveries in time"
        await asyncio.sleep(0.02)


async def drain(
    config: Config,
    *,
    spool: Path | None = None,
    now: datetime | None = None,
    chat: ChatLink | None = None,
) -> int:
    """Send every due delivery with the gateway's own adapters, as its worker would; count them.

    Faxes and switch messages go to `spool` (else the configured one); mail through the
    configured relay (else the spool); chat messages through `chat`.
    """
    if spool is not None:
        outbound = dataclasses.replace(config.outbound, spool_dir=str(spool))
        config = dataclasses.replace(config, outbound=outbound)
    settings = dataclasses.replace(worker_settings(config), batch_size=50)
    worker = OutboxWorker(build_senders(config, chat), settings)
    handled = 0
    while claimed := await worker.drain_once(now=now):
        handled += claimed
    return handled
