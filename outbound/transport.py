"""The one interface every outbound adapter implements, and its one error type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class TransportError(Exception):
    """A send failed; `permanent` means retrying the same message cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery, as an adapter sees it."""

    delivery_id: int
    adapter: str
    key: str  # the idempotency key: every send carries it
    payload: dict[str, Any]
    receipt: str | None  # set when an earlier attempt was accepted but not yet finished
    attempts: int


@dataclass(frozen=True)
class Sent:
    """The receiver has the message; `receipt` is its reference (job id, switch reference)."""

    receipt: str


@dataclass(frozen=True)
class InProgress:
    """The receiver accepted the message but has not finished it (a queued fax job).

    The worker keeps the delivery `sending`, stores `receipt`, and offers the delivery again
    after `check_after_seconds`, when the adapter reconciles the final state.
    """

    receipt: str
    check_after_seconds: float


Outcome = Sent | InProgress


class Sender(Protocol):
    """One adapter: a `name` (the `Delivery.adapter` value) and one `send`.

    `send` renders and validates the message, hands it to its transport and returns the
    outcome, or raises `TransportError` (permanent for a message that breaks its format).
    It must be safe to call again with the same key: receivers drop duplicates.
    """

    name: str

    async def send(self, item: Outgoing) -> Outcome: ...
