"""The registry's tables: cases, people, what arrived, what was recorded, what went out."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from registry.enums import (
    AccessRequestStatus,
    Activity,
    Adapter,
    AgencyKind,
    Channel,
    DecisionKind,
    DeliveryStatus,
    InboundStatus,
    Method,
    OrderType,
    ReminderStatus,
    ReviewStatus,
    Role,
    SummaryStatus,
)

# Model docstrings become SQL table comments, and the ORM's SQLite migration splits statements
# on ";": keep semicolons out of them.


class Court(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=3, unique=True)
    name = fields.CharField(max_length=100)
    town = fields.CharField(max_length=64)
    ori = fields.CharField(max_length=9)

    class Meta:
        table = "court"


class Agency(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    ori = fields.CharField(max_length=9, null=True)
    kind = fields.CharEnumField(AgencyKind, max_length=16)
    troop = fields.CharField(max_length=2, null=True)
    fax_number = fields.CharField(max_length=24, null=True)

    class Meta:
        table = "agency"


class Town(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    county = fields.CharField(max_length=32)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "registry.Agency", related_name="towns", on_delete=fields.RESTRICT
    )
    table_version = fields.CharField(max_length=32)
    source = fields.TextField(default="")

    class Meta:
        table = "town"


class Case(Model):
    id = fields.IntField(primary_key=True)
    docket_number = fields.CharField(max_length=24, unique=True)
    court: fields.ForeignKeyRelation[Court] = fields.ForeignKeyField(
        "registry.Court", related_name="cases", on_delete=fields.RESTRICT
    )
    order_type = fields.CharEnumField(OrderType, max_length=20)
    respondent_first_name = fields.CharField(max_length=64)
    respondent_last_name = fields.CharField(max_length=64)
    hearing_date = fields.DateField(db_index=True)
    firearms = fields.BooleanField(default=False)
    respondent_town: fields.ForeignKeyNullableRelation[Town] = fields.ForeignKeyField(
        "registry.Town", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    protected_home_town: fields.ForeignKeyNullableRelation[Town] = fields.ForeignKeyField(
        "registry.Town", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    protected_work_town: fields.ForeignKeyNullableRelation[Town] = fields.ForeignKeyField(
        "registry.Town", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    state_record_id = fields.CharField(max_length=32, null=True)
    ncic_number = fields.CharField(max_length=10, null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "case"
        indexes = (Index(fields=("court_id", "hearing_date")),)  # the hearing-day report


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    full_name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=10)
    officer_number = fields.CharField(max_length=16, null=True, unique=True)
    emails: fields.Field[list[str]] = fields.JSONField(default=list)
    telegram_chat_id = fields.BigIntField(null=True, unique=True)
    password_hash = fields.CharField(max_length=200)
    must_change_password = fields.BooleanField(default=False)
    # The TOTP secret sealed with the MFA key (registry/sealing.py); a plain base32 one written
    # before sealing existed is still read, and sealed at the next start or login.
    mfa_secret = fields.CharField(max_length=200, null=True)
    # The last TOTP time step accepted: a code, once used, is refused (RFC 6238 section 5.2).
    mfa_last_step = fields.BigIntField(null=True)
    agreement_signed_at = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True)
    deactivated_reason = fields.CharField(max_length=200, null=True)
    failed_logins = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    last_login_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "user"


class WebSession(Model):
    """One web site session. The cookie carries a random key, the registry only its SHA-256.

    Anonymous (no user), waiting for the MFA code (a user, not yet authenticated) or signed
    in. The row is the session: ending it ends the session in every process at once.
    """

    id = fields.IntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    user_id: int | None  # the column the ORM adds for `user`, declared for the type checker
    authenticated = fields.BooleanField(default=False)
    # What the pages keep between requests: the CSRF token, an MFA secret being enrolled.
    data: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    client_address = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "web_session"
        indexes = (
            Index(fields=("user_id", "ended_at")),
            Index(fields=("ended_at", "last_seen_at")),
        )


class InboundMessage(Model):
    """Anything that arrived, exactly as it arrived, committed before it is acknowledged."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharEnumField(Channel, max_length=10)
    payload = fields.BinaryField()
    envelope: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    sender = fields.CharField(max_length=320, null=True)
    received_at = fields.DatetimeField()
    dedupe_key = fields.CharField(max_length=200, null=True, unique=True)
    message_id = fields.CharField(max_length=255, null=True)  # email: to find its namesakes
    status = fields.CharEnumField(InboundStatus, max_length=16, default=InboundStatus.RECEIVED)
    status_note = fields.TextField(null=True)

    class Meta:
        table = "inbound_message"
        indexes = (Index(fields=("channel", "received_at")), Index(fields=("message_id",)))

    @property
    def reference(self) -> str:
        return f"R-{self.id:07d}"


class ReviewItem(Model):
    id = fields.IntField(primary_key=True)
    inbound: fields.ForeignKeyRelation[InboundMessage] = fields.ForeignKeyField(
        "registry.InboundMessage", related_name="review_items", on_delete=fields.RESTRICT
    )
    parse_result: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    problems: fields.Field[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(ReviewStatus, max_length=10, default=ReviewStatus.PENDING)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    decided_at = fields.DatetimeField(null=True)
    decision_note = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "review_item"
        indexes = (Index(fields=("status", "created_at")), Index(fields=("inbound_id",)))


class Entry(Model):
    """One thing an officer reports about a case, immutable once written."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "registry.Case", related_name="entries", on_delete=fields.RESTRICT
    )
    officer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name="entries", on_delete=fields.RESTRICT
    )
    activity = fields.CharEnumField(Activity, max_length=12)
    method = fields.CharEnumField(Method, max_length=6, null=True)
    occurred_at = fields.DatetimeField(null=True)
    police_assistance = fields.BooleanField(null=True)
    reason = fields.TextField(null=True)
    transferred_to: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    note = fields.TextField(null=True)
    recorded_at = fields.DatetimeField()
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    channel = fields.CharEnumField(Channel, max_length=10)
    late = fields.BooleanField(default=False)
    occurred_before_case = fields.BooleanField(default=False)
    # One-to-one: an entry is superseded at most once, so corrections form a chain.
    supersedes: fields.OneToOneNullableRelation[Entry] = fields.OneToOneField(
        "registry.Entry", related_name="superseded_by", null=True, on_delete=fields.RESTRICT
    )
    source: fields.ForeignKeyNullableRelation[InboundMessage] = fields.ForeignKeyField(
        "registry.InboundMessage", related_name=False, null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "entry"
        indexes = (
            Index(fields=("case_id", "occurred_at")),
            Index(fields=("officer_id", "recorded_at")),
        )

    @property
    def reference(self) -> str:
        return f"E-{self.id:07d}"


class Delivery(Model):
    """One message owed to one receiver (the transactional outbox).

    A service's fan-out names its entry; a mail or chat message the registry writes itself
    names the inbound message it answers or the reminder it carries.
    """

    id = fields.IntField(primary_key=True)
    entry: fields.ForeignKeyNullableRelation[Entry] = fields.ForeignKeyField(
        "registry.Entry", related_name="deliveries", null=True, on_delete=fields.RESTRICT
    )
    inbound: fields.ForeignKeyNullableRelation[InboundMessage] = fields.ForeignKeyField(
        "registry.InboundMessage", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reminder: fields.ForeignKeyNullableRelation[Reminder] = fields.ForeignKeyField(
        "registry.Reminder", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    adapter = fields.CharEnumField(Adapter, max_length=8)
    destination = fields.CharField(max_length=200)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "registry.Agency", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    payload: fields.Field[dict[str, Any]] = fields.JSONField()
    idempotency_key = fields.UUIDField(unique=True)
    status = fields.CharEnumField(DeliveryStatus, max_length=8, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    receipt = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        indexes = (Index(fields=("status", "next_attempt_at")), Index(fields=("entry_id",)))


class AuditEvent(Model):
    """An append-only, hash-chained record of who did what."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=64)
    action = fields.CharField(max_length=64)
    object_type = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=64)
    outcome = fields.CharField(max_length=16, default="success")
    details: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_event"
        indexes = (Index(fields=("object_type", "object_id")),)


class AccessRequest(Model):
    """A request for an officer account, made on the public form, decided by staff."""

    id = fields.IntField(primary_key=True)
    full_name = fields.CharField(max_length=100)
    username = fields.CharField(max_length=64)
    email = fields.CharField(max_length=320)
    phone = fields.CharField(max_length=32, default="")
    officer_number = fields.CharField(max_length=16, default="")
    employer = fields.CharField(max_length=120, default="")
    reason = fields.TextField(default="")
    status = fields.CharEnumField(
        AccessRequestStatus, max_length=10, default=AccessRequestStatus.PENDING
    )
    submitted_at = fields.DatetimeField()
    client_address = fields.CharField(max_length=64, default="", db_default="", db_index=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    decided_at = fields.DatetimeField(null=True)
    decision_note = fields.TextField(null=True)
    account: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "access_request"
        indexes = (Index(fields=("status", "submitted_at")),)


class ReviewDecision(Model):
    """What staff decided about one report of a review item, at most one decision per report."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[ReviewItem] = fields.ForeignKeyField(
        "registry.ReviewItem", related_name="decisions", on_delete=fields.RESTRICT
    )
    report_index = fields.IntField()
    kind = fields.CharEnumField(DecisionKind, max_length=10)
    entry: fields.ForeignKeyNullableRelation[Entry] = fields.ForeignKeyField(
        "registry.Entry", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    decided_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, on_delete=fields.RESTRICT
    )
    decided_at = fields.DatetimeField()
    note = fields.TextField(null=True)

    class Meta:
        table = "review_decision"
        # Two staff confirming the same report at once: the second insert fails, so one entry.
        unique_together = (("item", "report_index"),)


class TelegramLink(Model):
    """A one-time link an officer opens in Telegram to bind that chat to the account."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    chat_id = fields.BigIntField(null=True)

    class Meta:
        table = "telegram_link"


class BotConversation(Model):
    """Where one Telegram chat stands in its conversation, kept here so any process can answer."""

    id = fields.IntField(primary_key=True)
    chat_id = fields.BigIntField(unique=True)
    state = fields.CharField(max_length=32)
    data: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "bot_conversation"


class BotSummary(Model):
    """A summary awaiting the officer's Confirm, callback buttons carry only its short key."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=16, unique=True)
    chat_id = fields.BigIntField(db_index=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, on_delete=fields.RESTRICT
    )
    draft: fields.Field[dict[str, Any]] = fields.JSONField()
    status = fields.CharEnumField(SummaryStatus, max_length=10, default=SummaryStatus.PENDING)
    entry: fields.ForeignKeyNullableRelation[Entry] = fields.ForeignKeyField(
        "registry.Entry", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "bot_summary"


class Reminder(Model):
    """A reminder that service is due, owed once per case, deadline and holder of process."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "registry.Case", related_name=False, on_delete=fields.RESTRICT
    )
    deadline = fields.DateField()
    officer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "registry.User", related_name=False, on_delete=fields.RESTRICT
    )
    channel = fields.CharField(max_length=10)
    status = fields.CharEnumField(ReminderStatus, max_length=8, default=ReminderStatus.SENDING)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "reminder"
        # The scheduler may run in several processes: the insert is the claim.
        unique_together = (("case", "deadline", "officer"),)


class JobRun(Model):
    """One run of a scheduled job for one time slot, the row is the lock across processes."""

    id = fields.IntField(primary_key=True)
    job = fields.CharField(max_length=32)
    slot = fields.CharField(max_length=32)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    outcome = fields.TextField(null=True)

    class Meta:
        table = "job_run"
        unique_together = (("job", "slot"),)
