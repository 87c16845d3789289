"""What the Telegram bot asks of the registry: linking, conversation state, summaries, lookups.

Conversation state and pending summaries live in the database, not in the bot process, so a
restart or a second gateway process carries on the same conversation.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from registry.audit import record_account_event
from registry.casefile import find_case
from registry.entries import EntryDraft, EntryRejected, Problem, record_entry
from registry.enums import FANOUT, Adapter, BotState
from registry.models import (
    Activity,
    BotConversation,
    BotSummary,
    Channel,
    Delivery,
    DeliveryStatus,
    Entry,
    InboundMessage,
    Method,
    Role,
    SummaryStatus,
    TelegramLink,
    User,
)
from registry.notices import Notice, owe_notices
from registry.policy import Policy

LINK_VALID_FOR = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link_token(user: User, *, now: datetime) -> str:
    """Return a fresh one-time token for `https://t.me/<bot>?start=<token>`, valid 15 minutes."""
    token = secrets.token_urlsafe(24)  # 32 characters: Telegram allows 64 in a start parameter
    await TelegramLink.create(
        token_hash=_hash(token), user=user, created_at=now, expires_at=now + LINK_VALID_FOR
    )
    return token


async def redeem_link(token: str, *, chat_id: int, now: datetime) -> User | None:
    """Bind the chat to the token's officer once; None when the token is unknown, used or old."""
    link = await TelegramLink.get_or_none(token_hash=_hash(token)).prefetch_related("user")
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    user = link.user
    if not user.active or user.role is not Role.OFFICER:
        return None
    async with in_transaction() as conn:
        claimed = (
            await TelegramLink.filter(id=link.id, used_at=None)
            .using_db(conn)
            .update(used_at=now, chat_id=chat_id)
        )
        if claimed != 1:
            return None
        # A chat speaks for one officer: a previous binding of this chat ends here.
        await User.filter(telegram_chat_id=chat_id).using_db(conn).update(telegram_chat_id=None)
        await User.filter(id=user.id).using_db(conn).update(telegram_chat_id=chat_id)
        await record_account_event(
            user,
            "telegram.linked",
            actor=user.username,
            at=now,
            details={"chat_id": chat_id},
            connection=conn,
        )
    user.telegram_chat_id = chat_id
    return user


async def unlink(chat_id: int, *, now: datetime) -> bool:
    """Unbind the chat from its officer; False when it was not linked."""
    user = await User.get_or_none(telegram_chat_id=chat_id)
    if user is None:
        return False
    async with in_transaction() as conn:
        await User.filter(id=user.id).using_db(conn).update(telegram_chat_id=None)
        await BotConversation.filter(chat_id=chat_id).using_db(conn).delete()
        await record_account_event(
            user,
            "telegram.unlinked",
            actor=user.username,
            at=now,
            details={"chat_id": chat_id},
            connection=conn,
        )
    return True


async def linked_officer(chat_id: int) -> User | None:
    """Return the active officer this chat is bound to, if any."""
    return await User.get_or_none(telegram_chat_id=chat_id, active=True, role=Role.OFFICER)


@dataclass
class Conversation:
    """Where a chat stands: its state name and what has been gathered so far."""

    chat_id: int
    state: BotState
    data: dict[str, Any]


async def load_conversation(chat_id: int) -> Conversation:
    """Return the chat's conversation as last saved (idle when there is none)."""
    row = await BotConversation.get_or_none(chat_id=chat_id)
    if row is None:
        return Conversation(chat_id, BotState.IDLE, {})
    if row.state not in BotState.__members__.values():
        return Conversation(chat_id, BotState.IDLE, {})  # a state this version no longer has
    return Conversation(chat_id, BotState(row.state), dict(row.data))


async def save_conversation(conversation: Conversation, *, now: datetime) -> None:
    """Store the chat's state; idle removes the row."""
    if conversation.state is BotState.IDLE:
        await BotConversation.filter(chat_id=conversation.chat_id).delete()
        return
    values: dict[str, Any] = {
        "state": conversation.state,
        "data": conversation.data,
        "updated_at": now,
    }
    updated = await BotConversation.filter(chat_id=conversation.chat_id).update(**values)
    if not updated:
        try:
            await BotConversation.create(chat_id=conversation.chat_id, **values)
        except IntegrityError:  # another process created it meanwhile: last word wins
            await BotConversation.filter(chat_id=conversation.chat_id).update(**values)


def draft_from(data: dict[str, Any]) -> EntryDraft:
    """Turn a conversation's gathered answers into an entry draft."""
    occurred = data.get("occurred_at")
    return EntryDraft(
        docket_number=data["docket"],
        activity=Activity(data["activity"]),
        occurred_at=datetime.fromisoformat(occurred) if occurred else None,
        method=Method(data["method"]) if data.get("method") else None,
        police_assistance=data.get("police_assistance"),
        reason=data.get("reason"),
        transferred_to_id=data.get("transferred_to_id"),
        note=data.get("note"),
    )


async def open_summary(chat_id: int, officer: User, data: dict[str, Any], *, now: datetime) -> str:
    """Keep a draft awaiting Confirm and return its short key for the buttons."""
    key = secrets.token_urlsafe(9)  # 12 characters
    await BotSummary.create(key=key, chat_id=chat_id, user=officer, draft=data, created_at=now)
    return key


class SummaryGone(LookupError):
    """The summary was already confirmed or cancelled, or belongs to another chat."""


async def confirm_summary(
    key: str, *, chat_id: int, policy: Policy, now: datetime, source: InboundMessage | None = None
) -> Entry:
    """Record a pending summary through `record_entry`, exactly once per summary."""
    summary = await BotSummary.get_or_none(key=key, chat_id=chat_id).prefetch_related("user")
    if summary is None:
        raise SummaryGone(key)
    claimed = await BotSummary.filter(id=summary.id, status=SummaryStatus.PENDING).update(
        status=SummaryStatus.CONFIRMED
    )
    if claimed != 1:
        raise SummaryGone(key)
    try:
        async with in_transaction() as conn:
            entry = await record_entry(
                draft_from(summary.draft),
                officer=summary.user,
                channel=Channel.TELEGRAM,
                policy=policy,
                now=now,
                source=source,
            )
            await BotSummary.filter(id=summary.id).using_db(conn).update(entry_id=entry.id)
            # The outcome is a delivery with the entry: a Bot API outage delays it, never loses it.
            outcome = Notice(Adapter.TELEGRAM, str(chat_id), "recorded", recorded_context(entry))
            await owe_notices([outcome], now=now, connection=conn, inbound=source)
    except (EntryRejected, ValueError) as exc:
        await BotSummary.filter(id=summary.id).update(status=SummaryStatus.PENDING)
        if isinstance(exc, EntryRejected):
            raise
        raise EntryRejected([Problem("draft", "the summary could not be read")]) from None
    return entry


def recorded_context(entry: Entry) -> dict[str, Any]:
    """What the officer is told once an entry is recorded (outbound/templates/chat/recorded)."""
    return {
        "reference": entry.reference,
        "activity": entry.activity.value,
        "docket": entry.case.docket_number,
        "late": entry.late,
    }


async def cancel_summary(key: str, *, chat_id: int) -> bool:
    """Cancel a pending summary; False when it was no longer pending."""
    changed = await BotSummary.filter(
        key=key, chat_id=chat_id, status=SummaryStatus.PENDING
    ).update(status=SummaryStatus.CANCELLED)
    return changed == 1


async def pending_summary(key: str, *, chat_id: int) -> dict[str, Any] | None:
    """Return the draft of a pending summary of this chat."""
    summary = await BotSummary.get_or_none(key=key, chat_id=chat_id, status=SummaryStatus.PENDING)
    return None if summary is None else dict(summary.draft)


async def officer_case_entries(docket_text: str, officer: User) -> tuple[str, list[Entry]]:
    """Return the case's docket and the officer's own entries on it; raises CaseNotFound."""
    case = await find_case(docket_text)
    entries = (
        await Entry.filter(case_id=case.id, officer_id=officer.id)
        .order_by("-recorded_at", "-id")
        .prefetch_related("deliveries")
    )
    return case.docket_number, list(entries)


@dataclass(frozen=True)
class FollowUp:
    """A confirmed summary whose deliveries have all finished, with where they went."""

    summary_id: int
    chat_id: int
    entry_reference: str
    deliveries: tuple[Delivery, ...]


_FINISHED = (DeliveryStatus.SENT, DeliveryStatus.DEAD)


async def due_follow_ups(*, limit: int = 500) -> list[FollowUp]:
    """Return confirmed summaries not yet followed up whose deliveries all finished."""
    summaries = (
        await BotSummary.filter(
            status=SummaryStatus.CONFIRMED, notified_at=None, entry_id__not_isnull=True
        )
        .order_by("id")
        .limit(limit)
    )
    due = []
    for summary in summaries:
        deliveries = await Delivery.filter(
            entry_id=summary.entry_id,  # type: ignore[attr-defined]
            adapter__in=FANOUT,
        ).order_by("id")
        if deliveries and all(d.status in _FINISHED for d in deliveries):
            reference = f"E-{summary.entry_id:07d}"  # type: ignore[attr-defined]
            due.append(FollowUp(summary.id, summary.chat_id, reference, tuple(deliveries)))
        elif not deliveries:  # not a service: nothing goes out, nothing to follow up
            await BotSummary.filter(id=summary.id).update(notified_at=summary.created_at)
    return due


async def owe_follow_ups(*, now: datetime) -> int:
    """Owe each officer the follow-up of every confirmed service whose deliveries finished.

    The claim (`notified_at`) and the `telegram` delivery commit together, so a follow-up is
    neither sent twice by two processes nor lost when the Bot API is down.
    """
    owed = 0
    for follow_up in await due_follow_ups():
        async with in_transaction() as conn:
            claimed = (
                await BotSummary.filter(id=follow_up.summary_id, notified_at=None)
                .using_db(conn)
                .update(notified_at=now)
            )
            if claimed != 1:
                continue  # another gateway process took it
            context = {
                "reference": follow_up.entry_reference,
                "sent": _where(follow_up, DeliveryStatus.SENT),
                "failed": _where(follow_up, DeliveryStatus.DEAD),
            }
            notice = Notice(Adapter.TELEGRAM, str(follow_up.chat_id), "follow_up", context)
            await owe_notices([notice], now=now, connection=conn)
            owed += 1
    return owed


def _where(follow_up: FollowUp, status: DeliveryStatus) -> str:
    """Say "Hartford PD by fax, the state file and NCIC" for the deliveries in `status`."""
    names = []
    for delivery in follow_up.deliveries:
        if delivery.status is not status:
            continue
        if delivery.adapter is Adapter.FAX:
            names.append(f"{delivery.destination} by fax")
        elif delivery.adapter is Adapter.COLLECT:
            names.append("the state file")
        else:
            names.append("NCIC")
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
