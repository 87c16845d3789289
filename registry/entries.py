"""record_entry: the single path by which an entry enters the registry, from any channel."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from registry.audit import record_event
from registry.casefile import CaseNotFound, find_case
from registry.models import (
    Activity,
    Adapter,
    Agency,
    Case,
    Channel,
    Delivery,
    DeliveryStatus,
    Entry,
    InboundMessage,
    Method,
    Role,
    Town,
    User,
)
from registry.policy import Policy
from registry.switch_fields import problems_for


@dataclass(frozen=True)
class Problem:
    """One broken rule, tied to the form field it concerns, in words an officer understands."""

    field: str
    message: str


class EntryRejected(Exception):
    """The draft breaks one or more rules; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class EntryDraft:
    """What an officer reports, before the registry has checked it."""

    docket_number: str
    activity: Activity
    occurred_at: datetime | None = None
    method: Method | None = None
    police_assistance: bool | None = None
    reason: str | None = None
    transferred_to_id: int | None = None
    note: str | None = None


# Which optional fields each activity takes; anything else given is a mistake, not silently dropped.
FIELDS_BY_ACTIVITY = {
    Activity.SERVICE: {"method", "police_assistance"},
    Activity.ATTEMPT: {"reason", "police_assistance"},
    Activity.RECEIVED: set(),
    Activity.TRANSFERRED: {"transferred_to_id"},
    Activity.OTHER: set(),
}


async def record_entry(
    draft: EntryDraft,
    *,
    officer: User,
    channel: Channel,
    policy: Policy,
    now: datetime,
    source: InboundMessage | None = None,
    supersedes_id: int | None = None,
    recorded_by: User | None = None,
) -> Entry:
    """Check a draft against the registry's rules and write it with its deliveries and audit.

    The entry, its `Delivery` rows (service only) and its audit event commit in one transaction,
    or nothing is written and `EntryRejected` lists every broken rule. `now` is the recorded-at
    time (the server's clock, UTC). A correction names the entry it supersedes; entries are never
    changed.
    """
    problems: list[Problem] = []
    case = await _find_case(draft.docket_number, problems)
    transferred_to = await _check_fields(draft, officer, problems)
    occurred_at = _check_time(draft, policy, now, problems)
    superseded = await _check_supersedes(supersedes_id, case, problems)
    if problems:
        raise EntryRejected(problems)
    assert case is not None and occurred_at is not None

    entry = Entry(
        case=case,
        officer=officer,
        activity=draft.activity,
        method=draft.method,
        occurred_at=occurred_at,
        police_assistance=draft.police_assistance,
        reason=_clean(draft.reason),
        transferred_to=transferred_to,
        note=_clean(draft.note),
        recorded_at=now,
        recorded_by=recorded_by,
        channel=channel,
        late=_is_late(draft.activity, occurred_at, case, policy, now),
        occurred_before_case=occurred_at < case.created_at,
        supersedes=superseded,
        source=source,
    )
    try:
        async with in_transaction() as conn:
            await entry.save(using_db=conn)
            deliveries = []
            if entry.activity is Activity.SERVICE:
                deliveries = await _write_deliveries(entry, case, officer, policy, now, conn)
            await record_event(
                actor=(recorded_by or officer).username,
                action="entry.recorded",
                object_type="entry",
                object_id=entry.reference,
                at=now,
                details={
                    "docket": case.docket_number,
                    "activity": entry.activity.value,
                    "channel": channel.value,
                    "officer": officer.username,
                    "late": entry.late,
                    "supersedes": superseded.reference if superseded else None,
                    "deliveries": [f"{d.adapter.value}:{d.destination}" for d in deliveries],
                    "held": {
                        f"{d.adapter.value}:{d.destination}": d.last_error
                        for d in deliveries
                        if d.status is DeliveryStatus.DEAD
                    },
                },
                connection=conn,
            )
    except IntegrityError:
        # Two corrections of one entry raced: the one-to-one constraint let only one through.
        raise EntryRejected(
            [Problem("supersedes", "that entry has just been corrected by someone else")]
        ) from None
    return entry


async def _find_case(docket_text: str, problems: list[Problem]) -> Case | None:
    try:
        return await find_case(
            docket_text, "respondent_town", "protected_home_town", "protected_work_town"
        )
    except CaseNotFound as exc:
        problems.append(Problem("docket_number", exc.reason))
        return None


async def _check_fields(draft: EntryDraft, officer: User, problems: list[Problem]) -> User | None:
    """Check who records and the activity's own fields; return the transfer target."""
    if not officer.active or officer.role is not Role.OFFICER:
        problems.append(Problem("officer", f"{officer.full_name} is not an active officer"))
    allowed = FIELDS_BY_ACTIVITY[draft.activity]
    for name in ("method", "police_assistance", "reason", "transferred_to_id"):
        if getattr(draft, name) not in (None, "") and name not in allowed:
            label = name.removesuffix("_id").replace("_", " ")
            problems.append(Problem(name, f"{label} does not apply to {draft.activity.value}"))
    activity = draft.activity
    if activity is Activity.SERVICE and draft.method is None:
        problems.append(
            Problem("method", "say how service was made: in hand or at the respondent's abode")
        )
    if activity in (Activity.SERVICE, Activity.ATTEMPT) and draft.police_assistance is None:
        problems.append(Problem("police_assistance", "say whether police assistance was requested"))
    if activity is Activity.ATTEMPT and not _clean(draft.reason):
        problems.append(Problem("reason", "say why service could not be made"))
    if activity is Activity.OTHER and not _clean(draft.note):
        problems.append(Problem("note", "write the information to record"))
    if activity is not Activity.TRANSFERRED:
        return None
    if draft.transferred_to_id is None:
        problems.append(Problem("transferred_to_id", "choose the officer process went to"))
        return None
    target = await User.get_or_none(id=draft.transferred_to_id)
    if target is None or not target.active or target.role is not Role.OFFICER:
        problems.append(Problem("transferred_to_id", "process can go only to an active officer"))
        return None
    if target.id == officer.id:
        problems.append(Problem("transferred_to_id", "process cannot be transferred to yourself"))
    return target


def _check_time(
    draft: EntryDraft, policy: Policy, now: datetime, problems: list[Problem]
) -> datetime | None:
    occurred = draft.occurred_at
    if occurred is None:
        if draft.activity is Activity.OTHER:
            return now
        problems.append(Problem("occurred_at", f"give the date and time of the {_noun(draft)}"))
        return None
    if occurred.tzinfo is None:
        raise ValueError("occurred_at must carry its time zone")
    occurred = occurred.astimezone(UTC)
    if occurred > now + policy.future_tolerance:
        problems.append(
            Problem(
                "occurred_at",
                f"{_noun(draft).capitalize()} was entered as {policy.describe(occurred)} — "
                f"a {_noun(draft)} time cannot be in the future",
            )
        )
        return None
    return occurred


def _noun(draft: EntryDraft) -> str:
    return {
        Activity.SERVICE: "service",
        Activity.ATTEMPT: "attempt",
        Activity.RECEIVED: "receipt of process",
        Activity.TRANSFERRED: "transfer",
        Activity.OTHER: "information",
    }[draft.activity]


async def _check_supersedes(
    supersedes_id: int | None, case: Case | None, problems: list[Problem]
) -> Entry | None:
    if supersedes_id is None:
        return None
    old = await Entry.get_or_none(id=supersedes_id)
    if old is None or (case is not None and old.case_id != case.id):  # type: ignore[attr-defined]
        problems.append(Problem("supersedes", "the entry to correct is not an entry of this case"))
        return None
    if await Entry.filter(supersedes_id=old.id).exists():
        problems.append(Problem("supersedes", f"{old.reference} has already been corrected"))
        return None
    return old


def late_reason(entry: Entry, policy: Policy) -> str:
    """Explain, in the policy's words, why an entry is flagged late."""
    if entry.activity is Activity.SERVICE:
        hours = policy.prompt_entry.total_seconds() / 3600
        return f"service must be recorded within {hours:g} hours of being made"
    return "an attempt must be recorded before the hearing"


def _is_late(
    activity: Activity, occurred_at: datetime, case: Case, policy: Policy, now: datetime
) -> bool:
    if activity is Activity.SERVICE:
        return now - occurred_at > policy.prompt_entry
    if activity is Activity.ATTEMPT:
        return policy.local(now).date() >= case.hearing_date
    return False


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


async def _write_deliveries(
    entry: Entry,
    case: Case,
    officer: User,
    policy: Policy,
    now: datetime,
    conn: BaseDBAsyncClient,
) -> list[Delivery]:
    """Owe one fax per distinct covering agency, one state switch and one NCIC update.

    Each delivery is checked against its own receiver's field rules here, before the officer
    is told "Recorded": one that its receiver cannot take is written dead with the reason, for
    staff, and never holds back the others. A correction of a service names, for each receiver,
    the earlier message it replaces.
    """
    agencies: dict[int, Agency] = {}
    for town in (case.respondent_town, case.protected_home_town, case.protected_work_town):
        if isinstance(town, Town):
            agency = await Agency.get(id=town.agency_id).using_db(conn)  # type: ignore[attr-defined]
            agencies.setdefault(agency.id, agency)
    update = service_update(entry, case, officer, policy)
    earlier = await _earlier_service(entry, policy, conn)
    owed: list[tuple[Adapter, str, Agency | None]] = [
        (Adapter.FAX, agency.name, agency) for agency in agencies.values()
    ]
    owed += [(Adapter.COLLECT, "state protection order file", None), (Adapter.NCIC, "NCIC", None)]
    deliveries = []
    for adapter, destination, agency in owed:
        payload = dict(update)
        if agency is not None:
            payload["agency"] = {"name": agency.name, "ori": agency.ori, "fax": agency.fax_number}
        if earlier is not None:
            keys, served = earlier
            key = keys.get((adapter, agency.id if agency else None), "")
            payload["corrects"] = served | {"key": key}
        problems = problems_for(adapter, payload)
        delivery = Delivery(
            entry=entry,
            adapter=adapter,
            destination=destination,
            agency=agency,
            payload=payload,
            idempotency_key=uuid.uuid4(),
            next_attempt_at=now,
            created_at=now,
        )
        if problems:
            delivery.status = DeliveryStatus.DEAD
            delivery.last_error = "not sent, fix the case and retry: " + "; ".join(problems)
        await delivery.save(using_db=conn)
        deliveries.append(delivery)
    return deliveries


async def _earlier_service(
    entry: Entry, policy: Policy, conn: BaseDBAsyncClient
) -> tuple[dict[tuple[Adapter, int | None], str], dict[str, object]] | None:
    """For a correction of a service: its messages' keys by receiver, and what it said."""
    old = entry.supersedes
    if old is None or old.activity is not Activity.SERVICE or old.occurred_at is None:
        return None
    old_officer = await User.get(id=old.officer_id).using_db(conn)  # type: ignore[attr-defined]
    rows = await Delivery.filter(entry_id=old.id).using_db(conn).order_by("id")
    keys = {
        (row.adapter, row.agency_id): str(row.idempotency_key)  # type: ignore[attr-defined]
        for row in rows
    }
    return keys, {
        "entry": old.reference,
        "occurred_local": policy.local(old.occurred_at).isoformat(),
        "method": old.method.value if old.method else None,
        "police_assistance": old.police_assistance,
        "officer": old_officer.full_name,
        "recorded_local": policy.local(old.recorded_at).isoformat(),
    }


def service_update(entry: Entry, case: Case, officer: User, policy: Policy) -> dict[str, object]:
    """Return the service-update data every adapter receives (never the protected person's)."""
    assert entry.occurred_at is not None and entry.method is not None
    return {
        "entry": entry.reference,
        "supersedes": entry.supersedes.reference if entry.supersedes else None,
        **case_fields(case),
        "occurred_at": entry.occurred_at.astimezone(UTC).isoformat(),
        "occurred_local": policy.local(entry.occurred_at).isoformat(),
        "zone": policy.zone.key,
        "method": entry.method.value,
        "police_assistance": entry.police_assistance,
        "officer": officer.full_name,
        "recorded_at": entry.recorded_at.astimezone(UTC).isoformat(),
        "recorded_local": policy.local(entry.recorded_at).isoformat(),
    }


def case_fields(case: Case) -> dict[str, object]:
    """The case's part of a service update (its court fetched): what staff can fix and resend."""
    return {
        "docket": case.docket_number,
        "court_code": case.court.code,
        "court_name": case.court.name,
        "court_ori": case.court.ori,
        "order_type": case.order_type.value,
        "nic": case.ncic_number,
        "respondent_first_name": case.respondent_first_name,
        "respondent_last_name": case.respondent_last_name,
        "hearing_date": case.hearing_date.isoformat(),
        "firearms": case.firearms,
    }


async def refreshed_payload(delivery: Delivery, conn: BaseDBAsyncClient) -> dict[str, Any]:
    """The delivery's payload with the case, court and agency as they are now.

    What the officer reported stays as recorded; what staff may have fixed since (a court's
    ORI, an agency's fax number, the case as the daybook now has it) is read again.
    """
    entry = await Entry.get(id=delivery.entry_id).using_db(conn)  # type: ignore[attr-defined]
    case = await Case.get(id=entry.case_id).using_db(conn).prefetch_related("court")  # type: ignore[attr-defined]
    payload = dict(delivery.payload) | case_fields(case)
    if delivery.agency_id is not None:  # type: ignore[attr-defined]
        agency = await Agency.get(id=delivery.agency_id).using_db(conn)  # type: ignore[attr-defined]
        payload["agency"] = {"name": agency.name, "ori": agency.ori, "fax": agency.fax_number}
    return payload
