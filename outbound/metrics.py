"""Prometheus metrics of the outbox: counts by adapter and status, age of the oldest, latencies."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from outbound.outbox import outbox_status
from outbound.transport import Outgoing

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class OutboxMetrics:
    """One registry per application, so tests can build several side by side."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Gauge(
            "por_outbox_deliveries",
            "Deliveries in the outbox by adapter and status (all processes)",
            ["adapter", "status"],
            registry=self.registry,
        )
        self.oldest_pending = Gauge(
            "por_outbox_oldest_pending_seconds",
            "Age of the oldest delivery not yet sent or dead (0 when none)",
            registry=self.registry,
        )
        self.sends = Counter(
            "por_outbox_sent",
            "Deliveries this process sent",
            ["adapter"],
            registry=self.registry,
        )
        self.failures = Counter(
            "por_outbox_failures",
            "Failed sends in this process, by the status they left (failed: retry, dead)",
            ["adapter", "status"],
            registry=self.registry,
        )
        self.send_seconds = Histogram(
            "por_outbox_send_seconds",
            "Time one successful send took",
            ["adapter"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.commit_to_sent = Histogram(
            "por_outbox_commit_to_sent_seconds",
            "From the entry's commit (recorded at) to the delivery being sent",
            ["adapter"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def sent(self, item: Outgoing, seconds: float, at: datetime) -> None:
        self.sends.labels(item.adapter).inc()
        self.send_seconds.labels(item.adapter).observe(seconds)
        recorded = item.payload.get("recorded_at")
        if isinstance(recorded, str):
            waited = (at - datetime.fromisoformat(recorded)).total_seconds()
            self.commit_to_sent.labels(item.adapter).observe(max(waited, 0.0))

    def failed(self, item: Outgoing, status: str) -> None:
        self.failures.labels(item.adapter, status).inc()

    async def render(self, now: datetime) -> bytes:
        """Refresh the outbox gauges from the database and return the text exposition."""
        status = await outbox_status()
        self.deliveries.clear()
        for (adapter, state), count in status.counts.items():
            self.deliveries.labels(adapter, state).set(count)
        age = status.oldest_pending_age(now)
        self.oldest_pending.set(age.total_seconds() if age else 0.0)
        return generate_latest(self.registry)
