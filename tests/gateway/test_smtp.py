"""The Registry Section mailbox over real SMTP on loopback: nothing acknowledged is ever lost."""

from __future__ import annotations

import asyncio
import contextlib
import re
import smtplib
import socket
import ssl
import struct
import sysconfig
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiosmtpd.smtp import SMTP
from tortoise import connections

from gateway.app import create_app
from gateway.config import load_config
from gateway.smtp import READER, ClientPlaces, RateLimit, client_address
from registry.models import InboundMessage, InboundStatus, ReviewItem
from tests.conftest import free_port
from tests.mail import Sink
from tests.outbox import outbox_settled

EMAILS = Path(__file__).parent.parent / "data" / "emails"
MAILBOX = "registry@por.example.gov"
OFFICER = "kbrandt.marshal@example.com"
CPYTHON_EMAILS = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"
REAL_MAIL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "real-mail"


@dataclass
class Mailbox:
    port: int
    app: web.Application
    sink: Sink

    async def send(
        self, raw: bytes, *, sender: str = OFFICER, to: str = MAILBOX
    ) -> tuple[int, str]:
        return await asyncio.to_thread(self._send, raw, sender, to)

    def _send(self, raw: bytes, sender: str, to: str) -> tuple[int, str]:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            client.ehlo()
            code, _ = client.mail(sender)
            if code != 250:
                return code, _.decode()
            code, reply = client.rcpt(to)
            if code != 250:
                return code, reply.decode()
            code, reply = client.data(raw)
            return code, reply.decode()

    async def settle(self) -> None:
        """Wait until every stored message has been read and the outbox sent its receipt."""
        await self.app[READER].drain()
        await outbox_settled()


MailboxMaker = Callable[..., Awaitable[Mailbox]]


@pytest.fixture
async def mailbox(registry_url: str, tmp_path: Path) -> AsyncIterator[MailboxMaker]:
    started: list[tuple[TestServer, asyncio.Server]] = []

    async def start(**env: str) -> Mailbox:
        sink = Sink(free_port())
        relay = await asyncio.get_running_loop().create_server(
            lambda: SMTP(sink), "127.0.0.1", sink.port
        )
        port = free_port()
        config = load_config(
            None,
            env={
                "POR_DATABASE_URL": registry_url,
                "POR_DATABASE_LOAD_DEMO_DATA": "false",
                "POR_SERVER_SMTP_PORT": str(port),
                "POR_SMTP_RELAY_HOST": "127.0.0.1",
                "POR_SMTP_RELAY_PORT": str(sink.port),
                "POR_SMTP_SELF_SIGNED_DIR": str(tmp_path / "tls"),
                "POR_SMTP_MAX_MESSAGE_BYTES": "200000",
                "POR_OUTBOUND_SPOOL_DIR": str(tmp_path / "spool"),
                "POR_OUTBOUND_POLL_INTERVAL_SECONDS": "0.05",
                "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
                **env,
            },
        )
        app = create_app(config)
        server = TestServer(app, port=free_port())
        await server.start_server()
        started.append((server, relay))
        return Mailbox(port, app, sink)

    yield start
    for server, relay in started:
        await server.close()
        relay.close()
        await relay.wait_closed()


def sample(name: str) -> bytes:
    return (EMAILS / name).read_bytes()


@dataclass
class Wire:
    """A bare SMTP client on asyncio streams, for what smtplib cannot do: trickle, hold open."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    @classmethod
    async def open(cls, port: int, source: str = "127.0.0.1") -> Wire:
        # All of 127.0.0.0/8 is loopback: a second source address is a second client.
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        return cls(reader, writer)

    async def reply(self) -> str:
        """Read one reply, however many lines; return its last line ("" once closed)."""
        while True:
            line = (await self.reader.readline()).decode().rstrip("\r\n")
            if line[3:4] != "-":
                return line

    async def command(self, line: str) -> str:
        self.writer.write(line.encode() + b"\r\n")
        await self.writer.drain()
        return await self.reply()

    async def begin(self, sender: str = OFFICER) -> None:
        """Greeting, EHLO and the envelope, all accepted."""
        assert (await self.reply()).startswith("220 ")
        assert (await self.command("EHLO client.example.com")).startswith("250 ")
        assert (await self.command(f"MAIL FROM:<{sender}>")).startswith("250 ")
        assert (await self.command(f"RCPT TO:<{MAILBOX}>")).startswith("250 ")

    async def trickle(self, data: bytes, pause: float) -> None:
        """Send `data` one byte at a time, `pause` seconds apart, until done or cut off."""
        with contextlib.suppress(ConnectionError):
            for byte in data:
                self.writer.write(bytes([byte]))
                await self.writer.drain()
                await asyncio.sleep(pause)

    async def closed_by_server(self) -> bool:
        """Read to the end: True when the server has closed the connection."""
        try:
            return await self.reader.read() == b""
        except ConnectionResetError:  # it closed with our bytes unread
            return True

    def close(self) -> None:
        self.writer.close()

    def reset(self) -> None:
        """Close abruptly: the server sees a TCP reset, not a QUIT."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Connect = Callable[..., Awaitable[Wire]]


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """Open bare SMTP connections (`port`, optional `source` address); close them all at the end."""
    opened: list[Wire] = []

    async def open_wire(port: int, source: str = "127.0.0.1") -> Wire:
        wire = await Wire.open(port, source)
        opened.append(wire)
        return wire

    yield open_wire
    for wire in opened:
        wire.close()


async def greeted_once_a_place_is_free(connect: Connect, port: int) -> Wire:
    """Connect until the mailbox greets with 220 (a connection lost frees its place soon)."""
    while True:
        wire = await connect(port)
        greeting = await wire.reply()
        if greeting.startswith("220 "):
            return wire
        assert greeting.startswith("421 4.7.0"), greeting
        wire.close()
        await asyncio.sleep(0.05)


async def test_an_accepted_message_is_committed_exactly_as_sent_before_250(
    mailbox: MailboxMaker,
) -> None:
    box = await mailbox()
    raw = sample("plain-key-value.eml").replace(b"\n", b"\r\n")
    code, reply = await box.send(raw)
    assert code == 250
    reference = reply.rsplit(" ", 1)[1]
    stored = await InboundMessage.get(id=int(reference.removeprefix("R-")))
    assert stored.payload == raw
    assert stored.envelope["mail_from"] == OFFICER
    assert stored.envelope["rcpt_tos"] == [MAILBOX]


async def test_a_stored_message_becomes_a_review_item_and_the_sender_gets_a_receipt(
    mailbox: MailboxMaker,
) -> None:
    box = await mailbox()
    code, reply = await box.send(sample("plain-key-value.eml"))
    assert code == 250
    await box.settle()
    reference = reply.rsplit(" ", 1)[1]
    item = await ReviewItem.get(inbound_id=int(reference[2:]))
    assert item.parse_result["reports"][0]["docket_number"] == "HHD-FA-26-6023417-S"
    assert (await InboundMessage.get(id=item.inbound_id)).status is InboundStatus.NEEDS_REVIEW  # type: ignore[attr-defined]
    [receipt] = box.sink.messages
    assert receipt["To"] == OFFICER
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["In-Reply-To"] == "<20261019204211.4471@mail.example.com>"
    assert receipt["X-POR-Loop"] == MAILBOX
    body = receipt.get_content()
    assert f"Reference: {reference}" in body
    assert "Reports found: 1, pending review by the Registry Section" in body
    assert "HHD-FA-26-6023417-S" in body


async def test_a_receipt_names_what_was_missing(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    await box.send(sample("missing-time.eml"))
    await box.settle()
    [receipt] = box.sink.messages
    assert "Missing or unclear: missing time of service" in receipt.get_content()


async def test_an_auto_reply_is_kept_marked_ignored_and_gets_no_receipt(
    mailbox: MailboxMaker,
) -> None:
    box = await mailbox()
    code, reply = await box.send(sample("out-of-office-ignore.eml"))
    assert code == 250
    await box.settle()
    stored = await InboundMessage.get(id=int(reply.rsplit(" ", 1)[1][2:]))
    assert stored.status is InboundStatus.IGNORED
    assert await ReviewItem.all().count() == 0
    assert box.sink.messages == []


async def test_a_bounce_from_the_null_sender_gets_no_receipt(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    code, _ = await box.send(sample("plain-key-value.eml"), sender="")
    assert code == 250
    await box.settle()
    assert (await InboundMessage.get()).status is InboundStatus.IGNORED
    assert box.sink.messages == []


async def test_a_message_sent_twice_is_stored_once(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    raw = sample("batch-of-three.eml")
    first = await box.send(raw)
    second = await box.send(raw)
    assert first[0] == second[0] == 250
    assert second[1].startswith("2.0.0 Already received")
    assert first[1].rsplit(" ", 1)[1] == second[1].rsplit(" ", 1)[1]
    assert await InboundMessage.all().count() == 1


async def test_a_wrong_recipient_gets_550(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    code, reply = await box.send(sample("plain-key-value.eml"), to="someone@por.example.gov")
    assert (code, reply[:5]) == (550, "5.1.1")
    assert await InboundMessage.all().count() == 0


async def test_the_recipient_is_matched_without_regard_to_case(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    code, _ = await box.send(sample("plain-key-value.eml"), to="Registry@POR.example.gov")
    assert code == 250


async def test_an_oversized_message_gets_552(mailbox: MailboxMaker) -> None:
    box = await mailbox()
    raw = sample("plain-key-value.eml") + b"x" * 76 + (b"\r\n" + b"y" * 76) * 3000
    code, reply = await box.send(raw)
    assert (code, reply) == (552, "5.3.4 Message too big for the Registry Section mailbox")
    assert await InboundMessage.all().count() == 0


async def test_a_sender_over_the_rate_limit_is_told_to_retry_never_refused(
    mailbox: MailboxMaker,
) -> None:
    box = await mailbox(
        POR_SMTP_RATE_LIMIT_PER_MINUTE="2", POR_SMTP_RATE_LIMIT_PER_CLIENT_PER_MINUTE="0"
    )
    replies = []
    for n, sender in enumerate([OFFICER, OFFICER, OFFICER, "other.officer@example.com"]):
        raw = sample("plain-key-value.eml").replace(b"4471@", f"447{n}x@".encode())
        replies.append(await box.send(raw, sender=sender))
    assert [code for code, _ in replies] == [250, 250, 451, 250]
    assert replies[2][1] == "4.7.1 Too many messages from this sender, please try again later"


async def test_a_client_over_its_rate_limit_is_told_to_retry_whatever_sender_it_names(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    # Every connection here comes from 127.0.0.1: one client naming three senders.
    box = await mailbox(
        POR_SMTP_RATE_LIMIT_PER_MINUTE="0", POR_SMTP_RATE_LIMIT_PER_CLIENT_PER_MINUTE="2"
    )
    replies = []
    for n in range(3):
        raw = sample("plain-key-value.eml").replace(b"4471@", f"447{n}x@".encode())
        replies.append(await box.send(raw, sender=f"officer{n}@example.com"))
    assert [code for code, _ in replies] == [250, 250, 451]
    assert replies[2][1] == "4.7.1 Too many messages from your address, please try again later"
    assert await InboundMessage.all().count() == 2
    async with asyncio.timeout(30):
        other = await connect(box.port, source="127.0.0.2")  # another client is not limited
        await other.begin(sender="officer0@example.com")


def test_the_rate_limit_frees_up_after_a_minute() -> None:
    now = [0.0]
    limit = RateLimit(1, clock=lambda: now[0])
    assert limit.allow("A@x") and not limit.allow("a@X")
    now[0] = 60.0
    assert limit.allow("a@x")


def test_the_rate_limit_forgets_senders_not_seen_for_a_minute() -> None:
    now = [0.0]
    limit = RateLimit(5, clock=lambda: now[0])
    for n in range(1000):
        assert limit.allow(f"random{n}@example.com")
    now[0] = 61.0
    assert limit.allow("one.more@example.com")
    assert list(limit.seen) == ["one.more@example.com"]


def test_a_refused_message_counts_against_no_limit() -> None:
    limit = RateLimit(1)
    assert limit.has_room("127.0.0.1") and limit.has_room("127.0.0.1")
    limit.count("127.0.0.1")
    assert not limit.has_room("127.0.0.1")


@pytest.mark.parametrize(
    ("peer", "client"),
    [
        (("192.0.2.7", 2525), "192.0.2.7"),
        (("::ffff:192.0.2.7", 2525, 0, 0), "192.0.2.7"),
        (("2001:db8:1:2:aaaa::1", 2525, 0, 0), "2001:db8:1:2::/64"),
        (("2001:db8:1:2:bbbb::9", 2525, 0, 0), "2001:db8:1:2::/64"),
        (("fe80::1%eth0", 2525, 0, 2), "fe80::/64"),
        ("", ""),
    ],
)
def test_a_client_is_counted_by_its_ipv4_address_or_its_ipv6_slash_64(
    peer: object, client: str
) -> None:
    assert client_address(peer) == client


def test_a_place_given_back_can_be_taken_again() -> None:
    places = ClientPlaces(1)
    assert places.take("192.0.2.7") and not places.take("192.0.2.7")
    assert places.take("192.0.2.8")
    places.give_back("192.0.2.7")
    assert places.take("192.0.2.7")
    assert ClientPlaces(0).take("192.0.2.7")


async def test_a_connection_over_the_per_client_cap_gets_421_and_a_lost_one_frees_its_place(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    box = await mailbox(POR_SMTP_MAX_CONNECTIONS_PER_CLIENT="2")
    async with asyncio.timeout(30):
        first, second = await connect(box.port), await connect(box.port)
        assert (await first.reply()).startswith("220 ")
        assert (await second.reply()).startswith("220 ")
        third = await connect(box.port)
        refused = await third.reply()
        assert refused == "421 4.7.0 Too many connections from your address, try again later"
        assert await third.closed_by_server()
        other = await connect(box.port, source="127.0.0.2")  # its own places
        assert (await other.reply()).startswith("220 ")
        assert (await first.command("QUIT")).startswith("221 ")
        assert await first.closed_by_server()
        fourth = await connect(box.port)
        assert (await fourth.reply()).startswith("220 ")
        second.reset()
        await greeted_once_a_place_is_free(connect, box.port)


async def test_a_connection_ended_by_a_failed_tls_handshake_frees_its_place_once(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    box = await mailbox(POR_SMTP_MAX_CONNECTIONS_PER_CLIENT="2")
    async with asyncio.timeout(30):
        kept = await connect(box.port)
        assert (await kept.reply()).startswith("220 ")
        broken = await connect(box.port)
        assert (await broken.reply()).startswith("220 ")
        assert (await broken.command("EHLO client.example.com")).startswith("250 ")
        assert (await broken.command("STARTTLS")).startswith("220 ")
        broken.writer.write(b"this is not a TLS client hello\r\n" * 8)
        assert await broken.closed_by_server()
        await greeted_once_a_place_is_free(connect, box.port)
        # Freed once: the connection kept open still counts against the cap.
        over = await connect(box.port)
        assert (await over.reply()).startswith("421 4.7.0")


async def test_a_sender_trickling_its_message_gets_421_and_nothing_of_it_is_stored(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    box = await mailbox(
        POR_SMTP_DATA_TIMEOUT_SECONDS="1",
        POR_SMTP_TRANSACTION_TIMEOUT_SECONDS="600",
        POR_SMTP_MAX_CONNECTIONS_PER_CLIENT="1",
    )
    async with asyncio.timeout(30):
        wire = await connect(box.port)
        await wire.begin()
        assert (await wire.command("DATA")).startswith("354 ")
        raw = sample("plain-key-value.eml").replace(b"\n", b"\r\n") + b".\r\n"
        # A byte every 0.1 s would take 80 s; the aiosmtpd idle timeout alone would allow 300.
        trickle = asyncio.create_task(wire.trickle(raw, pause=0.1))
        reply = await wire.reply()
        assert reply == "421 4.4.2 Message data took too long to arrive, closing connection"
        assert await wire.closed_by_server()
        await trickle
        # Its place is free again.
        await greeted_once_a_place_is_free(connect, box.port)
    assert await InboundMessage.all().count() == 0


async def test_a_transaction_kept_open_with_noops_gets_421_at_the_transaction_cap(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    box = await mailbox(
        POR_SMTP_TRANSACTION_TIMEOUT_SECONDS="1", POR_SMTP_DATA_TIMEOUT_SECONDS="600"
    )
    async with asyncio.timeout(30):
        wire = await connect(box.port)
        await wire.begin()
        # Each NOOP restarts aiosmtpd's idle timer; the transaction's clock keeps running.
        for _ in range(200):
            reply = await wire.command("NOOP")
            if not reply.startswith("250 "):
                break
            await asyncio.sleep(0.1)
        assert reply == "421 4.4.2 Message took too long to send, closing connection"
        assert await wire.closed_by_server()
    assert await InboundMessage.all().count() == 0


async def test_a_slow_message_within_the_caps_is_stored_and_the_clock_stops_with_it(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    box = await mailbox(POR_SMTP_TRANSACTION_TIMEOUT_SECONDS="1", POR_SMTP_DATA_TIMEOUT_SECONDS="1")
    raw = sample("plain-key-value.eml").replace(b"\n", b"\r\n")
    async with asyncio.timeout(30):
        wire = await connect(box.port)
        await wire.begin()
        assert (await wire.command("DATA")).startswith("354 ")
        for start in range(0, len(raw), 200):  # in pieces, a little apart
            wire.writer.write(raw[start : start + 200])
            await asyncio.sleep(0.05)
        assert (await wire.command(".")).startswith("250 2.0.0 Received")
        # Longer than both caps after the message: the connection is only idle, not cut off.
        await asyncio.sleep(1.5)
        assert (await wire.command("NOOP")).startswith("250 ")
        assert (await wire.command("QUIT")).startswith("221 ")
    stored = await InboundMessage.get()
    assert stored.payload == raw


async def test_starttls_ends_the_transaction_and_its_clock(
    mailbox: MailboxMaker, connect: Connect
) -> None:
    # RFC 3207 4.2: nothing of the transaction survives STARTTLS, so no clock may cut the
    # handshake off (a cut mid-handshake never reached the protocol and kept its place).
    box = await mailbox(
        POR_SMTP_TRANSACTION_TIMEOUT_SECONDS="1", POR_SMTP_MAX_CONNECTIONS_PER_CLIENT="1"
    )
    async with asyncio.timeout(30):
        wire = await connect(box.port)
        await wire.begin()
        assert (await wire.command("STARTTLS")).startswith("220 ")
        await asyncio.sleep(1.5)
        await wire.writer.start_tls(ssl._create_unverified_context())
        assert (await wire.command("EHLO client.example.com")).startswith("250 ")
        assert (await wire.command("QUIT")).startswith("221 ")
        assert await wire.closed_by_server()
        await greeted_once_a_place_is_free(connect, box.port)


async def test_it_answers_451_when_the_database_is_down_and_keeps_the_retry(
    mailbox: MailboxMaker,
) -> None:
    box = await mailbox()
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    if postgres:
        await conn.execute_script(
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER refuse BEFORE INSERT ON inbound_message "
            "FOR EACH ROW EXECUTE FUNCTION refuse();"
        )
    else:
        await conn.execute_script(
            "CREATE TRIGGER refuse BEFORE INSERT ON inbound_message "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
        )
    raw = sample("attempt-with-reason.eml")
    code, reply = await box.send(raw)
    assert (code, reply) == (451, "4.3.0 Temporary problem here, please try again later")
    assert "disk" not in reply
    await conn.execute_script(
        "DROP TRIGGER refuse ON inbound_message; DROP FUNCTION refuse();"
        if postgres
        else "DROP TRIGGER refuse;"
    )
    code, _ = await box.send(raw)  # the sending server's retry
    assert code == 250
    await box.settle()
    assert await InboundMessage.all().count() == 1
    assert await ReviewItem.all().count() == 1


async def test_starttls_works_with_the_self_signed_certificate(mailbox: MailboxMaker) -> None:
    box = await mailbox()

    def send_over_tls() -> int:
        with smtplib.SMTP("127.0.0.1", box.port, timeout=10) as client:
            client.starttls(context=ssl._create_unverified_context())
            client.ehlo()
            client.sendmail(OFFICER, [MAILBOX], sample("plain-key-value.eml"))
            return 250

    assert await asyncio.to_thread(send_over_tls) == 250
    assert await InboundMessage.all().count() == 1


async def test_a_configured_login_is_required_after_starttls(mailbox: MailboxMaker) -> None:
    box = await mailbox(POR_SMTP_AUTH_USERNAME="relay", POR_SMTP_AUTH_PASSWORD="relay-secret-1")

    def attempt(password: str | None) -> int:
        with smtplib.SMTP("127.0.0.1", box.port, timeout=10) as client:
            client.starttls(context=ssl._create_unverified_context())
            client.ehlo()
            try:
                if password is not None:
                    client.login("relay", password)
                client.sendmail(OFFICER, [MAILBOX], sample("plain-key-value.eml"))
            except smtplib.SMTPAuthenticationError as exc:
                return exc.smtp_code
            except smtplib.SMTPSenderRefused as exc:
                return exc.smtp_code
            return 250

    assert await asyncio.to_thread(attempt, None) == 530
    assert await asyncio.to_thread(attempt, "wrong") == 535
    assert await asyncio.to_thread(attempt, "relay-secret-1") == 250
    assert await InboundMessage.all().count() == 1


async def test_a_message_left_unread_by_a_crash_is_read_at_the_next_start(
    mailbox: MailboxMaker, registry_url: str
) -> None:
    crashed = await mailbox()
    await crashed.send(sample("plain-key-value.eml"))
    await crashed.settle()
    first = await InboundMessage.get()
    await ReviewItem.all().delete()
    await InboundMessage.filter(id=first.id).update(status=InboundStatus.RECEIVED)
    box = await mailbox()
    await box.settle()
    assert (await InboundMessage.get(id=first.id)).status is InboundStatus.NEEDS_REVIEW
    assert await ReviewItem.filter(inbound_id=first.id).count() == 1


def cpython_messages() -> list[Path]:
    return sorted(CPYTHON_EMAILS.glob("msg_*.txt"))


def real_mail() -> list[Path]:
    """The real-world corpus beside the project (its README: data, never copied here)."""
    files = (p for p in REAL_MAIL.rglob("*") if p.is_file())
    notes = ("SOURCES.txt", "COMMIT.txt", "README.md", "INDEX.txt")
    return sorted(p for p in files if p.name not in notes)


CORPORA = {"cpython": cpython_messages, "real-mail": real_mail}


def as_the_sender_wrote_it(raw: bytes) -> bytes:
    """The message without the trace fields relays add (RFC 5321 4.4), read by the stdlib."""
    message = BytesParser(policy=compat32).parsebytes(raw)
    for name in ("Received", "Return-Path", "Delivered-To", "X-Original-To"):
        del message[name]
    return message.as_bytes()


def on_the_wire(raw: bytes) -> bytes:
    """A message as an SMTP client sends it: every line ends CRLF (RFC 5321 2.3.8), the last too."""
    wire = re.sub(rb"\r\n|\r|\n", b"\r\n", raw)
    return wire if wire.endswith(b"\r\n") else wire + b"\r\n"


@pytest.mark.parametrize("corpus", sorted(CORPORA))
async def test_every_distinct_message_of_a_corpus_is_stored_once_and_read(
    mailbox: MailboxMaker, corpus: str
) -> None:
    paths = CORPORA[corpus]()
    assert len(paths) > 40, f"the {corpus} corpus is missing"
    box = await mailbox(
        POR_SMTP_RATE_LIMIT_PER_MINUTE="0",
        POR_SMTP_RATE_LIMIT_PER_CLIENT_PER_MINUTE="0",
        POR_SMTP_MAX_MESSAGE_BYTES="10485760",
    )
    sent = {path: on_the_wire(path.read_bytes()) for path in paths}
    references = {}
    for path, raw in sent.items():
        code, reply = await box.send(raw, sender="archive@example.org")
        assert code == 250, (path.name, reply)
        references[path] = reply.rsplit(" ", 1)[1]
    await box.settle()
    rows = {row.reference: row for row in await InboundMessage.all()}
    # Every message acknowledged is kept as first sent. One message is the same bytes again, or
    # the same message passed on by another relay (only trace headers differ); two messages that
    # share a Message-ID and From but differ in what the sender wrote are two (issue: real mail).
    assert set(references.values()) == set(rows)
    written = {path: as_the_sender_wrote_it(raw) for path, raw in sent.items()}
    assert len(rows) == len(set(written.values()))
    for path, reference in references.items():
        first = next(p for p, r in references.items() if r == reference)
        assert bytes(rows[reference].payload) == sent[first]
        assert written[path] == written[first], (path, first)
    for row in rows.values():
        assert row.status in (InboundStatus.NEEDS_REVIEW, InboundStatus.IGNORED), row.reference
        if row.status is InboundStatus.NEEDS_REVIEW:
            item = await ReviewItem.get(inbound_id=row.id)
            assert not any("internal error" in p for p in item.problems), item.problems
