"""Build the aiohttp application that carries every part of the gateway."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.typedefs import Handler
from tortoise.exceptions import ValidationError

from gateway import __version__, api, scheduler, smtp, telegram
from gateway.appkeys import CLOCK, CONFIG, MFA_SEAL, utc_now
from gateway.config import Config
from gateway.https import believe_proxies, send_hsts
from gateway.outbox import add_outbox
from gateway.runtime import audit_seal, mfa_seal, open_database, policy_from
from gateway.web import setup as setup_web_site
from registry.audit import AuditSealError, check_head
from registry.db import close_registry
from registry.demo import load_demo_data
from registry.mfa import seal_plain_mfa_secrets
from registry.reference import load_reference_data

log = logging.getLogger(__name__)


def create_app(
    config: Config, *, serve_smtp: bool = True, run_worker: bool = True
) -> web.Application:
    """Return the gateway application; its start-up opens the database and the mailbox."""
    app = web.Application(
        client_max_size=config.smtp.max_message_bytes,
        # First: every later part sees the client's address and scheme (behind a proxy too).
        middlewares=[believe_proxies(config.server.trusted_proxies), refuse_invalid_values],
    )
    app[CONFIG] = config
    app[CLOCK] = utc_now
    app[MFA_SEAL] = mfa_seal(config)
    app.on_response_prepare.append(send_hsts)
    app.cleanup_ctx.append(_registry)
    if serve_smtp:
        app.cleanup_ctx.append(smtp.serve_mailbox)
    app.router.add_get("/healthz", api.healthz)
    add_outbox(app, run_worker=run_worker)
    app.router.add_post("/api/daybook", api.daybook)
    setup_web_site(app, config)  # the officers' and staff's web pages, sessions, headers
    telegram.setup(app, config)  # POST /telegram/webhook when a bot token is configured
    scheduler.setup(app, config)  # reminders, inactive accounts, audit checkpoints: once a slot
    return app


_TOO_LONG = re.compile(r"^(\w+): Length of .* (\d+) > (\d+)$", re.DOTALL)


@web.middleware
async def refuse_invalid_values(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 400 naming the field when a value breaks what the registry can keep, never 500.

    The ORM checks a value against its column before any query (an over-long username typed at
    /login, say): that is the sender's mistake, and nothing has been written.
    """
    try:
        return await handler(request)
    except ValidationError as exc:
        found = _TOO_LONG.match(str(exc))
        detail = (
            f"{found[1]}: use at most {found[3]} characters" if found else "a value is not valid"
        )
        log.warning("refused %s %s: %s", request.method, request.path, detail)
        return web.Response(status=400, text=f"Bad request — {detail}.")


async def _registry(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    context = await open_database(config, process_wide=True)
    try:
        # Refuse to start rather than write events that break a keyed trail (no key, another).
        await check_head(audit_seal(config))
    except AuditSealError:
        await close_registry(context)
        raise
    counts = await load_reference_data()
    log.info(
        "registry open: %d courts, %d agencies, %d towns (table %s)",
        counts.courts,
        counts.agencies,
        counts.towns,
        counts.towns_version,
    )
    await _seal_mfa_secrets(app)
    if config.database.load_demo_data:
        accounts = await load_demo_data(now=datetime.now(UTC), policy=policy_from(config))
        for account in accounts:
            # Printed once, on the first start only: the hashes are all the registry keeps.
            print(f"demo {account.role} account: {account.username} / {account.password}")
    yield
    await close_registry(context)


async def _seal_mfa_secrets(app: web.Application) -> None:
    """Seal MFA secrets stored plain before sealing existed; name accounts that cannot open."""
    report = await seal_plain_mfa_secrets(app[MFA_SEAL])
    if report.sealed:
        log.info("sealed %d MFA secrets that were stored plain", report.sealed)
    if report.other_key:
        log.error(
            "MFA secrets of %d accounts were sealed with another key than this one: they cannot "
            "finish logging in until that security.mfa_key is set again or staff remove their "
            "MFA: %s",
            len(report.other_key),
            ", ".join(report.other_key),
        )


__all__ = ["CONFIG", "__version__", "create_app"]
