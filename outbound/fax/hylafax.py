"""Fax through an on-premises HylaFAX server: submit a job to hfaxd, later reconcile its state.

hfaxd speaks an FTP dialect; stdlib ftplib carries it (no PyPI package speaks it). One
connection per job: `JNEW` copies the current job's parameters.
"""

from __future__ import annotations

import asyncio
import ftplib
import io
import re
from datetime import UTC, datetime, timedelta

from outbound.fax.sender import FaxJob, need_number
from outbound.transport import InProgress, Outcome, Sent, TransportError

RECEIPT_PREFIX = "hylafax:"
DONE = "DONE"
ENDED_BADLY = ("FAILED",)  # hfaxd reports a killed job as FAILED too
_FILE = re.compile(r"FILE: (\S+)\)")
_JOB = re.compile(r"jobid: (\d+)")


class HylaFax:
    def __init__(
        self, host: str, port: int, *, user: str, check_after: float, kill_after_hours: int = 3
    ) -> None:
        self.host, self.port, self.user = host, port, user
        self.check_after = check_after
        self.kill_after_hours = kill_after_hours
        self._one_upload = asyncio.Lock()

    async def submit(self, job: FaxJob) -> Outcome:
        number = need_number(job)
        async with self._one_upload:
            job_id = await asyncio.to_thread(self._submit, job, number)
        return InProgress(f"{RECEIPT_PREFIX}{job_id}", self.check_after)

    async def check(self, receipt: str) -> Outcome:
        job_id = receipt.removeprefix(RECEIPT_PREFIX)
        state, status = await asyncio.to_thread(self._state, job_id)
        if state == DONE:
            return Sent(receipt)
        if state in ENDED_BADLY:
            raise TransportError(f"fax job {job_id} {state.lower()}: {status or 'no status'}")
        return InProgress(receipt, self.check_after)

    def _connect(self) -> ftplib.FTP:
        ftp = ftplib.FTP()  # noqa: S321 - hfaxd's protocol is FTP-like, on the internal network
        try:
            ftp.connect(self.host, self.port, timeout=30)
            ftp.sendcmd(f"USER {self.user}")
        except (OSError, ftplib.Error) as exc:
            ftp.close()
            raise TransportError(f"HylaFAX server unreachable: {exc}") from None
        return ftp

    def _submit(self, job: FaxJob, number: str) -> str:
        ftp = self._connect()
        try:
            ftp.sendcmd("TYPE I")
            ftp.sendcmd("FORM PDF")
            stored = ftp.storbinary("STOT", io.BytesIO(job.pdf))
            document = _FILE.search(stored)
            created = _JOB.search(ftp.sendcmd("JNEW"))
            if document is None or created is None:
                raise TransportError(f"HylaFAX answered out of protocol: {stored!r}")
            now = datetime.now(UTC)
            ftp.sendcmd(f"JPARM DIALSTRING {number.lstrip('+')}")
            ftp.sendcmd(f"JPARM SENDTIME {now:%Y%m%d%H%M}")
            # LASTTIME is the kill time relative to now (DDHHMM); without it hfaxd refuses
            # the job as already expired.
            ftp.sendcmd(f"JPARM LASTTIME {_ddhhmm(timedelta(hours=self.kill_after_hours))}")
            ftp.sendcmd(f"JPARM JOBINFO {job.key}")
            ftp.sendcmd(f"JPARM DOCUMENT {document.group(1)}")
            ftp.sendcmd("JSUBM")
            return created.group(1)
        except (OSError, ftplib.Error) as exc:
            # Transient even for 5xx replies: hfaxd answers 553 when two uploads race for its
            # sequence-number lock. A job that keeps failing goes dead after max_attempts.
            raise TransportError(f"HylaFAX submission failed: {exc}") from None
        finally:
            ftp.close()

    def _state(self, job_id: str) -> tuple[str, str]:
        ftp = self._connect()
        try:
            ftp.sendcmd(f"JOB {job_id}")
            state = ftp.sendcmd("JPARM STATE").split(" ", 1)[-1].strip()
            status = ftp.sendcmd("JPARM STATUS").split(" ", 1)[-1].strip()
            return state, status
        except ftplib.error_perm as exc:
            if "deleted by another party" in str(exc):
                # faxq was moving the finished job to doneq: ask again later, never refax.
                return "MOVING", ""
            raise TransportError(f"fax job {job_id} is unknown to HylaFAX: {exc}") from None
        except (OSError, ftplib.Error) as exc:
            raise TransportError(f"HylaFAX status check failed: {exc}") from None
        finally:
            ftp.close()


def _ddhhmm(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 1440:02d}{minutes % 1440 // 60:02d}{minutes % 60:02d}"
