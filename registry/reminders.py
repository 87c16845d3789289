"""Reminders that service is due: who holds process for which case, and once only.

A reminder row is the claim; the message itself is a delivery (chat or email) owed with it,
which the outbox sends, retries and shows to staff when it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from registry.enums import Adapter
from registry.models import Case, Reminder, ReminderStatus, User
from registry.notices import Notice, owe_notices
from registry.policy import Policy
from registry.service_clock import CASE_FIELDS, CaseClock, ServiceState, clocks

# A case is reminded about when its service is due within this long, or is overdue.
REMIND_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class ReminderDue:
    clock: CaseClock
    officer: User

    @property
    def deadline(self) -> date:
        return self.clock.due_at.date()


async def reminders_due(*, now: datetime, policy: Policy) -> list[ReminderDue]:
    """Return the reminders owed now: unserved, unattempted cases due within a day or overdue.

    Only cases whose process an officer holds (the last `received`, or `transferred` to them),
    whose hearing is today or later, and who have not had this reminder already.
    """
    today = policy.local(now).date()
    last_hearing = policy.local(now + REMIND_WITHIN).date() + timedelta(
        days=policy.service_due_days
    )
    cases = (
        await Case.filter(hearing_date__gte=today, hearing_date__lte=last_hearing)
        .order_by("hearing_date", "docket_number")
        .values(*CASE_FIELDS)
    )
    owed = [
        clock
        for clock in await clocks(cases, policy)
        if clock.state is ServiceState.RECEIVED_NOT_SERVED
        and clock.holder_id is not None
        and clock.due_at - now <= REMIND_WITHIN
    ]
    if not owed:
        return []
    done = {
        (r.case_id, r.deadline, r.officer_id)  # type: ignore[attr-defined]
        for r in await Reminder.filter(
            case_id__in=[c.case_id for c in owed], status__not=ReminderStatus.FAILED
        )
    }
    officers = {u.id: u for u in await User.filter(id__in=[c.holder_id for c in owed], active=True)}
    return [
        ReminderDue(clock, officers[clock.holder_id])
        for clock in owed
        if clock.holder_id in officers
        and (clock.case_id, clock.due_at.date(), clock.holder_id) not in done
    ]


def reminder_notice(
    due: ReminderDue, *, now: datetime, policy: Policy, chat: bool
) -> Notice | None:
    """The reminder as it goes: to the officer's linked chat when `chat`, else by email.

    None when the officer can be reached neither way.
    """
    clock = due.clock
    context = {
        "docket": clock.docket,
        "respondent": clock.respondent,
        "overdue": clock.due_at <= now,
        "due": policy.describe(clock.due_at),
        "hearing": clock.hearing_date.strftime("%A %b %d, %Y"),
    }
    if chat and due.officer.telegram_chat_id:
        return Notice(Adapter.TELEGRAM, str(due.officer.telegram_chat_id), "reminder", context)
    if due.officer.emails:
        subject = f"Service due: {clock.docket}"
        return Notice(Adapter.EMAIL, due.officer.emails[0], "reminder", context, subject=subject)
    return None


NO_WAY = "the officer has no linked chat and no email address"


async def owe_reminder(due: ReminderDue, notice: Notice | None, *, now: datetime) -> bool:
    """Claim one reminder and owe its delivery in one transaction; False when not sent.

    The (case, deadline, officer) key is the claim across gateway processes. A reminder that
    cannot go (no chat, no address) is kept as failed and tried again at the next time.
    """
    try:
        async with in_transaction() as conn:
            reminder = await _claim(due, now, conn)
            if reminder is None:
                return False  # another gateway process has it
            if notice is None:
                await (
                    Reminder.filter(id=reminder.id)
                    .using_db(conn)
                    .update(status=ReminderStatus.FAILED, last_error=NO_WAY)
                )
                return False
            await (
                Reminder.filter(id=reminder.id)
                .using_db(conn)
                .update(
                    status=ReminderStatus.SENDING, channel=notice.adapter.value, last_error=None
                )
            )
            await owe_notices([notice], now=now, connection=conn, reminder=reminder)
    except IntegrityError:
        return False  # claimed by another process at the same moment
    return True


async def _claim(due: ReminderDue, now: datetime, conn: BaseDBAsyncClient) -> Reminder | None:
    key = {"case_id": due.clock.case_id, "deadline": due.deadline, "officer_id": due.officer.id}
    existing = await Reminder.filter(**key).using_db(conn).first()
    if existing is None:
        return await Reminder.create(**key, channel="", created_at=now, using_db=conn)
    # A failed earlier try is taken again, by whoever flips it back to sending first.
    flipped = (
        await Reminder.filter(id=existing.id, status=ReminderStatus.FAILED)
        .using_db(conn)
        .update(status=ReminderStatus.SENDING)
    )
    return existing if flipped else None
