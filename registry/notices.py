"""Mail and chat messages the registry owes someone: deliveries like a fax, never sent inline.

A notice is written in the same transaction as what caused it (a stored email, a staff
decision, a reminder's claim, a recorded entry), and the outbox worker sends it with the same
retries, dead letters, idempotency keys and staff Retry as every other delivery. What it says is
rendered at sending from `outbound/templates/{email,chat}/<template>`, with `context`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from registry.enums import Adapter
from registry.models import Delivery, InboundMessage, Reminder


@dataclass(frozen=True)
class Notice:
    """One message to one address (email) or linked chat (telegram)."""

    adapter: Adapter  # Adapter.EMAIL or Adapter.TELEGRAM
    to: str  # the email address, or the chat id
    template: str  # a template's name, without its folder or ending
    context: dict[str, Any] = field(default_factory=dict)  # plain JSON values
    subject: str = ""  # email only
    in_reply_to: str = ""  # email only: the Message-ID answered

    def payload(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "template": self.template,
            "context": self.context,
            "subject": self.subject,
            "in_reply_to": self.in_reply_to,
        }


async def owe_notices(
    notices: Iterable[Notice],
    *,
    now: datetime,
    connection: BaseDBAsyncClient,
    inbound: InboundMessage | None = None,
    reminder: Reminder | None = None,
) -> list[Delivery]:
    """Write each notice as a pending delivery, inside the caller's transaction."""
    written = []
    for notice in notices:
        if notice.adapter not in (Adapter.EMAIL, Adapter.TELEGRAM):
            raise ValueError(f"a notice goes by email or telegram, not {notice.adapter.value}")
        delivery = Delivery(
            adapter=notice.adapter,
            destination=notice.to[:200],
            inbound=inbound,
            reminder=reminder,
            payload=notice.payload(),
            idempotency_key=uuid.uuid4(),
            next_attempt_at=now,
            created_at=now,
        )
        await delivery.save(using_db=connection)
        written.append(delivery)
    return written
