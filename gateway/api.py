"""Machine-facing HTTP routes: health and the clerk's daybook feed."""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime

from aiohttp import web
from tortoise import connections

import gateway
from gateway.appkeys import CONFIG
from registry import inbound
from registry.daybook import DaybookFormatError, import_daybook
from registry.models import Channel, InboundStatus

log = logging.getLogger(__name__)

_FORMATS = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json": "jsonl",
}


async def healthz(request: web.Request) -> web.Response:
    """Report whether the database answers, and the version."""
    try:
        await connections.get("default").execute_query("SELECT 1")
        database = "ok"
    except Exception:
        log.exception("health check: the database did not answer")
        database = "unavailable"
    status = 200 if database == "ok" else 503
    body = {
        "status": "ok" if status == 200 else "degraded",
        "database": database,
        "version": gateway.__version__,
    }
    return web.json_response(body, status=status)


async def daybook(request: web.Request) -> web.Response:
    """Import cases posted by the daybook system (CSV or JSON lines, bearer token)."""
    token = request.app[CONFIG].security.daybook_token
    if not token:
        return _problem(503, "the daybook API is disabled: no security.daybook_token is set")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _problem(401, "a valid bearer token is required")
    fmt = _FORMATS.get(request.content_type)
    if fmt is None:
        return _problem(415, "send text/csv or application/x-ndjson")
    body = await request.read()
    now = datetime.now(UTC)
    kept = await inbound.keep(
        Channel.DAYBOOK,
        body,
        envelope={"remote": request.remote, "content_type": request.content_type},
        sender="daybook-api",
        received_at=now,
    )
    upload = kept.inbound
    try:
        text = body.decode("utf-8")
        report = await import_daybook(text, fmt, now=now, actor="daybook-api")
    except UnicodeDecodeError:
        await inbound.mark(upload.id, InboundStatus.FAILED, "not UTF-8")
        return _problem(400, "the daybook must be UTF-8 text", upload.reference)
    except DaybookFormatError as exc:
        await inbound.mark(upload.id, InboundStatus.FAILED, str(exc))
        return _problem(400, str(exc), upload.reference)
    await inbound.mark(upload.id, InboundStatus.PARSED, f"{len(report.errors)} bad rows")
    return web.json_response({"reference": upload.reference, **report.as_dict()})


def _problem(status: int, detail: str, reference: str | None = None) -> web.Response:
    body = {"error": detail}
    if reference:
        body["reference"] = reference
    return web.json_response(body, status=status)
