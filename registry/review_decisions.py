"""Staff decisions on review items: edit, confirm, link to an existing entry, reject, defer.

A decision is one `ReviewDecision` row per report, and its unique (item, report) key is the
claim: the decision and the entry it records commit in one transaction, so when two staff
confirm the same report at once the second insert fails and only one entry is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from registry.audit import record_event
from registry.entries import EntryDraft, EntryRejected, Problem, record_entry
from registry.enums import Adapter
from registry.models import (
    Channel,
    DecisionKind,
    Entry,
    InboundMessage,
    ReviewDecision,
    ReviewItem,
    ReviewStatus,
    User,
)
from registry.notices import Notice, owe_notices
from registry.policy import Policy
from registry.review_item import EDITS_KEY, FIELDS, current_values, parsed_reports

OPEN = (ReviewStatus.PENDING, ReviewStatus.DEFERRED)
ALREADY_DECIDED = "this report has already been decided (perhaps by someone else just now)"


class DecisionRefused(Exception):
    """The decision cannot be made; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Decided:
    """A decision made, with what the sender should be told."""

    item: ReviewItem
    inbound: InboundMessage
    decision: ReviewDecision
    entry: Entry | None


async def open_item(item_id: int, index: int) -> ReviewItem:
    """Return a review item still open for decisions, checking the report exists."""
    item = await ReviewItem.get_or_none(id=item_id).prefetch_related("inbound")
    if item is None:
        raise DecisionRefused("no such review item")
    if item.status not in OPEN:
        raise DecisionRefused(f"this item is already {item.status.value}")
    if not 0 <= index < len(parsed_reports(item)):
        raise DecisionRefused("no such report in this item")
    return item


async def save_edits(
    item: ReviewItem,
    index: int,
    posted: dict[str, str],
    *,
    staff: User,
    policy: Policy,
    officer: User | None,
    now: datetime,
) -> dict[str, str]:
    """Keep staff's changes to a report's fields, auditing each one (who, when, field, from, to)."""
    async with in_transaction() as conn:
        fresh = await ReviewItem.filter(id=item.id).using_db(conn).select_for_update().get()
        before = current_values(fresh, index, policy, officer)
        after = {name: posted.get(name, before[name]).strip() for name in FIELDS}
        changed = [name for name in FIELDS if after[name] != before[name]]
        for name in changed:
            await record_event(
                actor=staff.username,
                action="review.field_edited",
                object_type="review_item",
                object_id=str(item.id),
                at=now,
                details={
                    "report": index + 1,
                    "field": name,
                    "from": before[name],
                    "to": after[name],
                },
                connection=conn,
            )
        if changed:
            edits = dict(fresh.parse_result.get(EDITS_KEY) or {})
            edits[str(index)] = {**edits.get(str(index), {}), **{n: after[n] for n in changed}}
            fresh.parse_result = {**fresh.parse_result, EDITS_KEY: edits}
            await fresh.save(using_db=conn, update_fields=["parse_result"])
            item.parse_result = fresh.parse_result
    return after


async def edit_report(
    item_id: int,
    index: int,
    posted: dict[str, str],
    *,
    staff: User,
    policy: Policy,
    sender_officer: User | None,
    now: datetime,
) -> dict[str, str]:
    """Keep staff's corrections to an open report without deciding it yet."""
    item = await open_item(item_id, index)
    return await save_edits(
        item, index, posted, staff=staff, policy=policy, officer=sender_officer, now=now
    )


async def _officer(officer_id: str) -> User:
    officer = None
    if officer_id.isdigit():
        officer = await User.get_or_none(id=int(officer_id))
    if officer is None:
        raise EntryRejected([Problem("officer", "choose the officer who made the report")])
    return officer


async def confirm_report(
    item_id: int,
    index: int,
    draft: EntryDraft,
    *,
    officer_id: str,
    staff: User,
    policy: Policy,
    now: datetime,
) -> Decided:
    """Record one report as an entry through `record_entry` (channel email), exactly once.

    `draft` is the report as staff last saved it (gateway/web/forms.py reads the form).
    Raises `EntryRejected` (nothing recorded; edits kept) or `DecisionRefused`.
    """
    item = await open_item(item_id, index)
    officer = await _officer(officer_id)
    async with in_transaction() as conn:
        decision = await _claim(item, index, DecisionKind.CONFIRMED, staff, now, None, conn)
        entry = await record_entry(
            draft,
            officer=officer,
            channel=Channel.EMAIL,
            policy=policy,
            now=now,
            source=item.inbound,
            recorded_by=staff,
        )
        decision.entry = entry
        await decision.save(using_db=conn, update_fields=["entry_id"])
        await _audit(item, index, "review.confirmed", staff, now, conn, entry=entry.reference)
        await _close_when_all_decided(item, staff, now, conn)
        await _tell_sender(item, decision, entry, draft.docket_number, now, conn)
    return Decided(item, item.inbound, decision, entry)


async def link_report(
    item_id: int, index: int, entry_id: int, *, staff: User, now: datetime
) -> Decided:
    """Close a report as already recorded by another channel, pointing at that entry."""
    item = await open_item(item_id, index)
    entry = await Entry.get_or_none(id=entry_id)
    if entry is None:
        raise DecisionRefused("no such entry to link to")
    async with in_transaction() as conn:
        decision = await _claim(item, index, DecisionKind.LINKED, staff, now, entry, conn)
        await _audit(item, index, "review.linked", staff, now, conn, entry=entry.reference)
        await _close_when_all_decided(item, staff, now, conn)
        await _tell_sender(item, decision, entry, _docket(item, index), now, conn)
    return Decided(item, item.inbound, decision, entry)


async def reject_report(
    item_id: int, index: int, reason: str, *, staff: User, now: datetime
) -> Decided:
    """Reject one report with a reason the sender will be told."""
    reason = reason.strip()
    if not reason:
        raise DecisionRefused("give the reason for rejecting: the sender is told it")
    item = await open_item(item_id, index)
    async with in_transaction() as conn:
        decision = await _claim(item, index, DecisionKind.REJECTED, staff, now, None, conn, reason)
        await _audit(item, index, "review.rejected", staff, now, conn, reason=reason)
        await _close_when_all_decided(item, staff, now, conn)
        await _tell_sender(item, decision, None, _docket(item, index), now, conn)
    return Decided(item, item.inbound, decision, None)


async def defer_item(item_id: int, note: str, *, staff: User, now: datetime) -> None:
    """Put a whole item aside (it leaves the pending list and stays open)."""
    async with in_transaction() as conn:
        changed = (
            await ReviewItem.filter(id=item_id, status=ReviewStatus.PENDING)
            .using_db(conn)
            .update(status=ReviewStatus.DEFERRED, decision_note=note.strip() or None)
        )
        if changed != 1:
            raise DecisionRefused("only a pending item can be deferred")
        await record_event(
            actor=staff.username,
            action="review.deferred",
            object_type="review_item",
            object_id=str(item_id),
            at=now,
            details={"note": note.strip()},
            connection=conn,
        )


async def _claim(
    item: ReviewItem,
    index: int,
    kind: DecisionKind,
    staff: User,
    now: datetime,
    entry: Entry | None,
    conn: BaseDBAsyncClient,
    note: str | None = None,
) -> ReviewDecision:
    """Insert the report's one decision; a second one (a race) is refused by the unique key."""
    decision = ReviewDecision(
        item=item,
        report_index=index,
        kind=kind,
        entry=entry,
        decided_by=staff,
        decided_at=now,
        note=note,
    )
    try:
        await decision.save(using_db=conn)
    except IntegrityError:
        raise DecisionRefused(ALREADY_DECIDED) from None
    return decision


async def _audit(
    item: ReviewItem,
    index: int,
    action: str,
    staff: User,
    now: datetime,
    conn: BaseDBAsyncClient,
    **details: str,
) -> None:
    await record_event(
        actor=staff.username,
        action=action,
        object_type="review_item",
        object_id=str(item.id),
        at=now,
        details={"report": index + 1, **details},
        connection=conn,
    )


async def _close_when_all_decided(
    item: ReviewItem, staff: User, now: datetime, conn: BaseDBAsyncClient
) -> None:
    """Close the item once every report has its decision: rejected if all were rejected."""
    decisions = await ReviewDecision.filter(item_id=item.id).using_db(conn)
    if len(decisions) < len(parsed_reports(item)):
        return
    rejected = all(d.kind is DecisionKind.REJECTED for d in decisions)
    status = ReviewStatus.REJECTED if rejected else ReviewStatus.CONFIRMED
    await (
        ReviewItem.filter(id=item.id, status__in=OPEN)
        .using_db(conn)
        .update(status=status, decided_by_id=staff.id, decided_at=now)
    )
    item.status = status


_VERDICT = {
    DecisionKind.CONFIRMED: ("review-confirmed", "Confirmed"),
    DecisionKind.LINKED: ("review-confirmed", "Confirmed"),
    DecisionKind.REJECTED: ("review-rejected", "Rejected"),
}


async def _tell_sender(
    item: ReviewItem,
    decision: ReviewDecision,
    entry: Entry | None,
    docket: str,
    now: datetime,
    conn: BaseDBAsyncClient,
) -> None:
    """Owe the report's sender an email saying what was decided, with the decision itself."""
    # RFC 3834 section 4: an automatic response goes to the envelope sender.
    to = str(item.inbound.envelope.get("mail_from") or "")
    if not to:
        return
    template, verdict = _VERDICT[decision.kind]
    reference = item.inbound.reference
    notice = Notice(
        Adapter.EMAIL,
        to,
        template,
        {
            "reference": reference,
            "report": decision.report_index + 1,
            "docket": docket or "(no docket)",
            "entry": entry.reference if entry else None,
            "reason": decision.note or "",
        },
        subject=f"{verdict} [{reference}]: {docket or 'your report'}",
        in_reply_to=str(item.parse_result.get("message_id") or ""),
    )
    await owe_notices([notice], now=now, connection=conn, inbound=item.inbound)


def _docket(item: ReviewItem, index: int) -> str:
    """The report's docket as staff last saw it: their edit, else the parser's reading."""
    edits = (item.parse_result.get(EDITS_KEY) or {}).get(str(index)) or {}
    return str(edits.get("docket_number") or parsed_reports(item)[index].get("docket_number") or "")
