"""An email to the Registry Section mailbox, read into the service reports it carries.

`parse_email` is pure: bytes in, a frozen `EmailParse` out, no I/O and no clock (the time the
message was received is an argument). It never raises. Email is never trusted (DESIGN.md,
invariant 4): every report goes to the review queue, and `problems` tells the reviewer what the
parser could not settle, per report and for the message as a whole.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime

from parsers import dates
from parsers.blocks import docket_key, split_blocks, untable
from parsers.corrections import corrected, is_correction, without_wrong_values
from parsers.docket import find_dockets
from parsers.evidence import FIELDS, MISSING, STATED, Evidence, Source, locate
from parsers.mime import Attachment, header_text, read_body
from parsers.names import display_name, same_person
from parsers.report import Context, Report, has_report_words, read_report, read_reports
from parsers.thread import Section, split_sections

__all__ = ["Attachment", "EmailParse", "Report", "message_identity", "parse_email"]

NO_REPORT = "no report found in the message"
# Longer bodies are pasted logs or attachments gone inline; reading on would only cost time.
MAX_TEXT = 200_000
# A batch from one officer lists a few dozen dockets at most; past this a person should look.
MAX_REPORTS = 100

_PRECEDENCE_AUTOMATIC = frozenset({"bulk", "junk", "list", "auto_reply"})
_DAEMONS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "noreply", "no-reply"})
_AUTOMATIC_SUBJECT = re.compile(
    r"^\s*(?:automatic\s+reply|auto(?:matic)?[-\s]?reply|auto(?:-?response)?\s*:|"
    r"out\s+of\s+(?:the\s+)?office|ooo\b|undeliverable|undelivered\s+mail|"
    r"delivery\s+status\s+notification|mail\s+delivery\s+(?:failed|failure|system)|"
    r"returned\s+mail|delivery\s+failure)",
    re.IGNORECASE | re.ASCII,
)
_ANGLE_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<addr>[^<>]*)>\s*$", re.DOTALL)


@dataclass(frozen=True)
class EmailParse:
    """Everything read from one email; `reports` is empty for automatic mail."""

    message_id: str | None
    sender: str | None
    sender_name: str | None
    subject: str | None
    date: datetime | None
    is_automatic: bool
    text: str
    attachments: tuple[Attachment, ...]
    reports: tuple[Report, ...]
    problems: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "message_id": self.message_id,
            "from": self.sender,
            "text": self.text,
            "reports": [report.to_json() for report in self.reports],
            "problems": list(self.problems),
        }


def parse_email(raw: bytes, *, received_at: datetime, tz: tzinfo) -> EmailParse:
    """Read one raw RFC 5322 message into its reports; never raises.

    Relative days ("today", "yesterday evening") count from the message's Date header in the
    registry zone `tz`, or from `received_at` when the header is missing or unreadable. A naive
    `received_at` is taken as UTC.
    """
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    try:
        return _parse(raw, received_at, tz)
    except RecursionError:
        problem = "message too deeply nested to read"
    except Exception as exc:  # the gateway must keep every message; a person reads this one
        problem = f"internal error while reading the message: {type(exc).__name__}"
    return EmailParse(None, None, None, None, None, False, "", (), (), (problem,))


def message_identity(raw: bytes) -> tuple[str | None, str | None]:
    """Return the Message-ID and the From address, reading the headers only; never raises."""
    try:
        msg = BytesHeaderParser().parsebytes(raw)
        message_id = header_text(msg, "Message-ID")
        return (message_id.strip() or None) if message_id else None, _sender(msg)[1]
    except Exception:  # a header the library cannot read: the message is still kept
        return None, None


def _parse(raw: bytes, received_at: datetime, tz: tzinfo) -> EmailParse:
    msg = email.message_from_bytes(raw)
    sender_name, sender = _sender(msg)
    subject = header_text(msg, "Subject")
    sent = _date(msg)
    message_id = header_text(msg, "Message-ID")
    automatic = _is_automatic(msg, sender, sender_name, subject)
    body = read_body(msg)
    problems = list(body.problems)
    reports: list[Report] = []
    if not automatic:
        text = body.text
        if len(text) > MAX_TEXT:
            problems.append(f"message text longer than {MAX_TEXT} characters; only the start read")
            text = text[:MAX_TEXT]
        today = (sent or received_at).astimezone(tz).date()
        sections = split_sections(text, subject=subject, sender_name=sender_name, sender=sender)
        start = 0
        for n, section in enumerate(sections):
            if n == 1 and _corrects(sections[0], section):
                continue  # read with the correction forwarded over it
            start = _section_start(body.text, section.text, start)
            found = _section_reports(section, today, tz, received_at, MAX_REPORTS)
            base = _corrected_section(sections, n)
            if base is not None:
                found = _read_correction(section, base, today, tz, received_at) or found
            elif section.history is not None:
                found = _named_from_quote(found, section.history, today, tz, received_at)
            reports.extend(_with_evidence(report, body.text, start) for report in found)
        reports = list(dict.fromkeys(reports))
        if len(reports) > MAX_REPORTS:
            problems.append(f"more than {MAX_REPORTS} reports; only the first {MAX_REPORTS} read")
            reports = reports[:MAX_REPORTS]
        if not reports:
            problems.append(NO_REPORT)
    return EmailParse(
        message_id.strip() if message_id else None, sender, sender_name, subject, sent,
        automatic, body.text, body.attachments, tuple(reports), tuple(dict.fromkeys(problems)),
    )  # fmt: skip


def _section_reports(
    section: Section, message_day: date, tz: tzinfo, received_at: datetime, limit: int
) -> list[Report]:
    """Read the reports of one author's section: one per docket, or one without a docket."""
    text = untable(section.text)
    subject = section.subject or ""
    preamble, blocks = split_blocks(text, limit)
    if not blocks and has_report_words(text):
        subject_keys = list(dict.fromkeys(_subject_keys(subject)))[: limit + 1]
        keys: list[str | None] = [*subject_keys] if subject_keys else [None]
        blocks_or_none: list[tuple[str | None, str]] = [(key, text) for key in keys]
    else:
        blocks_or_none = [(key, block) for key, block in blocks]
    officer = _officer_name(section)
    ctx = Context(
        today=_section_day(section, message_day),
        tz=tz,
        received_at=received_at,
        officer_name=officer,
        context_text=f"{preamble}\n\n{subject}",
    )
    return [report for key, block in blocks_or_none for report in read_reports(key, block, ctx)]


def _corrects(top: Section, below: Section) -> bool:
    """A correction forwarded over the officer's own earlier report ("Fwd: ... CORRECTION")."""
    return (
        top.history is None
        and below.forwarded
        and is_correction(top.text)
        and not find_dockets(top.text)
        and (top.sender is None or below.sender in (None, top.sender))
    )


def _corrected_section(sections: list[Section], n: int) -> Section | None:
    """The earlier message section `n` corrects: its quoted history, or the forward under it."""
    section = sections[n]
    if n == 0 and len(sections) > 1 and _corrects(section, sections[1]):
        return sections[1]
    if section.history is not None and is_correction(section.text):
        return section.history
    return None


def _read_correction(
    top: Section, base: Section, message_day: date, tz: tzinfo, received_at: datetime
) -> list[Report]:
    """One report per corrected one: the quote's reports with the correction's values on top."""
    day = _section_day(base, message_day)
    below = _section_reports(base, day, tz, received_at, MAX_REPORTS)
    if not below:
        return []
    words = without_wrong_values(untable(top.text))
    dockets = [docket_key(m) for m in find_dockets(words)]
    out = []
    for report in below:
        key = dockets[0] if dockets else _key_of(report)
        ctx = Context(  # a corrected time with no day of its own is on the quote's day
            today=report.occurred_at.astimezone(tz).date()
            if report.occurred_at
            else _section_day(top, message_day),
            tz=tz,
            received_at=received_at,
            officer_name=report.officer_name or _officer_name(top),
            context_text="",
        )
        top_report = read_report(key, words, ctx, activity_hint=report.activity)
        own_day = _section_day(top, message_day)  # "yesterday" counts from the correction
        top_report = _day_on_quoted_time(top_report, report, words, own_day, tz)
        out.append(corrected(top_report, report, tz))
    return out


def _named_from_quote(
    found: list[Report], history: Section, message_day: date, tz: tzinfo, received_at: datetime
) -> list[Report]:
    """A reply that says "served him" names the respondent in the message it answers.

    The quote is not reported again; only the respondent of the same docket is taken from it.
    """
    if all(r.respondent_last_name is not None or r.docket_number is None for r in found):
        return found
    day = _section_day(history, message_day)
    quoted = _section_reports(history, day, tz, received_at, MAX_REPORTS)
    named = {r.docket_number: r for r in quoted if r.docket_number and r.respondent_last_name}
    out = []
    for report in found:
        source = named.get(report.docket_number or "")
        if report.respondent_last_name is None and source is not None:
            sources = [s for s in source.sources if s.field.startswith("respondent_")]
            report = replace(
                report,
                respondent_first_name=source.respondent_first_name,
                respondent_last_name=source.respondent_last_name,
                sources=(*report.sources, *sources),
            )
        out.append(report)
    return out


def _day_on_quoted_time(top: Report, base: Report, words: str, today: date, tz: tzinfo) -> Report:
    """ "That attempt was Wednesday 11/18, not 11/19. Same time.": the day is new, the time not."""
    if top.occurred_at is not None or base.occurred_at is None:
        return top
    days = {d.day: d.text for d in dates.find_dates(words, today) if d.day is not None}
    if len(days) != 1:
        return top
    ((day, text),) = days.items()
    clock = base.occurred_at.astimezone(tz)
    moment = datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=tz)
    problems = tuple(p for p in top.problems if not p.startswith(("missing time", "missing date")))
    source = Source("occurred_at", STATED, (text,))
    return replace(top, occurred_at=moment, problems=problems, sources=(*top.sources, source))


def _key_of(report: Report) -> str | None:
    found = find_dockets(report.docket_number or "")
    return docket_key(found[0]) if found else None


def _section_start(text: str, section_text: str, after: int) -> int:
    """Where a section's words begin in the message text (its first line), else `after`."""
    first = next((line.strip() for line in section_text.split("\n") if line.strip()), "")
    at = text.find(first, after) if first else -1
    return at if at >= 0 else after


def _with_evidence(report: Report, text: str, start: int) -> Report:
    """Place each field's words in the message text, searching from the report's docket on."""
    sources: dict[str, Source] = {}
    for source in report.sources:
        sources.setdefault(source.field, source)
    docket = locate(text, sources.get("docket_number"), start)
    anchor = docket.span[0] if docket.span else start
    evidence = []
    for name in FIELDS:
        if getattr(report, name) is None or name not in sources:
            evidence.append((name, Evidence(MISSING, None)))
        else:
            evidence.append((name, locate(text, sources[name], anchor)))
    return replace(report, evidence=tuple(evidence))


def _officer_name(section: Section) -> str | None:
    """The name the officer signs with, unless it is a short form ("R.", "Stan") of From."""
    signed = section.signature_name
    shown = display_name(section.sender_name or "")
    if signed and shown and same_person(signed, shown):
        if len(signed.split()[0]) < len(shown.split()[0]):  # "Stan", "R." for Stanley, Raymond
            return shown
    return signed or shown


def _subject_keys(subject: str) -> list[str]:
    return [docket_key(m) for m in find_dockets(subject)]


def _section_day(section: Section, message_day: date) -> date:
    """A forwarded message's "today" is the day it was first sent."""
    if section.date_text:
        for mention in dates.find_dates(section.date_text, message_day):
            if mention.day is not None:
                return mention.day
    return message_day


def _sender(msg: Message) -> tuple[str | None, str | None]:
    """Return the From display name and the lower-cased addr-spec."""
    value = header_text(msg, "From")
    if not value:
        return None, None
    m = _ANGLE_ADDRESS.match(value)
    name, address = (m.group("name"), m.group("addr")) if m else parseaddr(value)
    name = name.strip().strip('"').strip() or None
    address = address.strip().lower() or None
    return name, address


def _date(msg: Message) -> datetime | None:
    value = header_text(msg, "Date")
    if not value:
        return None
    try:
        sent = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return sent if sent.tzinfo is not None else sent.replace(tzinfo=UTC)


def _is_automatic(
    msg: Message, sender: str | None, sender_name: str | None, subject: str | None
) -> bool:
    """Auto-replies, bounces and list mail (RFC 3834, RFC 2076 Precedence) carry no reports."""
    auto_submitted = (header_text(msg, "Auto-Submitted") or "no").split(";")[0].strip().lower()
    precedence = (header_text(msg, "Precedence") or "").strip().lower()
    return_path = header_text(msg, "Return-Path")
    local_part = (sender or "").split("@")[0]
    content_type = header_text(msg, "Content-Type") or ""
    return (
        auto_submitted != "no"
        or precedence in _PRECEDENCE_AUTOMATIC
        or any(header_text(msg, name) is not None for name in ("X-Loop", "X-POR-Loop"))
        or any(header_text(msg, n) is not None for n in ("X-Autoreply", "X-Autorespond"))
        or (return_path is not None and return_path.replace(" ", "") in ("<>", ""))
        or local_part in _DAEMONS
        or (sender_name or "").lower().startswith("mail delivery")
        or content_type.lower().startswith("multipart/report")
        or _AUTOMATIC_SUBJECT.match(subject or "") is not None
    )
