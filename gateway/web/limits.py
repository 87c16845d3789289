"""The longest value each field of the site takes, checked before any handler runs.

A value longer than its field's limit, or holding a NUL character, is the sender's mistake (or
an attack): the request gets a 400 page naming the field and nothing is read from or written to
the registry. Fields that are stored take their column's length; free text takes what a report
could need; every other field (choices, numbers, dates, codes) a short default.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.web.keys import TEMPLATES
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
    "code": 16,  # a 6-digit code, spaces and all
    "docket": 40,  # a docket number however it is typed
    "docket_number": 40,
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


# Characters no field takes: C0 and C1 controls but tab and line ends (NUL among them, which
# PostgreSQL cannot store), and the invisible bidirectional overrides, embeddings and isolates
# that make "Marshal\u202egnp.exe" show as "Marshalexe.png" (Unicode TR 36, section 2.1).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Free text may run over lines; every other field is one line.
_MULTI_LINE = frozenset({"note", "reason", "reason_text", "reject_reason", "decision_note"})


def field_limit(name: str) -> int:
    """Return the longest value the field takes: the forms' maxlength says the same."""
    return FIELD_LIMITS.get(name, DEFAULT)


def refusal(values: Mapping[str, object]) -> str | None:
    """Say what is wrong with the first field that is over its limit or holds a character
    no field takes (a control character, a line break in a one-line field, an invisible
    direction override)."""
    for name, value in values.items():
        if len(name) > DEFAULT:
            return f"{name[:DEFAULT]}…: use a field name of at most {DEFAULT} characters"
        if not isinstance(value, str):
            continue
        limit = field_limit(name)
        if len(value) > limit:
            return f"{name}: use at most {limit} characters"
        if _INVISIBLE.search(value) or (
            name not in _MULTI_LINE and ("\n" in value or "\r" in value)
        ):
            return f"{name}: remove the control or invisible direction characters it holds"
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
    log.warning("refused %s %s: %r", request.method, request.path, problem)  # %r: one line
    # The page is drawn as for a visitor, from nothing the request holds: no session is read or
    # made, so a flood of refused requests writes nothing.
    context = {"user": None, "csrf_token": "", "message": f"Bad request — {problem}."}
    body = aiohttp_jinja2.render_string("refused.html", request, context, app_key=TEMPLATES)
    return web.Response(status=400, text=body, content_type="text/html")
