"""Access requests: a prospective officer asks for an account, staff approve or reject it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from registry.accounts import create_user, username_problem
from registry.audit import record_event
from registry.db import is_postgres
from registry.models import AccessRequest, AccessRequestStatus, Role, User

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class AccessRequestForm:
    """What the public form asks (the registry user information and agreement)."""

    full_name: str
    username: str
    email: str
    phone: str = ""
    officer_number: str = ""
    employer: str = ""
    reason: str = ""
    agreed: bool = False


class RequestRefused(ValueError):
    """The request or decision cannot go ahead; `problems` maps form fields to plain words."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


# Anonymous requests from one client address: at most this many an hour (spam, enumeration).
PER_CLIENT_PER_HOUR = 3
REASON_LENGTH = 2000
TOO_MANY = (
    "too many access requests from your network in the last hour: try again later, "
    "or call the Registry Section"
)


def _length_problems(form: AccessRequestForm) -> dict[str, str]:
    """Each field within what the registry keeps, checked before any database work."""
    fields = AccessRequest._meta.fields_map
    problems = {}
    for name in ("full_name", "username", "email", "phone", "officer_number", "employer"):
        limit = getattr(fields[name], "max_length", None)
        if limit and len(getattr(form, name).strip()) > limit:
            problems[name] = f"use at most {limit} characters"
    if len(form.reason.strip()) > REASON_LENGTH:
        problems["reason"] = f"use at most {REASON_LENGTH} characters"
    return problems


async def submit_access_request(
    form: AccessRequestForm,
    *,
    now: datetime,
    client: str = "",
) -> AccessRequest:
    """Store a request for staff to decide; refuse one that misses what the registry needs,
    or one too many from the same client address within an hour."""
    problems = _length_problems(form)
    for name, label in (("full_name", "your full name"), ("username", "a username"),
                        ("email", "an email address")):  # fmt: skip
        if not getattr(form, name).strip():
            problems[name] = f"give {label}"
    if "username" not in problems and (wrong := username_problem(form.username.strip().lower())):
        problems["username"] = wrong
    if form.email.strip() and "@" not in form.email:
        problems["email"] = "give an email address like name@example.com"
    if not form.agreed:
        problems["agreed"] = "read the user agreement and tick the box to accept it"
    if problems:
        raise RequestRefused(problems)
    async with in_transaction() as conn:
        # Count and store as one step per client address, so requests sent together are counted:
        # SQLite runs one transaction at a time; PostgreSQL takes a lock named for the address,
        # held until the commit, in every gateway process alike.
        if is_postgres():
            key = f"access-request:{client}"
            await conn.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [key])
        recent = AccessRequest.filter(client_address=client, submitted_at__gt=now - HOUR)
        if client and await recent.using_db(conn).count() >= PER_CLIENT_PER_HOUR:
            raise RequestRefused({"form": TOO_MANY})
        request = await AccessRequest.create(
            full_name=form.full_name.strip(),
            username=form.username.strip().lower(),
            email=form.email.strip().lower(),
            phone=form.phone.strip(),
            officer_number=form.officer_number.strip(),
            employer=form.employer.strip(),
            reason=form.reason.strip(),
            submitted_at=now,
            client_address=client[:64],
            using_db=conn,
        )
        await record_event(
            actor="public",
            action="access_request.submitted",
            object_type="access_request",
            object_id=str(request.id),
            at=now,
            details={"username": request.username, "full_name": request.full_name},
            connection=conn,
        )
    return request


async def pending_access_requests() -> list[AccessRequest]:
    """Return the requests waiting for a decision, oldest first."""
    return await AccessRequest.filter(status=AccessRequestStatus.PENDING).order_by("submitted_at")


async def approve_access_request(
    request_id: int, *, temporary_password: str, staff: User, now: datetime
) -> User:
    """Create the officer account a request asked for; it must change its password at login."""
    request = await AccessRequest.get_or_none(id=request_id, status=AccessRequestStatus.PENDING)
    if request is None:
        raise RequestRefused({"request": "that request has already been decided"})
    if await User.filter(username=request.username).exists():
        raise RequestRefused({"username": f"the username {request.username} is already taken"})
    if request.officer_number and await User.filter(officer_number=request.officer_number).exists():
        raise RequestRefused({"officer_number": "another account has that officer number"})
    user = await create_user(
        username=request.username,
        full_name=request.full_name,
        role=Role.OFFICER,
        password=temporary_password,
        officer_number=request.officer_number or None,
        emails=[request.email],
        must_change_password=True,
        now=now,
        actor=staff.username,
    )
    await _decide(request, AccessRequestStatus.APPROVED, staff, now, note=None, account=user)
    return user


async def reject_access_request(request_id: int, *, note: str, staff: User, now: datetime) -> None:
    """Refuse a request, keeping the reason staff gave."""
    request = await AccessRequest.get_or_none(id=request_id, status=AccessRequestStatus.PENDING)
    if request is None:
        raise RequestRefused({"request": "that request has already been decided"})
    await _decide(
        request, AccessRequestStatus.REJECTED, staff, now, note=note.strip(), account=None
    )


async def _decide(
    request: AccessRequest,
    status: AccessRequestStatus,
    staff: User,
    now: datetime,
    *,
    note: str | None,
    account: User | None,
) -> None:
    async with in_transaction() as conn:
        request.status = status
        request.decided_by = staff
        request.decided_at = now
        if note:
            request.decision_note = note
        request.account = account
        await request.save(using_db=conn)
        await record_event(
            actor=staff.username,
            action=f"access_request.{status.value}",
            object_type="access_request",
            object_id=str(request.id),
            at=now,
            details={"username": request.username, "note": note},
            connection=conn,
        )
