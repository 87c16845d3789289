"""The state switch (`collect`) and NCIC adapters: render, validate, hand to a link."""

from __future__ import annotations

from typing import Protocol

from outbound.render import Templates
from outbound.spool import Spool
from outbound.transport import Outcome, Outgoing, Sent
from outbound.update import check_update


class MessageLink(Protocol):
    """Carries one rendered message to its receiver and returns the receiver's reference."""

    async def deliver(self, key: str, message: str, day: str) -> str: ...


class SwitchSender:
    """Send a service update as one switch message, rendered from `outbound/templates/<name>.j2`."""

    def __init__(self, name: str, templates: Templates, link: MessageLink) -> None:
        self.name = name
        self.templates = templates
        self.link = link

    async def send(self, item: Outgoing) -> Outcome:
        update = check_update(item.payload, item.key, self.name)
        message = self.templates.message(self.name, update)
        return Sent(await self.link.deliver(item.key, message, update.recorded[:8]))


class SpoolLink:
    """Write each message to `spool/<adapter>/<yyyymmdd>/<key>.txt` (the recorded date).

    The date comes from the entry, not the clock, so a resend on a later day finds the file.
    """

    def __init__(self, spool: Spool, adapter: str) -> None:
        self.spool, self.adapter = spool, adapter

    async def deliver(self, key: str, message: str, day: str) -> str:
        path = await self.spool.write(
            self.adapter, day, key, "txt", (message + "\n").encode("ascii"), {}
        )
        return str(path)
