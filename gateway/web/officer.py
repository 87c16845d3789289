"""The officer screens: docket search, the case, an entry form, the double-check, the receipt."""

from __future__ import annotations

from aiohttp import web

from gateway.web.forms import ACTIONS, ATTEMPT_REASON_CHOICES, problems_by_field, read_entry_form
from gateway.web.guard import signed_in
from gateway.web.keys import SETTINGS
from gateway.web.render import current_user, now, render
from registry.casefile import (
    CaseNotFound,
    active_officers,
    case_entries,
    entry_receipt,
    find_case,
    officer_entries,
)
from registry.entries import EntryRejected, late_reason, record_entry
from registry.models import Case, Channel, Role, User
from registry.service_clock import case_clock


@signed_in()
async def home(request: web.Request) -> web.StreamResponse:
    docket = request.query.get("docket", "").strip()
    if not docket:
        return await render(request, "home.html", {"docket": ""})
    try:
        case = await find_case(docket)
    except CaseNotFound as exc:
        return await render(request, "home.html", {"docket": docket, "error": exc.reason}, 404)
    raise web.HTTPSeeOther(f"/cases/{case.docket_number}")


async def _case(request: web.Request) -> Case:
    try:
        return await find_case(request.match_info["docket"])
    except CaseNotFound as exc:
        raise web.HTTPNotFound(text=exc.reason) from None


@signed_in()
async def case_page(request: web.Request) -> web.StreamResponse:
    case = await _case(request)
    entries = await case_entries(case)
    policy = request.app[SETTINGS].policy
    context = {
        "case": case,
        "clock": await case_clock(case, policy),
        "now": now(request),
        "entries": entries,
        "late_reason": lambda entry: late_reason(entry, policy),
        "actions": ACTIONS,
    }
    return await render(request, "case.html", context)


def _action(request: web.Request) -> str:
    slug = request.match_info["action"]
    if slug not in ACTIONS:
        raise web.HTTPNotFound()
    return slug


async def _form(
    request: web.Request,
    case: Case,
    slug: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.StreamResponse:
    officers: list[User] = []
    if slug == "transferred":
        officers = await active_officers(excluding=current_user(request))
    context = {
        "case": case,
        "slug": slug,
        "title": ACTIONS[slug][1],
        "values": values,
        "errors": errors,
        "reasons": ATTEMPT_REASON_CHOICES,
        "officers": officers,
    }
    return await render(request, "entry_form.html", context, status)


@signed_in(Role.OFFICER)
async def entry_form(request: web.Request) -> web.StreamResponse:
    case, slug = await _case(request), _action(request)
    return await _form(request, case, slug, {}, {})


@signed_in(Role.OFFICER)
async def double_check(request: web.Request) -> web.StreamResponse:
    """Show exactly what will be recorded; Edit brings the form back filled in."""
    case, slug = await _case(request), _action(request)
    form = await request.post()
    read = read_entry_form(case.docket_number, ACTIONS[slug][0], form, request.app[SETTINGS].policy)
    if form.get("edit") or read.draft is None:
        return await _form(
            request, case, slug, read.values, read.errors, 400 if read.errors else 200
        )
    transferred_to = None
    if read.draft.transferred_to_id is not None:
        officers = await active_officers()
        transferred_to = next((o for o in officers if o.id == read.draft.transferred_to_id), None)
    context = {
        "case": case,
        "slug": slug,
        "title": ACTIONS[slug][1],
        "values": read.values,
        "draft": read.draft,
        "transferred_to": transferred_to,
    }
    return await render(request, "double_check.html", context)


@signed_in(Role.OFFICER)
async def submit_entry(request: web.Request) -> web.StreamResponse:
    case, slug = await _case(request), _action(request)
    settings = request.app[SETTINGS]
    read = read_entry_form(
        case.docket_number, ACTIONS[slug][0], await request.post(), settings.policy
    )
    if read.draft is None:
        return await _form(request, case, slug, read.values, read.errors, 400)
    try:
        entry = await record_entry(
            read.draft,
            officer=current_user(request),
            channel=Channel.WEB,
            policy=settings.policy,
            now=now(request),
        )
    except EntryRejected as exc:
        return await _form(request, case, slug, read.values, problems_by_field(exc.problems), 400)
    # Post/redirect/get: reloading the receipt never records the entry twice.
    raise web.HTTPSeeOther(f"/entries/{entry.id}")


@signed_in()
async def receipt(request: web.Request) -> web.StreamResponse:
    entry_id = request.match_info["entry_id"]
    entry = await entry_receipt(int(entry_id), viewer=current_user(request))
    if entry is None:
        raise web.HTTPNotFound(text="No such entry among yours.")
    policy = request.app[SETTINGS].policy
    context = {"entry": entry, "late_reason": late_reason(entry, policy) if entry.late else ""}
    return await render(request, "receipt.html", context)


@signed_in(Role.OFFICER)
async def my_entries(request: web.Request) -> web.StreamResponse:
    entries = await officer_entries(current_user(request))
    return await render(request, "my_entries.html", {"entries": entries})
