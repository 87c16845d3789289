"""Reminders that service is due: who holds process for which case, and once only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError

from registry.models import Case, Reminder, ReminderStatus, User
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


async def claim_reminder(due: ReminderDue, *, channel: str, now: datetime) -> Reminder | None:
    """Take the right to send one reminder; None when another process already has it."""
    try:
        return await Reminder.create(
            case_id=due.clock.case_id,
            deadline=due.deadline,
            officer=due.officer,
            channel=channel,
            created_at=now,
        )
    except IntegrityError:
        # A failed earlier try is taken again, by whoever flips it back to sending first.
        claimed = await Reminder.filter(
            case_id=due.clock.case_id,
            deadline=due.deadline,
            officer_id=due.officer.id,
            status=ReminderStatus.FAILED,
        ).update(status=ReminderStatus.SENDING, channel=channel)
        if not claimed:
            return None
        return await Reminder.get(
            case_id=due.clock.case_id, deadline=due.deadline, officer_id=due.officer.id
        )


async def finish_reminder(reminder: Reminder, *, error: str | None, now: datetime) -> None:
    """Mark a claimed reminder sent, or failed (to be tried at the next reminder time)."""
    await Reminder.filter(id=reminder.id).update(
        status=ReminderStatus.FAILED if error else ReminderStatus.SENT,
        last_error=error,
        sent_at=None if error else now,
    )
