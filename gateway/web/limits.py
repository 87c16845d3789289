"""The longest value each field of the site takes, checked before any handler runs.

A value longer than its field's limit, or holding a NUL character, is the sender's mistake (or
an attack): the request gets a 400 page naming the field and nothing is read from or written to
the registry. Fields that are stored take their column's length; free text takes what a report
could need; every other field (choices, numbers, dates, codes) a short default.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from registry.models import AccessRequest, User

log = logging.getLogger(__name__)


def _column(model: type[AccessRequest] | type[User], name: str) -> int:
    length = model._meta.fields_map[name].max_length  # type: ignore[attr-defined]
    assert isinstance(length, int), (model, name)
    return length


FREE_TEXT = 2000  # a note, a reason, a rejection: a long paragraph, never a document
PASSWORD = 256  # far beyond any passphrase; argon2 is never fed megabytes
DEFAULT = 100  # choices, numbers, dates, times, codes, tokens, dockets
FIELD_LIMITS: dict[str, int] = {
    "username": _column(User, "username"),
    "full_name": _column(User, "full_name"),
    "officer_number": _column(User, "officer_number"),
    "email": _column(AccessRequest, "email"),
    "phone": _column(AccessRequest, "phone"),
    "employer": _column(AccessRequest, "employer"),
    "password": PASSWORD,
    "current": PASSWORD,
    "new": PASSWORD,
    "confirm": PASSWORD,
    "note": FREE_TEXT,
    "reason": FREE_TEXT,
    "reason_text": FREE_TEXT,
    "reject_reason": FREE_TEXT,
    "decision_note": FREE_TEXT,
}
# Machine-facing routes read their own bodies (a daybook upload, a Telegram update) and check
# them themselves; only the site's forms and query strings are checked here.
_OWN_BODIES = ("/api/", "/telegram/")


def refusal(values: Mapping[str, object]) -> str | None:
    """Say what is wrong with the first field that is over its limit or holds a NUL.

    No text the registry keeps holds a NUL character, and PostgreSQL cannot store one.
    """
    for name, value in values.items():
        if len(name) > DEFAULT:
            return f"{name[:DEFAULT]}…: use a field name of at most {DEFAULT} characters"
        if not isinstance(value, str):
            continue
        limit = FIELD_LIMITS.get(name, DEFAULT)
        if len(value) > limit:
            return f"{name}: use at most {limit} characters"
        if "\x00" in value:
            return f"{name}: remove the NUL character, no text may hold one"
    return None


@web.middleware
async def refuse_over_long(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 400 naming the field when a path, query or form value is longer than it may
    be or holds what no text may."""
    problem = refusal(request.match_info) or refusal(request.query)
    if problem is None and request.method == "POST" and not request.path.startswith(_OWN_BODIES):
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            problem = refusal(await request.post())
    if problem is None:
        return await handler(request)
    log.warning("refused %s %s: %s", request.method, request.path, problem)
    return web.Response(status=400, text=f"Bad request — {problem}.")
