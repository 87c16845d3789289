"""The outbox worker: claim due deliveries, send each through its adapter, record the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from outbound import outbox
from outbound.metrics import OutboxMetrics
from outbound.transport import InProgress, Outgoing, Sender, Sent, TransportError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerSettings:
    concurrency: int = 4  # worker tasks in this process
    poll_interval: float = 0.5  # seconds between looks when idle
    batch_size: int = 10  # deliveries one task claims at a time
    lease: timedelta = timedelta(seconds=60)  # a claim older than this is taken over
    retry: outbox.Retry = field(default_factory=outbox.Retry)


def utc_now() -> datetime:
    return datetime.now(UTC)


class OutboxWorker:
    """Sends every due delivery at least once; never lets one delivery's failure stop the rest."""

    def __init__(
        self,
        senders: Mapping[str, Sender],
        settings: WorkerSettings,
        *,
        metrics: OutboxMetrics | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.senders = dict(senders)
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for due deliveries now (a commit was just announced)."""
        self._wake.set()

    async def run(self) -> None:
        """Keep up to `concurrency` deliveries in flight until cancelled.

        Each claim asks only for as many deliveries as there are free places, so a slow
        receiver holds one place, never a whole batch whose leases would run out waiting.
        """
        free = self.settings.concurrency
        place_freed = asyncio.Event()

        async def send_one(item: Outgoing) -> None:
            nonlocal free
            try:
                await self.deliver(item)
            finally:
                free += 1
                place_freed.set()

        async with asyncio.TaskGroup() as group:
            while True:
                if free == 0:
                    place_freed.clear()
                    await place_freed.wait()
                    continue
                try:
                    claimed = await outbox.claim_due_deliveries(
                        self.clock(), self.settings.lease, min(free, self.settings.batch_size)
                    )
                except Exception:
                    # The database may be restarting: keep the worker alive, look again later.
                    log.exception("outbox worker: claiming failed")
                    claimed = []
                for item in claimed:
                    free -= 1
                    group.create_task(send_one(item))
                if not claimed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.settings.poll_interval)
                    self._wake.clear()

    async def drain_once(self, now: datetime | None = None) -> int:
        """Claim one batch, send it all at once, and return how many deliveries were handled."""
        claimed = await outbox.claim_due_deliveries(
            now or self.clock(), self.settings.lease, self.settings.batch_size
        )
        await asyncio.gather(*(self.deliver(item, now) for item in claimed))
        return len(claimed)

    async def deliver(self, item: Outgoing, now: datetime | None = None) -> None:
        """Send one claimed delivery and record how it ended; never raises."""
        try:
            await self._deliver(item, now)
        except Exception:
            # Recording the outcome failed (database down): the lease runs out and the
            # delivery is sent again — at least once, never lost.
            log.exception("delivery %d: outcome not recorded", item.delivery_id)

    async def _deliver(self, item: Outgoing, now: datetime | None) -> None:
        started = time.perf_counter()
        sender = self.senders.get(item.adapter)
        try:
            if sender is None:
                raise TransportError(f"no adapter {item.adapter!r} configured", permanent=True)
            outcome = await sender.send(item)
        except TransportError as exc:
            await self._failed(item, str(exc), exc.permanent, now)
            return
        except Exception as exc:
            # A bug in an adapter must not lose the delivery: retry it like a transient error.
            log.exception("delivery %d: unexpected error", item.delivery_id)
            await self._failed(item, f"internal error: {type(exc).__name__}", False, now)
            return
        at = now or self.clock()
        if isinstance(outcome, Sent):
            kept = await outbox.record_sent(item, outcome.receipt, at)
            if kept and self.metrics:
                self.metrics.sent(item, time.perf_counter() - started, at)
        elif isinstance(outcome, InProgress):
            check_at = at + timedelta(seconds=outcome.check_after_seconds)
            kept = await outbox.record_in_progress(item, outcome.receipt, check_at)
        if not kept:
            log.warning("delivery %d: lease lost before the outcome was recorded", item.delivery_id)

    async def _failed(
        self, item: Outgoing, reason: str, permanent: bool, now: datetime | None
    ) -> None:
        status = await outbox.record_failure(
            item, reason, permanent=permanent, retry=self.settings.retry, now=now or self.clock()
        )
        log.warning("delivery %d %s: %s", item.delivery_id, status or "lease lost", reason)
        if self.metrics and status is not None:
            self.metrics.failed(item, status.value)
