"""The staff review queue: emailed reports confirmed, corrected, linked, rejected or deferred."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import TypeVar

from aiohttp import web

from gateway.web.forms import read_review_form
from gateway.web.guard import STAFF_ROLES, signed_in
from gateway.web.keys import SETTINGS
from gateway.web.original import attachment_file, read_original
from gateway.web.render import current_user, now, render
from outbound.outbox import dead_deliveries, replay_delivery
from registry.casefile import active_officers
from registry.entries import EntryRejected
from registry.inbound import namesakes
from registry.models import Activity, Channel, ReviewItem, ReviewStatus
from registry.review import (
    report_views,
    review_history,
    review_queue,
    sender_officer,
)
from registry.review_decisions import (
    DecisionRefused,
    confirm_report,
    defer_item,
    edit_report,
    link_report,
    reject_report,
)
from registry.review_item import FIELDS, read_evidence

STAFF = tuple(STAFF_ROLES)
E = TypeVar("E", bound=StrEnum)
D = TypeVar("D")
# record_entry names draft fields; the review form shows them next to its own fields.
FIELD_OF_PROBLEM = {"occurred_at": "time", "police_assistance": "police"}
FIELD_OF_PROBLEM |= {"transferred_to_id": "transferred_to", "supersedes": "form"}


@signed_in(*STAFF)
async def queue(request: web.Request) -> web.StreamResponse:
    status = _choice(request.query.get("status", "pending"), ReviewStatus, ReviewStatus.PENDING)
    channel = _choice(request.query.get("channel", ""), Channel, None)
    context = {
        "queue": await review_queue(
            status=status, channel=channel, now=now(request), policy=request.app[SETTINGS].policy
        ),
        "status": status,
        "channel": channel,
        "statuses": list(ReviewStatus),
        "channels": list(Channel),
        "dead": await dead_deliveries(),
        "age": describe_age,
    }
    return await render(request, "review_queue.html", context)


def describe_age(age: timedelta | None) -> str:
    """Return an age as staff read it at a glance: "3 h 05 min", "2 d 4 h"."""
    if age is None:
        return "—"
    minutes = max(int(age.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _choice(text: str, kind: type[E], default: D) -> E | D:
    try:
        return kind(text)
    except ValueError:
        return default


async def _item(request: web.Request) -> ReviewItem:
    item = await ReviewItem.get_or_none(id=int(request.match_info["item_id"])).prefetch_related(
        "inbound", "decided_by"
    )
    if item is None:
        raise web.HTTPNotFound(text="No such review item.")
    return item


async def _item_page(
    request: web.Request,
    item: ReviewItem,
    *,
    posted: dict[int, dict[str, str]] | None = None,
    errors: dict[int, dict[str, str]] | None = None,
    status: int = 200,
) -> web.StreamResponse:
    policy = request.app[SETTINGS].policy
    officer = await sender_officer(item.inbound.sender)
    reports = await report_views(item, policy, officer)
    for view in reports:
        view.values.update((posted or {}).get(view.index, {}))
    original = read_original(bytes(item.inbound.payload))
    context = {
        "item": item,
        "inbound": item.inbound,
        "original": original,
        "read": read_evidence(item.parse_result),
        "date_header": dict(original.headers).get("Date"),
        "namesakes": await namesakes(item.inbound),
        "sender_officer": officer,
        "reports": reports,
        "errors": errors or {},
        "officers": await active_officers(),
        "activities": list(Activity),
        "history": await review_history(item),
        "open": item.status in (ReviewStatus.PENDING, ReviewStatus.DEFERRED),
    }
    return await render(request, "review_item.html", context, status)


@signed_in(*STAFF)
async def item_page(request: web.Request) -> web.StreamResponse:
    return await _item_page(request, await _item(request))


@signed_in(*STAFF)
async def decide(request: web.Request) -> web.StreamResponse:
    """Save, confirm, link or reject one report; a refusal shows the form again with why."""
    item = await _item(request)
    index = int(request.match_info["index"])
    form = await request.post()
    posted = {name: str(form.get(name, "")) for name in FIELDS if name in form}
    action = str(form.get("action", ""))
    staff, moment = current_user(request), now(request)
    policy = request.app[SETTINGS].policy
    officer = await sender_officer(item.inbound.sender)
    try:
        if action in ("save", "confirm"):
            # Staff's edits are kept (and audited) even when the confirm is refused.
            values = await edit_report(
                item.id,
                index,
                posted,
                staff=staff,
                policy=policy,
                sender_officer=officer,
                now=moment,
            )
            if action == "save":
                raise web.HTTPSeeOther(f"/staff/review/{item.id}#report-{index + 1}")
            draft, problems = read_review_form(values, policy)
            if draft is None:
                raise EntryRejected(problems)
            await confirm_report(
                item.id, index, draft, officer_id=values["officer"], staff=staff, policy=policy,
                now=moment,
            )  # fmt: skip
        elif action == "link":
            entry_id = str(form.get("entry", ""))
            await link_report(
                item.id, index, int(entry_id) if entry_id.isdigit() else 0, staff=staff, now=moment
            )
        elif action == "reject":
            await reject_report(
                item.id, index, str(form.get("reject_reason", "")), staff=staff, now=moment
            )
        else:
            raise web.HTTPBadRequest(text="Unknown action.")
    except EntryRejected as exc:
        errors = _errors_by_field(exc)
        item = await _item(request)
        return await _item_page(
            request, item, posted={index: posted}, errors={index: errors}, status=400
        )
    except DecisionRefused as exc:
        item = await _item(request)
        errors_ = {index: {"form": exc.message}}
        return await _item_page(request, item, posted={index: posted}, errors=errors_, status=409)
    raise web.HTTPSeeOther(f"/staff/review/{item.id}#report-{index + 1}")


def _errors_by_field(rejected: EntryRejected) -> dict[str, str]:
    """Place record_entry's problems next to the review form's fields."""
    errors: dict[str, str] = {}
    for problem in rejected.problems:
        name = FIELD_OF_PROBLEM.get(problem.field, problem.field)
        errors[name] = f"{errors[name]}; {problem.message}" if name in errors else problem.message
    return errors


@signed_in(*STAFF)
async def defer(request: web.Request) -> web.StreamResponse:
    item = await _item(request)
    form = await request.post()
    try:
        await defer_item(
            item.id, str(form.get("note", "")), staff=current_user(request), now=now(request)
        )
    except DecisionRefused as exc:
        return await _item_page(request, item, errors={-1: {"form": exc.message}}, status=409)
    raise web.HTTPSeeOther("/staff/review")


@signed_in(*STAFF)
async def attachment(request: web.Request) -> web.StreamResponse:
    item = await _item(request)
    found = attachment_file(bytes(item.inbound.payload), int(request.match_info["number"]))
    if found is None:
        raise web.HTTPNotFound(text="No such attachment.")
    # Always a download, never shown inline: the content is whatever the sender put there.
    return web.Response(
        body=found.data,
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@signed_in(*STAFF)
async def retry_delivery(request: web.Request) -> web.StreamResponse:
    delivery_id = int(request.match_info["delivery_id"])
    await replay_delivery(delivery_id, actor=current_user(request).username, now=now(request))
    raise web.HTTPSeeOther("/staff/review#dead-deliveries")
