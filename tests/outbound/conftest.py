"""Fixtures of the outbound tests: a served entry, the switch simulator, a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from outbound.fax.page import Callback
from outbound.fax.sender import FaxSender, SpoolFax
from outbound.outbox import Retry
from outbound.render import Templates
from outbound.spool import Spool
from outbound.switch.sender import SpoolLink, SwitchSender
from outbound.switch.simulator import SwitchSimulator
from outbound.switch.tcp import TcpLink
from outbound.transport import Sender
from outbound.worker import OutboxWorker, WorkerSettings
from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Entry, Method
from registry.policy import Policy
from tests.factories import T0, make_case, make_user

DATA = Path(__file__).parent.parent / "data" / "outbound"
CALLBACK = Callback("Registry Section", phone="860-555-0100", fax="860-555-0199")
# Three towns, two agencies: Andover and Bolton are both Troop K's, Hartford has its own police.
TOWNS = {
    "respondent_town": "Andover",
    "protected_home_town": "Bolton",
    "protected_work_town": "Hartford",
}


async def record_service(docket: str = "HHD-FA-26-6012345-S", **case: object) -> Entry:
    """Record a hand service of a case in the three towns, as an officer would."""
    await make_case(docket, **(TOWNS | case))  # type: ignore[arg-type]
    officer = await make_user(f"marshal.{docket[-9:-2]}", full_name="Jane Doe")
    draft = EntryDraft(
        docket_number=docket,
        activity=Activity.SERVICE,
        occurred_at=T0 - timedelta(minutes=30),
        method=Method.HAND,
        police_assistance=True,
    )
    return await record_entry(draft, officer=officer, channel=Channel.WEB, policy=Policy(), now=T0)


@pytest.fixture
async def switch() -> AsyncIterator[tuple[SwitchSimulator, int]]:
    """The switch simulator on a loopback port."""
    simulator = SwitchSimulator()
    port = await simulator.start()
    yield simulator, port
    await simulator.stop()


def make_worker(
    spool_dir: Path, switch_port: int | None = None, *, max_attempts: int = 8, timeout: float = 5
) -> OutboxWorker:
    """A worker sending faxes to a spool and switch messages to the simulator (or a spool)."""
    templates = Templates()
    spool = Spool(spool_dir)

    def link(adapter: str) -> SpoolLink | TcpLink:
        if switch_port is None:
            return SpoolLink(spool, adapter)
        return TcpLink("127.0.0.1", switch_port, timeout=timeout)

    senders: dict[str, Sender] = {
        "fax": FaxSender(templates, SpoolFax(spool), callback=CALLBACK),
        "collect": SwitchSender("collect", templates, link("collect")),
        "ncic": SwitchSender("ncic", templates, link("ncic")),
    }
    settings = WorkerSettings(batch_size=50, retry=Retry(max_attempts=max_attempts))
    return OutboxWorker(senders, settings)
