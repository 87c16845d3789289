"""The registry's vocabularies: the values a column may hold."""

from __future__ import annotations

from enum import StrEnum


class OrderType(StrEnum):
    RESTRAINING = "restraining"  # §46b-15, docket case type FA
    CIVIL_PROTECTION = "civil_protection"  # §46b-16a, docket case type CV


class AgencyKind(StrEnum):
    MUNICIPAL = "municipal"
    STATE_POLICE = "state_police"


class Role(StrEnum):
    OFFICER = "officer"
    STAFF = "staff"
    MANAGER = "manager"


class Channel(StrEnum):
    WEB = "web"
    TELEGRAM = "telegram"
    EMAIL = "email"
    DAYBOOK = "daybook"


class InboundStatus(StrEnum):
    RECEIVED = "received"
    PARSED = "parsed"
    NEEDS_REVIEW = "needs_review"
    IGNORED = "ignored"
    FAILED = "failed"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class Activity(StrEnum):
    SERVICE = "service"
    ATTEMPT = "attempt"
    RECEIVED = "received"
    TRANSFERRED = "transferred"
    OTHER = "other"


class Method(StrEnum):
    HAND = "hand"
    ABODE = "abode"


class Adapter(StrEnum):
    FAX = "fax"
    COLLECT = "collect"  # the state message switch's protection order file
    NCIC = "ncic"
    EMAIL = "email"  # receipts, review decisions and reminders, through the outgoing relay
    TELEGRAM = "telegram"  # outcomes, follow-ups and reminders to an officer's linked chat


FANOUT = (Adapter.FAX, Adapter.COLLECT, Adapter.NCIC)  # where a service goes: the police


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


class AccessRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class DecisionKind(StrEnum):
    CONFIRMED = "confirmed"  # recorded as a new entry
    REJECTED = "rejected"
    LINKED = (
        "linked"  # already recorded (by another channel): linked to that entry, not recorded again
    )


class BotState(StrEnum):
    """Where a Telegram conversation stands: what the bot asked for last."""

    IDLE = "idle"
    DOCKET = "docket"
    ACTIVITY = "activity"
    METHOD = "method"
    WHEN = "when"
    POLICE = "police"
    REASON = "reason"
    NOTE = "note"
    TRANSFER = "transfer"
    SUMMARY = "summary"


class SummaryStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class ReminderStatus(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # tried again at the next reminder time
