"""A web site on a fixed clock with emailed reports waiting in the review queue."""

from __future__ import annotations

from pathlib import Path

from registry.inbound import keep_email
from registry.intake import read_email
from registry.models import ReviewItem
from registry.policy import REGISTRY_ZONE
from tests.factories import T0
from tests.web.conftest import Site, make_account, site

__all__ = ["Site", "emailed_item", "make_account", "sample", "site"]

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "review"
SENDER = "jdoe.marshal@example.com"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


async def emailed_item(raw: bytes, *, sender: str = SENDER) -> ReviewItem:
    """Store and read one email as the mailbox does, and return its review item."""
    stored = await keep_email(
        raw, mail_from=sender, rcpt_tos=["registry@por.example.gov"], peer="127.0.0.1",
        received_at=T0,
    )  # fmt: skip
    await read_email(stored.inbound.id, tz=REGISTRY_ZONE)
    return await ReviewItem.get(inbound_id=stored.inbound.id)
