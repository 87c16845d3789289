"""Faxes go to a real HylaFAX server; the job's final state decides the delivery's.

The fixture runs Debian's faxq and hfaxd on a private spool and port. There is no modem: a
stand-in `SendFaxCmd` ends each job the way a call would (a number ending 0000 never answers),
so the real scheduler marks jobs DONE or FAILED (../shared/LIBRARY-NOTES.md, HylaFAX).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from outbound.fax.hylafax import HylaFax
from outbound.fax.sender import FaxSender
from outbound.outbox import Retry
from outbound.render import Templates
from outbound.worker import OutboxWorker, WorkerSettings
from registry.models import Adapter, Agency, Delivery, DeliveryStatus
from tests.conftest import free_port
from tests.factories import T0
from tests.outbound.conftest import CALLBACK, record_service


def tool(name: str) -> str:
    """Find a HylaFAX daemon, also when /usr/sbin is not on PATH."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin") or name


pytestmark = pytest.mark.usefixtures("registry")
MODEMS = 4
FAKE_CALL = """#!/bin/sh
# SendFaxCmd stand-in, called as: fake-call -m MODEM JOBFILE... Append how the call went to
# each job file, as faxsend does.
shift 2
for job in "$@"; do
  number=$(sed -n 's/^number://p' "$job")
  echo "$number" >> etc/calls.log
  case "$number" in
    *0000) printf 'returned:1\\nstatus:Fax protocol error (simulated)\\n' >> "$job" ;;
    *) echo 'returned:2' >> "$job" ;;
  esac
done
"""


@pytest.fixture
def hylafax() -> Iterator[tuple[int, FaxScheduler]]:
    """faxq + hfaxd on a private spool; yields (hfaxd port, scheduler)."""
    # Fails, never skips: .ci/run installs Debian's hylafax-server when it is missing.
    assert shutil.which(tool("faxq")), "faxq is missing: apt-get install -y hylafax-server"
    # Not under tmp_path: pytest makes those 0700, and HylaFAX runs as uucp.
    home = Path(tempfile.mkdtemp(prefix="por-hylafax-"))
    home.chmod(0o755)
    spool = home / "spool"
    shutil.copytree("/var/spool/hylafax", spool, symlinks=True)
    shutil.rmtree(spool / "etc")
    shutil.copytree("/etc/hylafax", spool / "etc", symlinks=True)
    with (spool / "etc" / "hosts.hfaxd").open("a") as hosts:
        hosts.write("127.0.0.1:21::\n")
    with (spool / "etc" / "config").open("a") as config:
        # One job per call: faxq would otherwise batch jobs to one number into one call.
        config.write("SendFaxCmd: bin/fake-call\nMaxBatchJobs: 1\nMaxConcurrentCalls: 4\n")
    (spool / "bin" / "fake-call").write_text(FAKE_CALL)
    (spool / "bin" / "fake-call").chmod(0o755)
    subprocess.run(["chown", "-R", "uucp:uucp", str(spool)], check=True)
    port = free_port()
    scheduler = FaxScheduler(spool)
    hfaxd = subprocess.Popen(
        [tool("hfaxd"), "-d", "-q", str(spool), "-l", "127.0.0.1", "-i", str(port)],
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        # Without faxgetty nobody tells faxq a modem is free again after a call: one modem per
        # job the test makes.
        scheduler.start()
        yield port, scheduler
    finally:
        scheduler.stop()
        hfaxd.terminate()
        hfaxd.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


class FaxScheduler:
    """faxq and its stand-in modems.

    With no faxgetty to report a modem idle after a call, faxq sometimes leaves a new job
    READY for tens of seconds; `restart` (as an operator would) makes it schedule at once.
    """

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [tool("faxq"), "-D", "-q", str(self.spool)], stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        for n in range(MODEMS):
            # faxmodem fails until faxq has opened its FIFO.
            command = [tool("faxmodem"), "-q", str(self.spool), f"ttyFAKE{n}"]
            while subprocess.run(command, timeout=10, stderr=subprocess.DEVNULL).returncode:
                assert time.monotonic() < deadline, "faxq did not open its FIFO"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "hfaxd did not start"
            time.sleep(0.05)


@pytest.fixture
async def fax_worker(hylafax: tuple[int, FaxScheduler]) -> AsyncIterator[OutboxWorker]:
    port, _ = hylafax
    transport = HylaFax("127.0.0.1", port, user="por", check_after=0)
    sender = FaxSender(Templates(), transport, callback=CALLBACK)
    yield OutboxWorker({"fax": sender}, WorkerSettings(retry=Retry(max_attempts=2)))


async def faxes() -> dict[str, Delivery]:
    rows = await Delivery.filter(adapter=Adapter.FAX)
    return {row.destination: row for row in rows}


async def test_a_fax_becomes_a_job_and_its_end_decides_sent_or_retried_then_dead(
    fax_worker: OutboxWorker, hylafax: tuple[int, FaxScheduler]
) -> None:
    _, scheduler = hylafax
    spool = scheduler.spool
    await Agency.filter(name="Connecticut State Police Troop K").update(fax_number="860-555-1234")
    await Agency.filter(name="Hartford Police Department").update(fax_number="860-555-0000")
    await record_service()

    await fax_worker.drain_once(now=T0)
    submitted = await faxes()
    assert {row.status for row in submitted.values()} == {DeliveryStatus.SENDING}, [
        r.last_error for r in submitted.values()
    ]
    assert all(str(row.receipt).startswith("hylafax:") for row in submitted.values())
    first_jobs = {name: row.receipt for name, row in submitted.items()}

    now = T0
    deadline = time.monotonic() + 40
    seen, seen_since = None, time.monotonic()
    while True:
        rows = (await faxes()).values()
        state = sorted((row.status.value, str(row.receipt)) for row in rows)
        if all(row.status in (DeliveryStatus.SENT, DeliveryStatus.DEAD) for row in rows):
            break
        assert time.monotonic() < deadline, state
        if state != seen:
            seen, seen_since = state, time.monotonic()
        elif time.monotonic() - seen_since > 3:
            await asyncio.to_thread(scheduler.restart)
            seen_since = time.monotonic()
        now += timedelta(minutes=1)
        await fax_worker.drain_once(now=now)
        await asyncio.sleep(0.1)  # the real scheduler is working on the jobs

    done = await faxes()
    troop_k, hartford = done["Connecticut State Police Troop K"], done["Hartford Police Department"]
    assert (troop_k.status, troop_k.receipt) == (
        DeliveryStatus.SENT,
        first_jobs["Connecticut State Police Troop K"],
    )
    job_id = str(troop_k.receipt).removeprefix("hylafax:")
    assert (spool / "doneq" / f"q{job_id}").exists()
    assert hartford.status is DeliveryStatus.DEAD
    assert "failed: Fax protocol error (simulated)" in str(hartford.last_error)
    assert "gave up after 2 attempts" in str(hartford.last_error)
    calls = (spool / "etc" / "calls.log").read_text().split()
    assert sorted(calls) == ["18605550000", "18605550000", "18605551234"]
