"""Run the outbox worker inside `serve`, and serve /metrics: outbound adapters from the config."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from gateway.appkeys import CONFIG
from gateway.config import Config, ConfigError
from gateway.telegram import TelegramChatLink
from outbound.chat import ChatLink, ChatSender
from outbound.fax.email import EmailFax
from outbound.fax.hylafax import HylaFax
from outbound.fax.page import Callback
from outbound.fax.sender import FaxSender, FaxTransport, SpoolFax
from outbound.mail import MailSender, Relay, SpoolMail
from outbound.metrics import OutboxMetrics
from outbound.outbox import Retry
from outbound.render import Templates
from outbound.spool import Spool
from outbound.switch.sender import MessageLink, SpoolLink, SwitchSender
from outbound.switch.tcp import TcpLink
from outbound.transport import Sender
from outbound.worker import OutboxWorker, WorkerSettings

log = logging.getLogger(__name__)

METRICS = web.AppKey("outbox_metrics", OutboxMetrics)


def worker_settings(config: Config) -> WorkerSettings:
    out = config.outbound
    return WorkerSettings(
        concurrency=out.worker_concurrency,
        poll_interval=out.poll_interval_seconds,
        batch_size=out.batch_size,
        lease=timedelta(seconds=out.lease_seconds),
        retry=Retry(max_attempts=out.max_attempts, cap=timedelta(seconds=out.retry_cap_seconds)),
    )


def build_senders(config: Config, chat: ChatLink | None = None) -> dict[str, Sender]:
    """Return one adapter per `Delivery.adapter`, each with its configured transport.

    Without a relay, mail goes to the spool; without a bot, there is no `telegram` adapter
    (and no chat is ever linked to send to).
    """
    out = config.outbound
    templates = Templates(out.templates_dir)
    spool = Spool(Path(out.spool_dir))
    relay = relay_from(config)
    mail = MailSender(relay or SpoolMail(spool), sender=config.smtp.reply_from)
    chats: dict[str, Sender] = {"telegram": ChatSender(chat)} if chat is not None else {}
    return chats | {
        "email": mail,
        "fax": FaxSender(templates, _fax_transport(config, spool), callback=callback(config)),
        "collect": SwitchSender(
            "collect", templates, _link(config, "collect", out.collect_transport, spool)
        ),
        "ncic": SwitchSender("ncic", templates, _link(config, "ncic", out.ncic_transport, spool)),
    }


def callback(config: Config) -> Callback:
    """The Registry Section's name and numbers, printed on every fax."""
    out = config.outbound
    return Callback(out.registry_contact, phone=out.registry_phone, fax=out.registry_fax)


def relay_from(config: Config) -> Relay | None:
    """The outgoing relay every email goes through; None when none is configured."""
    smtp = config.smtp
    if not smtp.relay_host:
        return None
    return Relay(
        smtp.relay_host, smtp.relay_port, username=smtp.relay_username, password=smtp.relay_password
    )


def _fax_transport(config: Config, spool: Spool) -> FaxTransport:
    out = config.outbound
    if out.fax_transport == "email":
        relay = relay_from(config)
        if relay is None:
            raise ConfigError("outbound.fax_transport: email needs smtp.relay_host (the relay)")
        return EmailFax(relay, domain=out.fax_email_domain, sender=config.smtp.reply_from)
    if out.fax_transport == "hylafax":
        host, port = _address(out.hylafax_address)
        return HylaFax(host, port, user=out.hylafax_user, check_after=out.hylafax_check_seconds)
    return SpoolFax(spool)


def _link(config: Config, adapter: str, transport: str, spool: Spool) -> MessageLink:
    out = config.outbound
    if transport != "tcp":
        return SpoolLink(spool, adapter)
    host, port = _address(out.collect_address if adapter == "collect" else out.ncic_address)
    tls = None
    if out.tcp_tls:
        tls = ssl.create_default_context(cafile=out.tcp_ca_file or None)
    return TcpLink(host, port, timeout=out.tcp_timeout_seconds, tls=tls)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


async def run_outbox_worker(app: web.Application) -> AsyncIterator[None]:
    """Send deliveries for as long as the application runs (every process may run one)."""
    config = app[CONFIG]
    chat = TelegramChatLink(app) if config.telegram.bot_token else None
    senders = build_senders(config, chat)
    worker = OutboxWorker(senders, worker_settings(config), metrics=app[METRICS])
    task = asyncio.create_task(worker.run(), name="outbox-worker")
    log.info("outbox worker: %d tasks", config.outbound.worker_concurrency)
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text exposition of the outbox, for the holder of `security.metrics_token`.

    The counts and destinations tell an outsider how busy the registry is and where it sends:
    a scraper sends `Authorization: Bearer <token>` (Prometheus `authorization.credentials`).
    """
    expected = f"Bearer {request.app[CONFIG].security.metrics_token}"
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):  # constant time
        raise web.HTTPUnauthorized(
            text="a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    body = await request.app[METRICS].render(datetime.now(UTC))
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


def add_outbox(app: web.Application, *, run_worker: bool = True) -> None:
    """Register /metrics (only when a token is set) and, when asked, the worker."""
    app[METRICS] = OutboxMetrics()
    if run_worker:
        app.cleanup_ctx.append(run_outbox_worker)
    if app[CONFIG].security.metrics_token:
        app.router.add_get("/metrics", metrics)
