"""One officer's report about one docket, read from a block of text.

Each field comes from a label when there is one ("PD assist: No"), else from the sentences of the
block, else from the message's context (the preamble of a batch, the subject). Whatever cannot be
read for certain is left empty and named in `problems`; nothing is filled in by guesswork.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from parsers import when
from parsers.blocks import Labelled, docket_key, read_labels
from parsers.docket import DocketMatch, find_dockets
from parsers.fields import (
    Cue,
    activity_cues,
    method_cues,
    police_cues,
    read_activity_value,
    read_method_value,
    read_yes_no,
)
from parsers.names import full_name, person_name
from parsers.reasons import (
    attempt_reason_cues,
    other_reason_cues,
    other_reasons,
    reason_words,
)

_PRIORITY = ("service", "transferred", "attempt", "received")
_TRANSFER_TO = re.compile(
    r"\b(?:transferr(?:ed|ing)|transfer|reassign(?:ed|ing)|handed|passed|turned|gave|giving|"
    r"handing|passing)\b(?:\s+[\w'\u2019]+){0,5}?\s+to\s+(?P<rest>[^\n]{0,80})",
    re.IGNORECASE | re.ASCII,
)
_RESPONDENT = re.compile(
    r"\brespondent(?:'s\s+name)?(?:\s+(?:is|was|named|name|being))?[ \t:,-]+", re.IGNORECASE
)
_SERVED_NAME = re.compile(r"\b(?:[Ss]erved|[Ss]erve|[Ss]erving)\s+(?:on\s+|upon\s+)?(?=[A-Z])")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|dear|greetings|registry)\b[^\n]{0,40}\n",
    re.IGNORECASE | re.ASCII,
)
_AFTER_DOCKET = frozenset(" \t-\u2013\u2014:,|()")


@dataclass(frozen=True)
class Report:
    """What an officer said about one docket; `problems` lists what a person must settle."""

    docket_number: str | None
    activity: str
    method: str | None
    occurred_at: datetime | None
    police_assistance: bool | None
    reason_code: str | None  # the registry's term (parsers/reasons.py), for its statistics
    reason: str | None  # the officer's own words, cut from the email
    transferred_to: str | None
    note: str | None
    officer_name: str | None
    respondent_first_name: str | None
    respondent_last_name: str | None
    problems: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "docket_number": self.docket_number,
            "activity": self.activity,
            "method": self.method,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "police_assistance": self.police_assistance,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "transferred_to": self.transferred_to,
            "note": self.note,
            "officer_name": self.officer_name,
            "respondent_first_name": self.respondent_first_name,
            "respondent_last_name": self.respondent_last_name,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class Context:
    """What a block is read against: the reference day, zones, the signer, the message around it."""

    today: date
    tz: tzinfo
    received_at: datetime
    officer_name: str | None
    context_text: str  # the batch preamble and the subject, for fields a block leaves out


def read_report(key: str | None, text: str, ctx: Context) -> Report:
    """Read the report about one docket (key None: the message names no docket) from its text."""
    block = read_labels(text)
    problems: list[str] = []
    docket = _docket(key, text, ctx.context_text, problems)
    activity, anchor = _activity(block, ctx, problems)
    method = _method(block, problems) if activity == "service" else None
    occurred_at = None
    if activity != "other":
        occurred_at = when.occurred_at(
            block, activity, anchor, today=ctx.today, tz=ctx.tz, received_at=ctx.received_at,
            context=ctx.context_text, problems=problems,
        )  # fmt: skip
    police = None
    if activity in ("service", "attempt"):
        police = _police(block, ctx, problems)
    reason_code, reason, note = _reason_and_note(block, activity, problems)
    transferred_to = _transferred_to(block) if activity == "transferred" else None
    if activity == "transferred" and transferred_to is None:
        problems.append("missing officer transferred to")
    first, last = _respondent(block, key, ctx.context_text)
    officer = _officer(block) or ctx.officer_name
    if officer is None:
        problems.append("missing officer name")
    return Report(
        docket, activity, method, occurred_at, police, reason_code, reason, transferred_to, note,
        officer,
        first, last, tuple(dict.fromkeys(problems)),
    )  # fmt: skip


def has_report_words(text: str) -> bool:
    """True when text reads like a report even without a docket (served, attempted, labels...)."""
    block = read_labels(text)
    reported = {"docket", "respondent", "method", "when", "date", "time", "police", "reason",
                "activity", "transferred_to"}  # fmt: skip
    return bool(
        activity_cues(block.prose)
        or method_cues(block.prose)
        or any(label.field in reported for label in block.labels)
        or other_reasons(block.prose)
    )


def _docket(key: str | None, text: str, context: str, problems: list[str]) -> str | None:
    if key is None:
        problems.append("missing docket number")
        return None
    match = _first_match(key, text) or _first_match(key, context)
    if match is None or match.canonical is None:
        error = match.error if match is not None else "unreadable"
        problems.append(f"invalid docket number: {error}")
        return match.text.strip() if match is not None else key
    return match.canonical


def _first_match(key: str, text: str) -> DocketMatch | None:
    return next((m for m in find_dockets(text) if docket_key(m) == key), None)


def _activity(block: Labelled, ctx: Context, problems: list[str]) -> tuple[str, int | None]:
    """Decide what was done; return it and where in the prose it was said (for dates)."""
    labelled = [c for value in block.values("activity") for c in read_activity_value(value)]
    if labelled:
        return _strongest(labelled), None
    prose = activity_cues(block.prose)
    if prose:
        kind = _strongest(prose)
        return kind, next(c.start for c in prose if c.kind == kind)
    implied = [label.implied_activity for label in block.labels if label.implied_activity]
    if block.values("method") or method_cues(block.prose):
        implied.append("service")
    if implied:
        return _strongest([Cue(kind, 0, 0, kind) for kind in implied]), None
    context = activity_cues(ctx.context_text)
    if context:
        return _strongest(context), None
    if other_reasons(block.prose):
        return "other", None
    problems.append("activity not recognized")
    return "other", None


def _strongest(cues: list[Cue]) -> str:
    """Served beats transferred beats attempted beats received: the last step taken wins."""
    kinds = {cue.kind for cue in cues}
    return next((kind for kind in _PRIORITY if kind in kinds), "other")


def _method(block: Labelled, problems: list[str]) -> str | None:
    sources = block.values("method") + block.values("activity") + _activity_values(block)
    cues = [(c, value) for value in sources for c in read_method_value(value)]
    cues += [(c, block.prose) for c in method_cues(block.prose)]
    kinds = {cue.kind for cue, _ in cues}
    if len(kinds) == 1:
        return kinds.pop()
    if not kinds:
        problems.append("missing method of service")
        return None
    problems.append(f"ambiguous method: {_quote_both(cues)!r}")
    return None


def _activity_values(block: Labelled) -> list[str]:
    """Values of labels named for what was done ("Served: in hand 11/3 2pm", "Svc - abode")."""
    return [
        label.value
        for label in block.labels
        if label.field == "when" and label.implied_activity and label.value
    ]


def _quote_both(cues: list[tuple[Cue, str]]) -> str:
    """Quote the words that disagree: the span holding both when it is short."""
    first_hand = next(c for c in cues if c[0].kind == "hand")
    first_abode = next(c for c in cues if c[0].kind == "abode")
    (a, text_a), (b, text_b) = sorted((first_hand, first_abode), key=lambda c: c[0].start)
    if text_a is text_b and b.end - a.start <= 60:
        return " ".join(text_a[a.start : b.end].split())
    return f"{a.text} / {b.text}"


def _police(block: Labelled, ctx: Context, problems: list[str]) -> bool | None:
    answers = {read_yes_no(value) for value in block.values("police")} - {None}
    if not answers:
        answers = {cue.kind == "yes" for cue in police_cues(block.prose)}
    if not answers:
        answers = {cue.kind == "yes" for cue in police_cues(ctx.context_text)}
    if len(answers) == 1:
        return answers.pop()
    problems.append("ambiguous police assistance" if answers else "missing police assistance")
    return None


def _reason_and_note(
    block: Labelled, activity: str, problems: list[str]
) -> tuple[str | None, str | None, str | None]:
    """The registry's term, the officer's own words for it, and the rest of the notes."""
    stated = " ".join(block.values("reason"))
    notes = " ".join(block.values("note"))
    if activity not in ("attempt", "other"):
        return None, None, " ".join(notes.split()) or None
    find = attempt_reason_cues if activity == "attempt" else other_reason_cues
    cues = find(stated or block.prose)
    code = cues[0][2] if cues else None
    words = " ".join(stated.split()) or None
    if words is None and cues:
        words = _words_around(block.prose, cues[0][0])
    if activity == "attempt":
        if words is None:
            problems.append("missing reason for the attempt")
        return code, words, " ".join(f"{stated} {notes}".split()) or None
    prose = " ".join(f"{stated} {_GREETING.sub('', block.prose.lstrip(), count=1)}".split())
    return code, words or prose[:1000] or None, prose[:1000] or None


def _words_around(prose: str, at: int) -> str:
    """The officer's sentence that gave a reason, without the report it opens with."""
    leads = [m.end for m in find_dockets(prose)]
    start, end = reason_words(prose, at, _is_report_part, leads)
    return " ".join(prose[start:end].split())


def _is_report_part(text: str) -> bool:
    return bool(activity_cues(text) or find_dockets(text))


def _transferred_to(block: Labelled) -> str | None:
    for value in block.values("transferred_to"):
        name = full_name(value, strict=False, minimum=1)
        if name is not None:
            return name
    for m in _TRANSFER_TO.finditer(block.prose):
        rest = m.group("rest")
        titled = re.match(r"\s*(?:state\s+)?(?:marshal|officer|constable|deputy)\b", rest, re.I)
        name = full_name(rest, strict=True, minimum=1 if titled else 2)
        if name is not None:
            return name
    return None


def _respondent(block: Labelled, key: str | None, context: str) -> tuple[str | None, str | None]:
    """From a "Respondent:" label, "respondent <Name>", "<docket> - <Name>" or "served <Name>"."""
    for value in block.values("respondent"):
        name = person_name(value, strict=False, minimum=1)
        if name is not None:
            return name[0] or None, name[1]
    split = _split_name(block)
    if split is not None:
        return split
    candidates = [m.end() for m in _RESPONDENT.finditer(block.prose)]
    candidates += [
        _skip_separators(block.prose, d.end)
        for d in find_dockets(block.prose)
        if docket_key(d) == key
    ]
    candidates += [m.end() for m in _SERVED_NAME.finditer(block.prose)]
    for at in candidates:
        name = person_name(block.prose[at : at + 80].split("\n")[0], strict=True)
        if name is not None:
            return name
    for d in find_dockets(context):  # "Subject: Service - KNO-FA-26-6003350-S - Brandon Teague"
        if docket_key(d) == key:
            at = _skip_separators(context, d.end)
            name = person_name(context[at : at + 80].split("\n")[0], strict=True)
            if name is not None:
                return name
    return None, None


def _split_name(block: Labelled) -> tuple[str | None, str | None] | None:
    """A name given in two fields ("Last Name:" and "First Name:", in either order)."""
    first = next(iter(block.values("respondent_first")), None)
    last = next(iter(block.values("respondent_last")), None)
    if first is None and last is None:
        return None
    return _one_name(first), _one_name(last)


def _one_name(value: str | None) -> str | None:
    words = (value or "").split()
    return " ".join(words) if words and len(words) <= 3 else None


def _skip_separators(text: str, at: int) -> int:
    """Skip the dash or colon between a docket and the name after it."""
    while at < len(text) and text[at] in _AFTER_DOCKET:
        at += 1
    return at


def _officer(block: Labelled) -> str | None:
    for value in block.values("officer"):
        name = full_name(value, strict=False)
        if name is not None:
            return name
    return None
